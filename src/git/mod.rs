//! The only user of git2, and the only place that runs the `git` binary.
//! `Repo` wraps a repository with the verbs folio needs, one file per
//! concern:
//!
//! - this file: opening a repository, object ids, blobs, `HEAD`, config;
//! - `tree`: raw tree objects, the entry at a path, the files under a folder;
//! - `index` and `staged`: what is staged, from git's index file (the
//!   hook's fast path) or, for an index that reader leaves alone, from
//!   `git diff-index`;
//! - `commits`: revisions, ranges and merge-bases, what a commit changed,
//!   who made it;
//! - `renames`: pairing a deleted and an added file as a rename, folio's
//!   own way, whatever the user's `diff.renames` says;
//! - `walk` and `graph`: the commits that changed one path, walked
//!   in-process, with git's commit-graph when there is one; `timeline`:
//!   the same for many paths in one walk;
//! - `kept`: facts about objects kept in `.git/folio-history/` for the
//!   next run;
//! - `batch`: git plumbing read as it comes, and many blobs read at once
//!   by `git cat-file --batch`;
//! - `amend`: whether the `git commit` running the hook is `--amend`;
//! - `stage`: staging what the editor's commands write (`git add`).
//!
//! Paths are bytes in git; folio shows them decoded lossily, and a name that
//! is not UTF-8 is never a valid page id.

use crate::error::{Error, Result};
use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::rc::Rc;

mod amend;
mod batch;
mod commits;
mod graph;
mod index;
mod kept;
mod loose;
mod renames;
mod stage;
mod staged;
mod timeline;
mod tree;
mod walk;

pub use amend::amend_in_progress;
pub use batch::{Blob, Blobs};
pub use kept::Kept;
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
    /// The root tree of each commit looked up so far: a review looks up
    /// paths in the same two commits thousands of times.
    roots: RefCell<HashMap<git2::Oid, git2::Oid>>,
    /// Checks loose objects before libgit2 reads them (`loose.rs`).
    loose: loose::Guard,
    /// Opened by `open`: git's environment, and the user's and the
    /// system's git config, are not read, nor passed to git plumbing.
    sealed: bool,
}

/// A repository to open again (see `Repo::reopener`).
pub struct Reopen {
    git_dir: PathBuf,
    root: PathBuf,
    sealed: bool,
}

impl Reopen {
    /// The repository, opened as it was the first time.
    pub fn open(self) -> Result<Repo> {
        let repo = git2::Repository::open_ext(
            &self.git_dir,
            git2::RepositoryOpenFlags::NO_SEARCH,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(git_error)?;
        repo.set_workdir(&self.root, false).map_err(git_error)?;
        let objects = repo.commondir().join("objects");
        Ok(Repo {
            repo,
            root: self.root,
            trees: RefCell::default(),
            roots: RefCell::default(),
            loose: loose::Guard::new(objects),
            sealed: self.sealed,
        })
    }
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

/// One side of a delta: the object and what kind of entry it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Side {
    pub oid: Oid,
    pub kind: Kind,
}

/// One changed path between two trees (or a tree and the index). A rename
/// has both an `old_path` and a `path`; an addition has no `old`, a
/// deletion no `new`.
#[derive(Debug, Clone)]
pub struct Delta {
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

/// The error for the blob `oid` of the file at `path`, which the object
/// store does not have (`why`, as git or libgit2 said it).
fn missing(oid: Oid, path: &str, why: &str) -> Error {
    Error::config(format!(
        "the object {oid} for {path} is missing from the repository: {why}"
    ))
    .hint("the clone is damaged or partial: run `git fsck`, or fetch the missing objects (`git fetch --refetch`)")
}

impl Repo {
    /// Finds the repository from the current folder `cwd` the way git
    /// does, honouring `GIT_DIR`, `GIT_WORK_TREE`, `core.worktree` and
    /// `GIT_CEILING_DIRECTORIES`: what the command line opens. (libgit2
    /// reads `GIT_DIR` only when given no folder to start from.)
    pub fn discover(cwd: &Path) -> Result<Repo> {
        Repo::open_with(cwd, git2::RepositoryOpenFlags::FROM_ENV, false)
    }

    /// Opens the repository whose working tree is `dir`, sealed from its
    /// surroundings: git's environment (`GIT_DIR`, `GIT_INDEX_FILE`, ...)
    /// and the user's and the system's git config are neither read nor
    /// handed to the git plumbing folio runs; only the repository's own
    /// config counts. What a test opens, so that a test run from inside a
    /// hook never reads the outer repository.
    pub fn open(dir: &Path) -> Result<Repo> {
        Repo::open_with(dir, git2::RepositoryOpenFlags::NO_SEARCH, true)
    }

