//! The checks. Given parsed pages, the registry and the policy, return
//! findings; never print, never read files (that is `site`'s job), so the
//! same checks serve the working tree, the index and any commit.
//!
//! - this file: one page (`check_page`) and a whole site (`check_site`);
//! - `demands`: what each state demands, and who may sign a review;
//! - `sources`: citations and listed sources resolve, promotable kinds;
//! - `links`: links between pages reach a page;
//! - `rules`: the policy's lint rules, in prose, title and summary;
//! - `transition`: the legal moves between states;
//! - `records`: maintenance records a change needs, edits no record speaks
//!   for, orphan records, the ledger of declined claims;
//! - `change`: judging a change (the hook, and every commit of a range).
//!
//! Severity follows the page's state: what a state demands is an error on a
//! page in that state, and an integrity problem (an unknown source, a broken
//! link, a reviewer not on the roster) is an error on reviewed and promoted
//! pages and a warning on drafts and research pages, which are still being
//! written.

pub mod change;
mod demands;
mod links;
pub(crate) mod records;
pub mod review;
mod rules;
pub(crate) mod sources;
mod transition;

pub use records::Ledger;
pub use sources::named_sources;
pub use transition::check_transition;

use crate::error::Result;
use crate::finding::{self, Finding, Findings, Severity};
use crate::site::files::Files;
use crate::site::layout::{POLICY_PATH, registry_path};
use crate::site::page::{Key, Page};
use crate::site::policy::Policy;
use crate::site::registry::Registry;
use crate::site::workflow::State;
use crate::site::{self, Site, par_map};
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// What every page is checked against.
pub struct Context<'a> {
    pub policy: &'a Policy,
    pub registry: &'a Registry,
    /// Repository-relative paths of every page, for link checks.
    pub page_paths: &'a BTreeSet<String>,
    pub today: NaiveDate,
    /// How a page's body is read for the policy's rules.
    pub found: Found<'a>,
}

/// How a page's body is read for the policy's rules.
#[derive(Clone, Copy)]
pub enum Found<'a> {
    /// By each rule in turn: one page is checked, and reading it once for
    /// every rule at once is not worth compiling them as one.
    EachRule,
    /// Once for every rule at once (see `Policy::rules_found`), then by
    /// the rules that match: many pages are checked.
    AllAtOnce,
    /// As `AllAtOnce`, the pass made already by the caller, which reads
    /// the body for the rules itself (`None`: the rules cannot be read as
    /// one).
    Made(Option<&'a regex_automata::PatternSet>),
}

/// What a check found, and over what.
pub struct Report {
    pub findings: Vec<Finding>,
    /// How many pages were checked.
    pub pages: usize,
    pub scope: Scope,
    /// What the site's baseline left out, when it has one.
    pub baseline: Option<crate::baseline::Silenced>,
}

/// What a check read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The site as it is (the working tree).
    Site,
    /// The staged pages.
    Staged,
    /// The commits of a range and what they changed: the report holds what
    /// the range introduced.
    Range(RangeScope),
}

/// What a range check covered, beyond what it introduced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RangeScope {
    pub commits: usize,
    /// Findings already there at the merge-base, and still there.
    pub already_there: usize,
    /// Findings there at the merge-base and gone at the head.
    pub fixed: usize,
    /// Whether the whole site was checked on both sides (a change of the
    /// policy, the registry, the set of pages or the decisions), or only
    /// what the range touches.
    pub whole_site: bool,
    /// Every path the range adds, edits, removes or renames.
    pub touched: BTreeSet<String>,
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        finding::exit_code(&self.findings)
    }
}

/// Checks one parsed page; `prose` is `Prose::new(page.body())`.
pub fn check_page(page: &Page, prose: &Prose, ctx: &Context) -> Vec<Finding> {
    let mut out = Findings::default();
    let state = page.fields.status;
    if state.is_none() && !page.invalid_keys.contains(&Key::Status) {
        let status = page.name(Key::Status);
        out.push(page.at_field(
            Finding::error(
                "missing-status",
                &page.path,
                format!("the page has no `{status}`"),
                format!(
                    "add `{status}: {}` to the frontmatter (states: {}), or give pages without one a state with the policy's `states: {{default: promoted}}`",
                    page.dialect.word(State::Draft),
                    page.dialect.all_words().join(", ")
                ),
            ),
            Key::Status,
        ));
    }
    let integrity = if state >= Some(State::Reviewed) {
        Severity::Error
    } else {
        Severity::Warning
    };
    if let Some(state) = state {
        demands::demands(page, prose, state, ctx, &mut out);
    }
    if let Some(date) = page.fields.last_reviewed.filter(|d| *d > ctx.today) {
        out.push(page.at_field(
            Finding::error(
                "future-review",
                &page.path,
                format!(
                    "`{}` is {date}, which is after today ({})",
                    page.name(Key::LastReviewed),
                    ctx.today
                ),
                "set it to the day the review actually happened",
            ),
            Key::LastReviewed,
        ));
    }
    sources::sources(page, prose, integrity, ctx, &mut out);
    demands::reviewers(page, integrity, ctx, &mut out);
    links::links(page, prose, integrity, ctx, &mut out);
    if let Some(state) = state {
        rules::rules(page, prose, state, ctx, &mut out);
    }
    out.finish()
}

