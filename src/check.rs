//! The checks. Given parsed pages, the registry and the policy, return
//! findings; never print, never read files (that is `site`'s job), so the
//! same checks serve the working tree, the index and any commit.
//!
//! Severity follows the page's state: what a state demands is an error on a
//! page in that state, and an integrity problem (an unknown source, a broken
//! link, a reviewer not on the roster) is an error on reviewed and promoted
//! pages and a warning on drafts and research pages, which are still being
//! written.

use crate::diagnostic::{Finding, Severity};
use crate::markdown::Prose;
use crate::page::Page;
use crate::policy::{POLICY_PATH, Policy, stale_after};
use crate::record::{Kind as RecordKind, RECORDS_DIR, Record, body_hash};
use crate::registry::Registry;
use crate::suggest::did_you_mean;
use crate::workflow::{Demand, State};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap};
use std::ops::Range;

/// What every page is checked against.
pub struct Context<'a> {
    pub policy: &'a Policy,
    pub registry: &'a Registry,
    /// Repository-relative paths of every page, for link checks.
    pub page_paths: &'a BTreeSet<String>,
    pub today: NaiveDate,
}

/// Checks one parsed page; `prose` is `Prose::new(page.body())`.
pub fn check_page(page: &Page, prose: &Prose, ctx: &Context) -> Vec<Finding> {
    let mut out = Vec::new();
    let state = page.fields.status;
    if state.is_none() && !page.invalid_keys.contains("status") {
        out.push(page.at_field(
            Finding::error(
                "missing-status",
                &page.path,
                "the page has no `status`",
                "add `status: draft` to the frontmatter (states: draft, research, reviewed, promoted)",
            ),
            "status",
        ));
    }
    let integrity = if state >= Some(State::Reviewed) {
        Severity::Error
    } else {
        Severity::Warning
    };
    if let Some(state) = state {
        demands(page, prose, state, ctx, &mut out);
    }
    if let Some(date) = page.fields.last_reviewed.filter(|d| *d > ctx.today) {
        out.push(page.at_field(
            Finding::error(
                "future-review",
                &page.path,
                format!(
                    "`last_reviewed` is {date}, which is after today ({})",
                    ctx.today
                ),
                "set it to the day the review actually happened",
            ),
            "last_reviewed",
        ));
    }
    sources(page, prose, integrity, ctx, &mut out);
    reviewers(page, integrity, ctx, &mut out);
    links(page, prose, integrity, ctx, &mut out);
    if let Some(state) = state {
        rules(page, prose, state, ctx, &mut out);
    }
    out
}

fn demands(page: &Page, prose: &Prose, state: State, ctx: &Context, out: &mut Vec<Finding>) {
    let f = &page.fields;
    let missing = |key: &str, example: &str| {
        let or_back = if state == State::Draft {
            ""
        } else {
            ", or move the page back a state"
        };
        // An empty key is pointed at itself; an absent one at `status`.
        let (hint, at) = if page.key(key).is_some() {
            (format!("fill it in: `{key}: {example}`{or_back}"), key)
        } else {
            (
                format!("add `{key}: {example}` to the frontmatter{or_back}"),
                "status",
            )
        };
        page.at_field(
            Finding::error(
                "missing-field",
                &page.path,
                format!("a {state} page needs `{key}`"),
                hint,
            ),
            at,
        )
    };
    let text_fields = [
        (Demand::Title, "title", &f.title, "\"A title\""),
        (
            Demand::Summary,
            "summary",
            &f.summary,
            "One sentence on what the page is for.",
        ),
        (
            Demand::Audience,
            "audience",
            &f.audience,
            "Technical readers",
        ),
        (Demand::Owner, "owner", &f.owner, "your-name"),
    ];
    for (demand, key, value, example) in text_fields {
        let empty = value.as_deref().is_none_or(|v| v.trim().is_empty());
        if demand.holds_in(state) && empty && !page.invalid_keys.contains(key) {
            out.push(missing(key, example));
        }
    }
    if Demand::Sources.holds_in(state) && f.sources.is_empty() && prose.citations.is_empty() {
        out.push(page.at_field(
            Finding::error(
                "no-sources",
                &page.path,
                format!("a {state} page needs at least one source"),
                "cite a source from the registry as [@id] in the body, or list it under `sources`",
            ),
            "status",
        ));
    }
    if Demand::LastReviewed.holds_in(state)
        && f.last_reviewed.is_none()
        && !page.invalid_keys.contains("last_reviewed")
    {
        out.push(missing("last_reviewed", &ctx.today.to_string()));
    }
    // Listed reviewers who cannot sign get their own findings (`reviewers`).
    if Demand::Reviewer.holds_in(state)
        && !page.invalid_keys.contains("reviewers")
        && f.reviewers.is_empty()
    {
        let hint = if ctx.policy.reviewers.is_empty() {
            "the policy names no reviewers: add them under `reviewers` in review/policy.yaml"
                .to_string()
        } else {
            format!(
                "add `reviewers: [name]` with someone from the policy's roster other than the owner: {}",
                ctx.policy.reviewers.join(", ")
            )
        };
        out.push(page.at_field(
            Finding::error(
                "missing-reviewer",
                &page.path,
                format!("a {state} page needs a reviewer from the policy who is not its owner"),
                hint,
            ),
            if page.key("reviewers").is_some() {
                "reviewers"
            } else {
                "status"
            },
        ));
    }
    let fresh_until = f
        .last_reviewed
        .map(|d| stale_after(d, ctx.policy.review_interval_days));
    if let Some(date) = f
        .last_reviewed
        .filter(|_| Demand::Fresh.holds_in(state) && fresh_until < Some(ctx.today))
    {
        out.push(page.at_field(
            Finding::warning(
                "stale",
                &page.path,
                format!(
                    "last reviewed on {date}, more than {} days ago",
                    ctx.policy.review_interval_days
                ),
                "review the page again and update `last_reviewed`, or move it back to reviewed",
            ),
            "last_reviewed",
        ));
    }
}

