//! Raw tree objects: their entries in git's order, the entry at a path in
//! a commit, and every file under a folder. Trees are read raw (no libgit2
//! tree parsing) and kept for the rest of the run, since the hook and a
//! range look up several paths in the same commit.

use super::{Delta, Kind, Oid, Repo, Result, Side, TreeFile, git_error};
use std::rc::Rc;

impl Repo {
    /// The root tree of a commit, looked up once per run.
    pub(super) fn root_tree(&self, commit: Oid) -> Result<git2::Oid> {
        if let Some(&tree) = self.roots.borrow().get(&commit.0) {
            return Ok(tree);
        }
        let tree = self.find_commit(commit)?.tree_id();
        self.roots.borrow_mut().insert(commit.0, tree);
        Ok(tree)
    }

    /// The deltas from the tree `old` to the tree `new`: `diff_trees`
    /// with the trees this run keeps.
    pub(super) fn diff_trees(
        &self,
        prefix: &[u8],
        old: Option<git2::Oid>,
        new: Option<git2::Oid>,
        deltas: &mut Vec<Delta>,
    ) -> Result<()> {
        diff_trees(&|id| self.tree_bytes(id), prefix, old, new, deltas)
    }

    /// The id of the empty tree, computed, not written.
    pub(super) fn empty_tree(&self) -> Result<Oid> {
        git2::Oid::hash_object(git2::ObjectType::Tree, b"")
            .map(Oid)
            .map_err(git_error)
    }

    /// The entry at `path` in a commit's tree, if any.
    pub fn entry_at(&self, commit: Oid, path: &str) -> Result<Option<Side>> {
        let mut tree = self.root_tree(commit)?;
        let mut names = path.split('/').peekable();
        while let Some(name) = names.next() {
            let Some((mode, id)) = tree_entry(&self.tree_bytes(tree)?, name.as_bytes()) else {
                return Ok(None);
            };
            let kind = Kind::from_mode(mode);
            if names.peek().is_none() {
                return Ok(Some(Side { oid: Oid(id), kind }));
            }
            if kind != Kind::Dir {
                return Ok(None);
            }
            tree = id;
        }
        Ok(None)
    }

    /// A tree object's raw bytes, read once per `Repo`.
    pub(super) fn tree_bytes(&self, id: git2::Oid) -> Result<Rc<[u8]>> {
        if let Some(bytes) = self.trees.borrow().get(&id) {
            return Ok(Rc::clone(bytes));
        }
        self.loose.check(id)?;
        let odb = self.repo.odb().map_err(git_error)?;
        let object = odb.read(id).map_err(git_error)?;
        let bytes: Rc<[u8]> = Rc::from(object.data());
        self.trees.borrow_mut().insert(id, Rc::clone(&bytes));
        Ok(bytes)
    }

    /// Every entry under `dir` in a commit's tree, recursively, in tree
    /// order. Folders are walked, not listed; symlinks and submodules are
    /// listed with their kind and never followed.
    pub fn files_under(&self, commit: Oid, dir: &str) -> Result<Vec<TreeFile>> {
        let mut files = Vec::new();
        let Some(side) = self.entry_at(commit, dir)? else {
            return Ok(files);
        };
        if side.kind != Kind::Dir {
            return Ok(files);
        }
        self.walk(side.oid.0, dir, &mut files)?;
        Ok(files)
    }

    /// Every file in the tree `tree`, its paths under `prefix`.
    pub(super) fn walk(
        &self,
        tree: git2::Oid,
        prefix: &str,
        files: &mut Vec<TreeFile>,
    ) -> Result<()> {
        let bytes = self.tree_bytes(tree)?;
        for item in tree_items(&bytes) {
            let path = format!("{prefix}/{}", crate::text::path_text(item.name));
            if item.is_dir() {
                self.walk(item.id(), &path, files)?;
            } else {
                files.push(TreeFile {
                    path,
                    side: item.side(),
                });
            }
        }
        Ok(())
    }
}

