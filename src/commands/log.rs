//! `folio log`: a maintenance record for a page.

use super::{DryRun, Env, Outcome, RecordArgs, carry_out, text};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::record::{Change, Kind};
use crate::text::suggest::did_you_mean;

/// Record a maintenance entry for a page
#[derive(clap::Args)]
#[command(
    after_help = "Example:\n  folio log guides/kv-cache --change correction \"Fixed the block size\" --source pagedattention-paper"
)]
pub struct Args {
    #[command(flatten)]
    target: RecordArgs,
    /// correction, source-recheck, capability-update, editorial or transition
    #[arg(long)]
    change: String,
    /// What changed, in one line
    #[arg(value_parser = text)]
    summary: String,
    /// A source the change relied on (repeatable)
    #[arg(long = "source")]
    sources: Vec<String>,
    /// The correction this change applies (its id); it is marked applied
    #[arg(long, value_name = "ID")]
    resolves: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let recording = args.target.open(repo, env)?;
    let (site, page, recorder) = (&recording.site, recording.page(), &recording.recorder);
    let change = Change::parse(&args.change).ok_or_else(|| {
        Error::usage(format!("`{}` is not a kind of change", args.change))
            .hint(format!("use one of {}", Change::list()))
    })?;
    for id in &args.sources {
        if site.registry.get(id).is_none() {
            return Err(
                Error::usage(format!("`{id}` is not in {}", site.registry.path)).hint(
                    match did_you_mean(id, site.registry.ids()) {
                        Some(near) => format!("did you mean `{near}`?"),
                        None => "add the source to the registry first".to_string(),
                    },
                ),
            );
        }
    }
    let mut record = recorder.record(Kind::Maintenance, page, &recording.site.records);
    record.change = Some(change);
    record.summary = Some(args.summary.clone());
    record.sources = args.sources.clone();
    record.resolves = args.resolves.clone();
    let mut plan = Plan::default();
    let record = recorder.plan(&mut plan, repo.root(), &record)?;
    if let Some(id) = &args.resolves {
        super::correction::resolve(site, &page.id, id, &record, &mut plan, repo.root())?;
    }
    let next = "commit it with the change it records: git commit -a";
    carry_out(&plan, repo, &args.dry_run, Vec::new(), next, |then, _| {
        Outcome::Recorded {
            record,
            still_appears: None,
            then,
        }
    })
}
