//! Why a command could not run (exit 2), as opposed to what it found
//! (findings, exit 1). Each error knows where it points and how to fix it;
//! `main` prints them.

use crate::policy::PolicyError;
use crate::registry::RegistryError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", error.message)]
    Policy { path: String, error: PolicyError },
    #[error("{}", error.message)]
    Registry { path: String, error: RegistryError },
    #[error("not inside a git repository (searched from {})", searched.display())]
    NotARepository { searched: PathBuf },
    #[error("the repository at {} has no working tree", path.display())]
    Bare { path: PathBuf },
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("git: {message}")]
    Git { message: String },
    #[error("the object {oid} for {path} is missing from the repository: {message}")]
    MissingObject {
        path: String,
        oid: String,
        message: String,
    },
    #[error("the history {needed} is not in this clone")]
    Shallow { needed: String, hint: String },
    #[error("{message}")]
    Usage { message: String, hint: String },
}

impl Error {
    /// The file, line and column the error is about, if any.
    pub fn location(&self) -> Option<(&str, usize, usize)> {
        match self {
            Error::Policy { path, error } => Some((path, error.line, error.column)),
            Error::Registry { path, error } => Some((path, error.line, error.column)),
            _ => None,
        }
    }

    pub fn hint(&self) -> String {
        match self {
            Error::Policy { error, .. } => error.hint.clone(),
            Error::Registry { .. } => "the registry is a YAML list of sources: `- id: ...` with title, url, kind and accessed".to_string(),
            Error::NotARepository { .. } => "run folio inside your site's git repository (or `git init` one first)".to_string(),
            Error::Bare { .. } => "run folio in a clone with a working tree".to_string(),
            Error::Io { .. } => "check that the file exists and that you may read it".to_string(),
            Error::Git { .. } => "this looks like a bug or a damaged repository; please report it with the command you ran".to_string(),
            Error::MissingObject { .. } => "the clone is damaged or partial: run `git fsck`, or fetch the missing objects (`git fetch --refetch`)".to_string(),
            Error::Shallow { hint, .. } => hint.clone(),
            Error::Usage { hint, .. } => hint.clone(),
        }
    }
}

pub type Result<T> = std::result::Result<T, Error>;
