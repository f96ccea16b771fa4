//! Judging a change (see `change`): what git records, not what the working
//! tree holds.
//!
//! `staged` is the pre-commit hook: each staged page must meet what its
//! state demands, make a legal move, and bring the maintenance record an
//! edit of a published page needs. It reads only what the change touches
//! (the staged pages, the policy, and the registry, links and records when
//! a staged page needs them), so its cost follows the size of the change.
//! `range` is CI: every commit of a pull request judged in order, so a
//! skipped state or a commit made with `--no-verify` is still caught, then
//! the site as a whole at its head.

use super::{Context, RangeScope, Report, Scope, check_page};
use crate::baseline::leave_out;
use crate::change::{Change, PageChange};
use crate::error::Result;
use crate::finding::{self, Finding};
use crate::git::{Kind, Repo};
use crate::site::files::{Files, Worktree};
use crate::site::layout::{POLICY_PATH, records_dir, registry_path};
use crate::site::page::Page;
use crate::site::record::owner_of;
use crate::site::workflow::State;
use crate::text::markdown::Prose;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

/// Checks the staged change (see `Change::staged`).
pub fn staged(
    repo: &Repo,
    index_file: Option<&Path>,
    today: NaiveDate,
    amend: bool,
) -> Result<Report> {
    let change = Change::staged(repo, index_file, amend)?;
    let policy = &change.policy;
    let pages = change.pages()?;
    let mut findings = Vec::new();
    let mut staged: Vec<(&PageChange, &Page)> = Vec::new();
    for page in &pages {
        findings.extend(page.findings.iter().cloned());
        staged.extend(page.after.as_ref().map(|after| (page, after)));
    }
    // The rules the staged pages' states need compile on the other core
    // while the registry, links and records are read (whoever needs a rule
    // first waits for it; none is compiled twice).
    let needed: Vec<usize> = (0..policy.rules.len())
        .filter(|&i| {
            let states = &policy.rules[i].states;
            staged
                .iter()
                .any(|(_, p)| p.fields.status.is_some_and(|s| states.contains(&s)))
        })
        .collect();
    if !needed.is_empty() {
        let rules = Arc::clone(&policy.rules);
        std::thread::spawn(move || needed.iter().for_each(|&i| rules[i].prepare()));
    }
    // The registry is read only when there is something to check it for.
    let registry_touched = change.touches(&registry_path(&policy.pages.dir));
    if staged.is_empty() && !registry_touched {
        finding::sort(&mut findings);
        let baseline = leave_out(&change.after, &mut findings, false)?;
        return Ok(Report {
            findings,
            pages: 0,
            scope: Scope::Staged,
            baseline,
        });
    }
    findings.extend(unstaged_ground(repo, &change)?);
    let (registry, registry_findings) = change.registry_after()?;
    if registry_touched {
        findings.extend(registry_findings);
    }
    // Links from the staged pages are checked against the staged tree.
    let mut page_paths = BTreeSet::new();
    let proses: Vec<Prose> = staged.iter().map(|(_, p)| Prose::new(p.body())).collect();
    for ((_, page), prose) in staged.iter().zip(&proses) {
        for target in super::links::targets(page, prose, &policy.pages.dir) {
            if change
                .after
                .entry(&target)?
                .is_some_and(|s| s.kind == Kind::File)
            {
                page_paths.insert(target);
            }
        }
    }
    let ctx = Context {
        policy,
        registry: &registry,
        page_paths: &page_paths,
        today,
        found: super::Found::EachRule,
    };
    for ((page_change, page), prose) in staged.iter().zip(&proses) {
        findings.extend(check_page(page, prose, &ctx));
        findings.extend(super::transition::check_transition(
            page,
            &page_change.states_before,
            policy,
        ));
        if let Some(missing) = super::records::needs_record(page_change, &change.records) {
            findings.push(unstaged_record(repo, &change, page_change, missing)?);
        }
        findings.extend(records_left_behind(&change, page_change, page)?);
        if page.fields.status >= Some(State::Reviewed) {
            let records = super::records::records_of(&change.after, &page.id)?;
            findings.extend(super::records::unrecorded_edits(
                std::slice::from_ref(*page),
                &records,
            ));
            findings.extend(super::records::Ledger::new(&records).findings(page, prose));
        }
    }
    said_of_what_was_judged(&mut findings, repo.root(), &staged, amend);
    finding::sort(&mut findings);
    let baseline = leave_out(&change.after, &mut findings, false)?;
    Ok(Report {
        findings,
        pages: staged.len(),
        scope: Scope::Staged,
        baseline,
    })
}

/// The policy and the registry the commit is judged with are the staged
/// ones; where the working tree's differ, a warning says which was used.
fn unstaged_ground(repo: &Repo, change: &Change) -> Result<Vec<Finding>> {
    let worktree = Worktree { root: repo.root() };
    let mut out = Vec::new();
    for path in [
        POLICY_PATH.to_string(),
        registry_path(&change.policy.pages.dir),
    ] {
        let staged = change.after.read(&path)?;
        let on_disk = worktree.read(&path).ok().flatten();
        if staged == on_disk || on_disk.is_none() {
            continue;
        }
        let what = if path == POLICY_PATH {
            "policy"
        } else {
            "source registry"
        };
        out.push(
            Finding::warning(
                "unstaged-ground",
                &path,
                format!(
                    "this commit is judged with the staged {what}; {path} in your working tree differs and is not staged"
                ),
                format!("to judge (and commit) with your version, `git add {path}` and commit again"),
            )
            .at_line(1, 1),
        );
    }
    Ok(out)
}