/// The deltas from the tree `old` to the tree `new` (either may be none),
/// their paths under `prefix`, each tree read by `read`: both are listed in
/// git's tree order, so one pass over each pairs their entries; a folder
/// with the same id on both sides is skipped unread. A file that became a
/// folder, or the other way, is a deletion and additions (they sort apart).
pub(super) fn diff_trees(
    read: &dyn Fn(git2::Oid) -> Result<Rc<[u8]>>,
    prefix: &[u8],
    old: Option<git2::Oid>,
    new: Option<git2::Oid>,
    deltas: &mut Vec<Delta>,
) -> Result<()> {
    if old == new {
        return Ok(());
    }
    let old_bytes = old.map(read).transpose()?;
    let new_bytes = new.map(read).transpose()?;
    let mut olds = old_bytes.iter().flat_map(|b| tree_items(b)).peekable();
    let mut news = new_bytes.iter().flat_map(|b| tree_items(b)).peekable();
    loop {
        let order = match (olds.peek(), news.peek()) {
            (None, None) => return Ok(()),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (Some(a), Some(b)) => tree_order(a, b.name, b.is_dir()),
        };
        let (a, b) = match order {
            std::cmp::Ordering::Less => (olds.next(), None),
            std::cmp::Ordering::Greater => (None, news.next()),
            std::cmp::Ordering::Equal => (olds.next(), news.next()),
        };
        let item = a.or(b).expect("one side has an entry");
        let path = [prefix, item.name].concat();
        if item.is_dir() {
            let mut folder = path;
            folder.push(b'/');
            diff_trees(read, &folder, a.map(|t| t.id()), b.map(|t| t.id()), deltas)?;
            continue;
        }
        let raw = |t: Option<TreeItem>| t.map(|t| (t.mode(), t.id()));
        if raw(a) != raw(b) {
            let (old, new) = (a.map(|t| t.side()), b.map(|t| t.side()));
            let path = crate::text::path_text(&path);
            deltas.push(Delta {
                old_path: path.clone(),
                path,
                old,
                new,
            });
        }
    }
}

/// One entry of a raw tree object, its mode and id decoded only when
/// asked for: a lookup in a folder of a thousand pages compares names.
#[derive(Clone, Copy)]
pub(super) struct TreeItem<'a> {
    pub(super) name: &'a [u8],
    /// Octal digits.
    octal_mode: &'a [u8],
    raw_id: &'a [u8; 20],
}

impl TreeItem<'_> {
    pub(super) fn mode(&self) -> u32 {
        self.octal_mode
            .iter()
            .fold(0, |mode, digit| mode << 3 | u32::from(digit - b'0'))
    }

    pub(super) fn id(&self) -> git2::Oid {
        git2::Oid::from_bytes(self.raw_id).expect("twenty bytes are an id")
    }

    pub(super) fn is_dir(&self) -> bool {
        Kind::from_mode(self.mode()) == Kind::Dir
    }

    pub(super) fn side(&self) -> Side {
        Side {
            oid: Oid(self.id()),
            kind: Kind::from_mode(self.mode()),
        }
    }
}

/// The entries of a raw tree object (`<octal mode> <name>\0<20-byte id>`,
/// repeated), in the order git keeps them; a damaged entry ends the list.
pub(super) fn tree_items(data: &[u8]) -> impl Iterator<Item = TreeItem<'_>> {
    let mut rest = data;
    std::iter::from_fn(move || {
        let space = rest.iter().position(|&b| b == b' ')?;
        let nul = space + rest[space..].iter().position(|&b| b == 0)?;
        let raw_id = rest.get(nul + 1..nul + 21)?.try_into().ok()?;
        let octal_mode = &rest[..space];
        if octal_mode.is_empty()
            || octal_mode.len() > 7
            || !octal_mode.iter().all(|b| (b'0'..=b'7').contains(b))
        {
            return None;
        }
        let name = &rest[space + 1..nul];
        rest = &rest[nul + 21..];
        Some(TreeItem {
            name,
            octal_mode,
            raw_id,
        })
    })
}

/// The mode and id of the entry called `name` in a raw tree object.
pub(super) fn tree_entry(data: &[u8], name: &[u8]) -> Option<(u32, git2::Oid)> {
    tree_items(data)
        .find(|t| t.name == name)
        .map(|t| (t.mode(), t.id()))
}

/// Where a tree entry sorts against a name, in git's tree order: a folder
/// sorts as its name followed by `/`.
pub(super) fn tree_order(item: &TreeItem, name: &[u8], is_folder: bool) -> std::cmp::Ordering {
    let slash = |dir: bool| dir.then_some(&b'/');
    item.name
        .iter()
        .chain(slash(item.is_dir()))
        .cmp(name.iter().chain(slash(is_folder)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_entry_is_found_by_its_exact_name_and_damage_is_no_panic() {
        let mut raw = Vec::new();
        for (mode, name, byte) in [
            ("100644", "a.md", 1u8),
            ("40000", "a", 2),
            ("100644", "a.mdx", 3),
        ] {
            raw.extend_from_slice(format!("{mode} {name}\0").as_bytes());
            raw.extend_from_slice(&[byte; 20]);
        }
        assert_eq!(tree_entry(&raw, b"a").map(|e| e.0), Some(0o40000));
        assert_eq!(
            tree_entry(&raw, b"a.mdx").map(|e| e.1.as_bytes()[0]),
            Some(3)
        );
        assert_eq!(tree_entry(&raw, b"b"), None);
        for cut in 0..raw.len() {
            let _ = tree_entry(&raw[..cut], b"a.mdx");
            let mut flipped = raw.clone();
            flipped[cut] ^= 0xff;
            for item in tree_items(&flipped) {
                let _ = (item.side(), item.is_dir());
            }
        }
    }
}
