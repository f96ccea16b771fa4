//! Columns for the terminal, for `status` and `history`: every value made
//! printable (control characters escaped, so text from a page or a commit
//! cannot drive the terminal), cut with `…` and padded to a width that fits
//! its column.

use crate::text::hidden;

/// A table cell: `text` made printable, cut to `width` characters with
/// `…` if longer, padded with spaces to `width`.
pub fn cell(text: &str, width: usize) -> String {
    let text = printable(text);
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// The width of a column: its widest value, between `min` and `max`.
pub fn column_width<'a>(values: impl Iterator<Item = &'a str>, min: usize, max: usize) -> usize {
    values
        .map(|v| printable(v).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(min, max)
}

/// Control characters (a newline in a file name, say) and bidirectional
/// controls shown escaped.
pub fn printable(s: &str) -> String {
    if s.chars().any(hidden) {
        s.chars()
            .map(|c| {
                if hidden(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_padded_cut_and_printable() {
        assert_eq!(cell("ana", 5), "ana  ");
        assert_eq!(cell("Zoë Ångström", 6), "Zoë Å…");
        assert_eq!(cell("a\x1b[31mred", 20), "a\\u{1b}[31mred      ");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(column_width(["ab", "abcdef"].into_iter(), 3, 5), 5);
        assert_eq!(column_width(std::iter::empty(), 3, 5), 3);
    }
}
