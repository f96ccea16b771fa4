//! Judging what git records, not what the working tree holds.
//!
//! `check_staged` (the pre-commit hook) reads the pages as they are staged:
//! index blobs, from the index git hands the hook. It parses only the
//! staged pages, the policy and the registry, so its cost follows the size
//! of the change. `check_range` (CI) judges every commit of a pull request
//! in order, so a skipped state or a commit made with `--no-verify` is still
//! caught, and then checks the site as a whole at its head.
//!
//! A transition is a page whose state differs from its state in every
//! parent of the commit: a page that comes unchanged from the other side of
//! a merge is not this commit's move.

use crate::check::{self, Context, Previous};
use crate::diagnostic;
use crate::error::Result;
use crate::git::{Change, Kind, Oid, Repo, Side};
use crate::markdown::Prose;
use crate::page::Page;
use crate::policy::{POLICY_PATH, Policy};
use crate::record::{RECORDS_DIR, Record};
use crate::site::{self, Files, Report, Snapshot, is_page_path, plural};
use crate::workflow::State;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// The index as git will commit it: the base commit's tree plus the staged
/// changes.
struct IndexView<'a> {
    repo: &'a Repo,
    base: Option<Oid>,
    changes: &'a [Change],
}

impl IndexView<'_> {
    /// The staged entry at `path`, if there is one.
    fn entry(&self, path: &str) -> Result<Option<Side>> {
        if let Some(change) = self.changes.iter().find(|c| c.path == path) {
            return Ok(change.new);
        }
        if self
            .changes
            .iter()
            .any(|c| c.old_path == path && c.old.is_some())
        {
            // Deleted, or renamed away (a copy keeps its source: old is None).
            return Ok(None);
        }
        match self.base {
            Some(commit) => self.repo.entry_at(commit, path),
            None => Ok(None),
        }
    }

    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self.entry(path)? {
            Some(side) if side.kind == Kind::File => Ok(Some(self.repo.blob(side.oid, path)?)),
            _ => Ok(None),
        }
    }
}

/// Checks the staged change: the index in `index_file` (what git hands a
/// hook in `GIT_INDEX_FILE`), or the repository's own. With `amend`, the
/// commit being made replaces `HEAD`, so it is judged against `HEAD`'s
/// parent.
pub fn check_staged(
    repo: &Repo,
    index_file: Option<&Path>,
    today: NaiveDate,
    amend: bool,
) -> Result<Report> {
    let head = repo.head()?;
    // An amend replaces HEAD: the commit is made on HEAD's parents.
    let replaced_parents = match head {
        Some(head) if amend => Some(repo.commit_info(head)?.parents),
        _ => None,
    };
    let base = match &replaced_parents {
        Some(parents) => parents.first().copied(),
        None => head,
    };
    let mut changes = repo.staged_changes(base, index_file)?;
    // The policy the commit will hold (the staged one, if it is staged).
    let staged_policy = IndexView {
        repo,
        base,
        changes: &changes,
    }
    .read(POLICY_PATH)?;
    let policy = site::policy_from(staged_policy)?;
    repo.pair_renames(&mut changes, |path| is_page_path(path, &policy.content_dir))?;
    let view = IndexView {
        repo,
        base,
        changes: &changes,
    };
    let mut findings = Vec::new();
    // A conflicted merge being committed: its other parents.
    let mut other_parents = repo.merge_heads()?;
    other_parents.extend(replaced_parents.iter().flatten().skip(1));
    let mut staged = Vec::new();
    for change in changes
        .iter()
        .filter(|c| is_page_path(&c.path, &policy.content_dir))
    {
        let Some(new) = change.new else { continue };
        match new.kind {
            Kind::Symlink => findings.push(site::symlink_finding(&change.path)),
            Kind::File => {
                let bytes = repo.blob(new.oid, &change.path)?;
                let (page, page_findings) =
                    site::parse_page(&change.path, &bytes, &policy.content_dir);
                findings.extend(page_findings);
                let before = before(repo, change, &other_parents, &policy)?;
                staged.extend(page.map(|p| (p, before)));
            }
            _ => {}
        }
    }
    // The rules the staged pages' states need compile on the other core
    // while the registry, links and records are read (whoever needs a rule
    // first waits for it; none is compiled twice).
    let needed: Vec<usize> = (0..policy.rules.len())
        .filter(|&i| {
            let states = &policy.rules[i].states;
            staged
                .iter()
                .any(|(p, _)| p.fields.status.is_some_and(|s| states.contains(&s)))
        })
        .collect();
    if !needed.is_empty() {
        let rules = Arc::clone(&policy.rules);
        std::thread::spawn(move || needed.iter().for_each(|&i| rules[i].prepare()));
    }
    // The registry is read only when there is something to check it for.
    let registry_path = site::registry_path(&policy.content_dir);
    let registry_touched = touches(&changes, &registry_path);
    if staged.is_empty() && !registry_touched {
        diagnostic::sort(&mut findings);
        return Ok(Report {
            findings,
            pages: 0,
            subject: plural(0, "staged page"),
        });
    }
    let (registry, registry_findings) =
        site::registry_from(&policy.content_dir, view.read(&registry_path)?)?;
    if registry_touched {
        findings.extend(registry_findings);
    }
    // Links from the staged pages are checked against the staged tree.
    let mut page_paths = BTreeSet::new();
    let proses: Vec<Prose> = staged.iter().map(|(p, _)| Prose::new(p.body())).collect();
    for ((page, _), prose) in staged.iter().zip(&proses) {
        for target in link_targets(page, prose, &policy.content_dir) {
            if view.entry(&target)?.is_some_and(|s| s.kind == Kind::File) {
                page_paths.insert(target);
            }
        }
    }
    let ctx = Context {
        policy: &policy,
        registry: &registry,
        page_paths: &page_paths,
        today,
    };
    let new_records = staged_records(repo, &changes)?;
    for ((page, before), prose) in staged.iter().zip(&proses) {
        findings.extend(check::check_page(page, prose, &ctx));
        findings.extend(check::check_transition(page, &before.states, &policy));
        findings.extend(check::needs_record(
            before.page.as_ref(),
            page,
            &new_records,
        ));
        if page.fields.status >= Some(State::Reviewed) {
            let old_id = before.page.as_ref().map(|p| p.id.as_str());
            let records = records_in(&view, &new_records, &page.id, old_id)?;
            findings.extend(check::unrecorded_edits(
                std::slice::from_ref(page),
                &records,
            ));
            findings.extend(check::Ledger::new(&records).findings(page, prose));
        }
    }
    diagnostic::sort(&mut findings);
    let pages = staged.len();
    Ok(Report {
        findings,
        pages,
        subject: plural(pages, "staged page"),
    })
}

