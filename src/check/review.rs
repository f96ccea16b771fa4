//! Reviewing a change, as CI does for a pull request and `folio summary`
//! does for a reviewer: the findings on both sides of the change and which
//! of them it introduced or fixed, and what each of its commits did wrong
//! (an illegal move, an edit without the record it needs). Every page the
//! change touches is read once, a chunk at a time, and whatever the caller
//! wants of it (a page's summary) is made in the same pass.
//!
//! Findings on a page the change does not touch can change only when the
//! change alters what every page is judged against: the policy, the
//! registry, the set of pages (links reach them), the declined claims (the
//! ledger) or which sources pages cite (unused sources). Such a change is
//! checked whole on both sides; any other is checked where it touches, so
//! a review costs what the pull request changes, not what the site holds.

use super::records::records_of;
use super::transition::{illegal_move, transition_allowed};
use super::{Context, Ledger, check_page, check_site, check_transition, records};
use crate::change::{Change, PageBlobs, PageChange, Previous};
use crate::error::Result;
use crate::finding::{self, Finding};
use crate::git::{CommitInfo, Delta, Kind, Oid, Side};
use crate::site::files::Files;
use crate::site::layout::{POLICY_PATH, RECORDS_DIR, is_record_path, registry_path};
use crate::site::page::{Key, Page};
use crate::site::policy::Policy;
use crate::site::record::{Kind as RecordKind, Record, body_hash};
use crate::site::registry::Registry;
use crate::site::workflow::State;
use crate::site::{self, par_map, parse_page};
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// Pages read at a time: what is in memory at once.
const CHUNK: usize = 512;

/// What a review found.
pub struct Review<T> {
    /// What the caller made of each page the change touches, in path order.
    pub pages: Vec<T>,
    /// Findings present after the change and not before it.
    pub introduced: Vec<Finding>,
    /// Findings present before the change and not after it.
    pub fixed: Vec<Finding>,
    /// Findings present on both sides.
    pub unchanged: usize,
    /// Whether both sides were checked whole; otherwise only the pages and
    /// records the change touches were.
    pub whole_site: bool,
    /// How many pages were checked after the change.
    pub pages_checked: usize,
    /// What the commits did wrong, each finding naming its commit.
    pub commit_findings: Vec<Finding>,
    /// The commit that last moved each page between states, by the page's
    /// path after the change.
    pub moved_in: HashMap<String, Oid>,
}

/// A page the change touches, with its findings on each side, for the
/// caller to summarise.
pub struct PageReview<'a> {
    pub change: &'a PageChange,
    pub before: &'a [Finding],
    pub after: &'a [Finding],
    /// The bodies' prose, read once for every use.
    pub prose_before: Option<&'a Prose>,
    pub prose_after: Option<&'a Prose>,
    /// What pages are judged against after the change.
    pub context_after: &'a Context<'a>,
}

/// What pages are judged against on one side of a change.
struct Ground {
    policy: Policy,
    registry: Registry,
    page_paths: BTreeSet<String>,
    /// The not-promoted decisions, for the ledger.
    decisions: Vec<Record>,
}

impl Ground {
    fn read(files: &dyn Files, policy: Policy, registry: Registry) -> Result<Ground> {
        let page_paths = files
            .paths(&policy.pages.dir, &|p| policy.pages.is_page(p))?
            .into_iter()
            .collect();
        let decisions = super::records::decisions(files)?;
        Ok(Ground {
            policy,
            registry,
            page_paths,
            decisions,
        })
    }

    fn context(&self, today: NaiveDate) -> Context<'_> {
        Context {
            policy: &self.policy,
            registry: &self.registry,
            page_paths: &self.page_paths,
            today,
            found: super::Found::AllAtOnce,
        }
    }
}

/// A page's findings on one side: what reading it found, its checks, the
/// ledger, and edits its records do not speak for.
fn page_findings(
    page: Option<(&Page, &Prose)>,
    read: &[Finding],
    records: &[Record],
    ctx: &Context,
    ledger: &Ledger,
) -> Vec<Finding> {
    let mut out = read.to_vec();
    if let Some((page, prose)) = page {
        out.extend(check_page(page, prose, ctx));
        out.extend(ledger.findings(page, prose));
        out.extend(records::unrecorded_edits(
            std::slice::from_ref(page),
            records,
        ));
    }
    out
}

/// The sources a page names, for telling whether unused sources change.
pub fn named(page: Option<(&Page, &Prose)>) -> BTreeSet<String> {
    page.map(|(p, prose)| {
        super::sources::named_sources(p, prose)
            .map(str::to_string)
            .collect()
    })
    .unwrap_or_default()
}

