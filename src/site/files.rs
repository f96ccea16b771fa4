//! Where a site's files come from: the working tree, a commit's tree, or
//! the index as git will commit it. Each is a `Files`, so the same code
//! loads a site from any of them. Symbolic links and special files (pipes,
//! sockets, devices) are findings, never followed or read.

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::git::{Delta, Kind, Oid, Repo, Side, TreeFile};
use crate::site::par_map;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A file as read: its repository path and its bytes.
pub struct FileBytes {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The files under a folder, read, and findings about entries that could
/// not be read as files.
pub type Listing = (Vec<FileBytes>, Vec<Finding>);

/// Which files a listing wants, by repository path: the pages
/// (`PageSet::is_page`), or the records (`yaml`).
pub type Want<'a> = &'a (dyn Fn(&str) -> bool + Sync);

/// Whether a path is a YAML file, as records are.
pub fn yaml(path: &str) -> bool {
    path.ends_with(".yaml")
}

/// Where a whole site's files come from.
pub trait Files {
    /// The bytes of the file at a repository path, or `None` if there is
    /// no such file.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>>;

    /// Every file under `dir` that `want` wants, read, in path order, or
    /// `None` when there is no such folder. Names starting with `.` are
    /// skipped. Entries that cannot be read as such files (symbolic links,
    /// special or unreadable files) are findings.
    fn list(&self, dir: &str, want: Want) -> Result<Option<Listing>>;

    /// As `list`, reading no more than `max` + 1 bytes of a file where the
    /// source allows: a longer file is past the limit `max` sets, and is
    /// reported as such without being read whole.
    fn list_at_most(&self, dir: &str, want: Want, max: u64) -> Result<Option<Listing>> {
        let _ = max;
        self.list(dir, want)
    }

    /// The paths `list` would read and its findings, without reading
    /// the files where the source allows.
    fn list_paths(&self, dir: &str, want: Want) -> Result<Option<(Vec<String>, Vec<Finding>)>> {
        Ok(self
            .list(dir, want)?
            .map(|(files, findings)| (files.into_iter().map(|f| f.path).collect(), findings)))
    }

    /// The bytes of the file at `path`, no more than `max` + 1 of them
    /// where the source allows (see `list_at_most`).
    fn read_at_most(&self, path: &str, max: u64) -> Result<Option<Vec<u8>>> {
        let _ = max;
        self.read(path)
    }

    /// The paths `list` would read, in path order, without reading them.
    fn paths(&self, dir: &str, want: Want) -> Result<Vec<String>> {
        let (files, _) = self.list(dir, want)?.unwrap_or_default();
        Ok(files.into_iter().map(|f| f.path).collect())
    }
}

/// The working tree at `root`.
pub struct Worktree<'a> {
    pub root: &'a Path,
}

impl Files for Worktree<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let full = self.root.join(path);
        if std::fs::metadata(&full).is_ok_and(|m| !m.is_file()) {
            return Err(Error::config(format!("{path} is not a regular file"))
                .hint("replace it with the file folio expects there"));
        }
        match std::fs::read(full) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::read(path, source)),
        }
    }

    fn list(&self, dir: &str, want: Want) -> Result<Option<Listing>> {
        self.list_at_most(dir, want, u64::MAX - 1)
    }

    fn list_at_most(&self, dir: &str, want: Want, max: u64) -> Result<Option<Listing>> {
        let Some((files, mut findings)) = self.walked(dir, want) else {
            return Ok(None);
        };
        let read = par_map(&files, |(rel, abs)| (rel.clone(), read_at_most(abs, max)));
        let mut listed = Vec::new();
        for (path, bytes) in read {
            match bytes {
                Ok(bytes) => listed.push(FileBytes { path, bytes }),
                Err(e) => findings.push(Finding::error(
                    "unreadable",
                    &path,
                    format!("cannot read the file: {e}"),
                    "check the file's permissions",
                )),
            }
        }
        Ok(Some((listed, findings)))
    }

    fn list_paths(&self, dir: &str, want: Want) -> Result<Option<(Vec<String>, Vec<Finding>)>> {
        let Some((files, findings)) = self.walked(dir, want) else {
            return Ok(None);
        };
        Ok(Some((
            files.into_iter().map(|(rel, _)| rel).collect(),
            findings,
        )))
    }

    fn read_at_most(&self, path: &str, max: u64) -> Result<Option<Vec<u8>>> {
        let mut full = self.root.join(path);
        // A name that is not UTF-8 is spelt with `\xNN` (`path_text`).
        #[cfg(unix)]
        if path.contains("\\x") && std::fs::symlink_metadata(&full).is_err() {
            use std::os::unix::ffi::OsStrExt;
            let bytes = crate::text::path_bytes(path);
            full = self.root.join(std::ffi::OsStr::from_bytes(&bytes));
        }
        match read_at_most(&full, max) {
            Ok(bytes) => Ok(Some(bytes)),
            // Gone, a link (never followed), or no longer a file.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) if e.raw_os_error() == Some(libc::ELOOP) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::InvalidInput => Ok(None),
            Err(source) => Err(Error::read(path, source)),
        }
    }

    fn paths(&self, dir: &str, want: Want) -> Result<Vec<String>> {
        let mut files = Vec::new();
        walk(&self.root.join(dir), dir, want, &mut files, &mut Vec::new());
        Ok(files.into_iter().map(|(rel, _)| rel).collect())
    }
}

