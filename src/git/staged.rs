//! What is staged: the deltas from a base commit to the index git is
//! committing. The hook's fast path reads the index file itself (`index`)
//! and compares it with the base tree folder by folder, skipping every
//! folder the index's cache-tree vouches for; an index that reader leaves
//! alone (a split or sparse index, say) is listed by `git diff-index`,
//! which reads exactly the index git hands the hook (`GIT_INDEX_FILE` is
//! inherited) and whose answer does not depend on `diff.renames`.

use super::tree::{TreeItem, tree_items, tree_order};
use super::{Delta, Kind, Oid, Repo, Side, git_bug, git_error, index};
use crate::error::Result;
use std::path::Path;

impl Repo {
    /// The changes from `base` (a commit, or nothing) to the index git is
    /// committing: the file `index_file` (what `GIT_INDEX_FILE` names during
    /// `git commit -a` and friends), or the repository's own index.
    /// Intent-to-add entries (`git add -N`) are not staged content and are
    /// left out, as `git commit` leaves them. Renames are not paired yet
    /// (see `pair_renames`).
    pub fn staged_changes(
        &self,
        base: Option<Oid>,
        index_file: Option<&Path>,
    ) -> Result<Vec<Delta>> {
        let path = index_file.map_or_else(|| self.repo.path().join("index"), Path::to_path_buf);
        let fast = (self.repo.object_format() == git2::ObjectFormat::Sha1)
            .then(|| map_file(&path))
            .flatten()
            .and_then(index::read);
        match fast {
            Some(index) => self.index_changes(&index, base),
            None => self.plumbing_index_changes(base),
        }
    }

    /// Compares a parsed index with the base tree, folder by folder,
    /// skipping every folder whose cache-tree id equals the base's.
    fn index_changes(
        &self,
        index: &index::Index<impl AsRef<[u8]>>,
        base: Option<Oid>,
    ) -> Result<Vec<Delta>> {
        let tree = base.map(|commit| self.root_tree(commit)).transpose()?;
        let mut changes = Vec::new();
        self.compare_folder(
            index,
            b"",
            tree,
            &index.entries,
            index.cache_tree.as_ref(),
            &mut changes,
        )?;
        Ok(changes)
    }

    /// Compares the index entries under `prefix` with the base's folder
    /// `tree` (by id: it is read only if the cache-tree cannot vouch for it).
    /// Both list their names in git's tree order (a folder sorts as its
    /// name and `/`), so one pass over each pairs them: a tree entry the
    /// index passes by is deleted, an index entry with no partner is added.
    /// A file that became a folder, or the other way, is a deletion and an
    /// addition, since the two sort apart.
    fn compare_folder(
        &self,
        index: &index::Index<impl AsRef<[u8]>>,
        prefix: &[u8],
        tree: Option<git2::Oid>,
        entries: &[index::Entry],
        cache: Option<&index::CacheTree>,
        changes: &mut Vec<Delta>,
    ) -> Result<()> {
        let vouched = |id: git2::Oid| {
            cache
                .and_then(|c| c.oid)
                .is_some_and(|o| id.as_bytes() == o)
        };
        if tree.is_some_and(vouched) {
            return Ok(());
        }
        let bytes = tree.map(|id| self.tree_bytes(id)).transpose()?;
        let mut old = bytes.iter().flat_map(|b| tree_items(b)).peekable();
        let mut i = 0;
        while i < entries.len() {
            let entry_path = index.path(&entries[i]);
            let rest = &entry_path[prefix.len()..];
            let slash = rest.iter().position(|&b| b == b'/');
            let name = &rest[..slash.unwrap_or(rest.len())];
            let is_folder = slash.is_some();
            while let Some(gone) = old.next_if(|t| tree_order(t, name, is_folder).is_lt()) {
                self.gone(prefix, &gone, changes)?;
            }
            let same = old.next_if(|t| tree_order(t, name, is_folder).is_eq());
            if is_folder {
                let folder = &entry_path[..prefix.len() + name.len() + 1];
                let end = i + entries[i..]
                    .iter()
                    .take_while(|e| index.path(e).starts_with(folder))
                    .count();
                let sub_cache = cache.and_then(|c| c.child(name));
                let subtree = same.map(|t| t.id());
                self.compare_folder(index, folder, subtree, &entries[i..end], sub_cache, changes)?;
                i = end;
                continue;
            }
            let entry = &entries[i];
            i += 1;
            if entry.intent_to_add {
                // Listed with `git add -N`; nothing of it is staged.
                if let Some(t) = same {
                    self.gone(prefix, &t, changes)?;
                }
                continue;
            }
            let mode = index.mode(entry);
            let new = Side {
                oid: Oid(git2::Oid::from_bytes(index.oid(entry)).map_err(git_error)?),
                kind: Kind::from_mode(mode),
            };
            if same.is_some_and(|t| t.id() == new.oid.0 && t.mode() == mode) {
                continue;
            }
            let path = crate::text::path_text(entry_path);
            changes.push(Delta {
                old_path: path.clone(),
                path,
                old: same.map(|t| t.side()),
                new: Some(new),
            });
        }
        for gone in old {
            self.gone(prefix, &gone, changes)?;
        }
        Ok(())
    }

