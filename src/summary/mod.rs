//! The review summary: what a pull request (or the staged change) does to
//! the site, in meaning rather than lines, as data. It is built from the
//! same review the range check judges (`check::review`), and rendered by
//! the template `review/templates/summary.md.j2` (`render`); the JSON
//! (`folio summary --format json`) is exactly the document the template
//! sees. Every string in it that came from the repository is untrusted: the
//! template's output escapes it (see `template`).
//!
//! - `diff`: sections, paragraphs and claims, bounded per page.

pub mod diff;

use crate::change::Change;
use crate::check::review::{PageReview, named, review};
use crate::check::{Context, check_page};
use crate::error::Result;
use crate::finding::Finding;
use crate::git::{CommitInfo, Oid, Repo};
use crate::site::files::Files;
use crate::site::layout::{POLICY_PATH, is_record_path, registry_path};
use crate::site::page::{Key, Page};
use crate::site::parse_page;
use crate::site::policy::Policy;
use crate::site::record::{Change as RecordChange, Kind as RecordKind, Record};
use crate::site::registry::{Registry, Source};
use crate::site::workflow::State;
use crate::template::Templates;
use crate::text::folded;
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use diff::TextChange;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The version of the summary's JSON document (and of what templates see).
/// It changes only when a field is removed or changes meaning.
pub const FORMAT_VERSION: u32 = 1;

