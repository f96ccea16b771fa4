//! One model of a change: what a commit, or the staged index, does to a
//! site. `Change::staged` (the index against `HEAD`) and `Change::commit`
//! (a commit against its parents) turn a "before" and an "after" into plain
//! data: each page added, removed, renamed or edited, with the page on
//! both sides, its state in every parent, and whether its body changed;
//! the records the change adds or edits; the policy the change will be
//! judged by. The two trees stay at hand, so the registry and anything else
//! is read from either side only when someone needs it.
//!
//! The model only describes. The checks (`check::change`) judge it: the
//! pre-commit hook, and every commit of a range in CI.
//!
//! A page's state before a commit is its state in each parent: the first
//! parent through a rename, the others at the same path. A page that comes
//! unchanged from the other side of a merge is then not this commit's move.

use crate::error::Result;
use crate::finding::Finding;
use crate::git::{CommitInfo, Delta, Kind, Oid, Repo, Side};
use crate::site::files::{Commit, Files, Staged, symlink_finding};
use crate::site::layout::{POLICY_PATH, is_page_path, is_record_path, registry_path};
use crate::site::page::Page;
use crate::site::policy::Policy;
use crate::site::record::{Record, same_body};
use crate::site::registry::Registry;
use crate::site::workflow::State;
use crate::site::{self, parse_page, policy_from, registry_from};
use std::path::Path;

pub struct Change<'r> {
    /// The files before the change: the first parent's tree (or nothing,
    /// before a first commit).
    pub before: Commit<'r>,
    /// The files after it: the commit's tree, or the index.
    pub after: After<'r>,
    /// The policy as the change leaves it, which the change is judged by.
    pub policy: Policy,
    /// Every path the change touches; renamed pages are paired.
    pub deltas: Vec<Delta>,
    /// The pages the change touches, in git's path order.
    pub pages: Vec<PageChange>,
    /// The records the change adds or edits that could be read.
    pub records: Vec<Record>,
}

