//! `folio status`: the board.

use super::{DataFormat, Env, Outcome, worktree_site};
use crate::board;
use crate::error::Result;
use crate::git::Repo;

/// The board: pages by state, and what is due
///
/// The board: pages by state with owner and review age; promoted pages
/// past the review interval; pages that mention a date which has arrived
/// since their review; pages whose text no record speaks for; sources not
/// rechecked within the interval. The JSON also serves a site generator:
/// per page its title, state, last review, reading time, maintenance record
/// and not-promoted decisions.
#[derive(clap::Args)]
pub struct Args {
    /// human or json
    #[arg(long, value_enum, default_value_t = DataFormat::Human)]
    format: DataFormat,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let site = worktree_site(repo)?;
    Ok(Outcome::Board {
        board: board::board(&site, env.today),
        format: args.format.into(),
    })
}
