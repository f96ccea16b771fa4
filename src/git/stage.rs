//! Staging what folio writes, so that the editor's next `git commit -am`
//! commits it: `git add`, run by git itself, so that its filters, its lock
//! and its index formats are its own. Only the editor's commands stage;
//! the hook never writes the index.

use super::{Repo, git_error};
use crate::error::Result;
use std::collections::HashSet;

impl Repo {
    /// Which of `paths` have a change in the working tree that is not
    /// staged (or are not tracked at all): changes of the user's that
    /// staging them would sweep in. One status walk for all of them.
    pub fn unstaged_changes(&self, paths: &[&str]) -> Result<HashSet<String>> {
        if paths.is_empty() {
            return Ok(HashSet::new());
        }
        let mut options = git2::StatusOptions::new();
        options
            .include_untracked(true)
            .recurse_untracked_dirs(true)
            .disable_pathspec_match(true)
            .exclude_submodules(true);
        for path in paths {
            options.pathspec(path);
        }
        let statuses = self.repo.statuses(Some(&mut options)).map_err(git_error)?;
        let unstaged = git2::Status::WT_NEW
            | git2::Status::WT_MODIFIED
            | git2::Status::WT_TYPECHANGE
            | git2::Status::WT_DELETED
            | git2::Status::WT_RENAMED;
        Ok(statuses
            .iter()
            .filter(|entry| entry.status().intersects(unstaged))
            .filter_map(|entry| entry.path().ok().map(str::to_string))
            .collect())
    }

    /// Stages `paths` as they are in the working tree.
    pub fn stage(&self, paths: &[String]) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut args = vec!["add", "--"];
        args.extend(paths.iter().map(String::as_str));
        self.plumbing(&args).map(drop)
    }

    /// Whether git tracks `path` (it is in the index).
    pub fn is_tracked(&self, path: &str) -> Result<bool> {
        let index = self.repo.index().map_err(git_error)?;
        Ok(index.get_path(std::path::Path::new(path), 0).is_some())
    }

    /// Moves a file in the working tree, and in the index when git tracks
    /// it (`git mv`, which keeps what is staged and what is not apart).
    /// The destination's folder is made if needed.
    pub fn move_file(&self, from: &str, to: &str) -> Result<()> {
        let target = self.root.join(to);
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| crate::error::Error::write(to, e))?;
        }
        if self.is_tracked(from)? {
            self.plumbing(&["mv", "--", from, to]).map(drop)
        } else {
            std::fs::rename(self.root.join(from), &target)
                .map_err(|e| crate::error::Error::write(to, e))
        }
    }

    /// Where folio's lock is: in the git directory, beside git's own.
    pub fn lock_path(&self) -> std::path::PathBuf {
        self.repo.path().join("folio.lock")
    }
}