/// Reviews `whole`, the change from the merge-base (or `HEAD`) to the head
/// (or the index), made by `commits` (none for the index). `per_page`
/// makes what the caller wants of each page the change touches.
pub fn review<T: Send>(
    whole: &Change,
    commits: &[CommitInfo],
    today: NaiveDate,
    per_page: impl Fn(&PageReview) -> T + Sync,
) -> Result<Review<T>> {
    let content_dir = whole.policy.pages.dir.clone();
    let (registry_before, _) = whole.registry_before()?;
    let (registry_after, _) = whole.registry_after()?;
    let before = Ground::read(&whole.before, whole.policy_before()?, registry_before)?;
    let after = Ground::read(&whole.after, whole.policy.clone(), registry_after)?;
    let (ledger_before, ledger_after) = (
        Ledger::new(&before.decisions),
        Ledger::new(&after.decisions),
    );
    let (ctx_before, ctx_after) = (before.context(today), after.context(today));
    let page_deltas: Vec<&Delta> = whole.page_deltas().collect();
    let record_deltas: Vec<&Delta> = whole
        .deltas
        .iter()
        .filter(|d| is_record_path(&d.path) || is_record_path(&d.old_path))
        .collect();
    let mut whole_site = whole.touches(POLICY_PATH)
        || whole.touches(&registry_path(&content_dir))
        || page_deltas.iter().any(|d| {
            d.path != d.old_path
                || [d.old, d.new]
                    .iter()
                    .any(|s| s.is_none_or(|s| s.kind != Kind::File))
        })
        || decision_changed(whole, &record_deltas)?;
    // One commit on the merge-base is the whole change: judge it in the
    // same pass.
    let single = match commits {
        [commit] if commit.parents.as_slice() == whole.before.commit.as_slice() => Some(commit),
        _ => None,
    };
    let mut pages = Vec::with_capacity(page_deltas.len());
    let mut found_before = Vec::new();
    let mut found_after = Vec::new();
    let mut commit_findings = Vec::new();
    let mut moved_in = HashMap::new();
    let mut memo = Memo::new();
    // Reviews one chunk of read blobs: parse, check both sides, summarise.
    let review_chunk = |blobs: Vec<PageBlobs>, records: Vec<(Vec<Record>, Vec<Record>)>| {
        let items: Vec<_> = blobs.iter().zip(&records).collect();
        par_map(&items, |(blobs, (records_before, records_after))| {
            let change = blobs.parse();
            let prose_before = change.before.as_ref().map(|p| Prose::new(p.body()));
            let prose_after = change.after.as_ref().map(|p| Prose::new(p.body()));
            let old = change.before.as_ref().zip(prose_before.as_ref());
            let new = change.after.as_ref().zip(prose_after.as_ref());
            let before = page_findings(
                old,
                &change.findings_before,
                records_before,
                &ctx_before,
                &ledger_before,
            );
            let after = page_findings(
                new,
                &change.findings,
                records_after,
                &ctx_after,
                &ledger_after,
            );
            let same_sources = named(old) == named(new);
            // What judging each commit needs of both sides, made here on
            // the worker rather than on the thread reading blobs.
            let facts = single
                .is_none()
                .then(|| (facts_of(&change.before), facts_of(&change.after)));
            let made = per_page(&PageReview {
                change: &change,
                before: &before,
                after: &after,
                prose_before: prose_before.as_ref(),
                prose_after: prose_after.as_ref(),
                context_after: &ctx_after,
            });
            (change, before, after, same_sources, facts, made)
        })
    };
    // Each chunk's blobs are read on this thread while the chunk before
    // is reviewed on the others.
    std::thread::scope(|scope| -> Result<()> {
        let mut running = None;
        type Reviewed<T> = Vec<(
            PageChange,
            Vec<Finding>,
            Vec<Finding>,
            bool,
            Option<(Option<Facts>, Option<Facts>)>,
            T,
        )>;
        let mut finish =
            |running: Option<(&[&Delta], std::thread::ScopedJoinHandle<Reviewed<T>>)>| {
                let Some((chunk, handle)) = running else {
                    return;
                };
                let reviewed: Vec<_> = handle.join().expect("a page review panicked");
                let mut changes = Vec::with_capacity(reviewed.len());
                let mut facts = Vec::with_capacity(reviewed.len());
                for (change, before, after, same_sources, made_facts, made) in reviewed {
                    whole_site |= !same_sources;
                    found_before.extend(before);
                    found_after.extend(after);
                    pages.push(made);
                    changes.push(change);
                    facts.extend(made_facts);
                }
                if single.is_none() {
                    remember_facts(&mut memo, chunk, facts);
                } else if let Some(commit) = single {
                    judge_commit(whole, commit, &changes, &mut commit_findings, &mut moved_in);
                }
            };
        let mut progress = crate::progress::Progress::new("reading pages", page_deltas.len());
        for (n, chunk) in page_deltas.chunks(CHUNK).enumerate() {
            progress.at(n * CHUNK);
            let blobs = whole.read_blobs(chunk)?;
            let mut records = Vec::with_capacity(chunk.len());
            for delta in chunk {
                let side = |files: &dyn Files, path: &str, side: Option<Side>| match side {
                    Some(_) => records_of(files, whole.policy.pages.id(path)),
                    None => Ok(Vec::new()),
                };
                records.push((
                    side(&whole.before, &delta.old_path, delta.old)?,
                    side(&whole.after, &delta.path, delta.new)?,
                ));
            }
            finish(running.take());
            let review_chunk = &review_chunk;
            running = Some((chunk, scope.spawn(move || review_chunk(blobs, records))));
        }
        finish(running.take());
        Ok(())
    })?;
    if single.is_none() {
        let mut progress = crate::progress::Progress::new("judging commits", commits.len());
        for (n, commit) in commits.iter().enumerate() {
            progress.at(n);
            let change = Change::commit(whole.before.repo, commit)?;
            let unread: Vec<&Delta> = change
                .page_deltas()
                .filter(|d| {
                    !judged_from_memo(
                        &change,
                        commit,
                        d,
                        &memo,
                        &mut commit_findings,
                        &mut moved_in,
                    )
                })
                .collect();
            for chunk in unread.chunks(CHUNK) {
                let changes = change.read_pages(chunk)?;
                remember(&mut memo, chunk, &changes);
                judge_commit(
                    &change,
                    commit,
                    &changes,
                    &mut commit_findings,
                    &mut moved_in,
                );
            }
        }
    }
    let renamed: HashMap<&str, &str> = page_deltas
        .iter()
        .filter(|d| d.new.is_some() && d.old_path != d.path)
        .map(|d| (d.old_path.as_str(), d.path.as_str()))
        .collect();
    let pages_checked;
    if whole_site {
        found_before = whole_site_findings(&whole.before, whole.before.commit.is_some(), today)?;
        found_after = whole_site_findings(&whole.after, true, today)?;
        pages_checked = after.page_paths.len();
    } else {
        pages_checked = page_deltas.len()
            + untouched_with_records(
                whole,
                &record_deltas,
                &page_deltas,
                (&ctx_before, &ledger_before),
                (&ctx_after, &ledger_after),
                (&mut found_before, &mut found_after),
            )?;
        for delta in &record_deltas {
            found_before.extend(record_findings(whole, delta, false, &before.page_paths)?);
            found_after.extend(record_findings(whole, delta, true, &after.page_paths)?);
        }
    }
    for finding in &mut found_before {
        if let Some(new) = renamed.get(finding.path.as_str()) {
            finding.path = new.to_string();
        }
    }
    let (introduced, fixed, unchanged) = compare(found_before, found_after);
    finding::sort(&mut commit_findings);
    Ok(Review {
        pages,
        introduced,
        fixed,
        unchanged,
        whole_site,
        pages_checked,
        commit_findings,
        moved_in,
    })
}

