//! The only user of git2. `Repo` wraps a repository with the verbs folio
//! needs; everything else asks it, never git2.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

pub struct Repo {
    root: PathBuf,
}

impl Repo {
    /// Finds the repository from `dir` the way git does, honouring `GIT_DIR`,
    /// `GIT_WORK_TREE` and `GIT_CEILING_DIRECTORIES`.
    pub fn discover(dir: &Path) -> Result<Repo> {
        let repo = git2::Repository::open_ext(
            dir,
            git2::RepositoryOpenFlags::FROM_ENV,
            std::iter::empty::<&std::ffi::OsStr>(),
        )
        .map_err(|e| match e.code() {
            git2::ErrorCode::NotFound => Error::NotARepository {
                searched: dir.to_path_buf(),
            },
            _ => Error::Git {
                message: e.message().to_string(),
            },
        })?;
        let root = repo
            .workdir()
            .ok_or_else(|| Error::Bare {
                path: repo.path().to_path_buf(),
            })?
            .to_path_buf();
        Ok(Repo { root })
    }

    /// The root of the working tree.
    pub fn root(&self) -> &Path {
        &self.root
    }
}