/// Every source a page names resolves, and a promoted page names only
/// promotable kinds.
fn sources(page: &Page, prose: &Prose, integrity: Severity, ctx: &Context, out: &mut Vec<Finding>) {
    let promoted = page
        .fields
        .status
        .is_some_and(|s| Demand::PromotableSources.holds_in(s));
    let cited = prose
        .citations
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                Some(page.body_start + c.span.start..page.body_start + c.span.end),
            )
        })
        .chain(page.fields.sources.iter().map(|id| (id.as_str(), None)));
    for (id, span) in cited {
        let point = |finding: Finding| match &span {
            Some(span) => finding.spanning(&page.text, span.start, span.end),
            None => page.at_field(finding, "sources"),
        };
        let Some(source) = ctx.registry.get(id) else {
            let hint = match did_you_mean(id, ctx.registry.ids()) {
                Some(near) => format!(
                    "did you mean `{near}`? Otherwise add `{id}` to {}",
                    ctx.registry.path
                ),
                None => format!("add an entry with `id: {id}` to {}", ctx.registry.path),
            };
            out.push(point(Finding::new(
                integrity,
                "unknown-source",
                &page.path,
                format!("`{id}` is not in the source registry"),
                hint,
            )));
            continue;
        };
        let Some(kind) = source.kind else { continue };
        if promoted && !ctx.policy.is_promotable(kind) {
            let allowed: Vec<_> = ctx
                .policy
                .promotable_source_kinds
                .iter()
                .map(|k| k.as_str())
                .collect();
            out.push(point(Finding::error(
                "unpromotable-source",
                &page.path,
                format!("a promoted page cites `{id}`, a {} source", kind.as_str()),
                format!("promoted pages rely only on {}: cite a primary source instead, or move the page back to reviewed", allowed.join(", ")),
            )));
        }
    }
}

fn reviewers(page: &Page, integrity: Severity, ctx: &Context, out: &mut Vec<Finding>) {
    for reviewer in &page.fields.reviewers {
        if !ctx.policy.reviewers.contains(reviewer) {
            let hint = match did_you_mean(reviewer, ctx.policy.reviewers.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? Reviewers are listed in review/policy.yaml"),
                None => "ask someone on the policy's `reviewers` roster to sign, or add them to review/policy.yaml".to_string(),
            };
            out.push(page.at_field(
                Finding::new(
                    integrity,
                    "unknown-reviewer",
                    &page.path,
                    format!("`{reviewer}` is not on the policy's reviewer roster"),
                    hint,
                ),
                "reviewers",
            ));
        }
        if Some(reviewer) == page.fields.owner.as_ref() {
            out.push(page.at_field(
                Finding::new(
                    integrity,
                    "self-review",
                    &page.path,
                    format!("`{reviewer}` owns the page and cannot sign its review"),
                    "ask another reviewer from the roster to sign",
                ),
                "reviewers",
            ));
        }
    }
}

