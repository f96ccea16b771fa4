//! `folio history`: a page's state changes, from git.

use super::{DataFormat, Env, Outcome, named_path, worktree_policy};
use crate::error::Result;
use crate::git::Repo;
use crate::history;

/// Every state change of a page, from git history, oldest first
///
/// Every state change of a page, oldest first: date, commit, author, from
/// -> to, following the page through renames. It reads git's history, so
/// editing a record cannot change it. Name the page as it is now; a
/// commit-graph (`git maintenance start`, or `git commit-graph write
/// --changed-paths`) makes a long history faster. A shallow clone that
/// lacks the page's beginning is an error: fetch the full history.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio history guides/kv-cache\n  folio history content/guides/kv-cache.md --format json"
)]
pub struct Args {
    /// The page: its id, or its path
    page: String,
    /// human or json
    #[arg(long, value_enum, default_value_t = DataFormat::Human)]
    format: DataFormat,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    // Only the policy is read: a history needs no page parsed but the one
    // it follows, commit by commit.
    let policy = worktree_policy(repo)?;
    // An id names the file the working tree or HEAD has for it.
    let head = repo.head()?;
    let exists = |p: &str| {
        repo.root().join(p).symlink_metadata().is_ok()
            || head.is_some_and(|h| repo.entry_at(h, p).ok().flatten().is_some())
    };
    let path = named_path(&args.page, &policy.pages, repo, env, &exists)?;
    let events = history::history(repo, &args.page, &path, &policy)?;
    Ok(Outcome::History {
        path,
        events,
        format: args.format.into(),
    })
}
