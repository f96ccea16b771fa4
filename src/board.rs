//! The board, as data: pages by state with owner and age, and what is due
//! (stale promoted pages, pages mentioning a date that has arrived since
//! their review, pages whose text no record speaks for, sources not
//! rechecked within the interval); for a site generator, each page's
//! title, state, review date, reading time, maintenance record,
//! not-promoted decisions, corrections and correction link. `folio status`
//! prints it.

use crate::check;
use crate::check::records::by_owner;
use crate::correction::link::new_issue_url;
use crate::site::files::Files;
use crate::site::page::Key;
use crate::site::page::Page;
use crate::site::policy::earliest_date;
use crate::site::record::{Change, CorrectionState, Kind, Record};
use crate::site::workflow::Demand;
use crate::site::workflow::State;
use crate::site::{Site, each_page};
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use regex_automata::{PatternID, PatternSet};
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
pub struct Board {
    pub today: NaiveDate,
    pub pages: Vec<PageStatus>,
    /// The ids of the pages in `overdue`.
    pub stale: Vec<String>,
    /// Pages whose review is past due, the longest overdue first.
    pub overdue: Vec<Overdue>,
    /// Pages whose review lapses within `DUE_SOON_DAYS`, soonest first.
    pub due_soon: Vec<DueSoon>,
    pub due: Vec<Due>,
    pub unrecorded: Vec<String>,
    pub sources_due: Vec<SourceDue>,
    /// The site's latest transitions, not-promoted decisions and filed
    /// corrections, newest first, at most `RECENT`.
    pub recent: Vec<Recent>,
}

/// How far ahead "due soon" looks.
pub const DUE_SOON_DAYS: i64 = 30;
/// How many records `recent` holds.
pub const RECENT: usize = 30;

/// A page whose review lapses soon.
#[derive(Serialize)]
pub struct DueSoon {
    pub id: String,
    pub path: String,
    /// The last day the review holds.
    pub due: NaiveDate,
    pub days_left: i64,
}

/// A record of the site's recent activity.
#[derive(Serialize)]
pub struct Recent {
    pub page: String,
    pub date: NaiveDate,
    pub by: String,
    /// `transition`, `not-promoted` or `correction`.
    pub what: &'static str,
    /// For a transition: the states it moved between.
    pub from: Option<State>,
    pub to: Option<State>,
    /// The claim a decision or a correction is about.
    pub claim: Option<String>,
}

#[derive(Serialize)]
pub struct PageStatus {
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub state: Option<State>,
    pub owner: Option<String>,
    pub last_reviewed: Option<NaiveDate>,
    /// Days since `last_reviewed`.
    pub age_days: Option<i64>,
    /// Minutes, at 200 words a minute.
    pub reading_minutes: usize,
    pub maintenance: Vec<Record>,
    pub not_promoted: Vec<Record>,
    /// Corrections filed against the page, oldest first.
    pub corrections: Vec<CorrectionStatus>,
    /// The new-issue link that opens the correction form for the page
    /// (when the repository's web address is known).
    pub correction_url: Option<String>,
    /// The state the page could move forward to now: that move would be
    /// accepted (see `ready_for`).
    pub ready_for: Option<State>,
}

/// A correction on the board.
#[derive(Serialize)]
pub struct CorrectionStatus {
    pub id: String,
    pub path: String,
    pub state: CorrectionState,
    pub filed: NaiveDate,
    /// Days since it was filed.
    pub age_days: i64,
    /// Still waiting (open or accepted) past the policy's `correction_days`.
    pub overdue: bool,
    pub claim: Option<String>,
    pub issue: Option<u64>,
}

/// A page whose review is past due, said in the site's own field names.
#[derive(Serialize)]
pub struct Overdue {
    pub id: String,
    pub path: String,
    pub last_reviewed: NaiveDate,
    /// The key the review date was read from (`last_reviewed_on`, say).
    pub last_reviewed_key: String,
    /// How long a review holds, as `6 months` or `180 days`.
    pub interval: String,
    /// The page's key the interval came from, or `None` for the policy's.
    pub interval_key: Option<String>,
    /// The last day the review held.
    pub due: NaiveDate,
    /// Days since `due`.
    pub days_overdue: i64,
}

#[derive(Serialize)]
pub struct Due {
    pub page: String,
    /// The date the page mentions, which has arrived since its review.
    pub date: NaiveDate,
    pub phrase: String,
}

#[derive(Serialize)]
pub struct SourceDue {
    pub id: String,
    /// The last time it was read: `accessed`, or its latest source-recheck.
    pub checked: Option<NaiveDate>,
}