/// Whether a change adds, edits, removes or renames `path`.
fn touches(changes: &[Change], path: &str) -> bool {
    changes.iter().any(|c| c.path == path || c.old_path == path)
}

/// The records in the staged tree for a page (and for the id it had before
/// a staged rename: records follow a renamed page): those the change adds
/// or edits, already read, and the base's others.
fn records_in(
    view: &IndexView,
    staged: &[Record],
    page_id: &str,
    old_id: Option<&str>,
) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    for id in std::iter::once(page_id).chain(old_id.filter(|old| *old != page_id)) {
        let folder = format!("{RECORDS_DIR}/{id}/");
        let base_files = match view.base {
            Some(base) => view.repo.files_under(base, folder.trim_end_matches('/'))?,
            None => Vec::new(),
        };
        for file in base_files
            .iter()
            .filter(|f| f.path.ends_with(".yaml") && !touches(view.changes, &f.path))
        {
            if let Ok(record) =
                Record::parse(&file.path, &view.repo.blob(file.side.oid, &file.path)?)
            {
                records.push(record);
            }
        }
        records.extend(
            staged
                .iter()
                .filter(|r| r.path.starts_with(&folder))
                .cloned(),
        );
    }
    for record in &mut records {
        record.page = page_id.to_string();
    }
    Ok(records)
}

