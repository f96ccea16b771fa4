//! Commits: revisions, ranges and their merge-base, what a commit changed,
//! and who made it.

use super::walk::{self, Touch};
use super::{CommitInfo, Delta, Described, FETCH_HISTORY, Oid, Repo, git_error, shallow};
use crate::error::{Error, Result};

impl Repo {
    /// The changes a commit made relative to one of its parents (or, with
    /// `None`, relative to nothing: a root commit); renames not paired yet.
    /// The two trees are compared raw, folder by folder, skipping every
    /// folder whose id is the same on both sides; trees read once are kept
    /// for the run, so the commits of a range share their reads.
    pub fn commit_changes(&self, parent: Option<Oid>, commit: Oid) -> Result<Vec<Delta>> {
        let new = self.root_tree(commit)?;
        let old = parent.map(|p| self.root_tree(p)).transpose()?;
        let mut deltas = Vec::new();
        self.diff_trees(b"", old, Some(new), &mut deltas)?;
        Ok(deltas)
    }

    /// Resolves a revision such as `origin/main` or `HEAD~3` to a commit.
    /// In a shallow clone, a revision that is not there may be beyond its
    /// history: the error says so, and how to fetch it.
    pub fn resolve(&self, rev: &str) -> Result<Oid> {
        self.loose.check_all()?;
        let object = self.repo.revparse_single(rev).map_err(|e| {
            if self.repo.is_shallow() {
                return Error::config(format!(
                    "`{rev}` is not in this clone, which is shallow: its history stops short"
                ))
                .hint(format!("fetch the branch and the full history: {FETCH_HISTORY}, then `git fetch origin <branch>`"));
            }
            Error::usage(format!(
                "`{rev}` is not a revision of this repository: {}",
                e.message()
            ))
            .hint("name a branch, tag or commit, such as origin/main; in CI, fetch it first")
        })?;
        let commit = object.peel_to_commit().map_err(|_| {
            Error::usage(format!("`{rev}` does not name a commit"))
                .hint("name a branch, tag or commit")
        })?;
        Ok(Oid(commit.id()))
    }

    /// The base and head of `range`: `BASE..HEAD` or `BASE...HEAD`, the
    /// same here (what is on HEAD since its merge-base with BASE); an empty
    /// side is `HEAD`. Without a range, the base is the current branch's
    /// upstream, else `origin/HEAD`.
    pub fn range_ends(&self, range: Option<&str>) -> Result<(Oid, Oid)> {
        self.loose.check_all()?;
        let Some(range) = range else {
            let upstream = ["@{upstream}", "origin/HEAD"]
                .into_iter()
                .find_map(|rev| self.repo.revparse_single(rev).ok()?.peel_to_commit().ok());
            let base = upstream.ok_or_else(|| {
                Error::usage(
                    "no range given, and the current branch has no upstream, nor is there an origin/HEAD",
                )
                .hint("name the range, as BASE..HEAD: for example origin/main..HEAD")
            })?;
            let head = self.resolve("HEAD")?;
            return Ok((Oid(base.id()), head));
        };
        let (base, head) = range
            .split_once("...")
            .or_else(|| range.split_once(".."))
            .ok_or_else(|| {
                Error::usage(format!("`{range}` is not a range"))
                    .hint("write it as BASE..HEAD, for example origin/main..HEAD")
            })?;
        let resolve = |side: &str| self.resolve(if side.is_empty() { "HEAD" } else { side });
        Ok((resolve(base)?, resolve(head)?))
    }

    /// The merge-base of `base` and `head`: where a pull request from
    /// `head` into `base` starts.
    pub fn merge_base(&self, base: Oid, head: Oid) -> Result<Oid> {
        self.loose.check_all()?;
        let shallow = || {
            shallow(
                "needed for this range",
                "the clone is shallow and its history does not reach the merge-base",
            )
        };
        match self.repo.merge_base(base.0, head.0) {
            Ok(oid) => Ok(Oid(oid)),
            Err(_) if self.repo.is_shallow() => Err(shallow()),
            Err(e) if e.code() == git2::ErrorCode::NotFound => Err(Error::usage(format!(
                "{} and {} have no common ancestor",
                base.short(),
                head.short()
            ))
            .hint("check that the range names the pull request's base branch and its head")),
            Err(e) => Err(git_error(e)),
        }
    }

    /// The commits on `head` since its merge-base with `base`, oldest first:
    /// what a pull request from `head` into `base` contains.
    pub fn range(&self, base: Oid, head: Oid) -> Result<Vec<CommitInfo>> {
        let merge_base = self.merge_base(base, head)?.0;
        let shallow = || {
            shallow(
                "needed for this range",
                "the clone is shallow and its history does not reach the merge-base",
            )
        };
        let mut walk = self.repo.revwalk().map_err(git_error)?;
        walk.push(head.0).map_err(git_error)?;
        walk.hide(merge_base).map_err(git_error)?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .map_err(git_error)?;
        let shallow_commits = self.shallow_commits();
        let mut commits = Vec::new();
        for id in walk {
            let id = id.map_err(git_error)?;
            if shallow_commits.contains(&id) {
                return Err(shallow());
            }
            commits.push(self.commit_info(Oid(id))?);
        }
        Ok(commits)
    }

    /// The commits whose parents a shallow clone does not have.
    pub(super) fn shallow_commits(&self) -> Vec<git2::Oid> {
        std::fs::read_to_string(self.repo.path().join("shallow"))
            .unwrap_or_default()
            .lines()
            .filter_map(|l| git2::Oid::from_str(l.trim()).ok())
            .collect()
    }

    /// The commits from `head` back that changed `path`, newest first,
    /// through renames, up to the one that added it: see `walk`. Each is
    /// also given to `found` as the walk finds it.
    pub fn touching(
        &self,
        head: Oid,
        path: &str,
        renamed_from: impl FnMut(Oid, Oid, &str) -> Result<Option<String>>,
        found: &mut dyn FnMut(&Touch),
    ) -> Result<Vec<Touch>> {
        walk::touching(self, head, path, renamed_from, found)
    }

    pub fn commit_info(&self, id: Oid) -> Result<CommitInfo> {
        let commit = self.find_commit(id)?;
        Ok(CommitInfo {
            id,
            parents: commit.parent_ids().map(Oid).collect(),
            subject: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    }

    /// A commit's author name, date (`YYYY-MM-DD`, in the author's zone)
    /// and subject, as a history shows them.
    pub fn describe(&self, id: Oid) -> Result<Described> {
        let commit = self.find_commit(id)?;
        let author = commit.author();
        let when = author.when();
        let date = chrono::DateTime::from_timestamp(
            when.seconds() + i64::from(when.offset_minutes()) * 60,
            0,
        )
        .map_or_else(String::new, |d| d.format("%Y-%m-%d").to_string());
        Ok(Described {
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            date,
            subject: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
        })
    }
}
