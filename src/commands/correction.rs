//! `folio correction`: what contributors file and what becomes of it.
//!
//! - `folio correction PAGE` prints a request prefilled from the page
//!   (`review/templates/correction.md.j2`), `--url` the new-issue link
//!   that opens the correction form with the page chosen;
//! - `intake` turns the issue GitHub made of a filed form into a
//!   correction record (state `open`);
//! - `accept`, `hold` and `reject` record the editors' decision in the
//!   correction record itself; `folio log PAGE ... --resolves ID` applies it.

use super::{DryRun, Env, Outcome, carry_out, find_page, text, worktree_site};
use crate::correction::form::{self, Field};
use crate::correction::{intake, link, problems, source_kinds};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::Site;
use crate::site::files::Worktree;
use crate::site::record::{CorrectionFields, CorrectionState, Kind, Record, with_fields};
use crate::summary::diff::headings;
use crate::template::Templates;
use crate::text::folded;
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;
use serde::Serialize;
use std::io::Read;

/// Corrections: a prefilled request or link for a page, and what becomes of a filed one
///
/// With a page, print a correction request prefilled from it (its title,
/// state, last review, sections, and the claims already left out on
/// purpose), from review/templates/correction.md.j2; with --url, the
/// new-issue link that opens the correction form with the page chosen.
///
/// A filed correction is taken in with `folio correction intake`, decided
/// with accept, hold or reject, and applied by the maintenance entry that
/// fixes the page: `folio log PAGE --change correction "..." --resolves ID`.
#[derive(clap::Args)]
#[command(
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true,
    after_help = "Examples:\n  \
folio correction guides/kv-cache\n  \
folio correction guides/kv-cache --url\n  \
folio correction intake issue-body.md --issue 42 --reporter octocat\n  \
folio correction accept 3f9a0c1e\n  \
folio correction reject 3f9a0c1e --reason \"the specification says 16\""
)]
pub struct Args {
    #[command(subcommand)]
    action: Option<Action>,
    /// The page: its id, or its path
    #[arg(required = true)]
    page: Option<String>,
    /// Print the new-issue link instead of the request
    #[arg(long)]
    url: bool,
    /// The GitHub repository, OWNER/NAME (default: from the `origin` remote)
    #[arg(long, value_name = "OWNER/NAME", requires = "url")]
    repo: Option<String>,
    /// A claim to prefill in the form (cut if the link would be too long)
    #[arg(long, requires = "url")]
    claim: Option<String>,
}

#[derive(clap::Subcommand)]
enum Action {
    /// Take in a filed correction (the issue's body) as a correction record
    ///
    /// Read the body GitHub made of a filed correction form (`### Label`
    /// sections; `_No response_` for an empty field) from FILE, or from
    /// standard input with `-`, and write a correction record (state open)
    /// for its page. A body without a supporting source, or one folio
    /// cannot read, is refused and nothing is written. A correction that
    /// repeats one still open, or a claim already left out on purpose, is
    /// reported and written only with --force.
    Intake(IntakeArgs),
    /// Accept a correction: the editors agree the page should change
    Accept(DecideArgs),
    /// Hold a correction for a later update, saying why
    Hold(ReasonArgs),
    /// Reject a correction, saying why
    Reject(ReasonArgs),
}

#[derive(clap::Args)]
struct IntakeArgs {
    /// The issue body: a file, or - for standard input
    file: String,
    /// The issue's number
    #[arg(long)]
    issue: Option<u64>,
    /// Who filed it (their GitHub login; default: "a contributor")
    #[arg(long, value_parser = text)]
    reporter: Option<String>,
    /// Write it even if it repeats an open correction or a declined claim
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    dry_run: DryRun,
}

#[derive(clap::Args)]
struct DecideArgs {
    /// The correction's id (the digits at the end of its file name)
    id: String,
    /// Who decides (default: git's user.name)
    #[arg(long, value_parser = text)]
    by: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

#[derive(clap::Args)]
struct ReasonArgs {
    #[command(flatten)]
    decide: DecideArgs,
    /// Why, for the contributor
    #[arg(long, value_parser = text)]
    reason: String,
}

/// What the request template sees.
#[derive(Serialize)]
struct RequestContext<'a> {
    page: PageContext<'a>,
    declined: Vec<Declined<'a>>,
    problems: Vec<crate::correction::Choice>,
    source_kinds: Vec<crate::correction::Choice>,
}

#[derive(Serialize)]
struct PageContext<'a> {
    id: &'a str,
    title: &'a str,
    state: &'a str,
    last_reviewed: Option<String>,
    sections: Vec<&'a str>,
}

