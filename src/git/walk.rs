//! The commits that changed one path, newest first, walked in-process.
//!
//! It lists what `git rev-list <head> -- <path>` lists, with git's default
//! history simplification (a merge whose entry at the path equals a
//! parent's follows that parent only), in git's default order (newest
//! commit date first), and goes further in the same pass: it stops where
//! the path was added, and where that was a rename (the caller says; folio
//! pairs renames itself) it goes on under the old name.
//!
//! Walking here rather than reading rev-list is also what makes `folio
//! history` cheaper than `git log --follow`: a commit is read for its
//! tree, parents and date only, from the commit-graph when there is one
//! (`graph`); a commit-graph's changed-path filter, where it says the path
//! did not change, spares reading trees at all; otherwise each commit's
//! tree is read once (git's diff reads both sides of every commit), and
//! not below a folder whose tree the child commit had too. Objects are
//! read raw, without libgit2's object cache or its rehash of each object.
//!
//! Replace refs and grafts are not honoured. A shallow clone's boundary
//! is an error: whether the page began there or before is not in the
//! clone.

use super::graph::{Graph, Keys, Position};
use super::tree::tree_entry;
use super::{Kind, Oid, Repo, Side, git_bug, git_error, shallow};
use crate::error::Result;
use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashSet};
use std::rc::Rc;

/// A commit that changed the path, and the path's name in it.
#[derive(Debug, Clone)]
pub struct Touch {
    pub commit: Oid,
    pub path: String,
    /// The path's entry in the commit (a commit that removed it is not a
    /// touch: the walk never goes past where the path began).
    pub side: Side,
}

/// What the walk needs of a commit.
pub(super) struct Commit {
    pub(super) tree: git2::Oid,
    pub(super) parents: Vec<git2::Oid>,
    pub(super) time: i64,
    /// Where the commit-graph has it.
    at: Option<Position>,
}

/// The path being followed, as a string and as Bloom-filter keys.
struct Tracked {
    path: String,
    keys: Keys,
}

impl Tracked {
    fn new(path: &str) -> Rc<Tracked> {
        Rc::new(Tracked {
            path: path.to_string(),
            keys: Keys::new(path),
        })
    }

    fn parts(&self) -> Vec<&[u8]> {
        self.path.as_bytes().split(|&b| b == b'/').collect()
    }
}

/// Where a path leads in one commit's tree: the tree at each level (the
/// root first), then the entry's mode and id, if there is one.
#[derive(Clone, Default)]
struct Lookup {
    trees: Vec<git2::Oid>,
    entry: Option<(u32, git2::Oid)>,
}

/// A commit waiting in the walk's queue.
struct Item {
    time: i64,
    order: u64,
    id: git2::Oid,
    commit: Commit,
    tracked: Rc<Tracked>,
    lookup: Lookup,
    /// `lookup`'s entry: only commits that have the path are queued.
    entry: Side,
}

impl PartialEq for Item {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Item {}
impl PartialOrd for Item {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Item {
    /// Newest commit date first; among equal dates, the one queued first
    /// (as git's walk orders them).
    fn cmp(&self, other: &Self) -> Ordering {
        self.time
            .cmp(&other.time)
            .then(other.order.cmp(&self.order))
    }
}

pub(super) struct Objects<'r> {
    odb: git2::Odb<'r>,
    loose: &'r super::loose::Guard,
    graph: Option<Graph>,
    pub(super) shallow: HashSet<git2::Oid>,
}

impl<'r> Objects<'r> {
    /// The objects of `repo`, its commits read from the commit-graph when
    /// git would read them there.
    pub(super) fn open(repo: &'r Repo) -> Result<Objects<'r>> {
        let shallow_commits: HashSet<git2::Oid> = repo.shallow_commits().into_iter().collect();
        // As git: no commit-graph in a shallow clone, or when it is turned off.
        let use_graph = shallow_commits.is_empty()
            && repo
                .config()
                .and_then(|c| c.get_bool("core.commitGraph").ok())
                .unwrap_or(true);
        Ok(Objects {
            odb: repo.repo.odb().map_err(git_error)?,
            loose: &repo.loose,
            graph: use_graph
                .then(|| Graph::open(&repo.repo.commondir().join("objects")))
                .flatten(),
            shallow: shallow_commits,
        })
    }

    pub(super) fn read(&self, id: git2::Oid, what: &str) -> Result<git2::OdbObject<'_>> {
        self.loose.check(id)?;
        self.odb
            .read(id)
            .map_err(|e| git_bug(format!("cannot read {what} {id}: {}", e.message())))
    }

