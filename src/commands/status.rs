//! `folio status`: the board.

use super::{DataFormat, Env, Outcome};
use crate::board;
use crate::error::Result;
use crate::git::Repo;
use crate::site::files::Worktree;

/// The board: pages by state, and what is due
///
/// The board: pages by state with owner and review age; promoted pages
/// past the review interval; pages that mention a date which has arrived
/// since their review; pages whose text no record speaks for; sources not
/// rechecked within the interval. The JSON also serves a site generator:
/// per page its title, state, last review, reading time, maintenance record,
/// not-promoted decisions, corrections, and the link that opens the
/// correction form for it (from the `origin` remote).
#[derive(clap::Args)]
pub struct Args {
    /// human or json
    #[arg(long, value_enum, default_value_t = DataFormat::Human)]
    format: DataFormat,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let files = Worktree { root: repo.root() };
    let site = crate::site::load_unread(&files)?;
    // The correction links need the repository's web address; a clone
    // without a GitHub-like `origin` simply has none.
    let repo_url = repo
        .config_string("remote.origin.url")
        .and_then(|remote| crate::correction::link::repo_url(&remote));
    Ok(Outcome::Board {
        board: board::board(&site, &files, env.today, repo_url.as_deref()),
        format: args.format.into(),
    })
}
