//! The commits that changed each of many paths, in one walk: for every
//! path, the commits `walk::touching` lists for it alone, with the same
//! history simplification and the same renames, but reading the history
//! once for all of them (the board shows every page's timeline; a walk
//! per page would read the history once per page).
//!
//! git lists the commits (`git log --date-order`: no commit before all
//! its children, newest first otherwise) with what each changed under the
//! content folder; git keeps the trees it builds from a packed chain of
//! deltas, where libgit2 builds each again from the chain's start, which
//! made reading them here several times slower. A merge's changes from
//! each parent are compared here, folder by folder. Each commit is looked
//! at once, with every path that reaches it, and the walk ends as soon as
//! no path is left to follow.
//!
//! What a path does at a commit is what `touching` does: unchanged from
//! the first parent, it goes on to that parent only; changed from it but
//! the same as a later parent, to that parent only; changed from every
//! parent, the commit is a touch and the path goes on to each parent that
//! has it, or, in a parent without it, to the file it was renamed from.
//! Commits reach a path by every route at once, so where `touching`
//! would meet a commit a second time and pass it by, this walk has
//! already merged the two. Where two routes reach one commit under two
//! names of the same page (renamed on one branch only), both are
//! followed and a commit is listed for the page once. Among commits of
//! the same date on two branches, git's order can differ from the one
//! `touching` takes.

use super::kept::Kept;
use super::tree::{diff_trees, tree_entry};
use super::walk::{Objects, Touch};
use super::{Delta, Kind, Oid, Repo, Side, git_bug, shallow};
use crate::error::{Error, Result};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::io::BufRead;
use std::rc::Rc;

/// The paths that reach one commit: each name, and the index of the path
/// at `head` it is the history of.
type Tracked = HashMap<String, usize>;

/// How many trees are kept between merges (see `Trees`).
const KEEP_TREES: usize = 4096;

/// Raw trees, kept for a while: two generations, the older dropped when
/// the newer fills, so a long history costs no more memory than a short
/// one.
struct Trees<'o, 'r> {
    objects: &'o Objects<'r>,
    now: RefCell<HashMap<git2::Oid, Rc<[u8]>>>,
    before: RefCell<HashMap<git2::Oid, Rc<[u8]>>>,
}

impl Trees<'_, '_> {
    fn read(&self, id: git2::Oid) -> Result<Rc<[u8]>> {
        if let Some(bytes) = self.now.borrow().get(&id) {
            return Ok(Rc::clone(bytes));
        }
        let bytes = match self.before.borrow().get(&id) {
            Some(bytes) => Rc::clone(bytes),
            None => Rc::from(self.objects.read(id, "tree")?.data()),
        };
        let mut now = self.now.borrow_mut();
        if now.len() >= KEEP_TREES {
            *self.before.borrow_mut() = std::mem::take(&mut *now);
        }
        now.insert(id, Rc::clone(&bytes));
        Ok(bytes)
    }

    /// The tree of the folder `parts` in the root tree `root`, if it is a
    /// folder there.
    fn folder(&self, root: git2::Oid, parts: &[&str]) -> Result<Option<git2::Oid>> {
        let mut tree = root;
        for part in parts {
            match tree_entry(&self.read(tree)?, part.as_bytes()) {
                Some((mode, id)) if Kind::from_mode(mode) == Kind::Dir => tree = id,
                _ => return Ok(None),
            }
        }
        Ok(Some(tree))
    }
}

/// One commit as `git log` lists it.
struct Listed {
    id: git2::Oid,
    parents: Vec<git2::Oid>,
    /// What it changed under the content folder: from its parent, or for a
    /// root commit from nothing; a merge's are left to `Step::changes`.
    deltas: Vec<Delta>,
}

