//! `folio check`: the site, the staged change, or a range of commits.

use super::{Env, Outcome, worktree_site};
use crate::check::{self, change};
use crate::error::Result;
use crate::git::{Repo, amend_in_progress};
use crate::output::Format;

/// Check every page against its state, the source registry and the policy
///
/// Check every page under the content folder against what its state
/// demands, the source registry (content/sources.yaml) and the policy
/// (review/policy.yaml).
///
/// A draft needs a title; a research page also a summary, an audience and
/// an owner; a reviewed page also a source, citations that resolve, no
/// policy finding, a last_reviewed date and a reviewer from the policy who
/// is not the owner; a promoted page also cites only promotable source
/// kinds and is reviewed within the interval.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio check\n  folio check --format json | jq '.findings[].code'\n  folio check --format github   # in a GitHub Actions step"
)]
pub struct Args {
    /// Check the pages as they are staged (the index), not the working tree: what the pre-commit hook runs
    #[arg(long, conflicts_with = "range")]
    staged: bool,

    /// Check every commit on HEAD since its merge-base with BASE (what a pull request contains), then the site at HEAD
    #[arg(long, value_name = "BASE..HEAD")]
    range: Option<String>,

    /// human (snippets with carets), json (stable, documented in README.md), github (workflow annotations)
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Github,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let report = match (&args.range, args.staged) {
        (Some(range), _) => change::range(repo, range, env.today)?,
        (None, true) => change::staged(
            repo,
            env.index_file.as_deref(),
            env.today,
            // git hands every commit hook `GIT_INDEX_FILE`; without it no
            // commit is running, so there is no amend to see.
            env.index_file.is_some() && amend_in_progress(),
        )?,
        (None, false) => check::check_site(&worktree_site(repo)?, env.today),
    };
    let format = match args.format {
        ReportFormat::Human => Format::Human,
        ReportFormat::Json => Format::Json,
        ReportFormat::Github => Format::Github,
    };
    Ok(Outcome::Checked { report, format })
}
