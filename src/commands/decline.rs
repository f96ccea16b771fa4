//! `folio decline`: a not-promoted decision, a claim left out on purpose.
//! From then on the ledger reports the claim wherever it appears again.

use super::{DryRun, Env, Outcome, RecordArgs, carry_out, text};
use crate::check::Ledger;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::record::{Kind, Reason};
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;

/// Record a claim left out on purpose; it may not reappear in any page
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  folio decline guides/kv-cache --claim \"Paged caches are 10x faster.\" --reason universal-multiplier \\\n    --rewrite \"Under which workloads does paging reduce memory waste?\""
)]
pub struct Args {
    #[command(flatten)]
    target: RecordArgs,
    /// The claim as it stood
    #[arg(long, value_parser = text)]
    claim: String,
    /// future-date, universal-multiplier, unsourced-maturity, broad-comparison, no-primary-source or other
    #[arg(long)]
    reason: String,
    /// The scoped question or rewrite that replaced it
    #[arg(long, value_parser = text)]
    rewrite: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let recording = args.target.open(repo, env)?;
    let (page, recorder) = (recording.page(), &recording.recorder);
    let reason = Reason::parse(&args.reason).ok_or_else(|| {
        Error::usage(format!("`{}` is not a reason", args.reason)).hint(
            match did_you_mean(&args.reason, Reason::ALL.iter().map(|r| r.as_str())) {
                Some(near) => format!("did you mean `{near}`? The reasons are {}", Reason::list()),
                None => format!("use one of {}", Reason::list()),
            },
        )
    })?;
    let mut record = recorder.record(Kind::NotPromoted, page, &recording.site.records);
    record.claim = Some(args.claim.clone());
    record.reason = Some(reason);
    record.rewrite = args.rewrite.clone();
    let mut plan = Plan::default();
    let path = recorder.plan(&mut plan, repo.root(), &record)?;
    let still_appears = Ledger::new(std::slice::from_ref(&record))
        .findings(page, &Prose::new(page.body()))
        .into_iter()
        .next();
    let commit = match &still_appears {
        Some(_) => format!(
            "rewrite or remove the claim in {}, then git commit -a",
            page.path
        ),
        None => "git commit -a".to_string(),
    };
    carry_out(
        &plan,
        repo,
        &args.dry_run,
        Vec::new(),
        &commit,
        |then, _| Outcome::Recorded {
            record: path,
            still_appears,
            then,
        },
    )
}
