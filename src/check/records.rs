//! Records as checks: what needs a maintenance record, edits no record
//! speaks for, records for pages that do not exist, and claims declined in
//! a not-promoted decision that appear again (the ledger).

use crate::change::PageChange;
use crate::error::Result;
use crate::finding::{Finding, Findings};
use crate::site::files::Files;
use crate::site::layout::{PageSet, RECORDS_DIR, records_dir};
use crate::site::page::{Key, Page};
use crate::site::record::{CorrectionState, Kind as RecordKind, Record, body_hash};
use crate::site::workflow::State;
use crate::text::folded;
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};

/// A backward move, or an edit of the body of a reviewed or promoted page,
/// needs a maintenance record for the page in the same commit.
pub fn needs_record(change: &PageChange, records_in_change: &[Record]) -> Option<Finding> {
    let (before, after) = (change.before.as_ref()?, change.after.as_ref()?);
    let (from, to) = (before.fields.status?, after.fields.status?);
    if !record_needed(from, to, change.body_changed)
        || recorded(records_in_change, &[&after.id, &before.id])
    {
        return None;
    }
    Some(after.at_field(
        unrecorded_change(&after.path, &after.id, from, to),
        Key::Status,
    ))
}

/// The finding for a change that lacks its record (not yet pointed at the
/// page's `status`).
pub fn unrecorded_change(path: &str, id: &str, from: State, to: State) -> Finding {
    let (message, hint) = if State::is_backward(from, to) {
        (
            format!(
                "the page moves back from {from} to {to} without a maintenance record saying why"
            ),
            format!(
                "use `folio move {id} {to} --note \"why\"`, which records it, or add `folio log {id} --change transition \"why\"` to this commit"
            ),
        )
    } else {
        (
            format!("the body of this {from} page changed without a maintenance record"),
            format!(
                "add a record to this commit: `folio log {id} --change editorial \"what changed\"` (or correction, capability-update, source-recheck)"
            ),
        )
    };
    Finding::error("unrecorded-change", path, message, hint)
}

/// Whether a move from `from` to `to` (with the body changed or not) needs
/// a maintenance record: a move backwards, or an edit of a reviewed or
/// promoted page.
pub fn record_needed(from: State, to: State, body_changed: bool) -> bool {
    State::is_backward(from, to) || from >= State::Reviewed && body_changed
}

/// Whether a change's records hold a maintenance record for the page with
/// one of `ids`.
pub fn recorded(records_in_change: &[Record], ids: &[&str]) -> bool {
    records_in_change
        .iter()
        .any(|r| r.is_maintenance() && ids.contains(&r.owner.as_str()))
}

/// Records in a folder that names no page (see `owner_of`).
pub fn orphan_records(
    page_paths: &BTreeSet<String>,
    records: &[Record],
    pages: &PageSet,
) -> Vec<Finding> {
    records
        .iter()
        .filter(|r| !pages.paths_for(&r.owner).any(|p| page_paths.contains(&p)))
        .map(|r| {
            Finding::warning(
                "orphan-record",
                &r.path,
                format!(
                    "this record is in the folder of `{}`, which is not a page",
                    r.owner
                ),
                format!(
                    "if the page was renamed, move its records with it: `git mv {} {}` (with the page's new id), or next time rename with `folio rename`, which moves both",
                    records_dir(&r.owner),
                    records_dir("NEW-ID")
                ),
            )
            .at_line(1, 1)
        })
        .collect()
}

/// Reviewed or promoted pages whose body matches the hash of none of their
/// records: edits that no record speaks for (what slipped past the hook).
/// Any record of the page may speak for its body; the latest (see
/// `Record::order`) is the one named. A page with no records at all
/// predates them and is not judged.
pub fn unrecorded_edits(pages: &[Page], records: &[Record]) -> Vec<Finding> {
    let by_page = by_owner(records);
    pages
        .iter()
        .filter_map(|page| {
            let own = by_page.get(page.id.as_str())?;
            unrecorded_edit(page, own)
        })
        .collect()
}