impl Repo {
    /// For each of `paths` (files under the folder `dir`), the commits from
    /// `head` back that changed it, newest first, through renames that
    /// `is_page` accepts on both sides (see the module comment). A path not in
    /// `head` has no commits. `found` is told of each commit as the walk finds
    /// it (a commit may be told twice), so its blob can be read meanwhile.
    pub fn touching_all(
        &self,
        head: Oid,
        dir: &str,
        paths: &[String],
        is_page: &dyn Fn(&str) -> bool,
        found: &mut dyn FnMut(&Touch),
    ) -> Result<Vec<Vec<Touch>>> {
        let objects = Objects::open(self)?;
        let trees = Trees {
            objects: &objects,
            now: RefCell::default(),
            before: RefCell::default(),
        };
        let read = |id| trees.read(id);
        let parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
        let prefix = if parts.is_empty() {
            String::new()
        } else {
            format!("{}/", parts.join("/"))
        };
        let step = Step {
            repo: self,
            trees: &trees,
            read: &read,
            parts: &parts,
            prefix: &prefix,
            is_page,
        };
        let mut touches: Vec<Vec<Touch>> = paths.iter().map(|_| Vec::new()).collect();
        // A path that is not in `head` is dropped where it was deleted: the
        // first commit it differs in, and is not in.
        let tracked: Tracked = paths.iter().cloned().zip(0..).collect();
        if tracked.is_empty() {
            return Ok(touches);
        }
        // The history as git lists it: what `.git/folio-history` kept of it
        // (the whole history of the commit it was kept for), and from git
        // what is new since. Not in a shallow clone, whose oldest commits
        // would be kept as if they began the history.
        let kept = objects.shallow.is_empty().then(|| self.kept());
        let name = Kept::name("listing", &prefix);
        let cached = kept.as_ref().and_then(|k| decode(&k.read(&name)?));
        let (tip, old) = match cached {
            Some((tip, commits)) if objects.commit(tip).is_ok() => (Some(tip), commits),
            _ => (None, Vec::new()),
        };
        let mut pending: HashMap<git2::Oid, Tracked> = HashMap::from([(head.0, tracked)]);
        // Each commit in turn, children before their parents: git lists the
        // new commits so, the kept ones were kept so, and no kept commit is a
        // new one's child. Whether any path is left to follow.
        let mut visit = |listed: &Listed| -> Result<bool> {
            let Some(tracked) = pending.remove(&listed.id) else {
                return Ok(!pending.is_empty());
            };
            if objects.shallow.contains(&listed.id) {
                // Whether the pages began here or before is not in the clone.
                return Err(shallow(
                    &format!("before commit {}", Oid(listed.id).short()),
                    "the clone is shallow",
                ));
            }
            let outs = step.take(listed, tracked, &mut touches, found)?;
            for (parent, out) in listed.parents.iter().zip(outs) {
                if !out.is_empty() {
                    merge(pending.entry(*parent).or_default(), out);
                }
            }
            Ok(!pending.is_empty())
        };
        // The new commits are looked at as git lists them, and kept whole for
        // next time; with nothing to keep, git stops once no path is left.
        let mut new = Vec::new();
        let mut going = true;
        if tip != Some(head.0) {
            log(self, head, tip, &prefix, |listed| {
                going = going && visit(&listed)?;
                let keep = kept.is_some();
                if keep {
                    new.push(listed);
                }
                Ok(going || keep)
            })?;
        }
        for listed in &old {
            if !going {
                break;
            }
            going = visit(listed)?;
        }
        if let Some(kept) = kept.filter(|_| tip != Some(head.0)) {
            kept.write(&name, encode(head.0, &history_of(head.0, &new, &old)));
        }
        for list in &mut touches {
            let mut seen = HashSet::new();
            list.retain(|t| seen.insert(t.commit));
        }
        Ok(touches)
    }
}

/// Lists the commits from `head` (but not those of `not`'s history) to
/// `each`, children first (see the module comment), each with what it
/// changed under `prefix` (a folder with its trailing `/`, or empty for
/// the whole tree). `each` returns whether to go on.
fn log(
    repo: &Repo,
    head: Oid,
    not: Option<git2::Oid>,
    prefix: &str,
    mut each: impl FnMut(Listed) -> Result<bool>,
) -> Result<()> {
    let head = head.to_string();
    let not = not.map(|id| format!("^{id}"));
    let mut args = vec![
        "--no-replace-objects",
        "-c",
        "log.showSignature=false",
        // One path given would otherwise be followed as a file.
        "-c",
        "log.follow=false",
        "-c",
        "core.deltaBaseCacheLimit=16m",
        "log",
        "--date-order",
        "--full-history",
        "--sparse",
        "--root",
        "--raw",
        "--no-renames",
        "--no-abbrev",
        "--ignore-submodules=none",
        "-z",
        "--format=%x01%H %P",
        &head,
    ];
    args.extend(not.as_deref());
    args.push("--");
    let spec = format!(":(top,literal){}", prefix.trim_end_matches('/'));
    if !prefix.is_empty() {
        args.push(&spec);
    }
    let mut git = repo.stream(&args, None)?;
    let listed = read_log(&mut git.out, &mut each);
    let stopped = matches!(listed, Ok(false));
    let (ended_well, text) = git.finish(stopped);
    listed?;
    if !stopped && !ended_well {
        return Err(
            Error::config(format!("git could not list the history: {}", text.trim()))
                .hint("the clone may be damaged: run `git fsck`"),
        );
    }
    Ok(())
}

