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
    pub fn stage(&self, paths: &[&str]) -> Result<()> {
        if paths.is_empty() {
            return Ok(());
        }
        let mut args = vec!["add", "--"];
        args.extend_from_slice(paths);
        self.plumbing(&args).map(drop)
    }
}