#[derive(Serialize)]
struct Declined<'a> {
    claim: &'a str,
    reason: &'a str,
    rewrite: Option<&'a str>,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    match &args.action {
        Some(Action::Intake(intake)) => take_in(intake, repo, env),
        Some(Action::Accept(args)) => decide(args, CorrectionState::Accepted, None, repo, env),
        Some(Action::Hold(r)) => {
            decide(&r.decide, CorrectionState::Held, Some(&r.reason), repo, env)
        }
        Some(Action::Reject(r)) => decide(
            &r.decide,
            CorrectionState::Rejected,
            Some(&r.reason),
            repo,
            env,
        ),
        None => request(args, repo, env),
    }
}

/// The prefilled request, or the new-issue link.
fn request(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let site = worktree_site(repo)?;
    let name = args.page.as_deref().unwrap_or_default();
    let page = &site.pages[find_page(&site, repo, env, name)?];
    if args.url {
        let base = repository_url(repo, args.repo.as_deref())?;
        let (url, cut) = link::new_issue_url(&base, &page.id, args.claim.as_deref());
        let mut text = format!("{url}\n");
        if cut {
            text.push_str(&format!(
                "note: the claim was cut to keep the link under {} characters\n",
                link::MAX_URL
            ));
        }
        return Ok(Outcome::Text { text });
    }
    let prose = Prose::new(page.body());
    let declined = site
        .records
        .iter()
        .filter(|r| r.owner == page.id && r.kind == Kind::NotPromoted)
        .filter_map(|r| {
            Some(Declined {
                claim: r.claim.as_deref()?,
                reason: r.reason.map_or("other", |x| x.as_str()),
                rewrite: r.rewrite.as_deref(),
            })
        })
        .collect();
    let context = RequestContext {
        page: PageContext {
            id: &page.id,
            title: page.fields.title.as_deref().unwrap_or(&page.id),
            state: page.fields.status.map_or("no state", |s| s.as_str()),
            last_reviewed: page.fields.last_reviewed.map(|d| d.to_string()),
            sections: headings(page.body(), &prose),
        },
        declined,
        problems: problems(),
        source_kinds: source_kinds(),
    };
    let text =
        Templates::new(&Worktree { root: repo.root() }).render("correction.md.j2", &context)?;
    Ok(Outcome::Text { text })
}

/// The repository's web address: `--repo OWNER/NAME` on GitHub, else the
/// `origin` remote's.
fn repository_url(repo: &Repo, given: Option<&str>) -> Result<String> {
    if let Some(slug) = given {
        return link::repo_slug(slug)
            .map(|slug| format!("https://github.com/{slug}"))
            .ok_or_else(|| {
                Error::usage(format!("`{slug}` is not OWNER/NAME"))
                    .hint("give the repository as it appears in its GitHub address, such as `octo-org/runtimes-site`")
            });
    }
    let remote = repo.config_string("remote.origin.url").ok_or_else(|| {
        Error::usage("this repository has no `origin` remote to make the link from")
            .hint("name the GitHub repository with --repo OWNER/NAME")
    })?;
    link::repo_url(&remote).ok_or_else(|| {
        Error::usage(format!(
            "the `origin` remote ({remote}) is not a repository on a web host"
        ))
        .hint("name the GitHub repository with --repo OWNER/NAME")
    })
}

/// The form's fields: of the form as `folio templates` would write it for
/// this site, so intake reads what contributors were shown.
fn form_fields(repo: &Repo, site: &Site) -> Result<Vec<Field>> {
    let generated = form::generate(&Worktree { root: repo.root() }, &page_ids(site))?;
    form::check_form(&generated.form)
        .map_err(|why| Error::bug(format!("the generated form does not read back: {why}")))
}

/// The site's page ids, sorted: the form's dropdown. Every page file
/// counts, read or not, so a page with a frontmatter error does not drop
/// out of the form; an id GitHub would refuse as an option (`None`, in any
/// case) or that holds a hidden character is left out.
pub fn page_ids(site: &Site) -> Vec<String> {
    let mut ids: Vec<String> = site
        .page_paths
        .iter()
        .map(|path| site.policy.pages.id(path).to_string())
        .filter(|id| !id.eq_ignore_ascii_case("none") && !id.chars().any(crate::text::hidden))
        .collect();
    ids.sort();
    ids
}