/// Reads `git log --raw -z` records and hands each commit to `each`, until
/// it says stop (`Ok(false)`) or the list ends (`Ok(true)`).
fn read_log(out: &mut impl BufRead, each: &mut impl FnMut(Listed) -> Result<bool>) -> Result<bool> {
    let damaged = |what: &str| git_bug(format!("git log said something unexpected: {what}"));
    let mut token = Vec::new();
    let mut name = Vec::new();
    let mut current: Option<Listed> = None;
    loop {
        token.clear();
        if out
            .read_until(0, &mut token)
            .map_err(|e| damaged(&e.to_string()))?
            == 0
        {
            break;
        }
        if token.last() == Some(&0) {
            token.pop();
        }
        let text = token.strip_prefix(b"\n").unwrap_or(&token);
        if let Some(header) = text.strip_prefix(b"\x01") {
            if let Some(done) = current.take() {
                if !each(done)? {
                    return Ok(false);
                }
            }
            let mut ids = header
                .split(|&b| b == b' ')
                .filter(|w| !w.is_empty())
                .map(|w| {
                    std::str::from_utf8(w)
                        .ok()
                        .and_then(|w| git2::Oid::from_str(w).ok())
                        .ok_or_else(|| damaged("a commit id"))
                });
            let id = ids.next().ok_or_else(|| damaged("an empty header"))??;
            current = Some(Listed {
                id,
                parents: ids.collect::<Result<_>>()?,
                deltas: Vec::new(),
            });
        } else if let Some(meta) = text.strip_prefix(b":") {
            // `<old mode> <new mode> <old id> <new id> <status>`, then the path.
            let words: Vec<&[u8]> = meta.split(|&b| b == b' ').collect();
            let [old_mode, new_mode, old_id, new_id, _] = words[..] else {
                return Err(damaged("a raw diff line"));
            };
            name.clear();
            out.read_until(0, &mut name)
                .map_err(|e| damaged(&e.to_string()))?;
            if name.pop() != Some(0) {
                return Err(damaged("a path cut short"));
            }
            let side = |mode: &[u8], id: &[u8]| -> Result<Option<Side>> {
                let mode = std::str::from_utf8(mode)
                    .ok()
                    .and_then(|m| u32::from_str_radix(m, 8).ok())
                    .ok_or_else(|| damaged("a mode"))?;
                let id = std::str::from_utf8(id)
                    .ok()
                    .and_then(|i| git2::Oid::from_str(i).ok())
                    .ok_or_else(|| damaged("an object id"))?;
                Ok((mode != 0).then(|| Side {
                    oid: Oid(id),
                    kind: Kind::from_mode(mode),
                }))
            };
            let path = crate::text::path_text(&name);
            let delta = Delta {
                old_path: path.clone(),
                path,
                old: side(old_mode, old_id)?,
                new: side(new_mode, new_id)?,
            };
            current
                .as_mut()
                .ok_or_else(|| damaged("a change before any commit"))?
                .deltas
                .push(delta);
        } else if !text.is_empty() {
            return Err(damaged("a line that is neither a commit nor a change"));
        }
    }
    match current {
        Some(done) => each(done),
        None => Ok(true),
    }
}

/// The commits of `new` then `old` that are in `head`'s history, in that
/// order: what is kept for `head`.
fn history_of<'a>(head: git2::Oid, new: &'a [Listed], old: &'a [Listed]) -> Vec<&'a Listed> {
    let all: HashMap<git2::Oid, &Listed> = new.iter().chain(old).map(|l| (l.id, l)).collect();
    let mut reached = HashSet::from([head]);
    let mut stack = vec![head];
    while let Some(id) = stack.pop() {
        for parent in all.get(&id).map_or(&[][..], |l| &l.parents[..]) {
            if reached.insert(*parent) {
                stack.push(*parent);
            }
        }
    }
    new.iter()
        .chain(old)
        .filter(|l| reached.remove(&l.id))
        .collect()
}

