//! The only user of git2, and the only place that runs the `git` binary.
//! `Repo` wraps a repository with the verbs folio needs: what is staged,
//! what a commit changed, the files of a tree, the commits of a range.
//!
//! Lists of changes come from git's own plumbing (`diff-index`,
//! `diff-tree`): it is always present where a hook runs, it reads exactly
//! the index git hands the hook (`GIT_INDEX_FILE` is inherited), it skips
//! unchanged subtrees through the index's cache-tree, and its rename
//! detection does not depend on the user's `diff.renames`. Blobs and trees
//! are then read through git2. Paths are bytes in git; folio shows them
//! decoded lossily, and a name that is not UTF-8 is never a valid page id.

use crate::error::{Error, Result};
use crate::index;
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

mod graph;
mod walk;
pub use walk::Touch;

/// What to do about a shallow clone.
const FETCH_HISTORY: &str = "fetch full history (in GitHub Actions, `fetch-depth: 0` in actions/checkout; elsewhere `git fetch --unshallow`)";

pub struct Repo {
    repo: git2::Repository,
    root: PathBuf,
    /// Raw trees `entry_at` has read. The hook and a range look up several
    /// paths in the same commit (the registry, link targets, records), and
    /// libgit2's object cache is off: without this a folder of thousands
    /// of pages would be inflated again for every lookup.
    trees: RefCell<HashMap<git2::Oid, Rc<[u8]>>>,
}

/// An object id, opaque outside this module.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Oid(git2::Oid);

impl Oid {
    /// The first seven hex digits, as git shows a commit.
    pub fn short(&self) -> String {
        self.0.to_string()[..7].to_string()
    }
}

impl std::fmt::Display for Oid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What a tree or index entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    File,
    Symlink,
    Submodule,
    Dir,
}

impl Kind {
    fn from_mode(mode: u32) -> Kind {
        match mode & 0o170000 {
            0o120000 => Kind::Symlink,
            0o160000 => Kind::Submodule,
            0o040000 => Kind::Dir,
            _ => Kind::File,
        }
    }
}

/// One side of a change: the object and what kind of entry it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side {
    pub oid: Oid,
    pub kind: Kind,
}

/// One changed path, as git's raw diff reports it. A rename has both an
/// `old_path` and a `path`; an addition has no `old`, a deletion no `new`.
#[derive(Debug, Clone)]
pub struct Change {
    pub old_path: String,
    pub path: String,
    pub old: Option<Side>,
    pub new: Option<Side>,
}

/// A file in a tree, with its id, for reading later.
#[derive(Debug, Clone)]
pub struct TreeFile {
    pub path: String,
    pub side: Side,
}

/// Who made a commit, when, and its subject line.
pub struct Described {
    pub author: String,
    pub date: String,
    pub subject: String,
}

/// A commit of a range, oldest first.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    pub parents: Vec<Oid>,
    pub subject: String,
}

impl Repo {
    /// Finds the repository from `dir` the way git does, honouring `GIT_DIR`,
    /// `GIT_WORK_TREE` and `GIT_CEILING_DIRECTORIES`.
    pub fn discover(dir: &Path) -> Result<Repo> {
        static SETTINGS: std::sync::Once = std::sync::Once::new();
        SETTINGS.call_once(|| {
            // folio reads each object about once, so libgit2's object
            // cache only costs (it was a third of `folio history`'s walk);
            // and git itself does not rehash the objects it reads.
            git2::opts::enable_caching(false);
            git2::opts::strict_hash_verification(false);
        });
        let repo = git2::Repository::open_ext(
            dir,
            git2::RepositoryOpenFlags::FROM_ENV,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| match e.code() {
            git2::ErrorCode::NotFound => Error::NotARepository {
                searched: dir.to_path_buf(),
            },
            _ if e.message().contains("object format") || e.message().contains("extension") => {
                Error::Usage {
                    message: format!("folio cannot open this repository: {}", e.message()),
                    hint: "folio reads repositories with git's default format (SHA-1 object ids); this one was made with a newer format (`git init --object-format=sha256`, say)".to_string(),
                }
            }
            _ => git_error(e),
        })?;
        let root = repo
            .workdir()
            .ok_or_else(|| Error::Bare {
                path: repo.path().to_path_buf(),
            })?
            .to_path_buf();
        Ok(Repo {
            repo,
            root,
            trees: RefCell::default(),
        })
    }