    /// A tree entry the index no longer has: a deleted file, or every file
    /// of a deleted folder.
    fn gone(&self, prefix: &[u8], item: &TreeItem, changes: &mut Vec<Delta>) -> Result<()> {
        let path = join(prefix, item.name);
        if item.is_dir() {
            let mut files = Vec::new();
            self.walk(item.id(), &path, &mut files)?;
            changes.extend(files.into_iter().map(|f| deletion(f.path, f.side)));
            Ok(())
        } else {
            changes.push(deletion(path, item.side()));
            Ok(())
        }
    }

    /// The same list from `git diff-index`, for an index this reader leaves
    /// to git (a split or sparse index, say).
    fn plumbing_index_changes(&self, base: Option<Oid>) -> Result<Vec<Delta>> {
        let base = base.unwrap_or(self.empty_tree()?).to_string();
        let out = self.plumbing(&[
            "diff-index",
            "--cached",
            "--ita-invisible-in-index",
            "-z",
            "--raw",
            "--no-abbrev",
            "--no-renames",
            &base,
        ])?;
        parse_raw_diff(&out)
    }
}

/// Maps a file into memory with its pages populated up front, as git reads
/// its index: no copy, and no page fault per 4 KiB of a large index.
fn map_file(path: &Path) -> Option<memmap2::Mmap> {
    let file = std::fs::File::open(path).ok()?;
    // SAFETY: git never changes an index file in place: it writes a new
    // one under a lock file and renames it over the old, and during a
    // commit it holds the lock on the file it hands the hook. The mapping
    // therefore does not change while folio reads it.
    unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()
}

fn deletion(path: String, old: Side) -> Delta {
    Delta {
        old_path: path.clone(),
        path,
        old: Some(old),
        new: None,
    }
}

fn join(prefix: &[u8], name: &[u8]) -> String {
    let mut path = prefix.to_vec();
    path.extend_from_slice(name);
    crate::text::path_text(&path)
}