fn take_in(args: &IntakeArgs, repo: &Repo, env: &Env) -> Result<Outcome> {
    let body = read_body(&args.file, env)?;
    let site = worktree_site(repo)?;
    let fields = form_fields(repo, &site)?;
    let ids: Vec<&str> = site.pages.iter().map(|p| p.id.as_str()).collect();
    let filed = intake::read(&body, &fields, |id| {
        if ids.contains(&id) {
            Ok(())
        } else {
            Err(did_you_mean(id, ids.iter().copied()).map(str::to_string))
        }
    })
    .map_err(|problems| {
        Error::usage(format!(
            "the correction cannot be taken in, and nothing was written: {}",
            problems.join("; ")
        ))
        .hint("ask the contributor to edit the issue (every field of the form, with a supporting source), then run intake again")
    })?;
    let page = site
        .pages
        .iter()
        .find(|p| p.id == filed.page)
        .ok_or_else(|| Error::bug("the page intake found is not in the site"))?;
    // What would make it a repeat: an open correction of the same claim,
    // or a claim the editors already left out on purpose.
    let (claim, _) = folded(&filed.claim);
    let claim = claim.trim().to_string();
    let mut repeats = Vec::new();
    for r in site.records.iter().filter(|r| r.owner == page.id) {
        let same = r
            .claim
            .as_deref()
            .is_some_and(|c| folded(c).0.trim() == claim);
        if same
            && r.correction_state()
                .is_some_and(|s| s.is_pending() || s == CorrectionState::Held)
        {
            repeats.push(format!(
                "it repeats correction {} ({}), which is still {}",
                r.short_id(),
                r.path,
                r.correction_state().map_or("open", CorrectionState::as_str)
            ));
        }
    }
    if let Some(decision) = site.records.iter().find(|r| {
        r.kind == Kind::NotPromoted
            && r.claim.as_deref().is_some_and(|c| {
                let declined = folded(c).0.trim().to_string();
                !declined.is_empty() && (claim.contains(&declined) || declined.contains(&claim))
            })
    }) {
        repeats.push(format!(
            "the claim was already left out on purpose ({}, {})",
            decision.path,
            decision.reason.map_or("other", |r| r.as_str())
        ));
    }
    if !repeats.is_empty() && !args.force {
        return Err(Error::usage(format!(
            "the correction was not taken in: {}",
            repeats.join("; ")
        ))
        .hint("answer the contributor on the issue; to record it anyway, run intake again with --force"));
    }
    let recorder = super::Recorder::new(
        repo,
        env,
        &Some(
            args.reporter
                .clone()
                .unwrap_or_else(|| "a contributor".to_string()),
        ),
    )?;
    let mut record = recorder.record(Kind::Correction, page, &site.records);
    record.claim = Some(filed.claim.clone());
    record.correction = Some(Box::new(CorrectionFields {
        problem: Some(filed.problem),
        wrong: Some(filed.wrong),
        proposed: filed.proposed,
        source_url: Some(filed.source_url),
        source_kind: Some(filed.source_kind),
        issue: args.issue,
        state: Some(CorrectionState::Open),
        ..Default::default()
    }));
    let mut plan = Plan::default();
    let path = recorder.plan(&mut plan, repo.root(), &record)?;
    let id = path
        .rsplit('-')
        .next()
        .and_then(|s| s.strip_suffix(".yaml"))
        .unwrap_or_default()
        .to_string();
    let next = format!(
        "git commit -m \"Take in correction {id} to {}\"; then decide it: folio correction accept|hold|reject {id}",
        page.id
    );
    let notes = if args.force { repeats } else { Vec::new() };
    carry_out(&plan, repo, &args.dry_run, Vec::new(), &next, |then, _| {
        Outcome::Filed {
            record: path.clone(),
            id: id.clone(),
            page: page.id.clone(),
            notes,
            then,
        }
    })
}

/// The issue body: a file, or standard input for `-`, read to at most a
/// little past what GitHub allows (intake refuses anything longer).
fn read_body(file: &str, env: &Env) -> Result<Vec<u8>> {
    let limit = (intake::MAX_BODY * 4 + 1) as u64;
    let mut body = Vec::new();
    let read = if file == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut body)
    } else {
        std::fs::File::open(env.cwd.join(file)).and_then(|f| f.take(limit).read_to_end(&mut body))
    };
    read.map_err(|e| Error::read(file, e))?;
    Ok(body)
}