/// Files found by a walk, as `(repository path, file path)`, and findings.
type Walked = (Vec<(String, PathBuf)>, Vec<Finding>);

impl Worktree<'_> {
    /// The files under `dir` that `want` wants, as `(repository path, file
    /// path)`, and findings about entries that are not such files; `None`
    /// when there is no such folder.
    fn walked(&self, dir: &str, want: Want) -> Option<Walked> {
        let folder = self.root.join(dir);
        if !folder.is_dir() {
            return None;
        }
        let mut files = Vec::new();
        let mut findings = Vec::new();
        walk(&folder, dir, want, &mut files, &mut findings);
        Some((files, findings))
    }
}

/// A file's bytes, no more than `max` + 1 of them: a longer file is past
/// the limit and need not be read whole.
fn read_at_most(abs: &Path, max: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // A link put where a file was listed is not followed; nor is a pipe
    // waited on.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
    }
    let file = options.open(abs)?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a regular file",
        ));
    }
    let size = meta.len().min(max + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(max + 1).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Collects `(repository path, file path)` of every file under `dir` that
/// `want` wants, in sorted order. Symbolic links are reported
/// and never followed; names starting with `.` are skipped.
fn walk(
    dir: &Path,
    rel: &str,
    want: Want,
    files: &mut Vec<(String, PathBuf)>,
    findings: &mut Vec<Finding>,
) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).collect(),
        Err(e) => {
            findings.push(Finding::error(
                "unreadable",
                rel,
                format!("cannot read the folder: {e}"),
                "check the folder's permissions",
            ));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        #[cfg(unix)]
        let name = {
            use std::os::unix::ffi::OsStrExt;
            crate::text::path_text(entry.file_name().as_bytes())
        };
        #[cfg(not(unix))]
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel_path = format!("{rel}/{name}");
        // The directory entry's own type: a link is not followed.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            if want(&rel_path) || path.is_dir() {
                findings.push(symlink_finding(&rel_path));
            }
        } else if kind.is_dir() {
            // A submodule or a nested repository: its files are another
            // repository's, which git (and so the index and every commit)
            // does not hold here either.
            if path.join(".git").symlink_metadata().is_ok() {
                continue;
            }
            walk(&path, &rel_path, want, files, findings);
        } else if want(&rel_path) {
            if kind.is_file() {
                files.push((rel_path, path));
            } else {
                // Reading a named pipe would wait forever.
                findings.push(not_a_file(&rel_path));
            }
        }
    }
}

/// A pipe, socket or device where a page or record should be.
fn not_a_file(path: &str) -> Finding {
    Finding::error(
        "unreadable",
        path,
        "this is not a regular file (a named pipe, socket or device)",
        "move it out of the folder; folio reads only regular files",
    )
}

/// A symbolic link where a page (or a folder of pages) should be.
pub fn symlink_finding(path: &str) -> Finding {
    Finding::error(
        "symlink",
        path,
        "this is a symbolic link; folio does not follow links",
        "replace the link with the page (or folder) itself",
    )
}

/// The tree of a commit; with no commit, the empty tree (what there was
/// before a repository's first commit).
pub struct Commit<'r> {
    pub repo: &'r Repo,
    pub commit: Option<Oid>,
}

impl Commit<'_> {
    pub fn entry(&self, path: &str) -> Result<Option<Side>> {
        match self.commit {
            Some(commit) => self.repo.entry_at(commit, path),
            None => Ok(None),
        }
    }

    fn files_under(&self, dir: &str) -> Result<Vec<TreeFile>> {
        match self.commit {
            Some(commit) => self.repo.files_under(commit, dir),
            None => Ok(Vec::new()),
        }
    }
}