/// What is kept of a history: the commit it is the history of, then each
/// commit (id, parents, changes: each side's kind and id, and the path).
fn encode(head: git2::Oid, commits: &[&Listed]) -> Vec<u8> {
    let mut out = Vec::new();
    let number = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u32).to_le_bytes());
    out.extend_from_slice(head.as_bytes());
    number(&mut out, commits.len());
    for listed in commits {
        out.extend_from_slice(listed.id.as_bytes());
        number(&mut out, listed.parents.len());
        for parent in &listed.parents {
            out.extend_from_slice(parent.as_bytes());
        }
        number(&mut out, listed.deltas.len());
        for delta in &listed.deltas {
            for side in [delta.old, delta.new] {
                match side {
                    None => out.extend_from_slice(&[0; 21]),
                    Some(side) => {
                        out.push(kind_code(side.kind));
                        out.extend_from_slice(side.oid.0.as_bytes());
                    }
                }
            }
            number(&mut out, delta.path.len());
            out.extend_from_slice(delta.path.as_bytes());
        }
    }
    out
}

fn kind_code(kind: Kind) -> u8 {
    match kind {
        Kind::File => 1,
        Kind::Symlink => 2,
        Kind::Submodule => 3,
        Kind::Dir => 4,
    }
}

/// `encode`'s bytes read back; `None` if they are not that.
fn decode(bytes: &[u8]) -> Option<(git2::Oid, Vec<Listed>)> {
    let mut rest = bytes;
    let mut take = |n: usize| -> Option<&[u8]> {
        let (taken, left) = rest.split_at_checked(n)?;
        rest = left;
        Some(taken)
    };
    let head = git2::Oid::from_bytes(take(20)?).ok()?;
    let count = |b: &[u8]| u32::from_le_bytes(b.try_into().expect("four bytes")) as usize;
    let commits = count(take(4)?);
    let mut listed = Vec::with_capacity(commits.min(bytes.len() / 28));
    for _ in 0..commits {
        let id = git2::Oid::from_bytes(take(20)?).ok()?;
        let parents = (0..count(take(4)?))
            .map(|_| git2::Oid::from_bytes(take(20)?).ok())
            .collect::<Option<Vec<_>>>()?;
        let mut deltas = Vec::new();
        for _ in 0..count(take(4)?) {
            let mut sides = [None, None];
            for side in &mut sides {
                let raw = take(21)?;
                let kind = match raw[0] {
                    0 => continue,
                    1 => Kind::File,
                    2 => Kind::Symlink,
                    3 => Kind::Submodule,
                    4 => Kind::Dir,
                    _ => return None,
                };
                *side = Some(Side {
                    oid: Oid(git2::Oid::from_bytes(&raw[1..]).ok()?),
                    kind,
                });
            }
            let length = count(take(4)?);
            let path = std::str::from_utf8(take(length)?).ok()?.to_string();
            deltas.push(Delta {
                old_path: path.clone(),
                path,
                old: sides[0],
                new: sides[1],
            });
        }
        listed.push(Listed {
            id,
            parents,
            deltas,
        });
    }
    rest.is_empty().then_some((head, listed))
}

/// Adds `from`'s paths to `into`'s, the smaller map into the larger; a
/// name already there keeps its page.
fn merge(into: &mut Tracked, mut from: Tracked) {
    if into.len() < from.len() {
        std::mem::swap(into, &mut from);
    }
    for (name, path) in from {
        into.entry(name).or_insert(path);
    }
}

/// What the walk needs to look at one commit.
struct Step<'a> {
    repo: &'a Repo,
    trees: &'a Trees<'a, 'a>,
    read: &'a dyn Fn(git2::Oid) -> Result<Rc<[u8]>>,
    parts: &'a [&'a str],
    prefix: &'a str,
    is_page: &'a dyn Fn(&str) -> bool,
}