    pub(super) fn commit(&self, id: git2::Oid) -> Result<Commit> {
        if let Some(entry) = self.graph.as_ref().and_then(|g| g.commit(id)) {
            return Ok(Commit {
                tree: entry.tree,
                parents: entry.parents,
                time: entry.time,
                at: Some(entry.at),
            });
        }
        let object = self.read(id, "commit")?;
        let mut commit = parse_commit(object.data())
            .ok_or_else(|| git_bug(format!("commit {id} cannot be parsed")))?;
        if self.shallow.contains(&id) {
            commit.parents.clear();
        }
        Ok(commit)
    }

    /// True when the commit-graph says the path is the same in `commit`
    /// and its first parent.
    fn unchanged(&self, commit: &Commit, keys: &Keys) -> bool {
        match (&self.graph, commit.at) {
            (Some(graph), Some(at)) => graph.unchanged(at, keys),
            _ => false,
        }
    }

    /// Follows `parts` down from the tree `root`. `near` is the same path
    /// looked up in a related commit: from the first level whose tree is
    /// the same, the rest is the same and is not read again.
    fn lookup(&self, root: git2::Oid, parts: &[&[u8]], near: &Lookup) -> Result<Lookup> {
        let mut found = Lookup::default();
        let mut tree = root;
        for (level, name) in parts.iter().enumerate() {
            if near.trees.get(level) == Some(&tree) {
                return Ok(near.clone());
            }
            found.trees.push(tree);
            let object = self.read(tree, "tree")?;
            let Some((mode, id)) = tree_entry(object.data(), name) else {
                return Ok(found);
            };
            if level + 1 == parts.len() {
                found.entry = Some((mode, id));
            } else if mode & 0o170000 == 0o040000 {
                tree = id;
            } else {
                return Ok(found);
            }
        }
        Ok(found)
    }
}

/// The commits from `head` back that changed `path` (see the module
/// comment). `renamed_from(commit, parent, path)` names the path's old
/// name when `commit` added `path` by renaming a file of `parent`.
pub fn touching(
    repo: &Repo,
    head: Oid,
    path: &str,
    mut renamed_from: impl FnMut(Oid, Oid, &str) -> Result<Option<String>>,
    found: &mut dyn FnMut(&Touch),
) -> Result<Vec<Touch>> {
    let objects = Objects::open(repo)?;
    let mut queue = BinaryHeap::new();
    let mut seen = HashSet::new();
    let mut order = 0;
    // Queues a commit that has the path (a commit without it has no
    // history of the page to give) and has not been queued yet.
    let mut enqueue =
        |queue: &mut BinaryHeap<Item>, id, commit: Commit, tracked, lookup: Lookup| {
            let Some((mode, oid)) = lookup.entry else {
                return;
            };
            if seen.insert(id) {
                order += 1;
                queue.push(Item {
                    time: commit.time,
                    order,
                    id,
                    commit,
                    tracked,
                    lookup,
                    entry: Side {
                        oid: Oid(oid),
                        kind: Kind::from_mode(mode),
                    },
                });
            }
        };
    let commit = objects.commit(head.0)?;
    let tracked = Tracked::new(path);
    let lookup = objects.lookup(commit.tree, &tracked.parts(), &Lookup::default())?;
    enqueue(&mut queue, head.0, commit, tracked, lookup);
    let mut touched = Vec::new();
    while let Some(item) = queue.pop() {
        if objects.shallow.contains(&item.id) {
            // The path is in the oldest commit this clone has: whether that
            // commit added it, or an older one did, is not here to read.
            return Err(shallow(
                &format!(
                    "of {} before commit {}",
                    item.tracked.path,
                    Oid(item.id).short()
                ),
                "the clone is shallow",
            ));
        }
        let parts = item.tracked.parts();
        let mut differing = Vec::new();
        let mut same = None;
        for (n, &parent) in item.commit.parents.iter().enumerate() {
            let commit = objects.commit(parent)?;
            let lookup = if n == 0 && objects.unchanged(&item.commit, &item.tracked.keys) {
                item.lookup.clone()
            } else {
                objects.lookup(commit.tree, &parts, &item.lookup)?
            };
            if lookup.entry == item.lookup.entry {
                same = Some((parent, commit, lookup));
                break;
            }
            differing.push((parent, commit, lookup));
        }
        if let Some((parent, commit, lookup)) = same {
            enqueue(&mut queue, parent, commit, item.tracked, lookup);
            continue;
        }
        let touch = Touch {
            commit: Oid(item.id),
            path: item.tracked.path.clone(),
            side: item.entry,
        };
        found(&touch);
        touched.push(touch);
        for (parent, commit, lookup) in differing {
            if lookup.entry.is_some() {
                enqueue(&mut queue, parent, commit, item.tracked.clone(), lookup);
            } else if let Some(old) = renamed_from(Oid(item.id), Oid(parent), &item.tracked.path)? {
                let tracked = Tracked::new(&old);
                let lookup = objects.lookup(commit.tree, &tracked.parts(), &Lookup::default())?;
                enqueue(&mut queue, parent, commit, tracked, lookup);
            }
        }
    }
    Ok(touched)
}

/// The tree, parents and committer date of a raw commit object.
fn parse_commit(data: &[u8]) -> Option<Commit> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in data.split(|&b| b == b'\n') {
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = Some(parse_hex(hex)?);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(parse_hex(hex)?);
        } else if let Some(who) = line.strip_prefix(b"committer ") {
            // "Name <email> 1700000000 +0000"
            let after = who
                .iter()
                .rposition(|&b| b == b'>')
                .map_or(who, |i| &who[i + 1..]);
            let seconds = after.split(|&b| b == b' ').find(|w| !w.is_empty())?;
            time = std::str::from_utf8(seconds).ok()?.parse().ok()?;
        }
    }
    Some(Commit {
        tree: tree?,
        parents,
        time,
        at: None,
    })
}

