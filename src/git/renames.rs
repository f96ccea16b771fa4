//! Renames, paired by folio itself: for the staged change and for every
//! commit alike, so the user's `diff.renames` cannot change the answer.

use super::{Delta, Kind, Repo, Side};
use crate::error::Result;

impl Repo {
    /// The name `path` had in `parent`, when `commit` made it by renaming a
    /// file there (paired by `pair_renames`, both names `candidate`s): how
    /// `touching` follows a page back through a rename.
    pub fn renamed_from(
        &self,
        commit: super::Oid,
        parent: super::Oid,
        path: &str,
        candidate: impl Fn(&str) -> bool,
    ) -> Result<Option<String>> {
        let mut changes = self.commit_changes(Some(parent), commit)?;
        self.pair_renames(&mut changes, candidate)?;
        Ok(changes
            .into_iter()
            .find(|c| c.path == path && c.old.is_some() && c.old_path != path)
            .map(|c| c.old_path))
    }

    /// Pairs each added file with the deleted file it most resembles, as a
    /// rename, when they share at least half their content (git's default
    /// threshold; identical files first). Only files `candidate` accepts are
    /// compared, so a large change of other files costs nothing. folio does
    /// this itself, for the staged change and for every commit alike, so
    /// the user's `diff.renames` cannot change the answer.
    pub fn pair_renames(
        &self,
        changes: &mut Vec<Delta>,
        candidate: impl Fn(&str) -> bool,
    ) -> Result<()> {
        let is_file = |s: &Option<Side>| s.is_some_and(|s| s.kind == Kind::File);
        let added: Vec<usize> = (0..changes.len())
            .filter(|&i| {
                changes[i].old.is_none() && is_file(&changes[i].new) && candidate(&changes[i].path)
            })
            .collect();
        let deleted: Vec<usize> = (0..changes.len())
            .filter(|&i| {
                changes[i].new.is_none()
                    && is_file(&changes[i].old)
                    && candidate(&changes[i].old_path)
            })
            .collect();
        if added.is_empty() || deleted.is_empty() || added.len() * deleted.len() > 10_000 {
            return Ok(());
        }
        let content = |i: usize, side: Option<Side>, path: &str| -> Result<(usize, Vec<u8>)> {
            let side = side.expect("filtered to files");
            Ok((i, self.blob(side.oid, path)?))
        };
        let new_blobs = added
            .iter()
            .map(|&i| content(i, changes[i].new, &changes[i].path))
            .collect::<Result<Vec<_>>>()?;
        let old_blobs = deleted
            .iter()
            .map(|&i| content(i, changes[i].old, &changes[i].old_path))
            .collect::<Result<Vec<_>>>()?;
        let mut scored = Vec::new();
        for (a, new) in &new_blobs {
            for (d, old) in &old_blobs {
                let score = if new == old {
                    101
                } else {
                    similarity(old, new)
                };
                if score >= 50 {
                    scored.push((score, *a, *d));
                }
            }
        }
        scored.sort_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)).then(x.2.cmp(&y.2)));
        let mut paired = Vec::new();
        for (_, a, d) in scored {
            if paired.iter().any(|&(pa, pd)| pa == a || pd == d) {
                continue;
            }
            paired.push((a, d));
        }
        for &(a, d) in &paired {
            changes[a].old_path = changes[d].old_path.clone();
            changes[a].old = changes[d].old;
        }
        let gone: Vec<usize> = paired.iter().map(|&(_, d)| d).collect();
        let mut i = 0;
        changes.retain(|_| {
            i += 1;
            !gone.contains(&(i - 1))
        });
        Ok(())
    }
}

/// How much of two files' content is shared, as a percentage of the larger:
/// lines (cut into pieces of at most 64 bytes) counted as multisets, close
/// to git's own estimate.
fn similarity(a: &[u8], b: &[u8]) -> u32 {
    let larger = a.len().max(b.len());
    if larger == 0 {
        return 100;
    }
    let mut counts: std::collections::HashMap<&[u8], (usize, usize)> =
        std::collections::HashMap::new();
    for (text, second) in [(a, false), (b, true)] {
        for line in text.split_inclusive(|&c| c == b'\n') {
            for piece in line.chunks(64) {
                let count = counts.entry(piece).or_default();
                if second { count.1 += 1 } else { count.0 += 1 }
            }
        }
    }
    let shared: usize = counts
        .iter()
        .map(|(piece, (x, y))| piece.len() * x.min(y))
        .sum();
    (shared * 100 / larger) as u32
}
