//! `folio hook install` and `uninstall`: the git pre-commit hook.
//!
//! The hook goes where git looks for it (`git rev-parse --git-path
//! hooks/pre-commit`), which honours `core.hooksPath` and linked worktrees.
//! folio recognises its own hook by a marker line, so installing twice is
//! harmless and a hook somebody else wrote is never replaced without
//! `--force` (and then kept beside it as `pre-commit.before-folio`).

use crate::error::{Error, Result};
use crate::git::Repo;
use crate::write;
use std::path::Path;

const MARKER: &str = "# folio pre-commit hook";
const BACKUP_SUFFIX: &str = ".before-folio";

/// The hook script, calling the folio at `exe` (or the one on `PATH` if
/// that binary has moved).
fn script(exe: &Path) -> String {
    let quoted = format!("'{}'", exe.to_string_lossy().replace('\'', r"'\''"));
    format!(
        "#!/bin/sh\n\
         {MARKER}, written by `folio hook install`; remove with `folio hook uninstall`.\n\
         # It checks the pages as they are staged, not as they are in the working tree.\n\
         folio={quoted}\n\
         [ -x \"$folio\" ] || folio=folio\n\
         exec \"$folio\" check --staged\n"
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(MARKER))
}

/// Installs the hook; returns what it did, for the user.
pub fn install(repo: &Repo, exe: &Path, force: bool) -> Result<String> {
    let path = repo.git_path("hooks/pre-commit")?;
    let shown = shown_path(repo, &path);
    let io = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    let script = script(exe);
    let exists = std::fs::symlink_metadata(&path).is_ok();
    let mut report = String::new();
    if exists && !is_ours(&path) {
        if !force {
            return Err(Error::Usage {
                message: format!("{shown} is a pre-commit hook that folio did not write"),
                hint: "run `folio hook install --force` to replace it (it is kept as pre-commit.before-folio), or add `folio check --staged` to that hook yourself".to_string(),
            });
        }
        let backup = path.with_file_name(format!("pre-commit{BACKUP_SUFFIX}"));
        std::fs::rename(&path, &backup).map_err(io)?;
        report.push_str(&format!(
            "kept the old hook as {}\n",
            shown_path(repo, &backup)
        ));
    } else if exists && std::fs::read_to_string(&path).is_ok_and(|t| t == script) {
        return Ok(format!("the folio hook is already installed at {shown}\n"));
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    write::replace(&path, script.as_bytes(), 0o755).map_err(io)?;
    report.push_str(&format!(
        "installed the folio pre-commit hook at {shown}\nevery `git commit` now runs `folio check --staged`\n"
    ));
    Ok(report)
}

/// Removes folio's hook, restoring the one it replaced, if any.
pub fn uninstall(repo: &Repo) -> Result<String> {
    let path = repo.git_path("hooks/pre-commit")?;
    let shown = shown_path(repo, &path);
    let io = |source| Error::Io {
        path: shown.clone(),
        source,
    };
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(format!("no pre-commit hook is installed at {shown}\n"));
    }
    if !is_ours(&path) {
        return Err(Error::Usage {
            message: format!("{shown} is a pre-commit hook that folio did not write"),
            hint: "folio leaves it alone; delete it yourself if you mean to".to_string(),
        });
    }
    let backup = path.with_file_name(format!("pre-commit{BACKUP_SUFFIX}"));
    if backup.exists() {
        std::fs::rename(&backup, &path).map_err(io)?;
        return Ok(format!(
            "removed the folio hook and restored the previous one at {shown}\n"
        ));
    }
    std::fs::remove_file(&path).map_err(io)?;
    Ok(format!("removed the folio hook from {shown}\n"))
}

/// A path relative to the working tree when it is inside it.
fn shown_path(repo: &Repo, path: &Path) -> String {
    path.strip_prefix(repo.root())
        .unwrap_or(path)
        .display()
        .to_string()
}