/// Parses `--raw -z --no-renames` output:
/// `:oldmode newmode oldid newid status\0path\0` (folio pairs renames
/// itself, so git is never asked for them).
fn parse_raw_diff(out: &[u8]) -> Result<Vec<Delta>> {
    let bad = || git_bug("unexpected output from git's raw diff".to_string());
    let mut fields = out.split(|&b| b == 0).filter(|f| !f.is_empty());
    let mut changes = Vec::new();
    while let Some(header) = fields.next() {
        let header = std::str::from_utf8(header).map_err(|_| bad())?;
        let parts: Vec<&str> = header.trim_start_matches(':').split(' ').collect();
        let [old_mode, new_mode, old_id, new_id, _status] = parts[..] else {
            return Err(bad());
        };
        let side = |mode: &str, id: &str| -> Result<Option<Side>> {
            let mode = u32::from_str_radix(mode, 8).map_err(|_| bad())?;
            let oid = git2::Oid::from_str(id).map_err(|_| bad())?;
            Ok((mode != 0 && !oid.is_zero()).then_some(Side {
                oid: Oid(oid),
                kind: Kind::from_mode(mode),
            }))
        };
        let path = crate::text::path_text(fields.next().ok_or_else(bad)?);
        changes.push(Delta {
            old_path: path.clone(),
            path,
            old: side(old_mode, old_id)?,
            new: side(new_mode, new_id)?,
        });
    }
    Ok(changes)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{git, write};
    use super::*;

    fn key(changes: Vec<Delta>) -> Vec<String> {
        let mut keys: Vec<String> = changes.iter().map(|c| format!("{c:?}")).collect();
        keys.sort();
        keys
    }

    /// A committed tree, then a staged change of every kind: edits at
    /// several depths, an addition, a deletion, a mode change, a file that
    /// becomes a folder and a folder that becomes a file, an intent-to-add.
    fn staged_repo() -> (tempfile::TempDir, Repo) {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        for n in 0..30 {
            write(
                d,
                &format!("content/s{}/p{n}.md", n % 3),
                &format!("page {n}\n"),
            );
        }
        write(d, "content/top.md", "top\n");
        // Names that sort around the folder `s1` in git's tree order
        // (`s1-x.md`, `s1.md`, then `s1/`).
        write(d, "content/s1.md", "s1\n");
        write(d, "content/s1-x.md", "s1-x\n");
        write(d, "content/becomes-folder", "file\n");
        write(d, "content/folder-goes/a.md", "a\n");
        write(d, "run.sh", "echo\n");
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "base"]);
        write(d, "content/s1/p1.md", "edited\n");
        write(d, "content/s1.md", "s1 edited\n");
        std::fs::remove_file(d.join("content/s1-x.md")).unwrap();
        std::fs::remove_file(d.join("content/top.md")).unwrap();
        write(d, "content/s2/new.md", "new\n");
        std::fs::remove_file(d.join("content/s0/p3.md")).unwrap();
        std::fs::remove_file(d.join("content/becomes-folder")).unwrap();
        write(d, "content/becomes-folder/inside.md", "inside\n");
        std::fs::remove_dir_all(d.join("content/folder-goes")).unwrap();
        write(d, "content/folder-goes", "now a file\n");
        git(d, &["add", "-A"]);
        git(d, &["update-index", "--chmod=+x", "run.sh"]);
        write(d, "content/later.md", "later\n");
        git(d, &["add", "-N", "content/later.md"]);
        let repo = Repo::open(d).unwrap();
        (dir, repo)
    }

    #[test]
    fn the_index_reader_agrees_with_git_in_every_index_format() {
        let (dir, repo) = staged_repo();
        let head = repo.head().unwrap();
        let expected = key(repo.plumbing_index_changes(head).unwrap());
        assert_eq!(expected.len(), 11, "{expected:#?}");
        let read = || index::read(std::fs::read(dir.path().join(".git/index")).unwrap());
        // Version 3 (intent-to-add needs the extended flags), with a cache-tree.
        let v3 = read().expect("the fast path reads it");
        assert!(v3.cache_tree.is_some());
        assert_eq!(key(repo.index_changes(&v3, head).unwrap()), expected);
        // The same without the cache-tree: every folder is compared.
        let mut bare = read().unwrap();
        bare.cache_tree = None;
        assert_eq!(key(repo.index_changes(&bare, head).unwrap()), expected);
        // Version 4, with its compressed paths.
        git(dir.path(), &["update-index", "--index-version", "4"]);
        let v4 = read().expect("the fast path reads version 4");
        assert_eq!(key(repo.index_changes(&v4, head).unwrap()), expected);
        // Against no base at all (a first commit), everything is added.
        let all = repo.index_changes(&v4, None).unwrap();
        assert!(all.iter().all(|c| c.old.is_none()));
        assert_eq!(key(all), key(repo.plumbing_index_changes(None).unwrap()));
        // A damaged index never panics the reader: any prefix or flipped
        // byte gives an index or `None`.
        let data = std::fs::read(dir.path().join(".git/index")).unwrap();
        for cut in 0..data.len() {
            let _ = index::read(&data[..cut]);
            let mut flipped = data.clone();
            flipped[cut] ^= 0xa5;
            if let Some(index) = index::read(&flipped[..]) {
                let _ = repo.index_changes(&index, head);
            }
        }
        // A split index is left to git, and the answer is the same.
        git(dir.path(), &["update-index", "--split-index"]);
        assert!(read().is_none());
        assert_eq!(key(repo.staged_changes(head, None).unwrap()), expected);
    }

    #[test]
    fn a_commit_s_changes_are_what_git_diff_tree_lists() {
        let (dir, repo) = staged_repo();
        let d = dir.path();
        let base = repo.head().unwrap().unwrap();
        git(d, &["commit", "-q", "-m", "every kind of change"]);
        // A file that becomes a link, and a new link.
        std::fs::remove_file(d.join("content/s0/p0.md")).unwrap();
        std::os::unix::fs::symlink("p6.md", d.join("content/s0/p0.md")).unwrap();
        std::os::unix::fs::symlink("../run.sh", d.join("content/link.md")).unwrap();
        git(d, &["add", "-A"]);
        git(d, &["commit", "-q", "-m", "links"]);
        let repo = Repo::open(d).unwrap();
        let head = repo.head().unwrap().unwrap();
        let middle = repo.commit_info(head).unwrap().parents[0];
        for (old, new) in [
            (Some(base), middle),
            (Some(middle), head),
            (Some(base), head),
            (None, head),
        ] {
            let from =
                old.map_or_else(|| repo.empty_tree().unwrap().to_string(), |o| o.to_string());
            let theirs = repo
                .plumbing(&[
                    "diff-tree",
                    "-r",
                    "-z",
                    "--raw",
                    "--no-abbrev",
                    "--no-renames",
                    &from,
                    &new.to_string(),
                ])
                .unwrap();
            let expected = key(parse_raw_diff(&theirs).unwrap());
            assert!(!expected.is_empty());
            assert_eq!(
                key(repo.commit_changes(old, new).unwrap()),
                expected,
                "{old:?}..{new}"
            );
        }
    }

    #[test]
    fn raw_diff_with_odd_paths() {
        let a = "1".repeat(40);
        let b = "2".repeat(40);
        let z = "0".repeat(40);
        let out = format!(
            ":100644 100644 {a} {b} M\0content/new name.md\0:000000 120000 {z} {b} A\0content/link.md\0:100644 000000 {a} {z} D\0content/a\nb.md\0"
        );
        let changes = parse_raw_diff(out.as_bytes()).unwrap();
        assert_eq!(changes.len(), 3);
        assert_eq!(changes[0].path, "content/new name.md");
        assert!(changes[0].old.is_some() && changes[0].new.is_some());
        assert_eq!(changes[1].new.map(|s| s.kind), Some(Kind::Symlink));
        assert!(changes[1].old.is_none());
        assert_eq!(changes[2].path, "content/a\nb.md");
        assert!(changes[2].new.is_none());
        assert!(parse_raw_diff(b":100644 garbage\0x\0").is_err());
    }
}
