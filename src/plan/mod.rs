//! What a writing command will do to the working tree, as data: files to
//! create, files to edit (with the bytes they held when the command read
//! them) and files to rename. `--dry-run` prints a plan as a unified diff
//! and writes nothing; otherwise `apply` carries it out while holding the
//! repository's folio lock, having first checked that no file it read has
//! changed since, so two commands racing on one page never lose an edit.
//! Every write goes through `write` (a synced temporary file renamed into
//! place), never through a symbolic link; a failure part way undoes what
//! was done, and a crash part way is undone by the next command (`lock`).

use crate::error::{Error, Result};
use crate::git::Repo;
use crate::output::table::printable;
use crate::write;
pub use lock::{Lock, recover_crashed};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

mod lock;

/// One change to the working tree.
pub enum Op {
    /// A new file; nothing may be at `path`.
    Create { path: String, bytes: Vec<u8> },
    /// A file that held `before` when it was read, to hold `after`.
    Edit {
        path: String,
        before: Vec<u8>,
        after: Vec<u8>,
    },
    /// A file moved, kept in the index as git would (`git mv`) when git
    /// tracks it.
    Rename { from: String, to: String },
}

/// A command's changes, in the order they are made.
#[derive(Default)]
pub struct Plan {
    pub ops: Vec<Op>,
}

/// What `apply` did, for staging.
#[derive(Default)]
pub struct Applied {
    /// Files to stage: those created, and those edited that had no
    /// unstaged change of the editor's before (staging them then sweeps
    /// nothing in).
    pub to_stage: Vec<String>,
    /// Files moved in the index already (`git mv`), as `(from, to)`.
    pub moved: Vec<(String, String)>,
    /// Files written but not to be staged, and why.
    pub left: Vec<(String, String)>,
}

impl Plan {
    pub fn create(&mut self, path: &str, bytes: impl Into<Vec<u8>>) {
        self.ops.push(Op::Create {
            path: path.to_string(),
            bytes: bytes.into(),
        });
    }

    pub fn edit(&mut self, path: &str, before: impl Into<Vec<u8>>, after: impl Into<Vec<u8>>) {
        self.ops.push(Op::Edit {
            path: path.to_string(),
            before: before.into(),
            after: after.into(),
        });
    }

    pub fn rename(&mut self, from: &str, to: &str) {
        self.ops.push(Op::Rename {
            from: from.to_string(),
            to: to.to_string(),
        });
    }

    /// Whether the plan already puts a file at `path`.
    pub fn writes(&self, path: &str) -> bool {
        self.ops.iter().any(|op| match op {
            Op::Create { path: p, .. } | Op::Edit { path: p, .. } => p == path,
            Op::Rename { to, .. } => to == path,
        })
    }

    /// The plan as a unified diff (three lines of context), every line made
    /// printable: what `--dry-run` shows.
    pub fn diff(&self) -> String {
        let mut out = String::new();
        for op in &self.ops {
            match op {
                Op::Create { path, bytes } => {
                    unified(&mut out, "/dev/null", &format!("b/{path}"), b"", bytes);
                }
                Op::Edit {
                    path,
                    before,
                    after,
                } => unified(
                    &mut out,
                    &format!("a/{path}"),
                    &format!("b/{path}"),
                    before,
                    after,
                ),
                Op::Rename { from, to } => {
                    let (from, to) = (printable(from), printable(to));
                    out.push_str(&format!(
                        "diff --git a/{from} b/{to}\nrename from {from}\nrename to {to}\n"
                    ));
                }
            }
        }
        out
    }

    /// Carries the plan out in the working tree of `repo`, holding the
    /// folio lock, after checking that every file is as the command read
    /// it. On a failure part way, what was done is undone.
    pub fn apply(&self, repo: &Repo) -> Result<(Applied, Lock)> {
        let lock = Lock::take(repo)?;
        let root = repo.root();
        self.check(root)?;
        lock.begin(&self.ops)?;
        let temps = Some(lock.temps());
        let mut applied = Applied::default();
        // Which files the editor has unstaged changes in, read before any
        // is written (a file that cannot be read is taken as changed).
        let read: Vec<&str> = self
            .ops
            .iter()
            .filter_map(|op| match op {
                Op::Edit { path, .. } => Some(path.as_str()),
                Op::Rename { from, .. } => Some(from.as_str()),
                Op::Create { .. } => None,
            })
            .collect();
        let unstaged = repo.unstaged_changes(&read);
        let clean = |path: &str| unstaged.as_ref().is_ok_and(|u| !u.contains(path));
        // Whether a file moved by the plan was tracked and had no unstaged
        // change, by where it is now.
        let mut moved_clean: HashMap<&str, bool> = HashMap::new();
        let mut created: HashSet<&str> = HashSet::new();
        let mut done: Vec<&Op> = Vec::new();
        for op in &self.ops {
            let result = match op {
                Op::Create { path, bytes } => {
                    match write::create_new(&root.join(path), bytes, temps) {
                        Ok(true) => {
                            created.insert(path);
                            applied.to_stage.push(path.clone());
                            Ok(())
                        }
                        Ok(false) => Err(changed(path, "appeared")),
                        Err(e) => Err(Error::write(path, e)),
                    }
                }
                Op::Edit { path, after, .. } => {
                    let created = created.contains(path.as_str());
                    let clean = match moved_clean.get(path.as_str()) {
                        Some(&clean) => clean,
                        None => clean(path),
                    };
                    let file = root.join(path);
                    write::replace(&file, after, write::permissions(&file), temps)
                        .map(|()| match (created, clean) {
                            (true, _) => {}
                            (false, true) => applied.to_stage.push(path.clone()),
                            (false, false) => {
                                applied.left.push((path.clone(), UNSTAGED.to_string()))
                            }
                        })
                        .map_err(|e| Error::write(path, e))
                }
                Op::Rename { from, to } => {
                    let tracked = repo.is_tracked(from).unwrap_or(false);
                    let clean = tracked && clean(from);
                    repo.move_file(from, to).map(|()| {
                        moved_clean.insert(to, clean);
                        if tracked {
                            applied.moved.push((from.clone(), to.clone()));
                        } else {
                            applied
                                .left
                                .push((to.clone(), "git does not track it yet".to_string()));
                        }
                    })
                }
            };
            if let Err(e) = result {
                undo(repo, &done, temps);
                lock.end();
                return Err(e);
            }
            done.push(op);
            crash_for_tests(done.len());
        }
        lock.end();
        Ok((applied, lock))
    }

