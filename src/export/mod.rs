//! `folio export`: the facts folio holds about each page, as data a site
//! generator renders: its state, review, audience, maintenance record,
//! not-promoted decisions, open corrections, sources and correction link.
//! One JSON file per page (`pages/<id>.json`) and an index (`index.json`),
//! in a versioned format described by `schema.json` (printed by
//! `folio export --schema`). Every text is plain text, as written in the
//! repository: the generator's template escapes it.
//!
//! Pages are read, turned into data and written one at a time on both
//! cores, so memory follows the largest page, not the site.

use crate::board::{CorrectionStatus, correction_status, of_kind};
use crate::check::records::by_owner;
use crate::check::sources::named_sources;
use crate::correction::link::new_issue_url;
use crate::site::Site;
use crate::site::page::Page;
use crate::site::record::{Change, Kind, Reason, Record};
use crate::site::registry::{Registry, SourceKind};
use crate::site::workflow::State;
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

/// The format's name and version, in every file. A change that removes or
/// retypes a field raises the version; new fields do not.
pub const FORMAT: &str = "folio-export";
pub const VERSION: u32 = 1;

/// The JSON Schema of both kinds of file.
pub const SCHEMA: &str = include_str!("schema.json");

/// `index.json`: every page, in id order, with what a listing shows.
#[derive(Serialize)]
pub struct Index {
    pub format: &'static str,
    pub version: u32,
    /// The day the export was made: ages and "overdue" are as of it.
    pub today: NaiveDate,
    /// How many pages are in each state (states with none are listed too).
    pub states: BTreeMap<State, usize>,
    pub pages: Vec<IndexEntry>,
}

#[derive(Serialize)]
pub struct IndexEntry {
    pub id: String,
    /// The page's file, from the repository root.
    pub path: String,
    /// The page's data file, from the export folder.
    pub file: String,
    pub title: Option<String>,
    pub state: Option<State>,
    pub last_reviewed: Option<NaiveDate>,
    pub next_review: Option<NaiveDate>,
    pub review_overdue: bool,
    pub open_corrections: usize,
}

/// `pages/<id>.json`.
#[derive(Serialize)]
pub struct PageData {
    pub format: &'static str,
    pub version: u32,
    pub id: String,
    pub path: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub audience: Option<String>,
    pub owner: Option<String>,
    pub state: Option<State>,
    /// The site's own word for the state (`states.words` in the policy).
    pub state_word: Option<String>,
    /// Minutes, at 200 words a minute.
    pub reading_minutes: usize,
    pub review: Review,
    /// Newest first.
    pub maintenance: Vec<Maintenance>,
    /// Claims left out on purpose, newest first.
    pub not_promoted: Vec<Decision>,
    /// Corrections still waiting for the page to change (open or
    /// accepted), oldest first.
    pub open_corrections: Vec<CorrectionStatus>,
    /// The sources the page names (frontmatter `sources`, then citations
    /// in body order), each once, resolved from the registry.
    pub sources: Vec<SourceData>,
    /// The link that opens the correction form for this page, when the
    /// repository's web address is known (its `origin` remote).
    pub correction_url: Option<String>,
}

#[derive(Serialize)]
pub struct Review {
    pub last_reviewed: Option<NaiveDate>,
    pub reviewers: Vec<String>,
    /// How long a review holds, as `6 months` or `180 days`.
    pub interval: String,
    /// The last day the review holds.
    pub next_review: Option<NaiveDate>,
    /// The state must be kept fresh and the review has lapsed.
    pub overdue: bool,
}

#[derive(Serialize)]
pub struct Maintenance {
    pub date: NaiveDate,
    pub by: String,
    pub change: Option<Change>,
    pub summary: Option<String>,
    /// For a transition: the states it moved between.
    pub from: Option<State>,
    pub to: Option<State>,
    pub sources: Vec<String>,
    /// The correction it applied, if any.
    pub resolves: Option<String>,
}

#[derive(Serialize)]
pub struct Decision {
    pub date: NaiveDate,
    pub by: String,
    pub claim: Option<String>,
    pub reason: Option<Reason>,
    /// The reason in words, for a reader.
    pub reason_text: Option<&'static str>,
    /// What the claim became instead, when it was rewritten.
    pub rewrite: Option<String>,
}

#[derive(Serialize)]
pub struct SourceData {
    pub id: String,
    /// Whether the registry has the id (a page may name one it lacks,
    /// which `folio check` reports).
    pub in_registry: bool,
    pub title: Option<String>,
    pub url: Option<String>,
    pub kind: Option<SourceKind>,
    pub accessed: Option<NaiveDate>,
}

/// A reason in words.
fn reason_text(reason: Reason) -> &'static str {
    match reason {
        Reason::FutureDate => "a future date",
        Reason::UniversalMultiplier => "a universal performance multiplier",
        Reason::UnsourcedMaturity => "an unsourced maturity label",
        Reason::BroadComparison => "a broad product comparison",
        Reason::NoPrimarySource => "no primary source",
        Reason::Other => "another reason",
    }
}