/// The board of `site` today, a site loaded without its pages
/// (`site::load_unread`): each page is read from `files`, put on the board
/// and let go on one of the cores, so memory follows the board, not the
/// pages' text. `repo_url` (the repository's web address, if known) makes
/// each page's correction link.
pub fn board<F: Files + Sync>(
    site: &Site,
    files: &F,
    today: NaiveDate,
    repo_url: Option<&str>,
) -> Board {
    let by_page = by_owner(&site.records);
    let entries = each_page(site, files, |page| {
        let own = by_page.get(page.id.as_str()).map_or(&[][..], Vec::as_slice);
        page_entry(site, page, own, today, repo_url)
    });
    let mut pages = Vec::new();
    let mut overdue = Vec::new();
    let mut due_soon = Vec::new();
    let mut due = Vec::new();
    let mut unrecorded = Vec::new();
    for entry in entries.into_iter().flatten() {
        if entry.unrecorded {
            unrecorded.push(entry.status.id.clone());
        }
        pages.push(entry.status);
        overdue.extend(entry.overdue);
        due_soon.extend(entry.due_soon);
        due.extend(entry.due);
    }
    pages.sort_by(|a, b| (a.state, &a.id).cmp(&(b.state, &b.id)));
    overdue.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    due_soon.sort_by(|a, b| (a.due, &a.id).cmp(&(b.due, &b.id)));
    let stale = overdue.iter().map(|o| o.id.clone()).collect();
    let interval = site.policy.review_interval();
    // Each source's latest recheck, from one pass over the records (not
    // one per source: a registry and a ledger both grow with the site).
    let mut rechecked: HashMap<&str, NaiveDate> = HashMap::new();
    for r in site
        .records
        .iter()
        .filter(|r| r.change == Some(Change::SourceRecheck))
    {
        for id in &r.sources {
            let latest = rechecked.entry(id.as_str()).or_insert(r.date);
            *latest = (*latest).max(r.date);
        }
    }
    let sources_due = site
        .registry
        .sources
        .iter()
        .map(|s| SourceDue {
            id: s.id.clone(),
            checked: s
                .accessed
                .into_iter()
                .chain(rechecked.get(s.id.as_str()).copied())
                .max(),
        })
        .filter(|s| s.checked.is_none_or(|d| interval.until(d) < today))
        .collect();
    Board {
        today,
        pages,
        stale,
        overdue,
        due_soon,
        due,
        unrecorded,
        sources_due,
        recent: recent(&site.records),
    }
}

/// What one page puts on the board.
struct PageEntry {
    status: PageStatus,
    overdue: Option<Overdue>,
    due_soon: Option<DueSoon>,
    due: Vec<Due>,
    unrecorded: bool,
}

fn page_entry(
    site: &Site,
    page: &Page,
    own: &[&Record],
    today: NaiveDate,
    repo_url: Option<&str>,
) -> PageEntry {
    let mut status = page_status(page, own, today, site.policy.correction_days);
    status.correction_url = repo_url.map(|url| new_issue_url(url, &page.id, None).0);
    let fresh = page
        .fields
        .status
        .is_some_and(|s| Demand::Fresh.holds_in(s));
    let review = page.review_due(&site.policy, today).filter(|_| fresh);
    let overdue = review
        .filter(|&(_, lapsed)| lapsed)
        .zip(page.fields.last_reviewed)
        .map(|((due, _), reviewed)| Overdue {
            id: page.id.clone(),
            path: page.path.clone(),
            last_reviewed: reviewed,
            last_reviewed_key: page.name(Key::LastReviewed).to_string(),
            interval: page.review_interval(&site.policy).to_string(),
            interval_key: page
                .fields
                .review_interval
                .map(|_| page.name(Key::ReviewInterval).to_string()),
            due,
            days_overdue: (today - due).num_days(),
        });
    let due_soon = review.and_then(|(due, _)| {
        let days_left = (due - today).num_days();
        (0..=DUE_SOON_DAYS).contains(&days_left).then(|| DueSoon {
            id: page.id.clone(),
            path: page.path.clone(),
            due,
            days_left,
        })
    });
    let prose = Prose::new(page.body());
    // The body read once for every rule, when the next state's check or
    // the dates that have arrived since the review need a rule.
    let rules = &site.policy.rules;
    let checked_next =
        next_state(page).is_some_and(|next| rules.iter().any(|r| r.states.contains(&next)));
    let dated = page.fields.last_reviewed.is_some() && rules.iter().any(|r| r.future_only);
    let found = (checked_next || dated)
        .then(|| site.policy.rules_found(&prose.masked))
        .flatten();
    status.ready_for = ready_for(site, page, &prose, today, found.as_ref());
    PageEntry {
        status,
        overdue,
        due_soon,
        due: arrived_dates(site, page, &prose, today, found.as_ref()),
        unrecorded: crate::check::records::unrecorded_edit(page, own).is_some(),
    }
}

