//! One model of a change: what a commit, or the staged index, does to a
//! site. `Change::staged` (the index against `HEAD`) and `Change::commit`
//! (a commit against its parents) turn a "before" and an "after" into plain
//! data: each page added, removed, renamed or edited, with the page on
//! both sides, its state in every parent, and whether its body changed;
//! the records the change adds or edits; the policy the change will be
//! judged by. Pages are read when asked for (`pages`, or `read_pages` a
//! chunk at a time, so a large change is never all in memory at once),
//! and the two trees stay at hand, so the registry and anything else is
//! read from either side only when someone needs it.
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
use crate::site::files::Want;
use crate::site::files::{Commit, Files, Staged, symlink_finding};
use crate::site::layout::{POLICY_PATH, is_record_path, registry_path};
use crate::site::page::Page;
use crate::site::policy::Policy;
use crate::site::record::{Record, same_body};
use crate::site::registry::Registry;
use crate::site::workflow::State;
use crate::site::{par_map, parse_page, policy_from, registry_from};
use std::path::Path;

pub struct Change<'r> {
    repo: &'r Repo,
    /// The files before the change: the first parent's tree (or nothing,
    /// before a first commit).
    pub before: Commit<'r>,
    /// The files after it: the commit's tree, or the index.
    pub after: After<'r>,
    /// The policy as the change leaves it, which the change is judged by.
    pub policy: Policy,
    /// Every path the change touches; renamed pages are paired.
    pub deltas: Vec<Delta>,
    /// The parents a merge (or an amend) has besides the first.
    other_parents: Vec<Oid>,
    /// The records the change adds or edits that could be read.
    pub records: Vec<Record>,
}

/// The files after a change.
pub enum After<'r> {
    Commit(Commit<'r>),
    Index(Staged<'r>),
}

/// What a change does to one page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum What {
    Added,
    Removed,
    /// Renamed (and perhaps edited): `PageChange::renamed_from` is the old
    /// path, and `before` the page under its old id.
    Renamed,
    Edited,
}

impl What {
    /// How a summary names it.
    pub fn as_str(self) -> &'static str {
        match self {
            What::Added => "added",
            What::Removed => "removed",
            What::Renamed => "renamed",
            What::Edited => "edited",
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
    /// What reading `before` found.
    pub findings_before: Vec<Finding>,
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
        Change::build(repo, base, after, deltas, other_parents)
    }

    /// What `commit` changed, against its first parent (its other parents,
    /// for a merge, give the pages' other states before).
    pub fn commit(repo: &'r Repo, commit: &CommitInfo) -> Result<Change<'r>> {
        let first_parent = commit.parents.first().copied();
        let other_parents = commit.parents[commit.parents.len().min(1)..].to_vec();
        Change::between(repo, first_parent, commit.id, other_parents)
    }

    /// From the tree of `base` (or nothing) to the tree of `head`, as if
    /// one commit with `base` and `other_parents` as parents made it.
    pub fn between(
        repo: &'r Repo,
        base: Option<Oid>,
        head: Oid,
        other_parents: Vec<Oid>,
    ) -> Result<Change<'r>> {
        let deltas = repo.commit_changes(base, head)?;
        let after = After::Commit(Commit {
            repo,
            commit: Some(head),
        });
        Change::build(repo, base, after, deltas, other_parents)
    }