/// Links to `.md` files inside the content folder must reach a page.
fn links(page: &Page, prose: &Prose, integrity: Severity, ctx: &Context, out: &mut Vec<Finding>) {
    let content = &ctx.policy.content_dir;
    let page_dir = page.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    for link in &prose.links {
        let Some(resolved) = resolve_link(&link.target, page_dir, content) else {
            continue;
        };
        if !resolved.starts_with(&format!("{content}/")) || ctx.page_paths.contains(&resolved) {
            continue;
        }
        let near = did_you_mean(&resolved, ctx.page_paths.iter().map(String::as_str));
        let hint = match near {
            Some(near) => format!("did you mean {near}?"),
            None => {
                "fix the path (relative to this page, or starting with `/` for the content folder)"
                    .to_string()
            }
        };
        let start = page.body_start + link.span.start;
        out.push(
            Finding::new(
                integrity,
                "broken-link",
                &page.path,
                format!(
                    "the link `{}` leads to {resolved}, which is not a page",
                    link.target
                ),
                hint,
            )
            .spanning(&page.text, start, page.body_start + link.span.end),
        );
    }
}

/// The repository path a link target names, for relative `.md` targets.
pub fn resolve_link(target: &str, page_dir: &str, content_dir: &str) -> Option<String> {
    let path = target.split(['#', '?']).next()?;
    let has_scheme = path.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme || path.starts_with("//") || !path.ends_with(".md") {
        return None;
    }
    let path = percent_decode(path);
    let joined = match path.strip_prefix('/') {
        Some(rest) => format!("{content_dir}/{rest}"),
        None if page_dir.is_empty() => path,
        None => format!("{page_dir}/{path}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The policy's lint rules over the page body, and over the title and
/// summary, which a site shows wherever it lists the page.
fn rules(page: &Page, prose: &Prose, state: State, ctx: &Context, out: &mut Vec<Finding>) {
    for rule in ctx
        .policy
        .rules
        .iter()
        .filter(|r| r.states.contains(&state))
    {
        let report = |out: &mut Vec<Finding>, matched: &str, span: Range<usize>| {
            out.push(
                Finding::new(
                    rule.severity,
                    &rule.id,
                    &page.path,
                    format!("{}: \"{}\"", rule.message, matched.trim()),
                    &rule.hint,
                )
                .spanning(&page.text, span.start, span.end),
            );
        };
        let matches = match rule.find_iter(&prose.masked) {
            Ok(matches) => matches,
            Err(e) => {
                out.push(
                    Finding::error(
                        "bad-rule",
                        POLICY_PATH,
                        format!("rule `{}` cannot be compiled: {e}", rule.id),
                        "simplify the pattern (a repetition of a large class is the usual cause)",
                    )
                    .at_line(rule.line, 1),
                );
                continue;
            }
        };
        for m in matches {
            let matched = &prose.masked[m.clone()];
            if m.is_empty() || !rule.fires(matched, ctx.today) {
                continue;
            }
            if rule.excused_by_citation && prose.sentence_cites(m.start) {
                continue;
            }
            report(
                out,
                matched,
                page.body_start + m.start..page.body_start + m.end,
            );
        }
        for (key, value) in [
            ("title", &page.fields.title),
            ("summary", &page.fields.summary),
        ] {
            let (Some(value), Some(line)) = (value, page.key(key)) else {
                continue;
            };
            if rule.excused_by_citation && value.contains("[@") {
                continue;
            }
            let Ok(matches) = rule.find_iter(value) else {
                continue;
            };
            // The span is the match where the file spells it as parsed,
            // up to the next key (a folded value runs over several lines),
            // else the value on the key's line.
            let end = page
                .keys
                .iter()
                .map(|k| k.key.start)
                .filter(|&start| start > line.value.start)
                .min()
                .unwrap_or(page.frontmatter_end);
            let raw = &page.text.as_str()[line.value.start..end.max(line.value.end)];
            for m in matches {
                let matched = &value[m.clone()];
                if m.is_empty() || !rule.fires(matched, ctx.today) {
                    continue;
                }
                let span = raw.find(matched).map_or(line.value.clone(), |at| {
                    line.value.start + at..line.value.start + at + matched.len()
                });
                report(out, matched, span);
            }
        }
    }
}

/// A page's state in one parent of a commit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Previous {
    /// The page did not exist there.
    Absent,
    /// It existed, but its state could not be read; no move is judged.
    Unknown,
    State(State),
}

/// Judges the move a commit makes to a page, given its state in each parent
/// (one for an ordinary commit, more for a merge). A state equal to a
/// parent's is no move; otherwise it must be a legal move from some parent,
/// and a new page must start in one of the policy's `new_page_states`.
pub fn check_transition(page: &Page, previous: &[Previous], policy: &Policy) -> Option<Finding> {
    let to = page.fields.status?;
    if previous
        .iter()
        .any(|p| matches!(p, Previous::Unknown) || *p == Previous::State(to))
    {
        return None;
    }
    let from: Vec<State> = previous
        .iter()
        .filter_map(|p| match p {
            Previous::State(s) => Some(*s),
            _ => None,
        })
        .collect();
    if from.iter().any(|&f| State::can_move(f, to)) {
        return None;
    }
    let finding = match from.first() {
        None if policy.new_page_states.contains(&to) => return None,
        None => {
            let allowed: Vec<_> = policy.new_page_states.iter().map(|s| s.as_str()).collect();
            Finding::error(
                "new-page-state",
                &page.path,
                format!("a new page starts as {}, not {to}", allowed.join(" or ")),
                format!(
                    "commit the page as `status: {}` first, then move it one state at a time",
                    allowed.first().copied().unwrap_or("draft")
                ),
            )
        }
        Some(&from) => {
            let next: Vec<_> = from.legal_next().iter().map(|s| s.as_str()).collect();
            Finding::error(
                "illegal-transition",
                &page.path,
                format!("`status` moves from {from} to {to}, which is not a legal move"),
                format!(
                    "from {from} a page may move to {}; make one move per commit",
                    next.join(" or ")
                ),
            )
        }
    };
    Some(page.at_field(finding, "status"))
}

/// A backward move, or an edit of the body of a reviewed or promoted page,
/// needs a maintenance record for the page in the same commit.
pub fn needs_record(
    before: Option<&Page>,
    after: &Page,
    records_in_change: &[Record],
) -> Option<Finding> {
    let before = before?;
    let (from, to) = (before.fields.status?, after.fields.status?);
    let backward = State::is_backward(from, to);
    let edited = from >= State::Reviewed && body_hash(before.body()) != body_hash(after.body());
    let recorded = records_in_change
        .iter()
        .any(|r| r.is_maintenance() && (r.page == after.id || r.page == before.id));
    if !(backward || edited) || recorded {
        return None;
    }
    let (message, hint) = if backward {
        (
            format!(
                "`status` moves back from {from} to {to} without a maintenance record saying why"
            ),
            format!(
                "use `folio move {} {to} --note \"why\"`, which records it, or add `folio log {} --change transition \"why\"` to this commit",
                after.id, after.id
            ),
        )
    } else {
        (
            format!("the body of this {from} page changed without a maintenance record"),
            format!(
                "add a record to this commit: `folio log {} --change editorial \"what changed\"` (or correction, capability-update, source-recheck)",
                after.id
            ),
        )
    };
    Some(after.at_field(
        Finding::error("unrecorded-change", &after.path, message, hint),
        "status",
    ))
}

/// Every source id a page names, in its frontmatter or its body.
pub fn named_sources<'a>(page: &'a Page, prose: &'a Prose) -> impl Iterator<Item = &'a str> {
    page.fields
        .sources
        .iter()
        .map(String::as_str)
        .chain(prose.citations.iter().map(|c| c.id.as_str()))
}

/// Sources no page names.
pub fn unused_sources(registry: &Registry, used: &BTreeSet<String>) -> Vec<Finding> {
    registry
        .sources
        .iter()
        .filter(|s| !used.contains(s.id.as_str()))
        .map(|s| {
            Finding::warning(
                "unused-source",
                &registry.path,
                format!("no page cites `{}`", s.id),
                "cite it from a page, or remove it from the registry",
            )
            .spanning(&registry.text, s.span.start, s.span.end)
        })
        .collect()
}

/// Records that speak for no page.
pub fn orphan_records(
    page_paths: &BTreeSet<String>,
    records: &[Record],
    content_dir: &str,
) -> Vec<Finding> {
    records
        .iter()
        .filter(|r| !page_paths.contains(&format!("{content_dir}/{}.md", r.page)))
        .map(|r| {
            Finding::warning(
                "orphan-record",
                &r.path,
                format!("this record is for `{}`, which is not a page", r.page),
                format!("if the page was renamed, move its records with it: `git mv {RECORDS_DIR}/{} {RECORDS_DIR}/<new id>`", r.page),
            )
            .at_line(1, 1)
        })
        .collect()
}

/// Reviewed or promoted pages whose body matches the hash of none of their
/// records: edits that no record speaks for (what slipped past the hook).
/// Records made on one day have no order among themselves, so any record
/// of the page may speak for its body. A page with no records at all
/// predates them and is not judged.
pub fn unrecorded_edits(pages: &[Page], records: &[Record]) -> Vec<Finding> {
    let mut by_page: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in records {
        by_page
            .entry(record.page.as_str())
            .or_default()
            .push(record);
    }
    let mut out = Vec::new();
    for page in pages
        .iter()
        .filter(|p| p.fields.status >= Some(State::Reviewed))
    {
        let Some(own) = by_page.get(page.id.as_str()) else {
            continue;
        };
        let hash = body_hash(page.body());
        let latest = own
            .iter()
            .max_by(|a, b| (a.date, &a.path).cmp(&(b.date, &b.path)));
        if let Some(latest) = latest.filter(|_| own.iter().all(|r| r.body_sha256 != hash)) {
            out.push(page.at_field(
                Finding::error(
                    "unrecorded-edit",
                    &page.path,
                    format!("the body has changed since its latest record ({}, {})", latest.path, latest.date),
                    format!(
                        "record why it changed: `folio log {} --change editorial \"...\"` (or correction, capability-update, source-recheck)",
                        page.id
                    ),
                ),
                "status",
            ));
        }
    }
    out
}

/// Claims recorded as not promoted, ready to be looked for in pages: the
/// ledger. Case, whitespace and punctuation are ignored, so re-wrapping a
/// sentence does not hide a claim; code, comments and link targets are not
/// read (quote a declined claim in code to mention it). Built once for a
/// whole site.
pub struct Ledger<'a> {
    claims: Vec<(String, &'a Record)>,
}

impl<'a> Ledger<'a> {
    pub fn new(records: &'a [Record]) -> Ledger<'a> {
        let claims = records
            .iter()
            .filter(|r| r.kind == RecordKind::NotPromoted)
            .filter_map(|r| Some((normalize(r.claim.as_deref()?).0.trim().to_string(), r)))
            .filter(|(needle, _)| !needle.is_empty())
            .collect();
        Ledger { claims }
    }

    /// The declined claims that appear in a page again.
    pub fn findings(&self, page: &Page, prose: &Prose) -> Vec<Finding> {
        if self.claims.is_empty() {
            return Vec::new();
        }
        let (haystack, offsets) = normalize(&prose.masked);
        let mut out = Vec::new();
        for (needle, record) in &self.claims {
            for (at, _) in haystack.match_indices(needle.as_str()) {
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
        out
    }
}

/// Lowercase letters and digits, with every run of anything else as one
/// space; each byte of the result remembers where it came from.
fn normalize(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                let mut buf = [0u8; 4];
                let piece = lower.encode_utf8(&mut buf);
                out.push_str(piece);
                offsets.extend(std::iter::repeat_n(at, piece.len()));
            }
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
            offsets.push(at);
        }
    }
    (out, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_the_page_or_the_content_root() {
        let r = |t| resolve_link(t, "content/guides", "content");
        assert_eq!(
            r("kv-cache.md#paging").as_deref(),
            Some("content/guides/kv-cache.md")
        );
        assert_eq!(r("../glossary.md").as_deref(), Some("content/glossary.md"));
        assert_eq!(
            r("/reports/x%20y.md").as_deref(),
            Some("content/reports/x y.md")
        );
        assert_eq!(r("https://example.org/a.md"), None);
        assert_eq!(r("image.png"), None);
        assert_eq!(r("../../../../x.md"), None);
    }
}