/// Records by the id of the page they belong to.
pub fn by_owner(records: &[Record]) -> HashMap<&str, Vec<&Record>> {
    let mut by_page: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        by_page
            .entry(record.owner.as_str())
            .or_default()
            .push(record);
    }
    by_page
}

/// The finding for a reviewed or promoted page whose body no record of
/// its own (`own`) speaks for, if it has records at all.
pub fn unrecorded_edit(page: &Page, own: &[&Record]) -> Option<Finding> {
    if page.fields.status < Some(State::Reviewed) {
        return None;
    }
    let latest = own.iter().max_by(|a, b| a.order().cmp(&b.order()))?;
    let hash = body_hash(page.body());
    if own.iter().any(|r| r.body_sha256 == hash) {
        return None;
    }
    Some(page.at_field(
        Finding::error(
            "unrecorded-edit",
            &page.path,
            format!("the body has changed since its latest record ({}, {})", latest.path, latest.date),
            format!(
                "record why it changed: `folio log {} --change editorial \"...\"` (or correction, capability-update, source-recheck)",
                page.id
            ),
        ),
        Key::Status,
    ))
}

/// What the site's corrections say: a maintenance record that resolves an
/// id no correction has (an error), and a correction still waiting (open,
/// or accepted but not applied) past the policy's `correction_days` (a
/// warning).
pub fn corrections(records: &[Record], today: NaiveDate, days: u32) -> Vec<Finding> {
    let ids: HashMap<&str, Option<CorrectionState>> = records
        .iter()
        .filter(|r| r.kind == RecordKind::Correction)
        .map(|r| (r.short_id(), r.correction_state()))
        .collect();
    let mut out = Vec::new();
    for record in records {
        if let Some(id) = record
            .resolves
            .as_deref()
            .filter(|_| record.is_maintenance())
        {
            let problem = match ids.get(id) {
                None => Some(format!(
                    "this record resolves `{id}`, which is the id of no correction"
                )),
                Some(Some(CorrectionState::Rejected)) => Some(format!(
                    "this record resolves `{id}`, a correction that was rejected"
                )),
                Some(_) => None,
            };
            if let Some(message) = problem {
                out.push(
                    Finding::error(
                        "unknown-correction",
                        &record.path,
                        message,
                        "use the id of a correction still to apply (`folio status` lists them), or remove `resolves`",
                    )
                    .at_line(1, 1),
                );
            }
        }
        let pending = record
            .correction_state()
            .is_some_and(CorrectionState::is_pending);
        let age = (today - record.date).num_days();
        if pending && age > i64::from(days) {
            let id = record.short_id();
            out.push(
                Finding::warning(
                    "correction-overdue",
                    &record.path,
                    format!(
                        "correction {id} to `{}` was filed {age} days ago ({}) and is still {}",
                        record.owner,
                        record.date,
                        record.correction_state().map_or("open", CorrectionState::as_str)
                    ),
                    format!(
                        "decide it (`folio correction accept|hold|reject {id}`), or apply it: `folio log {} --change correction \"...\" --resolves {id}`",
                        record.owner
                    ),
                )
                .at_line(1, 1),
            );
        }
    }
    out
}

/// Every not-promoted decision `files` holds, for the ledger. Only files
/// named as folio names decisions (`<date>-not-promoted-<digits>.yaml`)
/// are read, so a review does not read every record of the site.
pub fn decisions(files: &dyn Files) -> Result<Vec<Record>> {
    let mut decisions = Vec::new();
    for path in files.paths(RECORDS_DIR, &crate::site::files::yaml)? {
        let is_decision = path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.contains("-not-promoted-"));
        if !is_decision {
            continue;
        }
        if let Some(Ok(record)) = files.read(&path)?.map(|b| Record::parse(&path, &b)) {
            if record.kind == RecordKind::NotPromoted {
                decisions.push(record);
            }
        }
    }
    Ok(decisions)
}