/// Checks every commit of `range` (`BASE..HEAD`: the commits on HEAD since
/// its merge-base with BASE) for transitions, then the site at HEAD.
pub fn check_range(repo: &Repo, range: &str, today: NaiveDate) -> Result<Report> {
    let (base, head) = parse_range(range)?;
    let base = repo.resolve(base)?;
    let head = repo.resolve(head)?;
    let commits = repo.range(base, head)?;
    let mut findings = Vec::new();
    for commit in &commits {
        let snapshot = Snapshot {
            repo,
            commit: commit.id,
        };
        let policy = site::policy_from(snapshot.read(POLICY_PATH)?)?;
        let first_parent = commit.parents.first().copied();
        let mut changes = repo.commit_changes(first_parent, commit.id)?;
        repo.pair_renames(&mut changes, |p| is_page_path(p, &policy.content_dir))?;
        let other_parents = &commit.parents[commit.parents.len().min(1)..];
        let new_records = staged_records(repo, &changes)?;
        for change in changes
            .iter()
            .filter(|c| is_page_path(&c.path, &policy.content_dir))
        {
            let Some(new) = change.new.filter(|s| s.kind == Kind::File) else {
                continue;
            };
            let bytes = repo.blob(new.oid, &change.path)?;
            let (Some(page), _) = site::parse_page(&change.path, &bytes, &policy.content_dir)
            else {
                continue;
            };
            let before = before(repo, change, other_parents, &policy)?;
            let judged = check::check_transition(&page, &before.states, &policy)
                .into_iter()
                .chain(check::needs_record(
                    before.page.as_ref(),
                    &page,
                    &new_records,
                ));
            for f in judged {
                findings.push(f.in_commit(
                    &commit.id.to_string(),
                    &commit.id.short(),
                    &commit.subject,
                ));
            }
        }
    }
    let site = site::load(&Snapshot { repo, commit: head })?;
    let mut report = site::check(&site, today);
    findings.append(&mut report.findings);
    diagnostic::sort(&mut findings);
    report.findings = findings;
    report.subject = format!("{} and {}", plural(commits.len(), "commit"), report.subject);
    Ok(report)
}

/// `BASE..HEAD` (or `BASE...HEAD`, the same here); an empty side is `HEAD`.
fn parse_range(range: &str) -> Result<(&str, &str)> {
    let (base, head) = range
        .split_once("...")
        .or_else(|| range.split_once(".."))
        .ok_or_else(|| crate::error::Error::Usage {
            message: format!("`{range}` is not a range"),
            hint: "write it as BASE..HEAD, for example origin/main..HEAD".to_string(),
        })?;
    Ok((or_head(base), or_head(head)))
}

fn or_head(side: &str) -> &str {
    if side.is_empty() { "HEAD" } else { side }
}

/// What a page was before a commit: its state in each parent (the first
/// parent through the change, so a rename keeps its history; the others at
/// the same path), and the page itself as the first parent had it.
struct Before {
    states: Vec<Previous>,
    page: Option<Page>,
}

fn before(repo: &Repo, change: &Change, other_parents: &[Oid], policy: &Policy) -> Result<Before> {
    let page = page_at(repo, change.old, &change.old_path, policy)?;
    let mut states = vec![previous(&page, change.old.is_some())];
    for &parent in other_parents {
        let side = repo.entry_at(parent, &change.path)?;
        states.push(previous(
            &page_at(repo, side, &change.path, policy)?,
            side.is_some(),
        ));
    }
    Ok(Before { states, page })
}

fn previous(page: &Option<Page>, existed: bool) -> Previous {
    match page.as_ref().and_then(|p| p.fields.status) {
        Some(state) => Previous::State(state),
        None if existed => Previous::Unknown,
        None => Previous::Absent,
    }
}

fn page_at(repo: &Repo, side: Option<Side>, path: &str, policy: &Policy) -> Result<Option<Page>> {
    let Some(side) =
        side.filter(|s| s.kind == Kind::File && is_page_path(path, &policy.content_dir))
    else {
        return Ok(None);
    };
    let bytes = repo.blob(side.oid, path)?;
    Ok(site::parse_page(path, &bytes, &policy.content_dir).0)
}

/// The records a change adds or edits, read once: a maintenance record
/// speaks for an edit made in the same commit.
fn staged_records(repo: &Repo, changes: &[Change]) -> Result<Vec<Record>> {
    let mut records = Vec::new();
    for change in changes {
        let Some(new) = change.new.filter(|s| s.kind == Kind::File) else {
            continue;
        };
        if change.path.starts_with(RECORDS_DIR) && change.path.ends_with(".yaml") {
            if let Ok(record) = Record::parse(&change.path, &repo.blob(new.oid, &change.path)?) {
                records.push(record);
            }
        }
    }
    Ok(records)
}

/// The repository paths of the `.md` pages a page links to.
fn link_targets(page: &Page, prose: &Prose, content_dir: &str) -> Vec<String> {
    let page_dir = page.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    prose
        .links
        .iter()
        .filter_map(|link| check::resolve_link(&link.target, page_dir, content_dir))
        .collect()
}