/// Whether the change adds, edits or removes a not-promoted decision,
/// which the ledger looks for in every page.
fn decision_changed(whole: &Change, record_deltas: &[&Delta]) -> Result<bool> {
    if whole
        .records
        .iter()
        .any(|r| r.kind == RecordKind::NotPromoted)
    {
        return Ok(true);
    }
    for delta in record_deltas {
        if let Some(bytes) = whole.before.read(&delta.old_path)? {
            if Record::parse(&delta.old_path, &bytes)
                .is_ok_and(|r| r.kind == RecordKind::NotPromoted)
            {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// What judging a commit needs of a page's blob: its state (none when it
/// has no readable state), its body's hash (a reviewed or promoted page's
/// only: an edit of it needs a record), and where its `status` is, for a
/// finding. Remembered by blob (none for a blob that is not a readable
/// page), so that a blob the review has read is not read again for the
/// commits that made it.
struct Facts {
    status: Option<State>,
    body: String,
    at_status: Finding,
}

type Memo = HashMap<Oid, Option<Facts>>;

/// What judging needs of one side of a page's change.
fn facts_of(page: &Option<Page>) -> Option<Facts> {
    page.as_ref().map(|p| Facts {
        status: p.fields.status,
        body: if p.fields.status >= Some(State::Reviewed) {
            body_hash(p.body())
        } else {
            String::new()
        },
        at_status: p.at_field(Finding::error("", &p.path, "", ""), Key::Status),
    })
}

/// Remembers what judging needs of the blobs on both sides of `deltas`.
fn remember(memo: &mut Memo, deltas: &[&Delta], changes: &[PageChange]) {
    let facts = changes
        .iter()
        .map(|c| (facts_of(&c.before), facts_of(&c.after)))
        .collect();
    remember_facts(memo, deltas, facts);
}

/// As `remember`, with the facts of each delta's sides already made.
fn remember_facts(memo: &mut Memo, deltas: &[&Delta], facts: Vec<(Option<Facts>, Option<Facts>)>) {
    for (delta, (before, after)) in deltas.iter().zip(facts) {
        if let Some(side) = delta.old.filter(|s| s.kind == Kind::File) {
            memo.entry(side.oid).or_insert(before);
        }
        if let Some(side) = delta.new.filter(|s| s.kind == Kind::File) {
            memo.entry(side.oid).or_insert(after);
        }
    }
}

/// Judges a page's delta in an ordinary commit from what the memo holds
/// of its blobs. Returns `false` when the page must be read: a blob the
/// review has not seen, or a merge.
fn judged_from_memo(
    change: &Change,
    commit: &CommitInfo,
    delta: &Delta,
    memo: &Memo,
    findings: &mut Vec<Finding>,
    moved_in: &mut HashMap<String, Oid>,
) -> bool {
    if commit.parents.len() > 1 {
        return false;
    }
    let lookup = |side: Option<Side>| match side {
        None => Some(None),
        Some(side) if side.kind == Kind::File => memo.get(&side.oid).map(Option::as_ref),
        Some(_) => None,
    };
    let (Some(old), Some(new)) = (lookup(delta.old), lookup(delta.new)) else {
        return false;
    };
    if delta.old_path != delta.path {
        if let Some(commit) = moved_in.remove(&delta.old_path) {
            moved_in.insert(delta.path.clone(), commit);
        }
    }
    let previous = match (delta.old, old) {
        (None, _) => Previous::Absent,
        (
            Some(_),
            Some(Facts {
                status: Some(state),
                ..
            }),
        ) => Previous::State(*state),
        (Some(_), _) => Previous::Unknown,
    };
    let Some(
        after @ Facts {
            status: Some(to), ..
        },
    ) = new
    else {
        // Removed, or no readable state after: nothing to judge.
        return true;
    };
    if previous != Previous::State(*to) {
        moved_in.insert(delta.path.clone(), commit.id);
    }
    let in_commit = |f: Finding| {
        f.placed_as(&after.at_status).in_commit(
            &commit.id.to_string(),
            &commit.id.short(),
            &commit.subject,
        )
    };
    if !transition_allowed(*to, &[previous], &change.policy) {
        findings.push(in_commit(illegal_move(
            &delta.path,
            &[previous],
            *to,
            &change.policy,
        )));
    }
    if let Some(Facts {
        status: Some(from),
        body,
        ..
    }) = old
    {
        let pages = &change.policy.pages;
        let (id, old_id) = (pages.id(&delta.path), pages.id(&delta.old_path));
        if records::record_needed(*from, *to, *body != after.body)
            && !records::recorded(&change.records, &[id, old_id])
        {
            findings.push(in_commit(records::unrecorded_change(
                &delta.path,
                id,
                *from,
                *to,
            )));
        }
    }
    true
}

/// Judges one commit's pages: each move, and each change that needs a
/// record; notes which commit moved each page.
fn judge_commit(
    change: &Change,
    commit: &CommitInfo,
    pages: &[PageChange],
    findings: &mut Vec<Finding>,
    moved_in: &mut HashMap<String, Oid>,
) {
    for page_change in pages {
        if let Some(old) = &page_change.renamed_from {
            if let Some(commit) = moved_in.remove(old) {
                moved_in.insert(page_change.path.clone(), commit);
            }
        }
        let Some(page) = &page_change.after else {
            continue;
        };
        let state = page.fields.status;
        if state.is_some_and(|s| page_change.states_before.first() != Some(&Previous::State(s))) {
            moved_in.insert(page_change.path.clone(), commit.id);
        }
        let judged = check_transition(page, &page_change.states_before, &change.policy)
            .into_iter()
            .chain(records::needs_record(page_change, &change.records));
        for f in judged {
            findings.push(f.in_commit(&commit.id.to_string(), &commit.id.short(), &commit.subject));
        }
    }
}

/// Every finding of a side checked whole; none when there is nothing there
/// (before a first commit, or a content folder that does not exist yet).
fn whole_site_findings(files: &dyn Files, exists: bool, today: NaiveDate) -> Result<Vec<Finding>> {
    if !exists {
        return Ok(Vec::new());
    }
    let policy = site::policy_from(files.read(POLICY_PATH)?)?;
    // A listing that wants nothing says only whether the folder is there.
    if files.list(&policy.pages.dir, &|_| false)?.is_none() {
        return Ok(Vec::new());
    }
    Ok(check_site(&site::load(files)?, today).findings)
}

/// Pages the change leaves alone but whose records it touches: their
/// findings on both sides (an edit a new record speaks for). Returns how
/// many there were.
fn untouched_with_records(
    whole: &Change,
    record_deltas: &[&Delta],
    page_deltas: &[&Delta],
    (ctx_before, ledger_before): (&Context, &Ledger),
    (ctx_after, ledger_after): (&Context, &Ledger),
    (found_before, found_after): (&mut Vec<Finding>, &mut Vec<Finding>),
) -> Result<usize> {
    let touched: BTreeSet<&str> = page_deltas.iter().map(|d| d.path.as_str()).collect();
    let ids: BTreeSet<&str> = record_deltas
        .iter()
        .flat_map(|d| [d.path.as_str(), d.old_path.as_str()])
        .filter_map(|path| {
            path.strip_prefix(&format!("{RECORDS_DIR}/"))?
                .rsplit_once('/')
        })
        .map(|(id, _)| id)
        .collect();
    let mut count = 0;
    for id in ids {
        let Some(path) = whole
            .policy
            .pages
            .paths_for(id)
            .find(|p| ctx_after.page_paths.contains(p))
        else {
            continue;
        };
        if touched.contains(path.as_str()) {
            continue;
        }
        let Some(bytes) = whole.after.read(&path)? else {
            continue;
        };
        let (page, read) = parse_page(&path, &bytes, &whole.policy);
        let prose = page.as_ref().map(|p| Prose::new(p.body()));
        let page = page.as_ref().zip(prose.as_ref());
        found_before.extend(page_findings(
            page,
            &read,
            &records_of(&whole.before, id)?,
            ctx_before,
            ledger_before,
        ));
        found_after.extend(page_findings(
            page,
            &read,
            &records_of(&whole.after, id)?,
            ctx_after,
            ledger_after,
        ));
        count += 1;
    }
    Ok(count)
}

/// A record's own findings on one side: one it cannot read, or one for a
/// page that is not there.
fn record_findings(
    whole: &Change,
    delta: &Delta,
    after: bool,
    page_paths: &BTreeSet<String>,
) -> Result<Vec<Finding>> {
    let (files, path, side): (&dyn Files, &str, _) = if after {
        (&whole.after, &delta.path, delta.new)
    } else {
        (&whole.before, &delta.old_path, delta.old)
    };
    if side.is_none_or(|s| s.kind != Kind::File) || !is_record_path(path) {
        return Ok(Vec::new());
    }
    let Some(bytes) = files.read(path)? else {
        return Ok(Vec::new());
    };
    Ok(match Record::parse(path, &bytes) {
        Ok(record) => records::orphan_records(
            page_paths,
            std::slice::from_ref(&record),
            &whole.policy.pages,
        ),
        Err(finding) => vec![*finding],
    })
}

/// The findings on one side and not the other, and how many are on both:
/// compared by path, severity, code and message (not position: an edit
/// above a finding moves it without fixing it).
fn compare(before: Vec<Finding>, after: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>, usize) {
    type Key = (String, crate::finding::Severity, String, String);
    let key = |f: &Finding| -> Key {
        (
            f.path.clone(),
            f.severity,
            f.code.clone(),
            f.message.clone(),
        )
    };
    let mut counts: HashMap<Key, isize> = HashMap::new();
    for f in &before {
        *counts.entry(key(f)).or_default() += 1;
    }
    let mut introduced = Vec::new();
    let mut unchanged = 0;
    for f in after {
        match counts.get_mut(&key(&f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                unchanged += 1;
            }
            _ => introduced.push(f),
        }
    }
    let mut fixed = Vec::new();
    for f in before {
        if let Some(n) = counts.get_mut(&key(&f)).filter(|n| **n > 0) {
            *n -= 1;
            fixed.push(f);
        }
    }
    finding::sort(&mut introduced);
    finding::sort(&mut fixed);
    (introduced, fixed, unchanged)
}