/// The site's latest transitions, decisions and filed corrections.
fn recent(records: &[Record]) -> Vec<Recent> {
    let mut recent: Vec<&Record> = records
        .iter()
        .filter(|r| r.change == Some(Change::Transition) || r.kind != Kind::Maintenance)
        .collect();
    recent.sort_by(|a, b| b.order().cmp(&a.order()));
    recent
        .into_iter()
        .take(RECENT)
        .map(|r| Recent {
            page: r.owner.clone(),
            date: r.date,
            by: r.by.clone(),
            what: match r.kind {
                Kind::Maintenance => "transition",
                Kind::NotPromoted => "not-promoted",
                Kind::Correction => "correction",
            },
            from: r.from,
            to: r.to,
            claim: r.claim.clone(),
        })
        .collect()
}

/// A page's line on the board; `records` are the page's own.
fn page_status(
    page: &Page,
    records: &[&Record],
    today: NaiveDate,
    correction_days: u32,
) -> PageStatus {
    let own = |kind: Kind| -> Vec<Record> { of_kind(records, kind).into_iter().cloned().collect() };
    PageStatus {
        id: page.id.clone(),
        path: page.path.clone(),
        title: page.fields.title.clone(),
        state: page.fields.status,
        owner: page.fields.owner.clone(),
        last_reviewed: page.fields.last_reviewed,
        age_days: page.fields.last_reviewed.map(|d| (today - d).num_days()),
        reading_minutes: page.reading_minutes(),
        maintenance: own(Kind::Maintenance),
        not_promoted: own(Kind::NotPromoted),
        corrections: of_kind(records, Kind::Correction)
            .into_iter()
            .map(|r| correction_status(r, today, correction_days))
            .collect(),
        correction_url: None,
        ready_for: None,
    }
}

/// The next state forward that `folio move` would accept for the page
/// now: checked as that state by the same code, with what the move itself
/// writes supplied (a move to reviewed sets `last_reviewed` to today and,
/// when the page lists no reviewer, is signed by the first on the roster
/// who is not its owner). `None` for a promoted page, or one that is not
/// ready. `found`: which rules match the body (all may, without it).
fn ready_for(
    site: &Site,
    page: &Page,
    prose: &Prose,
    today: NaiveDate,
    found: Option<&PatternSet>,
) -> Option<State> {
    let next = next_state(page)?;
    let mut moved = page.clone();
    moved.fields.status = Some(next);
    if next == Demand::Reviewer.lowest_state() {
        if moved.fields.reviewers.is_empty() {
            let owner = page.fields.owner.as_ref();
            let signer = site.policy.reviewers.iter().find(|r| Some(*r) != owner)?;
            moved.fields.reviewers = vec![signer.clone()];
        }
        moved.fields.last_reviewed = Some(today);
    }
    let ctx = check::Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today,
        found: check::Found::Made(found),
    };
    let findings = check::check_page(&moved, prose, &ctx);
    (!findings.iter().any(crate::finding::Finding::is_error)).then_some(next)
}

/// The state after the page's own, forward: `None` for a promoted page, or
/// one without a state.
fn next_state(page: &Page) -> Option<State> {
    let state = page.fields.status?;
    state.legal_next().into_iter().find(|&n| n > state)
}

/// A page's records of one kind, oldest first (see `Record::order`).
pub fn of_kind<'a>(records: &[&'a Record], kind: Kind) -> Vec<&'a Record> {
    let mut list: Vec<&Record> = records.iter().copied().filter(|r| r.kind == kind).collect();
    list.sort_by(|a, b| a.order().cmp(&b.order()));
    list
}

/// Where a correction record stands today.
pub fn correction_status(r: &Record, today: NaiveDate, correction_days: u32) -> CorrectionStatus {
    let state = r.correction_state().unwrap_or(CorrectionState::Open);
    let age_days = (today - r.date).num_days();
    CorrectionStatus {
        id: r.short_id().to_string(),
        state,
        filed: r.date,
        age_days,
        overdue: state.is_pending() && age_days > i64::from(correction_days),
        claim: r.claim.clone(),
        issue: r.correction.as_ref().and_then(|c| c.issue),
        path: r.path.clone(),
    }
}

/// Dates a page mentions (as the policy's date rules find them) that were
/// still to come at its last review and have arrived since. `found`:
/// which rules match the body (all may, without it).
fn arrived_dates(
    site: &Site,
    page: &Page,
    prose: &Prose,
    today: NaiveDate,
    found: Option<&PatternSet>,
) -> Vec<Due> {
    let Some(reviewed) = page.fields.last_reviewed else {
        return Vec::new();
    };
    let mut due = Vec::new();
    for (i, rule) in site.policy.rules.iter().enumerate() {
        // Only a rule for future dates that matches the body somewhere.
        if !rule.future_only || found.is_some_and(|f| !f.contains(PatternID::must(i))) {
            continue;
        }
        let Ok(matches) = rule.find_iter(&prose.masked) else {
            continue;
        };
        for m in matches {
            let phrase = prose.masked[m].trim().to_string();
            if let Some(date) = earliest_date(&phrase).filter(|d| *d > reviewed && *d <= today) {
                due.push(Due {
                    page: page.id.clone(),
                    date,
                    phrase,
                });
            }
        }
    }
    due
}