    /// Every file the plan reads is as it was read, and nothing is where
    /// the plan puts a new file.
    fn check(&self, root: &Path) -> Result<()> {
        // Where each file the plan names is on disk now: a file edited
        // after a rename is read from where it was.
        let mut renamed: HashMap<&str, &str> = HashMap::new();
        let on_disk = |path: &str, renamed: &HashMap<&str, &str>| -> PathBuf {
            root.join(renamed.get(path).copied().unwrap_or(path))
        };
        for op in &self.ops {
            let paths = match op {
                Op::Create { path, .. } | Op::Edit { path, .. } => [Some(path), None],
                Op::Rename { from, to } => [Some(from), Some(to)],
            };
            for path in paths.into_iter().flatten() {
                refuse_symlinks(root, path)?;
            }
            match op {
                Op::Create { path, .. } => {
                    if std::fs::symlink_metadata(root.join(path)).is_ok() {
                        return Err(changed(path, "appeared"));
                    }
                }
                Op::Edit { path, before, .. } => {
                    let file = on_disk(path, &renamed);
                    let now = std::fs::read(&file).ok();
                    if now.as_deref() != Some(before.as_slice()) {
                        return Err(changed(path, "changed"));
                    }
                    if write::read_only(&file) {
                        return Err(Error::usage(format!(
                            "{path} is read-only, and folio does not overwrite a read-only file: nothing was written"
                        ))
                        .hint(format!("if it should change, make it writable (`chmod u+w {path}`), then run the command again")));
                    }
                }
                Op::Rename { from, to } => {
                    if std::fs::symlink_metadata(root.join(from)).is_err() {
                        return Err(changed(from, "disappeared"));
                    }
                    if std::fs::symlink_metadata(root.join(to)).is_ok() {
                        return Err(changed(to, "appeared"));
                    }
                    renamed.insert(to, from);
                }
            }
        }
        Ok(())
    }
}

/// Refuses a path with a symbolic link on the way (see
/// `write::symlink_on_path`).
pub fn refuse_symlinks(root: &Path, path: &str) -> Result<()> {
    match write::symlink_on_path(root, path) {
        Some(link) => Err(Error::usage(format!(
            "{link} is a symbolic link, and folio does not write through one: nothing was written"
        ))
        .hint(format!(
            "make {link} a real folder or file (if the link came in a commit, `git rm` it), then run the command again"
        ))),
        None => Ok(()),
    }
}

/// For the crash tests: with `FOLIO_TEST_CRASH_AFTER=N`, the process dies
/// at once (no cleanup, as with `kill -9`) once N operations of a plan are
/// done.
fn crash_for_tests(done: usize) {
    if std::env::var("FOLIO_TEST_CRASH_AFTER").is_ok_and(|n| n.parse() == Ok(done)) {
        std::process::abort();
    }
}

/// Why an edited file is not staged.
const UNSTAGED: &str = "it had other changes that are not staged";

/// The error for a file that is not as the command read it.
fn changed(path: &str, how: &str) -> Error {
    Error::usage(format!(
        "{path} {how} while folio was working: nothing was written"
    ))
    .hint("run the command again")
}

/// Undoes what was done, newest first, as far as it can; each step only
/// if it happened, so a crashed command's whole plan can be undone too.
fn undo(repo: &Repo, done: &[&Op], temps: Option<&Path>) {
    let root = repo.root();
    for op in done.iter().rev() {
        match op {
            Op::Create { path, .. } => {
                let _ = std::fs::remove_file(root.join(path));
            }
            Op::Edit { path, before, .. } => {
                let file = root.join(path);
                if std::fs::read(&file).ok().as_deref() != Some(before.as_slice()) {
                    let _ = write::replace(&file, before, write::permissions(&file), temps);
                }
            }
            Op::Rename { from, to } => {
                if root.join(to).symlink_metadata().is_ok()
                    && root.join(from).symlink_metadata().is_err()
                {
                    let _ = repo.move_file(to, from);
                }
            }
        }
    }
}

/// A unified diff of one file, its lines made printable.
fn unified(out: &mut String, old_name: &str, new_name: &str, before: &[u8], after: &[u8]) {
    let (before, after) = (
        String::from_utf8_lossy(before),
        String::from_utf8_lossy(after),
    );
    let diff = similar::TextDiff::from_lines(before.as_ref(), after.as_ref());
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(old_name, new_name)
        .to_string();
    for line in text.lines() {
        out.push_str(&printable(line));
        out.push('\n');
    }
}