    /// A string from git's configuration, such as `user.name`.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.repo
            .config()
            .ok()?
            .get_string(key)
            .ok()
            .filter(|s| !s.trim().is_empty())
    }

    /// The root of the working tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The commit `HEAD` points at; `None` on an unborn branch (a repository
    /// with no commits yet, whatever `init.defaultBranch` says).
    pub fn head(&self) -> Result<Option<Oid>> {
        match self.repo.head() {
            Ok(head) => Ok(Some(Oid(head.peel_to_commit().map_err(git_error)?.id()))),
            Err(e)
                if matches!(
                    e.code(),
                    git2::ErrorCode::UnbornBranch | git2::ErrorCode::NotFound
                ) =>
            {
                Ok(None)
            }
            Err(e) => Err(git_error(e)),
        }
    }

    /// The other parents of a merge being committed (`.git/MERGE_HEAD`).
    pub fn merge_heads(&self) -> Result<Vec<Oid>> {
        let text = match std::fs::read_to_string(self.repo.path().join("MERGE_HEAD")) {
            Ok(text) => text,
            Err(_) => return Ok(Vec::new()),
        };
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| git2::Oid::from_str(l.trim()).map(Oid).map_err(git_error))
            .collect()
    }

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
    ) -> Result<Vec<Change>> {
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
    ) -> Result<Vec<Change>> {
        let tree = match base {
            Some(commit) => Some(
                self.repo
                    .find_commit(commit.0)
                    .map_err(git_error)?
                    .tree_id(),
            ),
            None => None,
        };
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
        changes: &mut Vec<Change>,
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
            let path = String::from_utf8_lossy(entry_path).into_owned();
            changes.push(Change {
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
    fn gone(&self, prefix: &[u8], item: &TreeItem, changes: &mut Vec<Change>) -> Result<()> {
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
    fn plumbing_index_changes(&self, base: Option<Oid>) -> Result<Vec<Change>> {
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

    /// The changes a commit made relative to one of its parents (or, with
    /// `None`, relative to nothing: a root commit); renames not paired yet.
    pub fn commit_changes(&self, parent: Option<Oid>, commit: Oid) -> Result<Vec<Change>> {
        let tree_of = |id: Oid| {
            self.repo
                .find_commit(id.0)
                .and_then(|c| c.tree())
                .map_err(git_error)
        };
        let new_tree = tree_of(commit)?;
        let old_tree = parent.map(tree_of).transpose()?;
        let mut options = git2::DiffOptions::new();
        options.include_typechange(true);
        let diff = self
            .repo
            .diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))
            .map_err(git_error)?;
        let side = |file: git2::DiffFile| {
            (!file.id().is_zero()).then(|| Side {
                oid: Oid(file.id()),
                kind: Kind::from_mode(u32::from(file.mode())),
            })
        };
        let path = |file: &git2::DiffFile| {
            String::from_utf8_lossy(file.path_bytes().unwrap_or_default()).into_owned()
        };
        let changes = diff
            .deltas()
            .map(|d| Change {
                old_path: path(&d.old_file()),
                path: path(&d.new_file()),
                old: side(d.old_file()),
                new: side(d.new_file()),
            })
            .collect();
        Ok(changes)
    }

    /// Pairs each added file with the deleted file it most resembles, as a
    /// rename, when they share at least half their content (git's default
    /// threshold; identical files first). Only files `candidate` accepts are
    /// compared, so a large change of other files costs nothing. folio does
    /// this itself, for the staged change and for every commit alike, so
    /// the user's `diff.renames` cannot change the answer.
    pub fn pair_renames(
        &self,
        changes: &mut Vec<Change>,
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

    /// The id of the empty tree, computed, not written.
    fn empty_tree(&self) -> Result<Oid> {
        git2::Oid::hash_object(git2::ObjectType::Tree, b"")
            .map(Oid)
            .map_err(git_error)
    }

    /// The entry at `path` in a commit's tree, if any.
    pub fn entry_at(&self, commit: Oid, path: &str) -> Result<Option<Side>> {
        let mut tree = self
            .repo
            .find_commit(commit.0)
            .map_err(git_error)?
            .tree_id();
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
    fn tree_bytes(&self, id: git2::Oid) -> Result<Rc<[u8]>> {
        if let Some(bytes) = self.trees.borrow().get(&id) {
            return Ok(Rc::clone(bytes));
        }
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
    fn walk(&self, tree: git2::Oid, prefix: &str, files: &mut Vec<TreeFile>) -> Result<()> {
        let bytes = self.tree_bytes(tree)?;
        for item in tree_items(&bytes) {
            let path = format!("{prefix}/{}", String::from_utf8_lossy(item.name));
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

    /// A blob's bytes. A blob missing from the object store (a damaged or
    /// partial clone) is an error naming `path`.
    pub fn blob(&self, oid: Oid, path: &str) -> Result<Vec<u8>> {
        let blob = self
            .repo
            .find_blob(oid.0)
            .map_err(|e| Error::MissingObject {
                path: path.to_string(),
                oid: oid.to_string(),
                message: e.message().to_string(),
            })?;
        Ok(blob.content().to_vec())
    }

    /// Resolves a revision such as `origin/main` or `HEAD~3` to a commit.
    pub fn resolve(&self, rev: &str) -> Result<Oid> {
        let object = self.repo.revparse_single(rev).map_err(|e| Error::Usage {
            message: format!(
                "`{rev}` is not a revision of this repository: {}",
                e.message()
            ),
            hint: "name a branch, tag or commit, such as origin/main; in CI, fetch it first"
                .to_string(),
        })?;
        let commit = object.peel_to_commit().map_err(|_| Error::Usage {
            message: format!("`{rev}` does not name a commit"),
            hint: "name a branch, tag or commit".to_string(),
        })?;
        Ok(Oid(commit.id()))
    }

    /// The commits on `head` since its merge-base with `base`, oldest first:
    /// what a pull request from `head` into `base` contains.
    pub fn range(&self, base: Oid, head: Oid) -> Result<Vec<CommitInfo>> {
        let shallow = || Error::Shallow {
            needed: "needed for this range".to_string(),
            hint: format!(
                "the clone is shallow and its history does not reach the merge-base: {FETCH_HISTORY}"
            ),
        };
        let merge_base = match self.repo.merge_base(base.0, head.0) {
            Ok(oid) => oid,
            Err(_) if self.repo.is_shallow() => return Err(shallow()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => {
                return Err(Error::Usage {
                    message: format!(
                        "{} and {} have no common ancestor",
                        base.short(),
                        head.short()
                    ),
                    hint: "check that the range names the pull request's base branch and its head"
                        .to_string(),
                });
            }
            Err(e) => return Err(git_error(e)),
        };
        let mut walk = self.repo.revwalk().map_err(git_error)?;
        walk.push(head.0).map_err(git_error)?;
        walk.hide(merge_base).map_err(git_error)?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .map_err(git_error)?;
        let shallow_commits = self.shallow_commits();
        let mut commits = Vec::new();
        for id in walk {
            let id = id.map_err(git_error)?;
            if shallow_commits.contains(&id) {
                return Err(shallow());
            }
            commits.push(self.commit_info(Oid(id))?);
        }
        Ok(commits)
    }

    /// The commits whose parents a shallow clone does not have.
    fn shallow_commits(&self) -> Vec<git2::Oid> {
        std::fs::read_to_string(self.repo.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| git2::Oid::from_str(l.trim()).ok())
            .collect()
    }

    /// The commits from `head` back that changed `path`, newest first,
    /// through renames, up to the one that added it: see `walk`.
    pub fn touching(
        &self,
        head: Oid,
        path: &str,
        renamed_from: impl FnMut(Oid, Oid, &str) -> Result<Option<String>>,
    ) -> Result<Vec<Touch>> {
        walk::touching(self, head, path, renamed_from)
    }

    pub fn commit_info(&self, id: Oid) -> Result<CommitInfo> {
        let commit = self.repo.find_commit(id.0).map_err(git_error)?;
        Ok(CommitInfo {
            id,
            parents: commit.parent_ids().map(Oid).collect(),
            subject: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    }

    /// A commit's author name, date (`YYYY-MM-DD`, in the author's zone)
    /// and subject, as a history shows them.
    pub fn describe(&self, id: Oid) -> Result<Described> {
        let commit = self.repo.find_commit(id.0).map_err(git_error)?;
        let author = commit.author();
        let when = author.when();
        let date = chrono::DateTime::from_timestamp(
            when.seconds() + i64::from(when.offset_minutes()) * 60,
            0,
        )
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        Ok(Described {
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            date,
            subject: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    }

    /// The path of a file in the git directory as git resolves it, honouring
    /// `core.hooksPath` and linked worktrees (`git rev-parse --git-path`).
    pub fn git_path(&self, name: &str) -> Result<PathBuf> {
        let out = self.plumbing(&["rev-parse", "--git-path", name])?;
        let path = PathBuf::from(String::from_utf8_lossy(&out).trim_end_matches('\n'));
        Ok(if path.is_absolute() {
            path
        } else {
            self.root.join(path)
        })
    }

    /// Runs git plumbing in the working tree and returns its stdout.
    fn plumbing(&self, args: &[&str]) -> Result<Vec<u8>> {
        let out = Command::new("git")
            .args(args)
            .current_dir(&self.root)
            .output()
            .map_err(cannot_run_git)?;
        succeeded(out, &args.join(" "))
    }
}

/// One entry of a raw tree object, its mode and id decoded only when
/// asked for: a lookup in a folder of a thousand pages compares names.
#[derive(Clone, Copy)]
struct TreeItem<'a> {
    name: &'a [u8],
    /// Octal digits.
    octal_mode: &'a [u8],
    raw_id: &'a [u8; 20],
}

impl TreeItem<'_> {
    fn mode(&self) -> u32 {
        self.octal_mode
            .iter()
            .fold(0, |mode, digit| mode << 3 | u32::from(digit - b'0'))
    }

    fn id(&self) -> git2::Oid {
        git2::Oid::from_bytes(self.raw_id).expect("twenty bytes are an id")
    }

    fn is_dir(&self) -> bool {
        Kind::from_mode(self.mode()) == Kind::Dir
    }

    fn side(&self) -> Side {
        Side {
            oid: Oid(self.id()),
            kind: Kind::from_mode(self.mode()),
        }
    }
}

/// The entries of a raw tree object (`<octal mode> <name>\0<20-byte id>`,
/// repeated), in the order git keeps them; a damaged entry ends the list.
fn tree_items(data: &[u8]) -> impl Iterator<Item = TreeItem<'_>> {
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
fn tree_entry(data: &[u8], name: &[u8]) -> Option<(u32, git2::Oid)> {
    tree_items(data)
        .find(|t| t.name == name)
        .map(|t| (t.mode(), t.id()))
}

/// Where a tree entry sorts against a name, in git's tree order: a folder
/// sorts as its name followed by `/`.
fn tree_order(item: &TreeItem, name: &[u8], is_folder: bool) -> std::cmp::Ordering {
    let slash = |dir: bool| dir.then_some(&b'/');
    item.name
        .iter()
        .chain(slash(item.is_dir()))
        .cmp(name.iter().chain(slash(is_folder)))
}

fn cannot_run_git(e: std::io::Error) -> Error {
    Error::Git {
        message: format!("cannot run git: {e}"),
    }
}

fn succeeded(out: std::process::Output, command: &str) -> Result<Vec<u8>> {
    if !out.status.success() {
        return Err(Error::Git {
            message: format!(
                "`git {command}` failed: {}",
                String::from_utf8_lossy(&out.stderr).trim()
            ),
        });
    }
    Ok(out.stdout)
}

fn git_error(e: git2::Error) -> Error {
    Error::Git {
        message: e.message().to_string(),
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

fn deletion(path: String, old: Side) -> Change {
    Change {
        old_path: path.clone(),
        path,
        old: Some(old),
        new: None,
    }
}

fn join(prefix: &[u8], name: &[u8]) -> String {
    let mut path = prefix.to_vec();
    path.extend_from_slice(name);
    String::from_utf8_lossy(&path).into_owned()
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

/// Parses `--raw -z --no-renames` output:
/// `:oldmode newmode oldid newid status\0path\0` (folio pairs renames
/// itself, so git is never asked for them).
fn parse_raw_diff(out: &[u8]) -> Result<Vec<Change>> {
    let bad = || Error::Git {
        message: "unexpected output from git's raw diff".to_string(),
    };
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
        let path = String::from_utf8_lossy(fields.next().ok_or_else(bad)?).into_owned();
        changes.push(Change {
            old_path: path.clone(),
            path,
            old: side(old_mode, old_id)?,
            new: side(new_mode, new_id)?,
        });
    }
    Ok(changes)
}

/// Whether the `git commit` that runs this hook is `--amend`. Git does not
/// tell a pre-commit hook; on Linux the command line of the `git` process
/// above this one does. Elsewhere folio cannot tell and judges against
/// `HEAD`; `folio check --range` in CI is the backstop.
pub fn amend_in_progress() -> bool {
    let mut pid = std::process::id();
    for _ in 0..8 {
        let Some(parent) = parent_pid(pid) else {
            return false;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{parent}/cmdline")) else {
            return false;
        };
        let args: Vec<String> = cmdline
            .split(|&b| b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_git = args
            .first()
            .is_some_and(|a| Path::new(a).file_name().is_some_and(|n| n == "git"));
        if is_git {
            // The nearest git is the one running the hook.
            return args.iter().position(|a| a == "commit").is_some_and(|at| {
                args[at + 1..]
                    .iter()
                    .take_while(|a| *a != "--")
                    .any(|a| a == "--amend")
            });
        }
        if parent <= 1 {
            return false;
        }
        pid = parent;
    }
    false
}

fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
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

    /// Runs git in `dir` with nothing inherited but `PATH`, and returns
    /// its output. Each call is dated a minute after the one before, so
    /// commits are ordered by date as they were made.
    pub(super) fn git(dir: &Path, args: &[&str]) -> String {
        static CLOCK: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let tick = CLOCK.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let date = format!("{} +0000", 1_700_000_000 + tick * 60);
        let out = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    pub(super) fn write(dir: &Path, path: &str, text: &str) {
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn key(changes: Vec<Change>) -> Vec<String> {
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
        let repo = Repo::discover(d).unwrap();
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