    fn build(
        repo: &'r Repo,
        base: Option<Oid>,
        after: After<'r>,
        mut deltas: Vec<Delta>,
        other_parents: Vec<Oid>,
    ) -> Result<Change<'r>> {
        let policy = policy_from(after.read(POLICY_PATH)?)?;
        repo.pair_renames(&mut deltas, |path| policy.pages.is_page(path))?;
        let mut records = Vec::new();
        for delta in &deltas {
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
            repo,
            before: Commit { repo, commit: base },
            after,
            policy,
            deltas,
            other_parents,
            records,
        })
    }

    /// The deltas that touch a page, in git's path order.
    pub fn page_deltas(&self) -> impl Iterator<Item = &Delta> {
        let pages = &self.policy.pages;
        self.deltas.iter().filter(move |d| {
            pages.is_page(&d.path) || d.new.is_none() && pages.is_page(&d.old_path)
        })
    }

    /// Every page the change touches, read. A change with many pages is
    /// better read a chunk at a time (`read_pages`), so that only a chunk
    /// is in memory.
    pub fn pages(&self) -> Result<Vec<PageChange>> {
        let deltas: Vec<&Delta> = self.page_deltas().collect();
        self.read_pages(&deltas)
    }

    /// The pages of `deltas`, read: their blobs on this thread (a
    /// repository is read by one thread at a time), parsed on every core.
    pub fn read_pages(&self, deltas: &[&Delta]) -> Result<Vec<PageChange>> {
        let blobs = self.read_blobs(deltas)?;
        Ok(par_map(&blobs, |b| b.parse()))
    }

    /// The blobs of the pages of `deltas`, to be parsed later, perhaps on
    /// another thread (`PageBlobs::parse`), while this one reads on.
    pub fn read_blobs<'d>(&self, deltas: &[&'d Delta]) -> Result<Vec<PageBlobs<'d>>> {
        let mut blobs = Vec::with_capacity(deltas.len());
        for delta in deltas {
            let mut others = Vec::with_capacity(self.other_parents.len());
            for &parent in &self.other_parents {
                let side = self.repo.entry_at(parent, &delta.path)?;
                others.push((side.is_some(), self.page_bytes(side, &delta.path)?));
            }
            blobs.push(PageBlobs {
                delta,
                policy: self.policy.clone(),
                before: self.page_bytes(delta.old, &delta.old_path)?,
                after: self.page_bytes(delta.new, &delta.path)?,
                after_is_link: delta.new.is_some_and(|s| s.kind == Kind::Symlink),
                others,
            });
        }
        Ok(blobs)
    }

    /// The bytes of a tree entry that is a file at a page path.
    fn page_bytes(&self, side: Option<Side>, path: &str) -> Result<Option<Vec<u8>>> {
        match side {
            Some(side) if side.kind == Kind::File && self.policy.pages.is_page(path) => {
                Ok(Some(self.repo.blob(side.oid, path)?))
            }
            _ => Ok(None),
        }
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
        let content_dir = &self.policy.pages.dir;
        registry_from(content_dir, self.after.read(&registry_path(content_dir))?)
    }

    /// The registry before the change.
    pub fn registry_before(&self) -> Result<(Registry, Vec<Finding>)> {
        let content_dir = self.policy_before()?.pages.dir;
        registry_from(
            &content_dir,
            self.before.read(&registry_path(&content_dir))?,
        )
    }
}

/// A page delta's blobs, read and not yet parsed.
pub struct PageBlobs<'d> {
    delta: &'d Delta,
    policy: Policy,
    before: Option<Vec<u8>>,
    after: Option<Vec<u8>>,
    after_is_link: bool,
    /// For each other parent: whether it has the path, and its page bytes.
    others: Vec<(bool, Option<Vec<u8>>)>,
}

impl PageBlobs<'_> {
    /// The page change these blobs make.
    pub fn parse(&self) -> PageChange {
        let policy = &self.policy;
        let delta = self.delta;
        let what = match (delta.old, delta.new) {
            (_, None) => What::Removed,
            (None, _) => What::Added,
            _ if delta.old_path != delta.path => What::Renamed,
            _ => What::Edited,
        };
        let parse = |bytes: &Option<Vec<u8>>, path: &str| match bytes {
            Some(bytes) => parse_page(path, bytes, policy),
            None => (None, Vec::new()),
        };
        let (before, findings_before) = parse(&self.before, &delta.old_path);
        let (after, mut findings) = parse(&self.after, &delta.path);
        if self.after_is_link {
            findings.push(symlink_finding(&delta.path));
        }
        let mut states_before = vec![previous(&before, delta.old.is_some())];
        for (existed, bytes) in &self.others {
            states_before.push(previous(&parse(bytes, &delta.path).0, *existed));
        }
        let body_changed = match (&before, &after) {
            (Some(b), Some(a)) => !same_body(b.body(), a.body()),
            (None, None) => false,
            _ => true,
        };
        PageChange {
            what,
            path: delta.path.clone(),
            renamed_from: (what == What::Renamed).then(|| delta.old_path.clone()),
            before,
            after,
            findings,
            findings_before,
            states_before,
            body_changed,
        }
    }
}

fn previous(page: &Option<Page>, existed: bool) -> Previous {
    match page.as_ref().and_then(|p| p.fields.status) {
        Some(state) => Previous::State(state),
        None if existed => Previous::Unknown,
        None => Previous::Absent,
    }
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

    fn list(&self, dir: &str, want: Want) -> Result<Option<crate::site::files::Listing>> {
        match self {
            After::Commit(commit) => commit.list(dir, want),
            After::Index(staged) => staged.list(dir, want),
        }
    }

    fn paths(&self, dir: &str, want: Want) -> Result<Vec<String>> {
        match self {
            After::Commit(commit) => commit.paths(dir, want),
            After::Index(staged) => staged.paths(dir, want),
        }
    }
}
