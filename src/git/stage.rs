//! Staging what folio writes, so that the editor's next `git commit -am`
//! commits it: `git add`, run by git itself, so that its filters, its lock
//! and its index formats are its own. Only the editor's commands stage;
//! the hook never writes the index.

use super::{Repo, git_error};
use crate::error::Result;

impl Repo {
    /// Whether the working tree's `path` differs from what is staged for
    /// it (or is not tracked at all): a change of the user's that staging
    /// the file would sweep in.
    pub fn has_unstaged_change(&self, path: &str) -> Result<bool> {
        let status = match self.repo.status_file(std::path::Path::new(path)) {
            Ok(status) => status,
            Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(true),
            Err(e) => return Err(git_error(e)),
        };
        Ok(status.intersects(
            git2::Status::WT_NEW
                | git2::Status::WT_MODIFIED
                | git2::Status::WT_TYPECHANGE
                | git2::Status::WT_DELETED
                | git2::Status::WT_RENAMED,
        ))
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