/// A page's records as `files` holds them: those in its folder (see
/// `owner_of`).
pub fn records_of(files: &dyn Files, id: &str) -> Result<Vec<Record>> {
    let (files, _) = files
        .list(&records_dir(id), &crate::site::files::yaml)?
        .unwrap_or_default();
    Ok(files
        .into_iter()
        .filter_map(|file| Record::parse(&file.path, &file.bytes).ok())
        .filter(|record| record.owner == id)
        .collect())
}

/// Claims recorded as not promoted, ready to be looked for in pages: the
/// ledger. Case, whitespace and punctuation are ignored, so re-wrapping a
/// sentence does not hide a claim; a claim matches whole words only ("It
/// is fast" is not found in "it is fastidious"); code, comments and link targets are not
/// read (quote a declined claim in code to mention it). Built once for a
/// whole site, as one automaton over every claim, so a page is read once
/// however many claims there are.
pub struct Ledger<'a> {
    claims: Vec<(String, &'a Record)>,
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl<'a> Ledger<'a> {
    pub fn new(records: &'a [Record]) -> Ledger<'a> {
        let claims = records
            .iter()
            .filter(|r| r.kind == RecordKind::NotPromoted)
            .filter_map(|r| Some((folded(r.claim.as_deref()?).0.trim().to_string(), r)))
            .filter(|(needle, _)| !needle.is_empty())
            .collect::<Vec<_>>();
        // Building fails only past the automaton's size limits; then each
        // claim is looked for on its own.
        let automaton =
            aho_corasick::AhoCorasick::new(claims.iter().map(|(needle, _)| needle)).ok();
        Ledger { claims, automaton }
    }

    /// The declined claims that appear in a page again.
    pub fn findings(&self, page: &Page, prose: &Prose) -> Vec<Finding> {
        if self.claims.is_empty() {
            return Vec::new();
        }
        let (haystack, offsets) = folded(&prose.masked);
        let mut out = Findings::default();
        // Every place a claim occurs, as (claim, start), overlapping ones
        // included.
        let matches: Box<dyn Iterator<Item = (usize, usize)>> = match &self.automaton {
            Some(automaton) => Box::new(
                automaton
                    .find_overlapping_iter(haystack.as_str())
                    .map(|m| (m.pattern().as_usize(), m.start())),
            ),
            None => Box::new(self.claims.iter().enumerate().flat_map(|(i, (needle, _))| {
                haystack
                    .match_indices(needle.as_str())
                    .map(move |(at, _)| (i, at))
            })),
        };
        for (i, at) in matches {
            let (needle, record) = &self.claims[i];
            let end = at + needle.len();
            let whole_words = (at == 0 || haystack.as_bytes()[at - 1] == b' ')
                && (end == haystack.len() || haystack.as_bytes()[end] == b' ');
            if whole_words {
                let start = page.body_start + offsets[at];
                let last = offsets[at + needle.len() - 1];
                let width = prose.masked[last..]
                    .chars()
                    .next()
                    .map_or(1, char::len_utf8);
                let reason = record.reason.map_or("not promoted", |r| r.as_str());
                let hint = match &record.rewrite {
                    Some(rewrite) => format!(
                        "the decision ({}) rewrote it as: \"{rewrite}\"",
                        record.path
                    ),
                    None => format!(
                        "remove it, or record a new decision replacing {}",
                        record.path
                    ),
                };
                let claim = record.claim.as_deref().unwrap_or_default();
                out.push(
                    Finding::error(
                        "declined-claim",
                        &page.path,
                        format!(
                            "this claim was declined on {} ({reason}): \"{claim}\"",
                            record.date
                        ),
                        hint,
                    )
                    .spanning(
                        &page.text,
                        start,
                        page.body_start + last + width,
                    ),
                );
            }
        }
        out.finish()
    }
}