impl Step<'_> {
    /// The content folder's changes from `old` (a parent's root tree, or
    /// none) to `new`.
    fn changes(&self, old: Option<git2::Oid>, new: git2::Oid) -> Result<Vec<Delta>> {
        let old = match old {
            Some(root) => self.trees.folder(root, self.parts)?,
            None => None,
        };
        let new = self.trees.folder(new, self.parts)?;
        let mut deltas = Vec::new();
        diff_trees(self.read, self.prefix.as_bytes(), old, new, &mut deltas)?;
        Ok(deltas)
    }

    /// Looks at a commit with the paths that reach it: records its
    /// touches, and returns the paths that go on to each parent.
    fn take(
        &self,
        listed: &Listed,
        mut tracked: Tracked,
        touches: &mut [Vec<Touch>],
        found: &mut dyn FnMut(&Touch),
    ) -> Result<Vec<Tracked>> {
        let mut outs: Vec<Tracked> = Vec::new();
        // What the commit changed from each parent: git listed it, but for
        // a merge.
        let mut merged: Vec<Vec<Delta>> = Vec::new();
        if listed.parents.len() > 1 {
            let tree = self.trees.objects.commit(listed.id)?.tree;
            for parent in &listed.parents {
                let parent = self.trees.objects.commit(*parent)?.tree;
                merged.push(self.changes(Some(parent), tree)?);
            }
        }
        let parents: Vec<&[Delta]> = match listed.parents.len() {
            0 => Vec::new(),
            1 => vec![&listed.deltas],
            _ => merged.iter().map(Vec::as_slice).collect(),
        };
        // The names that differ from every parent looked at so far.
        let mut differing: Vec<(String, usize)> = Vec::new();
        for (n, deltas) in parents.iter().copied().enumerate() {
            if n == 0 {
                for delta in deltas {
                    if let Some(named) = tracked.remove_entry(&delta.path) {
                        differing.push(named);
                    }
                }
                outs.push(std::mem::take(&mut tracked));
            } else {
                let changed: HashSet<&str> = deltas.iter().map(|d| d.path.as_str()).collect();
                let (same, still): (Vec<_>, Vec<_>) = differing
                    .into_iter()
                    .partition(|(name, _)| !changed.contains(name.as_str()));
                outs.push(same.into_iter().collect());
                differing = still;
            }
        }
        if parents.is_empty() {
            differing = tracked.into_iter().collect();
        }
        if differing.is_empty() {
            return Ok(outs);
        }
        // The commit is a touch of every name still differing that it has;
        // one it does not have was deleted here, and is followed no further.
        let here = side_of(parents.first().copied().unwrap_or(&listed.deltas), |d| {
            d.new
        });
        differing.retain(|(name, _)| here.contains_key(name.as_str()));
        if differing.is_empty() {
            return Ok(outs);
        }
        for (n, deltas) in parents.iter().enumerate() {
            let before = side_of(deltas, |d| d.old);
            let mut renamed: Option<HashMap<String, String>> = None;
            for (name, path) in &differing {
                if before.contains_key(name.as_str()) {
                    outs[n].insert(name.clone(), *path);
                    continue;
                }
                if renamed.is_none() {
                    let mut paired = deltas.to_vec();
                    self.repo.pair_renames(&mut paired, self.is_page)?;
                    renamed = Some(
                        paired
                            .into_iter()
                            .filter(|d| d.old.is_some() && d.old_path != d.path)
                            .map(|d| (d.path, d.old_path))
                            .collect(),
                    );
                }
                if let Some(old) = renamed.as_ref().and_then(|r| r.get(name)) {
                    merge(&mut outs[n], HashMap::from([(old.clone(), *path)]));
                }
            }
        }
        for (name, path) in differing {
            let touch = Touch {
                commit: Oid(listed.id),
                path: name.clone(),
                side: here[name.as_str()],
            };
            found(&touch);
            touches[path].push(touch);
        }
        Ok(outs)
    }
}

