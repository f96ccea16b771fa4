//! The repository's folio lock, and the journal that makes a plan all or
//! nothing across a crash.
//!
//! The lock is git's convention: `.git/folio.lock`, created exclusively,
//! holding the process id of its owner, removed when done. A second
//! command waits for it (up to `WAIT`), then fails with a clear error; a
//! lock whose owner is no longer running (a `kill -9`, a power cut) is
//! taken over.
//!
//! Before the first write, the lock's owner writes the journal,
//! `.git/folio-journal`: every operation of the plan with what undoes it
//! (the bytes an edited file held), synced to disk. It is removed once the
//! plan is carried out or undone. A journal found when taking over a stale
//! lock belongs to a command that died part way: its operations are undone
//! (each only if it happened), so the working tree holds either the old
//! page and no record, or the new page and its record. Temporary files go
//! in `.git/folio-tmp/`, which the next lock owner empties.

use super::Op;
use crate::error::{Error, Result};
use crate::git::Repo;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long a command waits for another to finish.
const WAIT: Duration = Duration::from_secs(5);

/// The first line of a journal.
const MAGIC: &[u8] = b"folio-journal 1\n";

/// The repository's folio lock: one writing command at a time. Released
/// (and the journal removed) when dropped.
pub struct Lock {
    path: PathBuf,
    journal: PathBuf,
    temps: PathBuf,
}

impl Lock {
    /// Takes the lock, waiting for a running owner and taking over from a
    /// dead one (undoing what its journal says it had begun).
    pub fn take(repo: &Repo) -> Result<Lock> {
        let path = repo.lock_path();
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        let shown = path.display().to_string();
        let deadline = Instant::now() + WAIT;
        loop {
            match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(mut file) => {
                    // Held from here: dropping it releases it.
                    let lock = Lock {
                        journal: dir.join("folio-journal"),
                        temps: dir.join("folio-tmp"),
                        path,
                    };
                    file.write_all(format!("{}\n", std::process::id()).as_bytes())
                        .and_then(|()| file.sync_all())
                        .map_err(|e| Error::write(&shown, e))?;
                    lock.recover(repo)?;
                    return Ok(lock);
                }
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                    if owner_is_gone(&path) {
                        // Only one taker may remove it: the one whose
                        // rename of it succeeds.
                        let stale = path.with_extension(format!("stale-{}", std::process::id()));
                        if std::fs::rename(&path, &stale).is_ok() {
                            let _ = std::fs::remove_file(&stale);
                        }
                        continue;
                    }
                    if Instant::now() >= deadline {
                        return Err(Error::usage(format!(
                            "another folio command is writing in this repository ({shown} exists)"
                        ))
                        .hint(format!(
                            "wait for it to finish; if no folio command is running, remove {shown}"
                        )));
                    }
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => return Err(Error::write(&shown, e)),
            }
        }
    }

    /// Where writes under this lock make their temporary files.
    pub fn temps(&self) -> &Path {
        &self.temps
    }

    /// Writes the journal for `ops`, synced, before any of them is made.
    pub fn begin(&self, ops: &[Op]) -> Result<()> {
        let shown = self.journal.display().to_string();
        let bytes = encode(ops);
        let mut file = std::fs::File::create(&self.journal).map_err(|e| Error::write(&shown, e))?;
        file.write_all(&bytes)
            .and_then(|()| file.sync_all())
            .map_err(|e| Error::write(&shown, e))
    }

    /// The plan is carried out or undone: the journal goes.
    pub fn end(&self) {
        let _ = std::fs::remove_file(&self.journal);
    }

    /// Undoes what a journal left by a dead owner names, and empties the
    /// temporary folder.
    fn recover(&self, repo: &Repo) -> Result<()> {
        if let Ok(entries) = std::fs::read_dir(&self.temps) {
            for entry in entries.flatten() {
                let _ = std::fs::remove_file(entry.path());
            }
        }
        let Ok(bytes) = std::fs::read(&self.journal) else {
            return Ok(());
        };
        // A journal cut short was being written when its command died,
        // before any write: there is nothing to undo.
        let ops = decode(&bytes).unwrap_or_default();
        // A temporary file made beside its file (another file system):
        // each folder the plan wrote in is read once.
        let folders: std::collections::BTreeSet<&str> = ops
            .iter()
            .map(|op| match op {
                Op::Create { path, .. } | Op::Edit { path, .. } => path,
                Op::Rename { to, .. } => to,
            })
            .map(|path| path.rsplit_once('/').map_or("", |(dir, _)| dir))
            .collect();
        for folder in folders {
            remove_temps_in(&repo.root().join(folder));
        }
        let all: Vec<&Op> = ops.iter().collect();
        super::undo(repo, &all, Some(&self.temps));
        self.end();
        Ok(())
    }
}