impl Files for Commit<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        read_entry(self.repo, self.entry(path)?, path)
    }

    fn list(&self, dir: &str, want: Want) -> Result<Option<Listing>> {
        if self.entry(dir)?.is_none_or(|e| e.kind != Kind::Dir) {
            return Ok(None);
        }
        let files = self.files_under(dir)?;
        list_entries(self.repo, dir, want, files).map(Some)
    }

    fn paths(&self, dir: &str, want: Want) -> Result<Vec<String>> {
        Ok(file_paths(dir, want, self.files_under(dir)?))
    }
}

/// The index as git will commit it: the base commit's tree with the staged
/// deltas applied.
pub struct Staged<'r> {
    pub base: Commit<'r>,
    /// What the index holds at each path a delta touches (`None`: nothing,
    /// the file was deleted or renamed away).
    staged: HashMap<String, Option<Side>>,
}

impl<'r> Staged<'r> {
    pub fn new(repo: &'r Repo, base: Option<Oid>, deltas: &[Delta]) -> Staged<'r> {
        let mut staged = HashMap::with_capacity(deltas.len());
        for delta in deltas {
            staged.insert(delta.path.clone(), delta.new);
        }
        for delta in deltas.iter().filter(|d| d.old.is_some()) {
            // A copy keeps its source; a deletion or rename does not.
            staged.entry(delta.old_path.clone()).or_insert(None);
        }
        Staged {
            base: Commit { repo, commit: base },
            staged,
        }
    }

    /// The staged entry at `path`, if there is one.
    pub fn entry(&self, path: &str) -> Result<Option<Side>> {
        match self.staged.get(path) {
            Some(side) => Ok(*side),
            None => self.base.entry(path),
        }
    }

    /// Whether the staged change adds, edits, removes or renames `path`.
    pub fn touches(&self, path: &str) -> bool {
        self.staged.contains_key(path)
    }
}

impl Staged<'_> {
    /// The entries under `dir` as the index holds them, in path order.
    fn files_under(&self, dir: &str) -> Result<Vec<TreeFile>> {
        let prefix = format!("{dir}/");
        let mut files: Vec<TreeFile> = self
            .base
            .files_under(dir)?
            .into_iter()
            .filter(|f| !self.touches(&f.path))
            .collect();
        files.extend(self.staged.iter().filter_map(|(path, side)| {
            let side = (*side)?;
            path.starts_with(&prefix).then(|| TreeFile {
                path: path.clone(),
                side,
            })
        }));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(files)
    }
}

impl Files for Staged<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        read_entry(self.base.repo, self.entry(path)?, path)
    }

    fn list(&self, dir: &str, want: Want) -> Result<Option<Listing>> {
        let files = self.files_under(dir)?;
        if files.is_empty() && self.entry(dir)?.is_none_or(|e| e.kind != Kind::Dir) {
            return Ok(None);
        }
        list_entries(self.base.repo, dir, want, files).map(Some)
    }

    fn paths(&self, dir: &str, want: Want) -> Result<Vec<String>> {
        Ok(file_paths(dir, want, self.files_under(dir)?))
    }
}

/// The paths of the regular files among tree entries that `list_entries`
/// would read.
fn file_paths(dir: &str, want: Want, entries: Vec<TreeFile>) -> Vec<String> {
    entries
        .into_iter()
        .filter(|f| f.side.kind == Kind::File && listed(dir, &f.path, want))
        .map(|f| f.path)
        .collect()
}

/// Whether a file under `dir` is one a listing includes: `want` wants it,
/// and no part of its path under `dir` starts with `.`.
fn listed(dir: &str, path: &str, want: Want) -> bool {
    want(path)
        && !path[dir.len()..]
            .split('/')
            .any(|part| part.starts_with('.'))
}

/// The bytes of a tree or index entry, if it is a file.
fn read_entry(repo: &Repo, side: Option<Side>, path: &str) -> Result<Option<Vec<u8>>> {
    match side {
        Some(side) if side.kind == Kind::File => Ok(Some(repo.blob(side.oid, path)?)),
        _ => Ok(None),
    }
}

/// The files of a listing of tree entries under `dir`, read.
fn list_entries(repo: &Repo, dir: &str, want: Want, entries: Vec<TreeFile>) -> Result<Listing> {
    let mut files = Vec::new();
    let mut findings = Vec::new();
    for file in entries {
        if !listed(dir, &file.path, want) {
            continue;
        }
        match file.side.kind {
            Kind::Symlink => findings.push(symlink_finding(&file.path)),
            Kind::File => files.push(FileBytes {
                bytes: repo.blob(file.side.oid, &file.path)?,
                path: file.path,
            }),
            _ => {}
        }
    }
    Ok((files, findings))
}