/// Runs every check over a whole site.
/// Checks only the pages at `paths`, against the site's policy, registry
/// and pages (for links) and the ledger, as `check_site` checks them; the
/// whole-site findings (unused sources, orphan records) are left out. The
/// cost follows the pages named, not the site: other pages are listed,
/// not read.
pub fn check_pages(files: &dyn Files, paths: &[String], today: NaiveDate) -> Result<Report> {
    let policy = site::policy_from(files.read(POLICY_PATH)?)?;
    let registry_bytes = files.read(&registry_path(&policy.pages.dir))?;
    let (registry, _) = site::registry_from(&policy.pages.dir, registry_bytes)?;
    let page_paths: BTreeSet<String> = files
        .paths(&policy.pages.dir, &|p| policy.pages.is_page(p))?
        .into_iter()
        .collect();
    let decisions = records::decisions(files)?;
    let ledger = Ledger::new(&decisions);
    let ctx = Context {
        policy: &policy,
        registry: &registry,
        page_paths: &page_paths,
        today,
        found: if paths.len() > 16 {
            Found::AllAtOnce
        } else {
            Found::EachRule
        },
    };
    let mut findings = Vec::new();
    for path in paths {
        let Some(bytes) = files.read_at_most(path, policy.max_page_bytes)? else {
            continue;
        };
        let (page, read) = site::parse_page(path, &bytes, &policy);
        findings.extend(read);
        let Some(page) = page else {
            continue;
        };
        let own = records::records_of(files, &page.id)?;
        let (more, _) = site_page(&page, &ctx, &ledger, &records::by_owner(&own));
        findings.extend(more);
    }
    finding::sort(&mut findings);
    Ok(Report {
        findings,
        pages: paths.len(),
        scope: Scope::Site,
        baseline: None,
    })
}

pub fn check_site(site: &Site, today: NaiveDate) -> Report {
    let owned = records::by_owner(&site.records);
    let ledger = Ledger::new(&site.records);
    let ctx = site_context(site, today);
    let checked = par_map(&site.pages, |page| site_page(page, &ctx, &ledger, &owned));
    finish_site(site, today, site.findings.clone(), checked)
}

/// As `check_site`, for a site loaded without its pages
/// (`site::load_unread`): each page is read from `files`, parsed, checked
/// and let go on one of the cores, so memory follows the largest page and
/// the findings, not the size of the site.
pub fn check_unread<F: Files + Sync>(site: &Site, files: &F, today: NaiveDate) -> Report {
    let owned = records::by_owner(&site.records);
    let ledger = Ledger::new(&site.records);
    let ctx = site_context(site, today);
    let paths: Vec<&String> = site.page_paths.iter().collect();
    let policy = &site.policy;
    let checked = par_map(&paths, |path| {
        let bytes = match files.read_at_most(path, policy.max_page_bytes) {
            Ok(Some(bytes)) => bytes,
            Ok(None) => return (Vec::new(), Vec::new()),
            Err(e) => {
                let finding = Finding::error(
                    "unreadable",
                    path.as_str(),
                    format!("cannot read the file: {}", e.message()),
                    "check the file's permissions",
                );
                return (vec![finding], Vec::new());
            }
        };
        let (page, mut findings) = site::parse_page(path, &bytes, policy);
        drop(bytes);
        if let Some(page) = page {
            let (more, named) = site_page(&page, &ctx, &ledger, &owned);
            findings.extend(more);
            return (findings, named);
        }
        (findings, Vec::new())
    });
    finish_site(site, today, site.findings.clone(), checked)
}

fn site_context(site: &Site, today: NaiveDate) -> Context<'_> {
    Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today,
        found: Found::AllAtOnce,
    }
}

/// One page's findings in a whole-site check, and the sources it names.
fn site_page(
    page: &Page,
    ctx: &Context,
    ledger: &Ledger,
    owned: &std::collections::HashMap<&str, Vec<&crate::site::record::Record>>,
) -> (Vec<Finding>, Vec<String>) {
    let prose = Prose::new(page.body());
    let named: Vec<String> = sources::named_sources(page, &prose)
        .map(str::to_string)
        .collect();
    let mut findings = check_page(page, &prose, ctx);
    findings.extend(ledger.findings(page, &prose));
    let own = owned.get(page.id.as_str()).map_or(&[][..], Vec::as_slice);
    findings.extend(records::unrecorded_edit(page, own));
    (findings, named)
}

/// The whole-site findings, after every page's.
fn finish_site(
    site: &Site,
    today: NaiveDate,
    mut findings: Vec<Finding>,
    checked: Vec<(Vec<Finding>, Vec<String>)>,
) -> Report {
    let mut used = BTreeSet::new();
    for (page_findings, named) in checked {
        findings.extend(page_findings);
        used.extend(named);
    }
    if site.has_registry {
        findings.extend(sources::unused_sources(&site.registry, &used));
    }
    findings.extend(records::orphan_records(
        &site.page_paths,
        &site.records,
        &site.policy.pages,
    ));
    findings.extend(records::corrections(
        &site.records,
        today,
        site.policy.correction_days,
    ));
    finding::sort(&mut findings);
    Report {
        findings,
        pages: site.page_paths.len(),
        scope: Scope::Site,
        baseline: None,
    }
}