/// Finishes what a command that died part way left: if its journal is
/// there and its lock is not held by a running command, takes the lock
/// (which undoes the journal) and lets it go. Every command calls this
/// first, so a reader never sees a half-made change for long; it costs one
/// file lookup when there is nothing to do.
pub fn recover_crashed(repo: &Repo) -> Result<()> {
    let lock = repo.lock_path();
    let journal = lock.with_file_name("folio-journal");
    if !journal.exists() || (lock.exists() && !owner_is_gone(&lock)) {
        return Ok(());
    }
    Lock::take(repo).map(drop)
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Whether the lock at `path` names a process that is no longer running.
/// Without `/proc` (not Linux), or with a lock folio did not write, the
/// owner is taken to be running.
fn owner_is_gone(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(pid) = text.trim().parse::<u32>() else {
        return false;
    };
    Path::new("/proc/self").exists() && !Path::new("/proc").join(pid.to_string()).exists()
}

/// Removes folio's temporary files in the folder `dir`.
fn remove_temps_in(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(crate::write::TEMP_PREFIX) && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The journal's bytes: `MAGIC`, then per operation a header line (`C`,
/// `E` or `R` and the lengths of what follows) and its raw fields. What a
/// created file holds and what an edit writes are not needed to undo, and
/// are left out.
fn encode(ops: &[Op]) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    for op in ops {
        let fields: Vec<&[u8]> = match op {
            Op::Create { path, .. } => vec![b"C", path.as_bytes()],
            Op::Edit { path, before, .. } => vec![b"E", path.as_bytes(), before],
            Op::Rename { from, to } => vec![b"R", from.as_bytes(), to.as_bytes()],
        };
        let lengths: Vec<String> = fields[1..].iter().map(|f| f.len().to_string()).collect();
        out.extend_from_slice(fields[0]);
        out.extend_from_slice(format!(" {}\n", lengths.join(" ")).as_bytes());
        for field in &fields[1..] {
            out.extend_from_slice(field);
        }
    }
    out
}

/// The operations of a journal, or `None` if it is not one (or is cut
/// short: then it was never complete, and no write had begun).
fn decode(bytes: &[u8]) -> Option<Vec<Op>> {
    let mut rest = bytes.strip_prefix(MAGIC)?;
    let mut ops = Vec::new();
    while !rest.is_empty() {
        let end = rest.iter().position(|&b| b == b'\n')?;
        let header = std::str::from_utf8(&rest[..end]).ok()?;
        rest = &rest[end + 1..];
        let mut words = header.split(' ');
        let kind = words.next()?;
        let mut fields = Vec::new();
        for len in words {
            let len: usize = len.parse().ok()?;
            fields.push(rest.get(..len)?.to_vec());
            rest = &rest[len..];
        }
        let text = |i: usize| String::from_utf8(fields.get(i)?.clone()).ok();
        ops.push(match (kind, fields.len()) {
            ("C", 1) => Op::Create {
                path: text(0)?,
                bytes: Vec::new(),
            },
            ("E", 2) => Op::Edit {
                path: text(0)?,
                before: fields[1].clone(),
                after: Vec::new(),
            },
            ("R", 2) => Op::Rename {
                from: text(0)?,
                to: text(1)?,
            },
            _ => return None,
        });
    }
    Some(ops)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_journal_reads_back_and_a_cut_one_does_not() {
        let ops = vec![
            Op::Edit {
                path: "content/p.md".into(),
                before: b"---\nstatus: draft\n---\n\xff\n".to_vec(),
                after: b"ignored".to_vec(),
            },
            Op::Create {
                path: "review/records/p/r.yaml".into(),
                bytes: b"ignored".to_vec(),
            },
            Op::Rename {
                from: "content/a b.md".into(),
                to: "content/c.md".into(),
            },
        ];
        let bytes = encode(&ops);
        let back = decode(&bytes).expect("decodes");
        assert_eq!(encode(&back), bytes);
        for cut in [0, 5, MAGIC.len() + 3, bytes.len() - 1] {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
    }
}
