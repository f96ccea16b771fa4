//! Why a command could not run (exit 2), as opposed to what it found
//! (findings, exit 1). Every error has a kind, a message, a hint that says
//! what to do about it and, where it has one, the file, line and column it
//! is about. Build one with a constructor and `.hint(...)`:
//!
//! ```text
//! Error::usage(format!("`{name}` is not a state")).hint("the states are ...")
//! ```
//!
//! The printer (`output`) shows the location, the message and the hint;
//! every kind exits with 2.

/// Whose problem an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The user asked for something that cannot be done: a bad argument,
    /// a page that is not there, a folder that is not a repository.
    Usage,
    /// Something in the repository stops folio: a malformed policy,
    /// registry or template, a missing object, a shallow clone, a file
    /// that cannot be read or written.
    Config,
    /// folio (or a library under it) went wrong: please report it.
    Bug,
}

/// The file, line and column an error is about (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: String,
    pub line: usize,
    pub column: usize,
}

#[derive(Debug)]
pub struct Error {
    kind: Kind,
    message: String,
    hint: Option<String>,
    location: Option<Location>,
}

impl Error {
    fn new(kind: Kind, message: impl Into<String>) -> Error {
        Error {
            kind,
            message: message.into(),
            hint: None,
            location: None,
        }
    }

    /// The user's mistake.
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(Kind::Usage, message)
    }

    /// A problem with the repository or a file in it.
    pub fn config(message: impl Into<String>) -> Error {
        Error::new(Kind::Config, message)
    }

    /// A bug: folio cannot go on and the user cannot fix it.
    pub fn bug(message: impl Into<String>) -> Error {
        Error::new(Kind::Bug, message)
    }

    /// A file that cannot be read.
    pub fn read(path: &str, source: std::io::Error) -> Error {
        Error::config(format!("cannot read {path}: {source}"))
            .hint("check that the file exists and that you may read it")
    }

    /// A file that cannot be written.
    pub fn write(path: &str, source: std::io::Error) -> Error {
        use std::io::ErrorKind;
        let hint = match source.kind() {
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded => {
                "free some space on the disk, then run the command again"
            }
            ErrorKind::PermissionDenied | ErrorKind::ReadOnlyFilesystem => {
                "you may not write there: check the permissions of the file and its folder"
            }
            ErrorKind::AlreadyExists | ErrorKind::NotADirectory => {
                "a file stands where a folder on its path should be: move it away"
            }
            ErrorKind::InvalidFilename => "choose a shorter name",
            _ => "check that its folder exists and that you may write there",
        };
        Error::config(format!("cannot write {path}: {source}")).hint(hint)
    }

    /// Says what to do about it.
    pub fn hint(mut self, hint: impl Into<String>) -> Error {
        self.hint = Some(hint.into());
        self
    }

    /// Points the error at a line and column of a file.
    pub fn at(mut self, path: impl Into<String>, line: usize, column: usize) -> Error {
        self.location = Some(Location {
            path: path.into(),
            line,
            column,
        });
        self
    }

    pub fn kind(&self) -> Kind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    pub fn location(&self) -> Option<&Location> {
        self.location.as_ref()
    }

    /// What to do about it: the hint given, else what suits the kind.
    pub fn hint_text(&self) -> &str {
        match (&self.hint, self.kind) {
            (Some(hint), _) => hint,
            (None, Kind::Bug) => {
                "this is a bug in folio; please report it with the command you ran"
            }
            (None, Kind::Config) => "fix the file named above, then run the command again",
            (None, Kind::Usage) => "see `folio --help`",
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;