    fn open_with(dir: &Path, flags: git2::RepositoryOpenFlags, sealed: bool) -> Result<Repo> {
        static SETTINGS: std::sync::Once = std::sync::Once::new();
        SETTINGS.call_once(|| {
            // folio reads each object about once, so libgit2's object
            // cache only costs (it was a third of `folio history`'s walk);
            // and git itself does not rehash the objects it reads.
            git2::opts::enable_caching(false);
            git2::opts::strict_hash_verification(false);
        });
        let opened = if flags.contains(git2::RepositoryOpenFlags::FROM_ENV) {
            git2::Repository::open_from_env()
        } else {
            git2::Repository::open_ext(dir, flags, std::iter::empty::<&std::ffi::OsStr>())
        };
        let repo =
            opened
                .map_err(|e| match e.code() {
                    git2::ErrorCode::NotFound => Error::usage(format!(
                        "not inside a git repository (searched from {})",
                        dir.display()
                    ))
                    .hint("run folio inside your site's git repository (or `git init` one first)"),
                    _ if e.message().contains("object format")
                        || e.message().contains("extension") =>
                    {
                        Error::config(format!("folio cannot open this repository: {}", e.message()))
                            .hint("folio reads repositories with git's default format (SHA-1 object ids); this one was made with a newer format (`git init --object-format=sha256`, say)")
                    }
                    _ => git_error(e),
                })?;
        // `GIT_WORK_TREE` gives a bare repository its working tree, as git
        // lets it; libgit2 reads it only for a repository that is not bare.
        if !sealed && repo.workdir().is_none() {
            if let Some(tree) = std::env::var_os("GIT_WORK_TREE").filter(|t| !t.is_empty()) {
                repo.set_workdir(&dir.join(tree), false)
                    .map_err(git_error)?;
            }
        }
        let root = repo
            .workdir()
            .ok_or_else(|| {
                Error::usage(format!(
                    "the repository at {} has no working tree",
                    repo.path().display()
                ))
                .hint("run folio in a clone with a working tree")
            })?
            .to_path_buf();
        let objects = repo.commondir().join("objects");
        Ok(Repo {
            repo,
            root,
            trees: RefCell::default(),
            roots: RefCell::default(),
            loose: loose::Guard::new(objects),
            sealed,
        })
    }

    /// What opens this repository again, on another thread: a `Repo` is
    /// used by one thread only.
    pub fn reopener(&self) -> Reopen {
        Reopen {
            git_dir: self.repo.path().to_path_buf(),
            root: self.root.clone(),
            sealed: self.sealed,
        }
    }

    /// The configuration git would read here (only the repository's own
    /// when sealed).
    fn config(&self) -> Option<git2::Config> {
        let config = self.repo.config().ok()?;
        if self.sealed {
            config.open_level(git2::ConfigLevel::Local).ok()
        } else {
            Some(config)
        }
    }

    /// A string from git's configuration, such as `user.name`.
    pub fn config_string(&self, key: &str) -> Option<String> {
        self.config()?
            .get_string(key)
            .ok()
            .filter(|s| !s.trim().is_empty())
    }

    /// The root of the working tree.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The git directory the repository's worktrees share (`.git`).
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// The commit `HEAD` points at; `None` on an unborn branch (a repository
    /// with no commits yet, whatever `init.defaultBranch` says).
    pub fn head(&self) -> Result<Option<Oid>> {
        match self.repo.head() {
            Ok(head) => {
                if let Some(id) = head.target() {
                    self.loose.check(id)?;
                }
                Ok(Some(Oid(head.peel_to_commit().map_err(git_error)?.id())))
            }
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

    /// A blob's bytes, read raw (without libgit2's object lookup). A blob
    /// missing from the object store (a damaged or partial clone) is an
    /// error naming `path`.
    pub fn blob(&self, oid: Oid, path: &str) -> Result<Vec<u8>> {
        self.loose.check(oid.0)?;
        let odb = self.repo.odb().map_err(git_error)?;
        let blob = odb
            .read(oid.0)
            .map_err(|e| missing(oid, path, e.message()))?;
        Ok(blob.data().to_vec())
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

    /// git, to run in the working tree; for a repository opened with
    /// `open`, with nothing of git's environment or of the user's and
    /// system's config.
    pub(super) fn command(&self, args: &[&str]) -> Command {
        let mut git = Command::new("git");
        git.args(args).current_dir(&self.root);
        if self.sealed {
            for (name, _) in std::env::vars_os() {
                if name.to_string_lossy().starts_with("GIT_") {
                    git.env_remove(name);
                }
            }
            git.env("GIT_CONFIG_GLOBAL", "/dev/null")
                .env("GIT_CONFIG_NOSYSTEM", "1");
        }
        git
    }

    /// Runs git plumbing in the working tree and returns its stdout.
    fn plumbing(&self, args: &[&str]) -> Result<Vec<u8>> {
        let out = self
            .command(args)
            .output()
            .map_err(|e| git_bug(format!("cannot run git: {e}")))?;
        if !out.status.success() {
            return Err(git_bug(format!(
                "`git {}` failed: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr).trim()
            )));
        }
        Ok(out.stdout)
    }
}

/// What git or libgit2 could not do, which folio did not expect.
fn git_bug(message: String) -> Error {
    Error::bug(format!("git: {message}")).hint(
        "this looks like a bug or a damaged repository; please report it with the command you ran",
    )
}

fn git_error(e: git2::Error) -> Error {
    git_bug(e.message().to_string())
}

/// History that a shallow clone does not have.
fn shallow(needed: &str, why: &str) -> Error {
    Error::config(format!("the history {needed} is not in this clone"))
        .hint(format!("{why}: {FETCH_HISTORY}"))
}

/// Sealed helpers for the tests of this module's parts: git with nothing
/// inherited, and files written into a test repository.
#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

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
}
