//! `folio move`: a page to another state, if it meets what that state
//! demands. The page is checked as it would be after the move, with the
//! same code as `folio check`; a refused move writes nothing. Only the
//! frontmatter lines the move owns are edited (see `edit`), and a
//! transition record says who moved it and why.

use super::{DryRun, Env, Outcome, RecordArgs, carry_out, text};
use crate::baseline::Baseline;
use crate::change::Previous;
use crate::check::{self, Context};
use crate::edit::{self, Value};
use crate::error::{Error, Result};
use crate::finding::{self, Finding};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::Site;
use crate::site::files::Worktree;
use crate::site::page::{Key, Page};
use crate::site::parse_page;
use crate::site::record::{Change, Kind};
use crate::site::workflow::State;
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;
use chrono::NaiveDate;

/// Move a page to another state, if it meets what that state demands
///
/// Move a page to another state. folio checks what the new state demands
/// with the same code as `folio check`; a refused move changes nothing and
/// lists what is missing. It edits only the frontmatter lines it owns
/// (status; last_reviewed and reviewers when moving to reviewed), leaving
/// every other byte as it was, and writes a transition maintenance record.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
folio move guides/kv-cache research\n  folio move guides/kv-cache reviewed --reviewer ana\n  \
folio move content/guides/kv-cache.md research --note \"a capability claim no longer holds\"")]
pub struct Args {
    #[command(flatten)]
    target: RecordArgs,
    /// draft, research, reviewed or promoted (or the site's word for one,
    /// from the policy's `states: {words: ...}`)
    state: String,
    /// Who signs the review (needed for a move to reviewed)
    #[arg(long, value_parser = text)]
    reviewer: Option<String>,
    /// Why, for the maintenance record (needed for a move backwards)
    #[arg(long, value_parser = text)]
    note: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let recording = args.target.open(repo, env)?;
    let (site, page, recorder) = (&recording.site, recording.page(), &recording.recorder);
    let dialect = &site.policy.dialect;
    let to = dialect.state(&args.state).ok_or_else(|| {
        let words = dialect.all_words();
        let listed = words.join(", ");
        Error::usage(format!("`{}` is not a state", args.state)).hint(
            match did_you_mean(&args.state, words.iter().copied()) {
                Some(near) => format!("did you mean `{near}`? The states are {listed}"),
                None => format!("the states are {listed}"),
            },
        )
    })?;
    let Some(from) = page.fields.status else {
        return Err(Error::usage(format!(
            "{} has no readable `{}`",
            page.path,
            page.name(Key::Status)
        ))
        .hint("run `folio check` and fix the page first"));
    };
    if from == to {
        return Ok(Outcome::Unchanged {
            what: format!("{} is already {to}", page.path),
        });
    }
    let note = args.note.as_deref();
    if State::is_backward(from, to) && note.is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::usage(format!(
            "moving {} back from {from} to {to} needs a reason",
            page.path
        ))
        .hint("say why with --note \"...\"; it goes into the maintenance record"));
    }
    let word = site.policy.dialect.word(to).to_string();
    let mut edits = vec![(Key::Status, Value::Scalar(word))];
    if to == State::Reviewed {
        let Some(reviewer) = &args.reviewer else {
            return Err(
                Error::usage("a move to reviewed names the reviewer who signs it")
                    .hint(format!("add --reviewer NAME. {}", site.policy.roster())),
            );
        };
        edits.push((Key::LastReviewed, Value::Scalar(recorder.today.to_string())));
        edits.push((Key::Reviewers, Value::List(vec![reviewer.clone()])));
    }
    let baseline = Baseline::read(&Worktree { root: repo.root() })?;
    let judged = judge(site, page, &edits, from, recorder.today, baseline.as_ref())?;
    let (edited, findings) = match judged {
        Judged::Refused(findings) => {
            return Ok(Outcome::Refused {
                path: page.path.clone(),
                state: from,
                what: format!("the move to {to}"),
                findings,
            });
        }
        Judged::Allowed { edited, warnings } => (edited, warnings),
    };
    let mut record = recorder.record(Kind::Maintenance, page, &recording.site.records);
    record.change = Some(Change::Transition);
    record.from = Some(from);
    record.to = Some(to);
    record.summary =
        Some(note.map_or_else(|| format!("moved from {from} to {to}"), str::to_string));
    let mut plan = Plan::default();
    let record_path = recorder.plan(&mut plan, repo.root(), &record)?;
    plan.edit(&page.path, page.text.file_bytes(), edited);
    let next = format!("git commit -m \"Move {} to {to}\"", page.id);
    carry_out(
        &plan,
        repo,
        &args.dry_run,
        findings,
        &next,
        |then, warnings| Outcome::Moved {
            path: page.path.clone(),
            from,
            to,
            record: record_path,
            warnings,
            then,
        },
    )
}

/// What a page edited for a move (or a renewed review) is judged to be.
pub(super) enum Judged {
    /// Errors: nothing may be written.
    Refused(Vec<Finding>),
    /// The edited text, and the warnings the page would still have.
    Allowed {
        edited: String,
        warnings: Vec<Finding>,
    },
}

/// Applies `edits` to the page's frontmatter and checks the result as the
/// page would be after a move from `from`, by the same code as `folio
/// check`. Findings point at the file as it is on disk (see
/// `edit::as_on_disk`).
pub(super) fn judge(
    site: &Site,
    page: &Page,
    edits: &[(Key, Value)],
    from: State,
    today: NaiveDate,
    baseline: Option<&Baseline>,
) -> Result<Judged> {
    let edited = edit::apply(page, edits).map_err(|message| {
        Error::config(message)
            .hint("the frontmatter uses YAML folio does not edit; make the change by hand")
    })?;
    let (Some(moved), _) = parse_page(&page.path, edited.as_bytes(), &site.policy) else {
        return Err(
            Error::bug("the edited page does not parse").hint("please report this with the page")
        );
    };
    let ctx = Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today,
        found: crate::check::Found::EachRule,
    };
    let prose = Prose::new(moved.body());
    let mut findings = check::check_page(&moved, &prose, &ctx);
    findings.extend(check::check_transition(
        &moved,
        &[Previous::State(from)],
        &site.policy,
    ));
    // What the site accepted does not stop a move or a review.
    if let Some(baseline) = baseline {
        baseline.apply(&mut findings, false);
    }
    let mut findings = edit::as_on_disk(findings, page, &moved);
    finding::sort(&mut findings);
    Ok(if findings.iter().any(Finding::is_error) {
        Judged::Refused(findings)
    } else {
        Judged::Allowed {
            edited,
            warnings: findings,
        }
    })
}