fn parse_hex(hex: &[u8]) -> Option<git2::Oid> {
    git2::Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::tests::{git, write};
    use super::*;
    use std::path::Path;

    /// A history with what a walk must get right: edits at several
    /// depths, a merge that takes a file from the side branch, a merge of
    /// edits to the same file from both sides, an octopus merge, a rename,
    /// and a file never touched after it was added.
    pub(in crate::git) fn history(d: &Path, then: impl Fn(&Path)) {
        git(d, &["init", "-q", "-b", "main"]);
        for f in [
            "content/a.md",
            "content/b.md",
            "content/sub/c.md",
            "other.txt",
            "still.md",
        ] {
            write(d, f, &format!("{f}\n1\n2\n3\n4\n5\n6\n"));
        }
        let commit = |message: &str| {
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", message]);
        };
        let edit = |f: &str, line: &str, to: &str| {
            let text = std::fs::read_to_string(d.join(f)).unwrap();
            write(
                d,
                f,
                &text.replacen(&format!("{line}\n"), &format!("{to}\n"), 1),
            );
        };
        commit("add");
        edit("content/a.md", "1", "one");
        commit("edit a");
        git(d, &["checkout", "-q", "-b", "feature"]);
        edit("content/b.md", "1", "one");
        commit("feature b");
        edit("content/sub/c.md", "1", "one");
        commit("feature c");
        git(d, &["checkout", "-q", "main"]);
        edit("content/a.md", "2", "two");
        commit("main a");
        edit("other.txt", "1", "one");
        commit("main other");
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "merge feature", "feature"],
        );
        then(d);
        git(d, &["checkout", "-q", "-b", "both"]);
        edit("content/a.md", "6", "six");
        commit("both a, end");
        git(d, &["checkout", "-q", "main"]);
        edit("content/a.md", "3", "three");
        commit("main a, middle");
        git(d, &["merge", "-q", "--no-ff", "-m", "merge both", "both"]);
        for (branch, f) in [
            ("x", "content/a.md"),
            ("y", "content/b.md"),
            ("z", "other.txt"),
        ] {
            git(d, &["checkout", "-q", "-b", branch, "main"]);
            edit(f, "4", branch);
            commit(branch);
        }
        git(d, &["checkout", "-q", "main"]);
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "octopus", "x", "y", "z"],
        );
        git(d, &["mv", "content/sub/c.md", "content/sub/d.md"]);
        edit("content/sub/d.md", "5", "five");
        commit("rename c to d");
        edit("content/sub/d.md", "6", "six");
        commit("edit d");
    }

    const FILES: [&str; 6] = [
        "content/a.md",
        "content/b.md",
        "content/sub/d.md",
        "other.txt",
        "still.md",
        "content",
    ];

    fn ours(repo: &Repo, path: &str) -> Vec<String> {
        let head = repo.head().unwrap().unwrap();
        touching(repo, head, path, |_, _, _| Ok(None), &mut |_| {})
            .unwrap()
            .iter()
            .map(|t| t.commit.to_string())
            .collect()
    }

    fn theirs(d: &Path, path: &str) -> Vec<String> {
        git(d, &["rev-list", "HEAD", "--", path])
            .lines()
            .map(str::to_string)
            .collect()
    }

    /// A layer of commit-graph with changed-path filters over what is not
    /// in a layer yet.
    const ADD_LAYER: [&str; 5] = [
        "commit-graph",
        "write",
        "--reachable",
        "--split=no-merge",
        "--changed-paths",
    ];

    /// `history` with a two-layer commit-graph: the first layer written
    /// halfway through.
    fn two_layer_history() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        history(dir.path(), |d| {
            git(d, &ADD_LAYER);
        });
        git(dir.path(), &ADD_LAYER);
        dir
    }

    #[test]
    fn the_walk_lists_what_rev_list_lists_with_and_without_a_commit_graph() {
        let dir = two_layer_history();
        let d = dir.path();
        let repo = Repo::open(d).unwrap();
        let graph_dir = d.join(".git/objects/info");
        for graph in ["split", "none", "whole"] {
            match graph {
                "none" => std::fs::remove_dir_all(graph_dir.join("commit-graphs")).unwrap(),
                "whole" => {
                    git(
                        d,
                        &["commit-graph", "write", "--reachable", "--changed-paths"],
                    );
                }
                _ => {}
            }
            let opened = Graph::open(graph_dir.parent().unwrap());
            assert_eq!(opened.is_some(), graph != "none", "{graph}");
            for path in FILES {
                assert_eq!(ours(&repo, path), theirs(d, path), "{path}, graph: {graph}");
            }
        }
    }

    #[test]
    fn the_graph_says_what_the_commits_say_and_its_filters_skip_unchanged_paths() {
        let dir = two_layer_history();
        let d = dir.path();
        let repo = Repo::open(d).unwrap();
        let graph = Graph::open(&d.join(".git/objects")).expect("a two-layer graph");
        let odb = repo.repo.odb().unwrap();
        let keys = Keys::new("content/a.md");
        let mut skipped = 0;
        let all = git(d, &["rev-list", "--all"]);
        for id in all.lines() {
            let id = git2::Oid::from_str(id).unwrap();
            let entry = graph.commit(id).expect("every commit is in the graph");
            let raw = parse_commit(odb.read(id).unwrap().data()).unwrap();
            assert_eq!(
                (entry.tree, &entry.parents, entry.time),
                (raw.tree, &raw.parents, raw.time)
            );
            let entry_in = |rev: &str| git(d, &["ls-tree", rev, "--", "content/a.md"]);
            let changed = match raw.parents.first() {
                Some(parent) => entry_in(&id.to_string()) != entry_in(&parent.to_string()),
                None => true,
            };
            if graph.unchanged(entry.at, &keys) {
                assert!(
                    !changed,
                    "the filter of {id} says content/a.md did not change, but it did"
                );
                skipped += 1;
            }
        }
        assert!(skipped > 5, "the filters skipped only {skipped} commits");
        // A chain listed out of order would number commits wrongly: unused.
        let chain = d.join(".git/objects/info/commit-graphs/commit-graph-chain");
        let lines: Vec<String> = std::fs::read_to_string(&chain)
            .unwrap()
            .lines()
            .rev()
            .map(|l| format!("{l}\n"))
            .collect();
        std::fs::write(&chain, lines.concat()).unwrap();
        assert!(Graph::open(&d.join(".git/objects")).is_none());
    }

    #[test]
    fn a_commit_is_read_for_its_tree_parents_and_committer_date() {
        let raw = b"tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\
parent 1111111111111111111111111111111111111111\n\
parent 2222222222222222222222222222222222222222\n\
author A <a@x> 1 +0000\n\
committer C > D <c@x> 1700000000 -0130\n\
\n\
tree 0000000000000000000000000000000000000000 is the message\n";
        let c = parse_commit(raw).expect("parses");
        assert_eq!(
            c.tree.to_string(),
            "4b825dc642cb6eb9a060e54bf8d69288fbee4904"
        );
        assert_eq!(c.parents.len(), 2);
        assert_eq!(c.time, 1_700_000_000);
        assert!(parse_commit(b"parent 1111111111111111111111111111111111111111\n").is_none());
        assert!(parse_commit(b"tree xyz\n").is_none());
    }
}