/// Each delta's path, with the side `pick` takes, where it has one.
fn side_of(deltas: &[Delta], pick: impl Fn(&Delta) -> Option<Side>) -> HashMap<&str, Side> {
    deltas
        .iter()
        .filter_map(|d| Some((d.path.as_str(), pick(d)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::tests::git;
    use super::super::walk::tests::history;
    use super::*;
    use std::collections::BTreeSet;

    /// Each file's commits, as one walk per file lists them (renames
    /// paired as folio pairs them) and as the walk of them all does.
    fn both(repo: &Repo, files: &[String]) -> Vec<(BTreeSet<String>, BTreeSet<String>)> {
        let head = repo.head().unwrap().unwrap();
        let all = repo
            .touching_all(head, "", files, &|_| true, &mut |_| {})
            .unwrap();
        files
            .iter()
            .zip(all)
            .map(|(file, many)| {
                let one = repo
                    .touching(
                        head,
                        file,
                        |commit, parent, path| repo.renamed_from(commit, parent, path, |_| true),
                        &mut |_| {},
                    )
                    .unwrap();
                let listed = |t: &[Touch]| {
                    t.iter()
                        .map(|t| format!("{} {}", t.commit.short(), t.path))
                        .collect()
                };
                (listed(&one), listed(&many))
            })
            .collect()
    }

    #[test]
    fn one_walk_for_every_file_lists_what_a_walk_per_file_lists() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        history(d, |_| {});
        // A file renamed on a branch and edited on main meanwhile, and a
        // file deleted and made again under its old name.
        git(d, &["checkout", "-q", "-b", "moving"]);
        git(d, &["mv", "content/b.md", "content/moved.md"]);
        git(d, &["commit", "-q", "-m", "move b"]);
        git(d, &["checkout", "-q", "main"]);
        std::fs::write(d.join("still.md"), "again\n").unwrap();
        git(d, &["commit", "-q", "-am", "edit still"]);
        git(
            d,
            &["merge", "-q", "--no-ff", "-m", "merge moving", "moving"],
        );
        git(d, &["rm", "-q", "other.txt"]);
        git(d, &["commit", "-q", "-m", "drop other"]);
        std::fs::write(d.join("other.txt"), "new other\n").unwrap();
        git(d, &["add", "other.txt"]);
        git(d, &["commit", "-q", "-m", "other again"]);
        let repo = Repo::open(d).unwrap();
        let files: Vec<String> = git(d, &["ls-files"]).lines().map(str::to_string).collect();
        assert!(files.len() >= 5, "{files:?}");
        let mut listed = 0;
        for (file, (one, many)) in files.iter().zip(both(&repo, &files)) {
            assert_eq!(many, one, "{file}");
            listed += one.len();
        }
        assert!(listed > files.len(), "only {listed} commits listed");
        // A path that is not in HEAD has none, and one walk of part of
        // the files lists the same for them.
        let some = vec!["content/a.md".to_string(), "gone.md".to_string()];
        let pairs = both(&repo, &some);
        assert!(pairs[1].1.is_empty());
        assert_eq!(pairs[0].0, pairs[0].1);
    }

    #[test]
    fn git_logs_records_are_read_whole_and_damage_is_an_error_not_a_panic() {
        let a = "1".repeat(40);
        let b = "2".repeat(40);
        let blob = "3".repeat(40);
        let zero = "0".repeat(40);
        let raw = format!(
            "\x01{a} {b}\0\n:100644 100644 {blob} {blob} M\0content/odd\nname \"q\".md\0\
             \x01{b}\0\n:000000 120000 {zero} {blob} A\0content/link.md\0"
        )
        .into_bytes();
        let mut seen = Vec::new();
        let whole = read_log(&mut &raw[..], &mut |listed| {
            seen.push(listed);
            Ok(true)
        });
        assert!(matches!(whole, Ok(true)));
        assert_eq!(seen.len(), 2);
        assert_eq!(seen[0].parents.len(), 1);
        assert_eq!(seen[0].deltas[0].path, "content/odd\nname \"q\".md");
        assert!(seen[1].parents.is_empty());
        assert!(seen[1].deltas[0].old.is_none());
        assert_eq!(seen[1].deltas[0].new.map(|s| s.kind), Some(Kind::Symlink));
        // Stopping is heard at once.
        let mut calls = 0;
        let stopped = read_log(&mut &raw[..], &mut |_| {
            calls += 1;
            Ok(false)
        });
        assert!(matches!(stopped, Ok(false)) && calls == 1);
        // Cut anywhere, or a byte changed, it never panics.
        for cut in 0..raw.len() {
            let _ = read_log(&mut &raw[..cut], &mut |_| Ok(true));
            let mut changed = raw.clone();
            changed[cut] = b'x';
            let _ = read_log(&mut &changed[..], &mut |_| Ok(true));
        }
        assert!(read_log(&mut &b":100644 x\0p\0"[..], &mut |_| Ok(true)).is_err());
    }
}
