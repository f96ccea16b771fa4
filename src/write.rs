//! The only way folio writes a file: a temporary file, flushed and synced,
//! then linked or renamed into place, so a reader (or a crash) never sees
//! half a file. The temporary file is made in a folder of folio's own in
//! the git directory when one is given (so a crash leaves nothing in the
//! working tree for `git status` to show), else, or when that folder is on
//! another file system, beside the file.

use std::io::Write;
use std::path::Path;

/// The first of `rel`'s folders under `root`, or `rel` itself, that is a
/// symbolic link: a write through it could land outside the repository
/// (a link can arrive in a commit). Folders that do not exist yet are not
/// links, and neither is anything below them.
pub fn symlink_on_path(root: &Path, rel: &str) -> Option<String> {
    let mut prefix = String::new();
    for name in rel.split('/').filter(|n| !n.is_empty()) {
        if !prefix.is_empty() {
            prefix.push('/');
        }
        prefix.push_str(name);
        match std::fs::symlink_metadata(root.join(&prefix)) {
            Ok(meta) if meta.file_type().is_symlink() => return Some(prefix),
            Ok(_) => {}
            Err(_) => return None,
        }
    }
    None
}

/// Whether a folder of folio's in the git directory (a cache) is there as
/// a folder (made if missing), not a link that would send writes
/// elsewhere.
pub fn usable_folder(dir: &Path) -> bool {
    match std::fs::symlink_metadata(dir) {
        Ok(meta) => meta.is_dir(),
        Err(_) => std::fs::create_dir(dir).is_ok(),
    }
}

/// Removes the files of `dir` that `counted` accepts (by name), past the
/// `keep` written most recently: a cache folder's upkeep.
pub fn keep_newest(dir: &Path, keep: usize, counted: impl Fn(&str) -> bool) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut files: Vec<(std::time::SystemTime, std::path::PathBuf)> = entries
        .flatten()
        .filter(|e| counted(&e.file_name().to_string_lossy()))
        .filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
        .collect();
    if files.len() <= keep {
        return;
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, old) in &files[keep..] {
        let _ = std::fs::remove_file(old);
    }
}

/// Replaces (or creates) `path` with `bytes` and the given permissions,
/// atomically: readers see the old file or the new one, never a mix. The
/// new file keeps the old one's owner and group; where it cannot (the file
/// belongs to another user), nothing is replaced. Temporary files go in
/// `temps` when given (see the module comment).
pub fn replace(path: &Path, bytes: &[u8], mode: u32, temps: Option<&Path>) -> std::io::Result<()> {
    through_temp(path, bytes, mode, temps, |tmp| {
        keep_owner(path, &tmp)?;
        tmp.persist(path).map(|_| ()).map_err(|e| e.error)
    })
}

/// Writes `bytes` to a temporary file in `temps` (or beside `path`), and
/// has `place` put it at `path`; when `temps` is on another file system
/// than `path`, once more from beside `path`.
fn through_temp<T>(
    path: &Path,
    bytes: &[u8],
    mode: u32,
    temps: Option<&Path>,
    place: impl Fn(tempfile::NamedTempFile) -> std::io::Result<T>,
) -> std::io::Result<T> {
    let folder = folder_of(path)?;
    if let Some(dir) = temps {
        match place(temp_in(dir, bytes, mode)?) {
            Err(e) if e.kind() == std::io::ErrorKind::CrossesDevices => {}
            done => return done,
        }
    }
    place(temp_in(folder, bytes, mode)?)
}

/// Gives the temporary file `tmp` the owner and group of the file at
/// `path`, if there is one and they differ.
fn keep_owner(path: &Path, tmp: &tempfile::NamedTempFile) -> std::io::Result<()> {
    #[cfg(unix)]
    if let Ok(old) = std::fs::metadata(path) {
        use std::os::unix::fs::MetadataExt;
        let new = tmp.as_file().metadata()?;
        if (old.uid(), old.gid()) != (new.uid(), new.gid()) {
            std::os::unix::fs::fchown(tmp.as_file(), Some(old.uid()), Some(old.gid())).map_err(
                |e| {
                    std::io::Error::new(
                        e.kind(),
                        format!(
                            "it belongs to user {} (group {}), and folio cannot give the new file that owner: {e}",
                            old.uid(),
                            old.gid()
                        ),
                    )
                },
            )?;
        }
    }
    #[cfg(not(unix))]
    let _ = (path, tmp);
    Ok(())
}

/// Whether the file at `path` is read-only (no write permission for
/// anyone): folio then leaves it alone, whoever runs it.
pub fn read_only(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o222 == 0)
    }
    #[cfg(not(unix))]
    {
        std::fs::metadata(path).is_ok_and(|m| m.permissions().readonly())
    }
}

/// `path`'s folder, made if it is not there.
fn folder_of(path: &Path) -> std::io::Result<&Path> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    Ok(dir)
}

/// A synced temporary file in `dir` holding `bytes`.
fn temp_in(dir: &Path, bytes: &[u8], mode: u32) -> std::io::Result<tempfile::NamedTempFile> {
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(TEMP_PREFIX)
        .suffix(".tmp")
        .tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    // tempfile creates files 0600; give the file the permissions it is meant to have.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    tmp.as_file().sync_all()?;
    Ok(tmp)
}

/// How folio's temporary files are named: `.folio-XXXXXX.tmp`.
pub const TEMP_PREFIX: &str = ".folio-";

/// Writes `bytes` to `path` only if nothing is there yet. Returns `false`
/// (and writes nothing) when the path already exists. Temporary files go
/// in `temps` when given.
pub fn create_new(path: &Path, bytes: &[u8], temps: Option<&Path>) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    through_temp(path, bytes, 0o644, temps, |tmp| {
        match tmp.persist_noclobber(path) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e.error),
        }
    })
}

/// A file's permission bits, for the file that replaces it (`0o644` when
/// they cannot be read).
pub fn permissions(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o644
    }
}
