//! The only way folio writes a file: a temporary file in the same folder,
//! flushed and synced, then linked or renamed into place, so a reader (or a
//! crash) never sees half a file.

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

/// Replaces (or creates) `path` with `bytes` and the given permissions,
/// atomically: readers see the old file or the new one, never a mix. The
/// new file keeps the old one's owner and group; where it cannot (the file
/// belongs to another user), nothing is replaced.
pub fn replace(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<()> {
    let tmp = temp_beside(path, bytes, mode)?;
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
    tmp.persist(path).map_err(|e| e.error)?;
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

/// A synced temporary file in `path`'s folder holding `bytes`.
fn temp_beside(path: &Path, bytes: &[u8], mode: u32) -> std::io::Result<tempfile::NamedTempFile> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".folio-")
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

/// Writes `bytes` to `path` only if nothing is there yet. Returns `false`
/// (and writes nothing) when the path already exists.
pub fn create_new(path: &Path, bytes: &[u8]) -> std::io::Result<bool> {
    if std::fs::symlink_metadata(path).is_ok() {
        return Ok(false);
    }
    let tmp = temp_beside(path, bytes, 0o644)?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(true),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e.error),
    }
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