/// What a change does to the site.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub format_version: u32,
    /// `range` (commits between a base and a head) or `staged` (the index
    /// against `HEAD`).
    pub scope: &'static str,
    /// The merge-base (or `HEAD`, for the staged change), abbreviated.
    pub base: Option<String>,
    /// The head commit, abbreviated; none for the index.
    pub head: Option<String>,
    /// Whether the change touches no page, record, registry or policy.
    pub quiet: bool,
    pub headline: Headline,
    pub commits: Vec<CommitLine>,
    /// Pages whose state differs between the base and the head.
    pub transitions: Vec<Transition>,
    /// Every page the change touches, and pages it records something for.
    pub pages: Vec<PageSummary>,
    pub sources: SourcesChange,
    /// What the change does to the policy, which every page is judged by.
    pub policy: Option<PolicyChange>,
    /// Claims removed from a reviewed or promoted page that no decision or
    /// correction recorded in the change accounts for.
    pub warnings: Vec<Warning>,
    pub findings: FindingsChange,
    /// Pages the change touches that meet everything their next state
    /// demands.
    pub ready: Vec<Ready>,
    /// What the Markdown leaves out to stay within a comment's size.
    pub omitted: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Headline {
    pub pages_changed: usize,
    pub pages_added: usize,
    pub pages_removed: usize,
    pub pages_renamed: usize,
    pub transitions: usize,
    pub records_added: usize,
    pub findings_introduced: usize,
    pub findings_fixed: usize,
    pub commits: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommitLine {
    pub id: String,
    pub short: String,
    pub author: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Transition {
    pub page: String,
    pub path: String,
    /// `None` for a page the change adds.
    pub from: Option<State>,
    pub to: State,
    /// Whether the page meets everything its new state demands.
    pub demands_met: bool,
    /// What it lacks, when it does not.
    pub unmet: Vec<String>,
    /// Who made the move: the author of the commit that last moved it.
    pub moved_by: Option<String>,
    pub commit: Option<String>,
    /// Who signed its review, for a reviewed or promoted page.
    pub signed_by: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageSummary {
    pub id: String,
    pub path: String,
    /// `added`, `removed`, `renamed`, `edited`, or `records` (the page is
    /// unchanged; the change records something for it).
    pub change: &'static str,
    pub renamed_from: Option<String>,
    pub title: Option<String>,
    pub state_before: Option<State>,
    pub state_after: Option<State>,
    #[serde(flatten)]
    pub text: TextChange,
    pub citations_added: Vec<String>,
    pub citations_removed: Vec<String>,
    pub maintenance: Vec<RecordLine>,
    pub decisions: Vec<RecordLine>,
    /// Corrections the change takes in.
    pub corrections: Vec<RecordLine>,
    pub claims_removed: Vec<RemovedClaim>,
    /// Error findings the page has after the change.
    pub errors: Vec<String>,
    /// The state whose demands the page now meets, if it is not promoted.
    #[serde(skip)]
    ready_for: Option<State>,
}

/// A maintenance entry or a not-promoted decision the change records.
#[derive(Debug, Clone, Serialize)]
pub struct RecordLine {
    pub path: String,
    pub date: NaiveDate,
    pub by: String,
    pub change: Option<RecordChange>,
    pub summary: Option<String>,
    pub from: Option<State>,
    pub to: Option<State>,
    pub sources: Vec<String>,
    pub claim: Option<String>,
    pub reason: Option<crate::site::record::Reason>,
    pub rewrite: Option<String>,
    /// The correction a maintenance entry applies.
    pub resolves: Option<String>,
    /// A correction's id and the source it gives.
    pub id: Option<String>,
    pub source_url: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RemovedClaim {
    pub text: String,
    /// The record that accounts for it, if one does.
    pub accounted_by: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Warning {
    pub page: String,
    pub path: String,
    pub claim: String,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct SourcesChange {
    pub added: Vec<SourceLine>,
    pub changed: Vec<SourceChanged>,
    pub removed: Vec<SourceLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceLine {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SourceChanged {
    pub id: String,
    /// `field: before → after`, one per field that changed.
    pub fields: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct PolicyChange {
    pub rules_added: Vec<String>,
    pub rules_removed: Vec<String>,
    pub rules_changed: Vec<String>,
    pub reviewers_added: Vec<String>,
    pub reviewers_removed: Vec<String>,
    /// Other settings: `key: before → after`.
    pub settings: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingsChange {
    /// Findings the change introduced: its commits' illegal moves and
    /// missing records, then findings after the change that were not there
    /// before.
    pub introduced: Vec<Finding>,
    pub fixed: Vec<Finding>,
    /// Findings there before and after: a count, not a list.
    pub already_there: usize,
    /// Whether every page was checked on both sides, or only what the
    /// change touches.
    pub whole_site: bool,
    /// Findings left out because the site's baseline holds them (absent
    /// when none were).
    #[serde(skip_serializing_if = "is_zero")]
    pub in_baseline: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Debug, Clone, Serialize)]
pub struct Ready {
    pub page: String,
    pub path: String,
    pub state: State,
    pub next: State,
}

/// The Markdown a comment can hold: GitHub's limit is 65,536 characters,
/// and the poster may add a little.
pub const COMMENT_LIMIT: usize = 60_000;

/// The summary as Markdown, rendered by `summary.md.j2`. When it would not
/// fit a comment, whole parts are left out (and `omitted` says which) until
/// it does.
pub fn markdown(summary: &Summary, templates: &Templates) -> Result<String> {
    let mut shown = summary.clone();
    let mut level = 0;
    loop {
        if let Some(text) = templates.render_within("summary.md.j2", &shown, COMMENT_LIMIT)? {
            return Ok(text);
        }
        if !shown.leave_out(level) {
            let text = templates.render("summary.md.j2", &shown)?;
            let cut: String = text.chars().take(COMMENT_LIMIT - 200).collect();
            return Ok(format!(
                "{cut}\n\n(cut at {COMMENT_LIMIT} characters: the whole summary is `folio summary --format json`)\n"
            ));
        }
        level += 1;
    }
}

impl Summary {
    /// Leaves out the next part a comment can do without; `false` when
    /// nothing is left to leave out. First every list is cut to its first
    /// 50 items (a reviewer of a huge change still sees those whole), then
    /// the paragraph diffs go, then each page's details, then the lists are
    /// cut to 10.
    fn leave_out(&mut self, level: usize) -> bool {
        match level {
            0 => self.cut_lists(50),
            1 => {
                for page in &mut self.pages {
                    page.text.paragraphs.clear();
                    page.text.cut = None;
                }
                self.omitted
                    .push("the changed paragraphs of each page".to_string());
            }
            2 => {
                for page in &mut self.pages {
                    page.text = TextChange::default();
                    page.citations_added.clear();
                    page.citations_removed.clear();
                    page.maintenance.clear();
                    page.decisions.clear();
                    page.claims_removed.clear();
                }
                self.omitted.push("what changed on each page".to_string());
            }
            3 => self.cut_lists(10),
            _ => return false,
        }
        true
    }

    /// Keeps the first `keep` items of every list, saying what went.
    fn cut_lists(&mut self, keep: usize) {
        let mut cut = |len: usize, what: &str| {
            if len > keep {
                self.omitted.push(format!("{} more {what}", len - keep));
            }
        };
        cut(self.pages.len(), "pages");
        cut(self.transitions.len(), "state transitions");
        cut(self.findings.introduced.len(), "findings introduced");
        cut(self.findings.fixed.len(), "findings fixed");
        cut(self.warnings.len(), "removed claims");
        cut(self.ready.len(), "pages ready for their next state");
        cut(self.sources.added.len(), "sources added");
        cut(self.sources.changed.len(), "sources changed");
        cut(self.sources.removed.len(), "sources removed");
        self.pages.truncate(keep);
        self.transitions.truncate(keep);
        self.findings.introduced.truncate(keep);
        self.findings.fixed.truncate(keep);
        self.warnings.truncate(keep);
        self.ready.truncate(keep);
        self.sources.added.truncate(keep);
        self.sources.changed.truncate(keep);
        self.sources.removed.truncate(keep);
    }
}

/// The summary of a range (see `Repo::range_ends`), and the merge-base it
/// starts from.
pub fn range(repo: &Repo, range: Option<&str>, today: NaiveDate) -> Result<(Summary, Oid)> {
    let (base, head) = repo.range_ends(range)?;
    let commits = repo.range(base, head)?;
    let merge_base = repo.merge_base(base, head)?;
    let whole = Change::between(repo, Some(merge_base), head, Vec::new())?;
    let mut summary = build(repo, &whole, &commits, today)?;
    summary.scope = "range";
    summary.base = Some(merge_base.short());
    summary.head = Some(head.short());
    Ok((summary, merge_base))
}

/// The summary of the staged change, as the reviewer will see it once it
/// is committed.
pub fn staged(repo: &Repo, index_file: Option<&Path>, today: NaiveDate) -> Result<Summary> {
    let whole = Change::staged(repo, index_file, false)?;
    let mut summary = build(repo, &whole, &[], today)?;
    summary.scope = "staged";
    summary.base = whole.before.commit.map(|c| c.short());
    Ok(summary)
}

fn build(repo: &Repo, whole: &Change, commits: &[CommitInfo], today: NaiveDate) -> Result<Summary> {
    let records = &whole.records;
    let review = review(whole, commits, today, |page| {
        summarise(page, records, today)
    })?;
    let mut pages = review.pages;
    pages.extend(record_only_pages(whole, &pages)?);
    let mut authors = BTreeMap::new();
    let mut commit_lines = Vec::new();
    for commit in commits {
        let about = repo.describe(commit.id)?;
        authors.insert(commit.id, about.author.clone());
        commit_lines.push(CommitLine {
            id: commit.id.to_string(),
            short: commit.id.short(),
            author: about.author,
            subject: about.subject,
        });
    }
    let transitions: Vec<Transition> = pages
        .iter()
        .filter(|p| p.change != "records" && p.change != "removed")
        .filter_map(|p| {
            let to = p.state_after?;
            (p.state_before != Some(to)).then(|| {
                let commit = review.moved_in.get(&p.path);
                Transition {
                    page: p.id.clone(),
                    path: p.path.clone(),
                    from: p.state_before,
                    to,
                    demands_met: p.errors.is_empty(),
                    unmet: p.errors.clone(),
                    moved_by: commit.and_then(|c| authors.get(c).cloned()),
                    commit: commit.map(|c| c.short()),
                    signed_by: Vec::new(),
                }
            })
        })
        .collect();
    let transitions = signed(whole, transitions)?;
    let warnings = pages
        .iter()
        .flat_map(|p| {
            p.claims_removed
                .iter()
                .filter(|c| c.accounted_by.is_none())
                .map(|c| Warning {
                    page: p.id.clone(),
                    path: p.path.clone(),
                    claim: c.text.clone(),
                })
        })
        .collect();
    let ready = pages
        .iter()
        .filter_map(|p| {
            Some(Ready {
                page: p.id.clone(),
                path: p.path.clone(),
                state: p.state_after?,
                next: p.ready_for?,
            })
        })
        .collect();
    let content_dir = &whole.policy.pages.dir;
    let sources = if whole.touches(&registry_path(content_dir)) {
        sources_change(&whole.registry_before()?.0, &whole.registry_after()?.0)
    } else {
        SourcesChange::default()
    };
    let policy = if whole.touches(POLICY_PATH) {
        Some(policy_change(&whole.policy_before()?, &whole.policy))
    } else {
        None
    };
    let mut introduced = review.commit_findings;
    introduced.extend(review.introduced);
    let in_baseline =
        crate::baseline::leave_out(&whole.after, &mut introduced, false)?.map_or(0, |s| s.silenced);
    let count = |what: &str| pages.iter().filter(|p| p.change == what).count();
    let headline = Headline {
        pages_changed: pages.iter().filter(|p| p.change != "records").count(),
        pages_added: count("added"),
        pages_removed: count("removed"),
        pages_renamed: count("renamed"),
        transitions: transitions.len(),
        records_added: records.len(),
        findings_introduced: introduced.len(),
        findings_fixed: review.fixed.len(),
        commits: commits.len(),
    };
    let quiet = !whole.deltas.iter().any(|d| {
        [d.path.as_str(), d.old_path.as_str()].iter().any(|p| {
            whole.policy.pages.is_page(p)
                || is_record_path(p)
                || *p == POLICY_PATH
                || *p == registry_path(content_dir)
        })
    });
    Ok(Summary {
        format_version: FORMAT_VERSION,
        scope: "range",
        base: None,
        head: None,
        quiet,
        headline,
        commits: commit_lines,
        transitions,
        pages,
        sources,
        policy,
        warnings,
        findings: FindingsChange {
            introduced,
            fixed: review.fixed,
            already_there: review.unchanged,
            whole_site: review.whole_site,
            in_baseline,
        },
        ready,
        omitted: Vec::new(),
    })
}

/// What a reviewer is told about one page the change touches.
fn summarise(review: &PageReview, records: &[Record], today: NaiveDate) -> PageSummary {
    let change = review.change;
    let (before, after) = (change.before.as_ref(), change.after.as_ref());
    let page = after.or(before);
    let id = page.map_or_else(|| change.path.clone(), |p| p.id.clone());
    let ids: Vec<&str> = [after, before]
        .iter()
        .flatten()
        .map(|p| p.id.as_str())
        .collect();
    let own: Vec<&Record> = records
        .iter()
        .filter(|r| ids.contains(&r.owner.as_str()))
        .collect();
    let old = before.zip(review.prose_before);
    let new = after.zip(review.prose_after);
    let (cited_before, cited_after) = (named(old), named(new));
    let text = match (old, new) {
        (Some((b, bp)), Some((a, ap))) if change.body_changed => {
            diff::text_change((b.body(), bp), (a.body(), ap))
        }
        _ => TextChange::default(),
    };
    let published = before.and_then(|p| p.fields.status) >= Some(State::Reviewed);
    let claims_removed = match (old, new) {
        (Some((b, bp)), Some((a, ap))) if published && change.body_changed => {
            diff::removed_claims((b.body(), bp), (a.body(), ap))
                .into_iter()
                .map(|text| RemovedClaim {
                    accounted_by: accounted_by(&text, &own),
                    text,
                })
                .collect()
        }
        _ => Vec::new(),
    };
    let errors: Vec<String> = review
        .after
        .iter()
        .filter(|f| f.is_error() && f.path == change.path)
        .map(|f| f.message.clone())
        .collect();
    // A page with errors in its own state meets no later one.
    let ready_for = new
        .filter(|_| errors.is_empty())
        .and_then(|(p, prose)| ready_for(p, prose, review.context_after, today));
    PageSummary {
        id,
        path: change.path.clone(),
        change: change.what.as_str(),
        renamed_from: change.renamed_from.clone(),
        title: page.and_then(|p| p.fields.title.clone()),
        state_before: before.and_then(|p| p.fields.status),
        state_after: after.and_then(|p| p.fields.status),
        text,
        citations_added: cited_after.difference(&cited_before).cloned().collect(),
        citations_removed: cited_before.difference(&cited_after).cloned().collect(),
        maintenance: lines(&own, RecordKind::Maintenance),
        decisions: lines(&own, RecordKind::NotPromoted),
        corrections: lines(&own, RecordKind::Correction),
        claims_removed,
        errors,
        ready_for,
    }
}

/// The record that accounts for a claim removed from a published page: a
/// decision declining it, or a correction or capability update (the kinds
/// of change that take a claim back). An editorial entry does not.
fn accounted_by(claim: &str, records: &[&Record]) -> Option<String> {
    let (claim_folded, _) = folded(claim);
    let claim_folded = claim_folded.trim();
    records
        .iter()
        .find(|r| match r.kind {
            RecordKind::NotPromoted => r.claim.as_deref().is_some_and(|declined| {
                let (declined, _) = folded(declined);
                let declined = declined.trim();
                !declined.is_empty()
                    && (claim_folded.contains(declined) || declined.contains(claim_folded))
            }),
            RecordKind::Maintenance => matches!(
                r.change,
                Some(RecordChange::Correction | RecordChange::CapabilityUpdate)
            ),
            RecordKind::Correction => false,
        })
        .map(|r| r.path.clone())
}

fn lines(records: &[&Record], kind: RecordKind) -> Vec<RecordLine> {
    let mut out: Vec<RecordLine> = records
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| RecordLine {
            path: r.path.clone(),
            date: r.date,
            by: r.by.clone(),
            change: r.change,
            summary: r.summary.clone(),
            from: r.from,
            to: r.to,
            sources: r.sources.clone(),
            claim: r.claim.clone(),
            reason: r.reason,
            rewrite: r.rewrite.clone(),
            resolves: r.resolves.clone(),
            id: (r.kind == RecordKind::Correction).then(|| r.short_id().to_string()),
            source_url: r.correction.as_ref().and_then(|c| c.source_url.clone()),
        })
        .collect();
    out.sort_by(|a, b| (a.date, &a.path).cmp(&(b.date, &b.path)));
    out
}

/// The next state, if the page meets everything it demands: checked as
/// `folio move` would check the move (a move to reviewed is signed today,
/// by a reviewer on the roster other than the owner).
fn ready_for(page: &Page, prose: &Prose, ctx: &Context, today: NaiveDate) -> Option<State> {
    let next = match page.fields.status? {
        State::Draft => State::Research,
        State::Research => State::Reviewed,
        State::Reviewed => State::Promoted,
        State::Promoted => return None,
    };
    // The page as the move would leave it: a move sets only these fields,
    // and the body (and its prose) stays as it is.
    let mut moved = page.clone();
    moved.fields.status = Some(next);
    if next == State::Reviewed {
        let owner = page.fields.owner.as_deref();
        let signer = ctx
            .policy
            .reviewers
            .iter()
            .find(|r| Some(r.as_str()) != owner)?;
        moved.fields.last_reviewed = Some(today);
        moved.fields.reviewers = vec![signer.clone()];
        moved.invalid_keys.remove(&Key::LastReviewed);
        moved.invalid_keys.remove(&Key::Reviewers);
    }
    let findings = check_page(&moved, prose, ctx);
    (!findings.iter().any(Finding::is_error)).then_some(next)
}

/// Pages the change records something for without touching the page.
fn record_only_pages(whole: &Change, pages: &[PageSummary]) -> Result<Vec<PageSummary>> {
    let shown: BTreeSet<&str> = pages.iter().map(|p| p.id.as_str()).collect();
    let mut by_page: BTreeMap<&str, Vec<&Record>> = BTreeMap::new();
    for record in &whole.records {
        if !shown.contains(record.owner.as_str()) {
            by_page
                .entry(record.owner.as_str())
                .or_default()
                .push(record);
        }
    }
    let mut out = Vec::new();
    for (id, records) in by_page {
        let (mut page, mut path) = (None, whole.policy.pages.new_path(id));
        for there in whole.policy.pages.paths_for(id) {
            if let Some(bytes) = whole.after.read(&there)? {
                page = parse_page(&there, &bytes, &whole.policy).0;
                path = there;
                break;
            }
        }
        let state = page.as_ref().and_then(|p| p.fields.status);
        out.push(PageSummary {
            id: id.to_string(),
            path,
            change: "records",
            renamed_from: None,
            title: page.as_ref().and_then(|p| p.fields.title.clone()),
            state_before: state,
            state_after: state,
            text: TextChange::default(),
            citations_added: Vec::new(),
            citations_removed: Vec::new(),
            maintenance: lines(&records, RecordKind::Maintenance),
            decisions: lines(&records, RecordKind::NotPromoted),
            corrections: lines(&records, RecordKind::Correction),
            claims_removed: Vec::new(),
            errors: Vec::new(),
            ready_for: None,
        });
    }
    Ok(out)
}

/// Who signed each reviewed or promoted page's review, as the head has it.
fn signed(whole: &Change, mut transitions: Vec<Transition>) -> Result<Vec<Transition>> {
    for t in transitions.iter_mut().filter(|t| t.to >= State::Reviewed) {
        if let Some(bytes) = whole.after.read(&t.path)? {
            if let (Some(page), _) = parse_page(&t.path, &bytes, &whole.policy) {
                t.signed_by = page.fields.reviewers;
            }
        }
    }
    Ok(transitions)
}

fn source_line(s: &Source) -> SourceLine {
    SourceLine {
        id: s.id.clone(),
        title: s.title.clone(),
        url: s.url.clone(),
        kind: s.kind.map(|k| k.as_str().to_string()),
    }
}

/// Sources added to, changed in or removed from the registry.
fn sources_change(before: &Registry, after: &Registry) -> SourcesChange {
    let mut change = SourcesChange::default();
    for source in &after.sources {
        match before.get(&source.id) {
            None => change.added.push(source_line(source)),
            Some(old) => {
                let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(none)".to_string());
                let fields: Vec<String> = [
                    ("title", show(&old.title), show(&source.title)),
                    ("url", show(&old.url), show(&source.url)),
                    (
                        "kind",
                        show(&old.kind.map(|k| k.as_str().to_string())),
                        show(&source.kind.map(|k| k.as_str().to_string())),
                    ),
                    (
                        "accessed",
                        show(&old.accessed.map(|d| d.to_string())),
                        show(&source.accessed.map(|d| d.to_string())),
                    ),
                ]
                .into_iter()
                .filter(|(_, a, b)| a != b)
                .map(|(field, a, b)| format!("{field}: {a} → {b}"))
                .collect();
                if !fields.is_empty() {
                    change.changed.push(SourceChanged {
                        id: source.id.clone(),
                        fields,
                    });
                }
            }
        }
    }
    change.removed = before
        .sources
        .iter()
        .filter(|s| after.get(&s.id).is_none())
        .map(source_line)
        .collect();
    change
}

/// What a change of the policy changes for every page.
fn policy_change(before: &Policy, after: &Policy) -> PolicyChange {
    let ids = |p: &Policy| -> BTreeSet<String> { p.rules.iter().map(|r| r.id.clone()).collect() };
    let (old_ids, new_ids) = (ids(before), ids(after));
    let rules_changed = after
        .rules
        .iter()
        .filter(|r| {
            before.rules.iter().find(|o| o.id == r.id).is_some_and(|o| {
                (
                    &o.pattern,
                    &o.message,
                    &o.states,
                    o.severity,
                    o.excused_by_citation,
                    o.future_only,
                ) != (
                    &r.pattern,
                    &r.message,
                    &r.states,
                    r.severity,
                    r.excused_by_citation,
                    r.future_only,
                )
            })
        })
        .map(|r| r.id.clone())
        .collect();
    let names = |p: &Policy| -> BTreeSet<String> { p.reviewers.iter().cloned().collect() };
    let (old_names, new_names) = (names(before), names(after));
    let mut settings = Vec::new();
    let mut setting = |key: &str, a: String, b: String| {
        if a != b {
            settings.push(format!("{key}: {a} → {b}"));
        }
    };
    setting(
        "content_dir",
        before.pages.dir.clone(),
        after.pages.dir.clone(),
    );
    setting(
        "review_interval_days",
        before.review_interval_days.to_string(),
        after.review_interval_days.to_string(),
    );
    let kinds = |p: &Policy| {
        p.promotable_source_kinds
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    setting("promotable_source_kinds", kinds(before), kinds(after));
    let states = |p: &Policy| {
        p.new_page_states
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    setting("new_page_states", states(before), states(after));
    PolicyChange {
        rules_added: new_ids.difference(&old_ids).cloned().collect(),
        rules_removed: old_ids.difference(&new_ids).cloned().collect(),
        rules_changed,
        reviewers_added: new_names.difference(&old_names).cloned().collect(),
        reviewers_removed: old_names.difference(&new_names).cloned().collect(),
        settings,
    }
}