/// A correction by id: the digits of its file name, or its path.
fn find_correction<'s>(site: &'s Site, id: &str) -> Result<&'s Record> {
    let found: Vec<&Record> = site
        .records
        .iter()
        .filter(|r| r.kind == Kind::Correction && (r.short_id() == id || r.path == id))
        .collect();
    match found.as_slice() {
        [one] => Ok(one),
        [] => {
            let ids = site
                .records
                .iter()
                .filter(|r| r.kind == Kind::Correction)
                .map(Record::short_id);
            Err(Error::usage(format!("there is no correction `{id}`")).hint(
                match did_you_mean(id, ids) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "`folio status` lists the corrections of each page, with their ids"
                        .to_string(),
                },
            ))
        }
        many => Err(
            Error::usage(format!("`{id}` names {} corrections", many.len())).hint(format!(
                "name one by its path: {}",
                many.iter()
                    .map(|r| r.path.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        ),
    }
}

/// Records the editors' decision in the correction record.
fn decide(
    args: &DecideArgs,
    to: CorrectionState,
    reason: Option<&str>,
    repo: &Repo,
    env: &Env,
) -> Result<Outcome> {
    let site = worktree_site(repo)?;
    let correction = find_correction(&site, &args.id)?;
    let from = correction
        .correction_state()
        .unwrap_or(CorrectionState::Open);
    let id = correction.short_id().to_string();
    if from == to {
        return Ok(Outcome::Unchanged {
            what: format!("correction {id} is already {}", to.as_str()),
        });
    }
    if matches!(from, CorrectionState::Applied | CorrectionState::Rejected) {
        return Err(Error::usage(format!(
            "correction {id} is {}: its decision is final",
            from.as_str()
        ))
        .hint("a new problem with the page is a new correction"));
    }
    let recorder = super::Recorder::new(repo, env, &args.by)?;
    let mut fields = vec![
        ("state", to.as_str().to_string()),
        ("decided_by", recorder.by.clone()),
        ("decided_on", env.today.to_string()),
    ];
    if let Some(reason) = reason {
        fields.push(("decision", reason.to_string()));
    }
    let mut plan = Plan::default();
    edit_in_place(&mut plan, repo.root(), correction, &fields)?;
    let next = match to {
        CorrectionState::Accepted => format!(
            "git commit -m \"Accept correction {id}\"; fix the page, then `folio log {} --change correction \"...\" --resolves {id}`",
            correction.owner
        ),
        _ => format!(
            "git commit -m \"{} correction {id}\", and tell the contributor why on the issue",
            if to == CorrectionState::Held {
                "Hold"
            } else {
                "Reject"
            }
        ),
    };
    carry_out(&plan, repo, &args.dry_run, Vec::new(), &next, |then, _| {
        Outcome::Decided {
            record: correction.path.clone(),
            id: id.clone(),
            state: to,
            then,
        }
    })
}

/// `folio log --resolves ID`: the correction the maintenance record
/// applies, checked (a correction of this page, not already applied or
/// rejected), and the edit that marks it applied by `record`.
pub(super) fn resolve(
    site: &Site,
    page_id: &str,
    id: &str,
    record: &str,
    plan: &mut Plan,
    root: &std::path::Path,
) -> Result<()> {
    let correction = find_correction(site, id)?;
    if correction.owner != page_id {
        return Err(Error::usage(format!(
            "correction {id} is for `{}`, not `{page_id}`",
            correction.owner
        ))
        .hint(format!(
            "record the fix on its page: `folio log {} ... --resolves {id}`",
            correction.owner
        )));
    }
    let state = correction
        .correction_state()
        .unwrap_or(CorrectionState::Open);
    if matches!(state, CorrectionState::Applied | CorrectionState::Rejected) {
        return Err(Error::usage(format!(
            "correction {id} is {}, so nothing is left to resolve",
            state.as_str()
        ))
        .hint("leave out --resolves, or name an open correction (`folio status` lists them)"));
    }
    let applied = [
        ("state", "applied".to_string()),
        ("resolved_by", record.to_string()),
    ];
    edit_in_place(plan, root, correction, &applied)
}

/// Plans the edit of a correction record's lines `fields` (see
/// `with_fields`), from the file as it is now.
fn edit_in_place(
    plan: &mut Plan,
    root: &std::path::Path,
    correction: &Record,
    fields: &[(&str, String)],
) -> Result<()> {
    let path = &correction.path;
    let before = std::fs::read(root.join(path)).map_err(|e| Error::read(path, e))?;
    let text = std::str::from_utf8(&before)
        .map_err(|_| Error::config(format!("{path} is not UTF-8 text")))?;
    let after = with_fields(text, fields);
    plan.edit(path, before, after);
    Ok(())
}
