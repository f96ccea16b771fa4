//! `folio review`: sign a reviewed or promoted page again. It sets
//! `last_reviewed` to today and `reviewers` to the signer, checks the page
//! as a move to its own state would be checked, and records the renewal,
//! so a stale promoted page is renewed in one step instead of a move back
//! and a move forward.

use super::r#move::{Judged, judge};
use super::{DryRun, Env, Outcome, RecordArgs, carry_out, text};
use crate::baseline::Baseline;
use crate::edit::Value;
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::files::Worktree;
use crate::site::page::Key;
use crate::site::record::{Change, Kind};
use crate::site::workflow::State;

/// Renew the review of a reviewed or promoted page
///
/// Sign a reviewed or promoted page again: last_reviewed becomes today and
/// reviewers the signer. The page is checked as a move to its own state
/// would be (a reviewer on the roster who is not the owner, sources that
/// resolve, no policy finding, and for a promoted page promotable sources),
/// a refused renewal writes nothing, and a maintenance record (change:
/// review) says who renewed it.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
folio review guides/kv-cache --reviewer ana\n  \
folio review guides/kv-cache --reviewer ana --note \"rechecked against the 1.18 release\"")]
pub struct Args {
    #[command(flatten)]
    target: RecordArgs,
    /// Who signs the review (one of the policy's reviewers, not the owner)
    #[arg(long, value_parser = text)]
    reviewer: String,
    /// What the review looked at, for the maintenance record
    #[arg(long, value_parser = text)]
    note: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let recording = args.target.open(repo, env)?;
    let (site, page, recorder) = (&recording.site, recording.page(), &recording.recorder);
    let state = match page.fields.status {
        Some(state @ (State::Reviewed | State::Promoted)) => state,
        Some(state) => {
            return Err(Error::usage(format!(
                "{} is {state}: only a reviewed or promoted page has a review to renew",
                page.path
            ))
            .hint(format!(
                "sign its first review with a move: `folio move {} reviewed --reviewer {}`",
                page.id, args.reviewer
            )));
        }
        None => {
            return Err(Error::usage(format!(
                "{} has no readable `{}`",
                page.path,
                page.name(Key::Status)
            ))
            .hint("run `folio check` and fix the page first"));
        }
    };
    let today = recorder.today;
    if page.fields.last_reviewed == Some(today) && page.fields.reviewers == [args.reviewer.clone()]
    {
        return Ok(Outcome::Unchanged {
            what: format!(
                "{} was already reviewed by {} today",
                page.path, args.reviewer
            ),
        });
    }
    let edits = [
        (Key::LastReviewed, Value::Scalar(today.to_string())),
        (Key::Reviewers, Value::List(vec![args.reviewer.clone()])),
    ];
    let baseline = Baseline::read(&Worktree { root: repo.root() })?;
    let (edited, warnings) = match judge(site, page, &edits, state, today, baseline.as_ref())? {
        Judged::Refused(findings) => {
            return Ok(Outcome::Refused {
                path: page.path.clone(),
                state,
                what: "the renewed review".to_string(),
                findings,
            });
        }
        Judged::Allowed { edited, warnings } => (edited, warnings),
    };
    let mut record = recorder.record(Kind::Maintenance, page, &site.records);
    record.change = Some(Change::Review);
    record.summary = Some(
        args.note
            .clone()
            .unwrap_or_else(|| format!("review of the {state} page renewed by {}", args.reviewer)),
    );
    let mut plan = Plan::default();
    let record_path = recorder.plan(&mut plan, repo.root(), &record)?;
    plan.edit(&page.path, page.text.file_bytes(), edited);
    let next = format!("git commit -m \"Renew the review of {}\"", page.id);
    carry_out(
        &plan,
        repo,
        &args.dry_run,
        warnings,
        &next,
        |then, warnings| Outcome::Renewed {
            path: page.path.clone(),
            reviewer: args.reviewer.clone(),
            date: today,
            record: record_path,
            warnings,
            then,
        },
    )
}
