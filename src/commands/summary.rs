//! `folio summary`: what a pull request does to the site, for its
//! reviewer.

use super::{Env, Outcome};
use crate::error::Result;
use crate::git::Repo;
use crate::site::files::{Commit, Worktree};
use crate::summary;
use crate::template::Templates;

/// What a pull request changes in meaning, for its reviewer
///
/// What a range of commits (a pull request) does to the site: state
/// transitions, who moved each page and who signed its review, the sections
/// and paragraphs that changed (word by word), citations added and removed,
/// maintenance entries and decisions recorded, sources and policy changed,
/// claims removed from published pages with no record accounting for them,
/// the findings the change introduced and fixed, and the pages now ready
/// for their next state.
///
/// The range is BASE..HEAD or BASE...HEAD (the same here: what HEAD has
/// since its merge-base with BASE); without one, BASE is the current
/// branch's upstream, else origin/HEAD. --staged summarises the staged
/// change instead, as the reviewer will see it once it is committed.
///
/// The Markdown is what folio's workflow posts on the pull request: every
/// value in it is escaped, so nothing a contributor wrote becomes markup, a
/// mention or a link, and it stays under GitHub's comment limit. It is
/// rendered with review/templates/summary.md.j2 as the merge-base has it
/// (the working tree's, with --staged), else folio's own. The JSON is the
/// document the template sees, whole. The summary always exits 0: `folio
/// check --range` is what fails a pull request.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio summary origin/main..HEAD\n  folio summary --format json > summary.json\n  folio summary --staged"
)]
pub struct Args {
    /// BASE..HEAD, or BASE...HEAD (default: the upstream of the current branch, else origin/HEAD)
    #[arg(value_name = "RANGE", conflicts_with = "staged")]
    range: Option<String>,
    /// Summarise the staged change instead of a range
    #[arg(long)]
    staged: bool,
    /// markdown (for a pull-request comment) or json (the whole document, versioned)
    #[arg(long, value_enum, default_value_t = SummaryFormat::Markdown)]
    format: SummaryFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum SummaryFormat {
    Markdown,
    Json,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let markdown = matches!(args.format, SummaryFormat::Markdown);
    let (summary, markdown) = if args.staged {
        let summary = summary::staged(repo, env.index_file.as_deref(), env.today)?;
        let worktree = Worktree { root: repo.root() };
        let text = markdown
            .then(|| summary::markdown(&summary, &Templates::new(&worktree)))
            .transpose()?;
        (summary, text)
    } else {
        let (summary, merge_base) = summary::range(repo, args.range.as_deref(), env.today)?;
        let base = Commit {
            repo,
            commit: Some(merge_base),
        };
        let text = markdown
            .then(|| summary::markdown(&summary, &Templates::new(&base)))
            .transpose()?;
        (summary, text)
    };
    Ok(Outcome::Summary {
        summary: Box::new(summary),
        markdown,
    })
}