/// The files after a change.
pub enum After<'r> {
    Commit(Commit<'r>),
    Index(Staged<'r>),
}

/// What a change does to one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    Added,
    Removed,
    /// Renamed (and perhaps edited): `PageChange::renamed_from` is the old
    /// path, and `before` the page under its old id.
    Renamed,
    Edited,
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

pub struct PageChange {
    pub what: What,
    /// The page's path after the change (for a removed page, its path
    /// before).
    pub path: String,
    /// The path it had before, when the change renamed it.
    pub renamed_from: Option<String>,
    /// The page as the first parent had it; `None` when it was not a page
    /// there or could not be read.
    pub before: Option<Page>,
    /// The page as the change leaves it; `None` when the change removes
    /// it, or it is not a file (a symbolic link), or cannot be read.
    pub after: Option<Page>,
    /// What reading `after` found: frontmatter errors, a bad id, a link.
    pub findings: Vec<Finding>,
    /// The page's state in each parent, the first parent first.
    pub states_before: Vec<Previous>,
    /// Whether the body differs between `before` and `after` (CRLF read as
    /// LF); a page on one side only has changed.
    pub body_changed: bool,
}

impl<'r> Change<'r> {
    /// The staged change: from `HEAD` to the index in `index_file` (what
    /// git hands a hook in `GIT_INDEX_FILE`), or the repository's own.
    /// With `amend`, the commit being made replaces `HEAD`, so the change
    /// is from `HEAD`'s parents. A conflicted merge being committed has
    /// its other side (`MERGE_HEAD`) as further parents.
    pub fn staged(repo: &'r Repo, index_file: Option<&Path>, amend: bool) -> Result<Change<'r>> {
        let head = repo.head()?;
        let replaced_parents = match head {
            Some(head) if amend => Some(repo.commit_info(head)?.parents),
            _ => None,
        };
        let base = match &replaced_parents {
            Some(parents) => parents.first().copied(),
            None => head,
        };
        let deltas = repo.staged_changes(base, index_file)?;
        let mut other_parents = repo.merge_heads()?;
        other_parents.extend(replaced_parents.iter().flatten().skip(1));
        let after = After::Index(Staged::new(repo, base, &deltas));
        Change::build(repo, base, after, deltas, &other_parents)
    }

    /// What `commit` changed, against its first parent (its other parents,
    /// for a merge, give the pages' other states before).
    pub fn commit(repo: &'r Repo, commit: &CommitInfo) -> Result<Change<'r>> {
        let first_parent = commit.parents.first().copied();
        let deltas = repo.commit_changes(first_parent, commit.id)?;
        let after = After::Commit(Commit {
            repo,
            commit: Some(commit.id),
        });
        let other_parents = &commit.parents[commit.parents.len().min(1)..];
        Change::build(repo, first_parent, after, deltas, other_parents)
    }

    fn build(
        repo: &'r Repo,
        base: Option<Oid>,
        after: After<'r>,
        mut deltas: Vec<Delta>,
        other_parents: &[Oid],
    ) -> Result<Change<'r>> {
        let policy = policy_from(after.read(POLICY_PATH)?)?;
        let content_dir = policy.content_dir.clone();
        repo.pair_renames(&mut deltas, |path| is_page_path(path, &content_dir))?;
        let mut pages = Vec::new();
        let mut records = Vec::new();
        for delta in &deltas {
            let is_page = is_page_path(&delta.path, &content_dir)
                || delta.new.is_none() && is_page_path(&delta.old_path, &content_dir);
            if is_page {
                pages.push(PageChange::read(repo, delta, other_parents, &content_dir)?);
            }
            if let Some(new) = delta.new.filter(|s| s.kind == Kind::File) {
                if is_record_path(&delta.path) {
                    if let Ok(record) =
                        Record::parse(&delta.path, &repo.blob(new.oid, &delta.path)?)
                    {
                        records.push(record);
                    }
                }
            }
        }
        Ok(Change {
            before: Commit { repo, commit: base },
            after,
            policy,
            deltas,
            pages,
            records,
        })
    }

    /// Whether the change adds, edits, removes or renames `path`.
    pub fn touches(&self, path: &str) -> bool {
        self.deltas
            .iter()
            .any(|d| d.path == path || d.old_path == path)
    }

    /// The policy before the change (read again only if the change edits
    /// it).
    pub fn policy_before(&self) -> Result<Policy> {
        if self.touches(POLICY_PATH) {
            policy_from(self.before.read(POLICY_PATH)?)
        } else {
            Ok(self.policy.clone())
        }
    }

    /// The registry after the change, with findings about its entries.
    pub fn registry_after(&self) -> Result<(Registry, Vec<Finding>)> {
        let content_dir = &self.policy.content_dir;
        registry_from(content_dir, self.after.read(&registry_path(content_dir))?)
    }

    /// The registry before the change.
    pub fn registry_before(&self) -> Result<(Registry, Vec<Finding>)> {
        let content_dir = self.policy_before()?.content_dir;
        registry_from(
            &content_dir,
            self.before.read(&registry_path(&content_dir))?,
        )
    }
}

impl PageChange {
    fn read(
        repo: &Repo,
        delta: &Delta,
        other_parents: &[Oid],
        content_dir: &str,
    ) -> Result<PageChange> {
        let what = match (delta.old, delta.new) {
            (_, None) => What::Removed,
            (None, _) => What::Added,
            _ if delta.old_path != delta.path => What::Renamed,
            _ => What::Edited,
        };
        let before = page_at(repo, delta.old, &delta.old_path, content_dir)?;
        let mut findings = Vec::new();
        let after = match delta.new {
            Some(new) if new.kind == Kind::Symlink => {
                findings.push(symlink_finding(&delta.path));
                None
            }
            Some(new) if new.kind == Kind::File && is_page_path(&delta.path, content_dir) => {
                let bytes = repo.blob(new.oid, &delta.path)?;
                let (page, read) = parse_page(&delta.path, &bytes, content_dir);
                findings = read;
                page
            }
            _ => None,
        };
        let mut states_before = vec![previous(&before, delta.old.is_some())];
        for &parent in other_parents {
            let side = repo.entry_at(parent, &delta.path)?;
            let page = page_at(repo, side, &delta.path, content_dir)?;
            states_before.push(previous(&page, side.is_some()));
        }
        let body_changed = match (&before, &after) {
            (Some(b), Some(a)) => !same_body(b.body(), a.body()),
            (None, None) => false,
            _ => true,
        };
        Ok(PageChange {
            what,
            path: delta.path.clone(),
            renamed_from: (what == What::Renamed).then(|| delta.old_path.clone()),
            before,
            after,
            findings,
            states_before,
            body_changed,
        })
    }
}

fn previous(page: &Option<Page>, existed: bool) -> Previous {
    match page.as_ref().and_then(|p| p.fields.status) {
        Some(state) => Previous::State(state),
        None if existed => Previous::Unknown,
        None => Previous::Absent,
    }
}

/// The page at a tree entry, if the entry is a file at a page path that
/// parses.
fn page_at(repo: &Repo, side: Option<Side>, path: &str, content_dir: &str) -> Result<Option<Page>> {
    let Some(side) = side.filter(|s| s.kind == Kind::File && is_page_path(path, content_dir))
    else {
        return Ok(None);
    };
    let bytes = repo.blob(side.oid, path)?;
    Ok(site::parse_page(path, &bytes, content_dir).0)
}

impl After<'_> {
    /// The entry at `path` after the change.
    pub fn entry(&self, path: &str) -> Result<Option<Side>> {
        match self {
            After::Commit(commit) => commit.entry(path),
            After::Index(staged) => staged.entry(path),
        }
    }
}

impl Files for After<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self {
            After::Commit(commit) => commit.read(path),
            After::Index(staged) => staged.read(path),
        }
    }

    fn list(&self, dir: &str, extension: &str) -> Result<Option<crate::site::files::Listing>> {
        match self {
            After::Commit(commit) => commit.list(dir, extension),
            After::Index(staged) => staged.list(dir, extension),
        }
    }
}