/// Says what a hook finding was judged on where the editor would not
/// assume it: a page whose working tree differs from what is staged is
/// judged as staged; under `git commit --amend`, a move is judged against
/// the parent of the commit being amended, not against `HEAD`.
fn said_of_what_was_judged(
    findings: &mut [Finding],
    root: &Path,
    staged: &[(&PageChange, &Page)],
    amend: bool,
) {
    let found: BTreeSet<&str> = findings.iter().map(|f| f.path.as_str()).collect();
    let differs: BTreeSet<String> = staged
        .iter()
        .filter(|(_, page)| found.contains(page.path.as_str()))
        .filter(|(_, page)| {
            std::fs::read(root.join(&page.path)).is_ok_and(|bytes| bytes != page.text.file_bytes())
        })
        .map(|(_, page)| page.path.clone())
        .collect();
    for f in findings.iter_mut() {
        if amend
            && ["illegal-transition", "new-page-state", "unrecorded-change"]
                .contains(&f.code.as_str())
        {
            f.message.push_str(
                " (compared with the parent of the commit being amended, as --amend replaces HEAD)",
            );
        }
        if differs.contains(&f.path) {
            f.message
                .push_str(" (as staged: the file in your working tree differs; `git add` it if that is what you mean to commit)");
        }
    }
}

/// A page renamed in the change whose records stayed in the folder of its
/// old id: a warning whose hint moves them (the records of pages in
/// subfolders stay where they are).
fn records_left_behind(
    change: &Change,
    page_change: &PageChange,
    page: &Page,
) -> Result<Option<Finding>> {
    let Some(old) = page_change.before.as_ref().filter(|b| b.id != page.id) else {
        return Ok(None);
    };
    let old_dir = records_dir(&old.id);
    let (files, _) = change
        .after
        .list(&old_dir, &crate::site::files::yaml)?
        .unwrap_or_default();
    let left: Vec<&str> = files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|path| owner_of(path) == Some(old.id.as_str()))
        .collect();
    let Some(first) = left.first() else {
        return Ok(None);
    };
    let new_dir = records_dir(&page.id);
    let command = if left.len() == files.len() {
        format!("git mv {old_dir} {new_dir}")
    } else {
        format!("mkdir -p {new_dir} && git mv {old_dir}/*.yaml {new_dir}/")
    };
    Ok(Some(
        Finding::warning(
            "orphan-record",
            *first,
            format!(
                "{} was renamed from `{}` to `{}`, but its records ({}) stayed in {old_dir}",
                page.path,
                old.id,
                page.id,
                left.len()
            ),
            format!("move them with it: `{command}` (`folio rename` moves both)"),
        )
        .at_line(1, 1),
    ))
}

/// Checks a range (`BASE..HEAD`: the commits on HEAD since its
/// merge-base with BASE): each commit's moves and records, and the
/// findings the range introduced, counting those that were already there.
pub fn range(repo: &Repo, range: &str, today: NaiveDate) -> Result<Report> {
    let (base, head) = repo.range_ends(Some(range))?;
    let commits = repo.range(base, head)?;
    let merge_base = repo.merge_base(base, head)?;
    let whole = Change::between(repo, Some(merge_base), head, Vec::new())?;
    let review = super::review::review(&whole, &commits, today, |_| ())?;
    let mut findings = review.commit_findings;
    findings.extend(review.introduced);
    finding::sort(&mut findings);
    let baseline = leave_out(&whole.after, &mut findings, false)?;
    let touched = whole
        .deltas
        .iter()
        .flat_map(|d| [d.path.clone(), d.old_path.clone()])
        .collect();
    Ok(Report {
        findings,
        pages: review.pages_checked,
        scope: Scope::Range(RangeScope {
            commits: commits.len(),
            already_there: review.unchanged,
            fixed: review.fixed.len(),
            whole_site: review.whole_site,
            touched,
        }),
        baseline,
    })
}

/// A missing record's finding, its hint naming the record when one is in
/// the working tree but not staged (written by `folio log`, say, before a
/// `git commit -a`, which leaves new files out).
fn unstaged_record(
    repo: &Repo,
    change: &Change,
    page_change: &PageChange,
    mut missing: Finding,
) -> Result<Finding> {
    let worktree = Worktree { root: repo.root() };
    let ids = [&page_change.after, &page_change.before]
        .into_iter()
        .flatten()
        .map(|p| p.id.as_str());
    for id in ids {
        for path in worktree.paths(&records_dir(id), &crate::site::files::yaml)? {
            if change.after.entry(&path)?.is_none() {
                missing.hint = format!(
                    "a record for it is in the working tree but not staged: `git add {path}`"
                );
                return Ok(missing);
            }
        }
    }
    Ok(missing)
}
