//! `folio hook install` and `uninstall`: the git pre-commit hook.
//!
//! The hook goes where git looks for it (`git rev-parse --git-path
//! hooks/pre-commit`), which honours `core.hooksPath` and linked worktrees.
//! folio recognises its own hook by a marker line, so installing twice is
//! harmless and a hook somebody else wrote is never replaced without
//! `--force`, and then it is kept beside it as `pre-commit.before-folio`
//! and still runs, before folio's check.

use super::{Env, Outcome};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::write;
use std::path::Path;

/// Install or remove the git pre-commit hook that runs `folio check --staged`
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Write the pre-commit hook where git looks for it (honours core.hooksPath and worktrees)
    ///
    /// Write a pre-commit hook that runs `folio check --staged`, where git
    /// looks for hooks (core.hooksPath and linked worktrees are honoured).
    /// Installing again is harmless. A hook folio did not write is never
    /// replaced unless you pass --force, and then it is kept as
    /// pre-commit.before-folio and still runs first: a commit it refuses is
    /// refused. Delete that file to stop running it.
    ///
    /// With the pre-commit framework instead, add this repository with the
    /// hook id `folio` to .pre-commit-config.yaml.
    Install {
        /// Install over a pre-commit hook that folio did not write (it is kept as pre-commit.before-folio and still runs first)
        #[arg(long)]
        force: bool,
    },
    /// Remove folio's pre-commit hook (restoring the hook it replaced, if any)
    Uninstall,
}

/// What `hook install` or `uninstall` did; paths are shown relative to the
/// working tree when they are inside it.
pub enum HookChange {
    Installed {
        at: String,
        /// Where a hook folio did not write was kept, with `--force`.
        kept_old_as: Option<String>,
    },
    AlreadyInstalled {
        at: String,
    },
    Removed {
        at: String,
        /// Whether the hook folio replaced is back.
        restored: bool,
    },
    NotInstalled {
        at: String,
    },
}

const MARKER: &str = "# folio pre-commit hook";
const BACKUP_SUFFIX: &str = ".before-folio";

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let change = match args.action {
        Action::Install { force } => install(repo, &env.exe, force)?,
        Action::Uninstall => uninstall(repo)?,
    };
    Ok(Outcome::Hook(change))
}

/// The hook script, calling the folio at `exe` (or the one on `PATH` if
/// that binary has moved).
fn script(exe: &Path) -> String {
    let quoted = format!("'{}'", exe.to_string_lossy().replace('\'', r"'\''"));
    format!(
        "#!/bin/sh\n\
         {MARKER}, written by `folio hook install`; remove with `folio hook uninstall`.\n\
         # It checks the pages as they are staged, not as they are in the working tree.\n\
         # A hook this one replaced runs first (delete it to stop that).\n\
         before=\"$(dirname \"$0\")/pre-commit{BACKUP_SUFFIX}\"\n\
         if [ -x \"$before\" ]; then \"$before\" \"$@\" || exit $?; fi\n\
         folio={quoted}\n\
         [ -x \"$folio\" ] || folio=folio\n\
         exec \"$folio\" check --staged\n"
    )
}

fn is_ours(path: &Path) -> bool {
    std::fs::read_to_string(path).is_ok_and(|text| text.contains(MARKER))
}

fn install(repo: &Repo, exe: &Path, force: bool) -> Result<HookChange> {
    let path = repo.git_path("hooks/pre-commit")?;
    let at = shown_path(repo, &path);
    let script = script(exe);
    let exists = std::fs::symlink_metadata(&path).is_ok();
    let mut kept_old_as = None;
    if exists && !is_ours(&path) {
        if !force {
            return Err(
                Error::usage(format!("{at} is a pre-commit hook that folio did not write")).hint(
                    "run `folio hook install --force` to install folio's hook in its place (yours is kept as pre-commit.before-folio and still runs first), or add `folio check --staged` to your hook yourself",
                ),
            );
        }
        let backup = path.with_file_name(format!("pre-commit{BACKUP_SUFFIX}"));
        std::fs::rename(&path, &backup).map_err(|e| Error::write(&at, e))?;
        kept_old_as = Some(shown_path(repo, &backup));
    } else if exists && std::fs::read_to_string(&path).is_ok_and(|t| t == script) {
        return Ok(HookChange::AlreadyInstalled { at });
    }
    write::replace(&path, script.as_bytes(), 0o755, None).map_err(|e| Error::write(&at, e))?;
    Ok(HookChange::Installed { at, kept_old_as })
}

/// Removes folio's hook, restoring the one it replaced, if any.
fn uninstall(repo: &Repo) -> Result<HookChange> {
    let path = repo.git_path("hooks/pre-commit")?;
    let at = shown_path(repo, &path);
    if std::fs::symlink_metadata(&path).is_err() {
        return Ok(HookChange::NotInstalled { at });
    }
    if !is_ours(&path) {
        return Err(Error::usage(format!(
            "{at} is a pre-commit hook that folio did not write"
        ))
        .hint("folio leaves it alone; delete it yourself if you mean to"));
    }
    let backup = path.with_file_name(format!("pre-commit{BACKUP_SUFFIX}"));
    if backup.exists() {
        std::fs::rename(&backup, &path).map_err(|e| Error::write(&at, e))?;
        return Ok(HookChange::Removed { at, restored: true });
    }
    std::fs::remove_file(&path).map_err(|e| Error::write(&at, e))?;
    Ok(HookChange::Removed {
        at,
        restored: false,
    })
}

/// A path relative to the working tree when it is inside it.
fn shown_path(repo: &Repo, path: &Path) -> String {
    path.strip_prefix(repo.root())
        .unwrap_or(path)
        .display()
        .to_string()
}