/// What the export of one site needs besides each page.
pub struct Context<'a> {
    pub site: &'a Site,
    pub today: NaiveDate,
    /// The repository's web address, for the correction links.
    pub repo_url: Option<&'a str>,
    records: std::collections::HashMap<&'a str, Vec<&'a Record>>,
}

impl<'a> Context<'a> {
    pub fn new(site: &'a Site, today: NaiveDate, repo_url: Option<&'a str>) -> Context<'a> {
        Context {
            site,
            today,
            repo_url,
            records: by_owner(&site.records),
        }
    }
}

/// The file a page's data goes to, from the export folder.
pub fn page_file(id: &str) -> String {
    format!("pages/{id}.json")
}

/// A page's data, and its line in the index.
pub fn page_data(page: &Page, ctx: &Context) -> (PageData, IndexEntry) {
    let policy = &ctx.site.policy;
    let records = ctx
        .records
        .get(page.id.as_str())
        .map_or(&[][..], Vec::as_slice);
    let mut maintenance = of_kind(records, Kind::Maintenance);
    maintenance.reverse();
    let mut decisions = of_kind(records, Kind::NotPromoted);
    decisions.reverse();
    let fields = &page.fields;
    let due = page.review_due(policy, ctx.today);
    let (next_review, overdue) = (due.map(|d| d.0), due.is_some_and(|d| d.1));
    let open_corrections: Vec<CorrectionStatus> = of_kind(records, Kind::Correction)
        .into_iter()
        .map(|r| correction_status(r, ctx.today, policy.correction_days))
        .filter(|c| c.state.is_pending())
        .collect();
    let prose = Prose::new(page.body());
    let data = PageData {
        format: FORMAT,
        version: VERSION,
        id: page.id.clone(),
        path: page.path.clone(),
        title: fields.title.clone(),
        summary: fields.summary.clone(),
        audience: fields.audience.clone(),
        owner: fields.owner.clone(),
        state: fields.status,
        state_word: fields.status.map(|s| policy.dialect.word(s).to_string()),
        reading_minutes: page.reading_minutes(),
        review: Review {
            last_reviewed: fields.last_reviewed,
            reviewers: fields.reviewers.clone(),
            interval: page.review_interval(policy).to_string(),
            next_review,
            overdue,
        },
        maintenance: maintenance
            .into_iter()
            .map(|r| Maintenance {
                date: r.date,
                by: r.by.clone(),
                change: r.change,
                summary: r.summary.clone(),
                from: r.from,
                to: r.to,
                sources: r.sources.clone(),
                resolves: r.resolves.clone(),
            })
            .collect(),
        not_promoted: decisions
            .into_iter()
            .map(|r| Decision {
                date: r.date,
                by: r.by.clone(),
                claim: r.claim.clone(),
                reason: r.reason,
                reason_text: r.reason.map(reason_text),
                rewrite: r.rewrite.clone(),
            })
            .collect(),
        sources: sources(page, &prose, &ctx.site.registry),
        correction_url: ctx.repo_url.map(|url| new_issue_url(url, &page.id, None).0),
        open_corrections,
    };
    let entry = IndexEntry {
        id: page.id.clone(),
        path: page.path.clone(),
        file: page_file(&page.id),
        title: fields.title.clone(),
        state: fields.status,
        last_reviewed: fields.last_reviewed,
        next_review,
        review_overdue: overdue,
        open_corrections: data.open_corrections.len(),
    };
    (data, entry)
}

/// The sources a page names, each once, in the order it names them.
fn sources(page: &Page, prose: &Prose, registry: &Registry) -> Vec<SourceData> {
    let mut seen = std::collections::HashSet::new();
    named_sources(page, prose)
        .filter(|id| seen.insert(*id))
        .map(|id| match registry.get(id) {
            Some(s) => SourceData {
                id: id.to_string(),
                in_registry: true,
                title: s.title.clone(),
                url: s.url.clone(),
                kind: s.kind,
                accessed: s.accessed,
            },
            None => SourceData {
                id: id.to_string(),
                in_registry: false,
                title: None,
                url: None,
                kind: None,
                accessed: None,
            },
        })
        .collect()
}

/// The index of the pages exported, put in id order.
pub fn index(mut pages: Vec<IndexEntry>, today: NaiveDate) -> Index {
    pages.sort_by(|a, b| a.id.cmp(&b.id));
    let mut states: BTreeMap<State, usize> = State::ALL.iter().map(|&s| (s, 0)).collect();
    for page in &pages {
        if let Some(state) = page.state {
            *states.entry(state).or_default() += 1;
        }
    }
    Index {
        format: FORMAT,
        version: VERSION,
        today,
        states,
        pages,
    }
}

/// Exports one page through `write`; `None` for a page whose id is not
/// usable (`folio check` says why).
pub fn export_page(
    page: &Page,
    ctx: &Context,
    write: &dyn Fn(&str, &[u8]) -> crate::error::Result<()>,
) -> crate::error::Result<Option<IndexEntry>> {
    if !crate::site::usable_id(&page.id) {
        return Ok(None);
    }
    let (data, entry) = page_data(page, ctx);
    let mut json = serde_json::to_vec_pretty(&data).expect("page data serialises");
    json.push(b'\n');
    write(&entry.file, &json)?;
    Ok(Some(entry))
}
