//! "Did you mean": the nearest known word to a near miss.

/// The candidate closest to `input` by edit distance (ignoring case, `-`
/// and `_`), if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = norm(input);
    let limit = match wanted.len() {
        0..=4 => 1,
        5..=8 => 2,
        _ => 3,
    };
    nearest(&wanted, candidates, limit)
}

/// As `did_you_mean`, for a frontmatter key: a misspelt key is one or two
/// slips from the key meant (one for a key of up to eight letters), so a
/// site's own key further from folio's (`review_in`, three from
/// `reviewers`) is left alone.
pub fn misspelt_key<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let wanted = norm(input);
    let limit = if wanted.len() <= 8 { 1 } else { 2 };
    nearest(&wanted, candidates, limit)
}

/// A word as near misses compare it: lowercase, `-` as `_`.
fn norm(s: &str) -> Vec<char> {
    s.chars()
        .map(|c| {
            if c == '-' {
                '_'
            } else {
                c.to_ascii_lowercase()
            }
        })
        .collect()
}

/// The candidate nearest to `wanted` (as `norm` spells it) within `limit`
/// edits.
fn nearest<'a>(
    wanted: &[char],
    candidates: impl IntoIterator<Item = &'a str>,
    limit: usize,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .filter_map(|c| Some((edit_distance(wanted, &norm(c), limit)?, c)))
        .min_by_key(|&(d, _)| d)
        .map(|(_, c)| c)
}

/// Optimal string alignment distance (Levenshtein plus adjacent swaps, so
/// `last_reveiwed` is one edit from `last_reviewed`), if it is at most
/// `limit`. Only the cells within `limit` of the diagonal are computed, so
/// the cost is the length times the limit, however long the texts.
fn edit_distance(a: &[char], b: &[char], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let far = limit + 1;
    let width = b.len() + 1;
    // Three rows: two back (for swaps), one back, this one.
    let mut rows = [vec![far; width], vec![far; width], vec![far; width]];
    for (j, cell) in rows[1].iter_mut().enumerate().take(far) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let (older, rest) = rows.split_at_mut(1);
        let (previous, current) = rest.split_at_mut(1);
        let (older, previous, current) = (&older[0], &previous[0], &mut current[0]);
        // Only the band is written: the cells just outside it read as
        // too far, and nothing further out is read.
        let from = i.saturating_sub(limit).max(1);
        let to = (i + limit).min(b.len());
        current[0] = if i <= limit { i } else { far };
        if from > 1 {
            current[from - 1] = far;
        }
        if let Some(cell) = current.get_mut(to + 1) {
            *cell = far;
        }
        for j in from..=to {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1)
                .min(current[j - 1] + 1)
                .min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(older[j - 2] + 1);
            }
            current[j] = best.min(far);
        }
        rows.rotate_left(1);
    }
    // After the last rotation, the last row computed is the middle one.
    Some(rows[1][b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_key_is_one_or_two_slips_away() {
        let keys = ["title", "summary", "reviewers", "last_reviewed", "owner"];
        assert_eq!(misspelt_key("titel", keys), Some("title"));
        assert_eq!(misspelt_key("last_reveiwed", keys), Some("last_reviewed"));
        assert_eq!(misspelt_key("last-reviewd", keys), Some("last_reviewed"));
        assert_eq!(misspelt_key("Reviewer", keys), Some("reviewers"));
        // A site's own keys, further away.
        for own in [
            "review_in",
            "owners_slack",
            "summaries",
            "titles_all",
            "layout",
        ] {
            assert_eq!(misspelt_key(own, keys), None, "{own}");
        }
    }

    #[test]
    fn near_misses_find_their_word_and_far_ones_do_not() {
        let keys = ["title", "last_reviewed", "reviewers"];
        assert_eq!(did_you_mean("last_reveiwed", keys), Some("last_reviewed"));
        assert_eq!(did_you_mean("Last-Reviewed", keys), Some("last_reviewed"));
        assert_eq!(did_you_mean("tilte", keys), Some("title"));
        assert_eq!(did_you_mean("layout", keys), None);
    }

    /// The whole table, for comparison.
    fn full_distance(a: &[char], b: &[char]) -> usize {
        let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
        for (i, row) in rows.iter_mut().enumerate() {
            row[0] = i;
        }
        for (j, cell) in rows[0].iter_mut().enumerate() {
            *cell = j;
        }
        for i in 1..=a.len() {
            for j in 1..=b.len() {
                let cost = usize::from(a[i - 1] != b[j - 1]);
                let mut best = (rows[i - 1][j] + 1)
                    .min(rows[i][j - 1] + 1)
                    .min(rows[i - 1][j - 1] + cost);
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    best = best.min(rows[i - 2][j - 2] + 1);
                }
                rows[i][j] = best;
            }
        }
        rows[a.len()][b.len()]
    }

    #[test]
    fn the_band_gives_the_whole_tables_answer_within_the_limit() {
        // Every pair of words of up to five letters from a small alphabet.
        let mut words = vec![Vec::new()];
        for len in 1..=5 {
            let shorter: Vec<Vec<char>> = words
                .iter()
                .filter(|w| w.len() == len - 1)
                .cloned()
                .collect();
            for w in shorter {
                for c in ['a', 'b', 'c'] {
                    let mut longer = w.clone();
                    longer.push(c);
                    words.push(longer);
                }
            }
        }
        for a in &words {
            for b in words.iter().step_by(7) {
                let full = full_distance(a, b);
                for limit in 0..=3 {
                    let banded = edit_distance(a, b, limit);
                    assert_eq!(
                        banded,
                        (full <= limit).then_some(full),
                        "{a:?} {b:?} limit {limit}"
                    );
                }
            }
        }
        // Long texts cost the band, not the square.
        let long: Vec<char> = "ab".repeat(50_000).chars().collect();
        let mut near = long.clone();
        near[70_000] = 'x';
        assert_eq!(edit_distance(&long, &near, 3), Some(1));
        assert_eq!(edit_distance(&long, &long[..99_000], 3), None);
    }
}
