//! folio: a git-aware editorial workflow for Markdown reference sites.
//!
//! The pipeline: `git` finds the repository; `site` reads the policy
//! (`policy`), the source registry (`registry`) and the pages (`page`, whose
//! frontmatter goes through `yaml` and whose body through `markdown`);
//! `check` applies what each state demands (`workflow`) and the policy's
//! rules, returning `Finding`s (`diagnostic`); `output` prints them in one of
//! three formats. `cli` turns arguments into a `Command` and `run` carries it
//! out.

pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod error;
pub mod git;
pub mod init;
pub mod markdown;
pub mod output;
pub mod page;
pub mod policy;
pub mod registry;
pub mod site;
pub mod suggest;
pub mod text;
pub mod workflow;
pub mod write;
pub mod yaml;

use chrono::NaiveDate;
use std::path::Path;

/// What a command printed and the exit code it asks for.
pub struct Outcome {
    pub stdout: String,
    pub code: i32,
}

/// Carries out a command from the working directory `cwd`, taking `today`
/// as the date (the clock is read only in `main`).
pub fn run(
    command: &cli::Command,
    cwd: &Path,
    today: NaiveDate,
    color: bool,
) -> error::Result<Outcome> {
    let repo = git::Repo::discover(cwd)?;
    match command {
        cli::Command::Check { format } => {
            let site = site::load_worktree(repo.root())?;
            let report = site::check(&site, today);
            Ok(Outcome {
                stdout: output::render(&report, *format, color),
                code: report.exit_code(),
            })
        }
        cli::Command::Init => {
            let policy = site::load_policy(repo.root())?;
            Ok(Outcome {
                stdout: init::init(repo.root(), &policy.content_dir)?,
                code: 0,
            })
        }
    }
}
