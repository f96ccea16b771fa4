//! git plumbing whose output is read as it comes (`Repo::stream`), and
//! with it many blobs read at once, by one `git cat-file --batch`. A page edited
//! a thousand times is packed as a chain of deltas; libgit2 applies the
//! chain from its start for every version read, git keeps the versions it
//! has built and applies each delta once. Reading every version of every
//! page (the board's timelines) is several times faster this way. git's
//! cache of built versions is held to 24 MiB (its default is 96): asked
//! newest version first, as the history walk finds them, 20,000 versions
//! of 10,000 pages are read as fast with it, in half the memory.

use super::{Oid, Repo, git_bug};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Stdio};
use std::sync::mpsc::Receiver;
use std::thread::JoinHandle;

/// git plumbing whose output is read as it comes. What it is asked is
/// written to its stdin from another thread, and its stderr gathered on
/// another: git answers while it is asked, and any pipe left unread could
/// fill and stop both.
pub(super) struct Streaming {
    child: Child,
    pub(super) out: BufReader<ChildStdout>,
    writer: Option<JoinHandle<()>>,
    errors: JoinHandle<String>,
}

/// What writes a git command's stdin, on a thread of its own; the stdin
/// is closed when it returns.
pub(super) type Feed = Box<dyn FnOnce(&mut dyn Write) -> std::io::Result<()> + Send>;

impl Repo {
    /// Runs git with `args`, its stdin written by `input` (or empty).
    pub(super) fn stream(&self, args: &[&str], input: Option<Feed>) -> Result<Streaming> {
        let mut child = self
            .command(args)
            .stdin(if input.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| git_bug(format!("cannot run git: {e}")))?;
        let writer = input.map(|feed| {
            let mut stdin = std::io::BufWriter::new(child.stdin.take().expect("piped"));
            // A write fails only once git has stopped reading: it says why.
            std::thread::spawn(move || {
                let _ = feed(&mut stdin).and_then(|()| stdin.flush());
            })
        });
        let mut stderr = child.stderr.take().expect("piped");
        let errors = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        let out = BufReader::with_capacity(1 << 16, child.stdout.take().expect("piped"));
        Ok(Streaming {
            child,
            out,
            writer,
            errors,
        })
    }
}

impl Streaming {
    /// Waits for git (stopping it first when `stop`): whether it ended
    /// well, and what it said on stderr.
    pub(super) fn finish(self, stop: bool) -> (bool, String) {
        let Streaming {
            mut child,
            out,
            writer,
            errors,
        } = self;
        if stop {
            let _ = child.kill();
        }
        drop(out);
        if let Some(writer) = writer {
            let _ = writer.join();
        }
        let status = child.wait();
        let text = errors.join().unwrap_or_default();
        (status.is_ok_and(|s| s.success()), text)
    }
}

/// Blobs as `git cat-file --batch` answers for them: see `Repo::blobs`.
pub struct Blobs {
    git: Streaming,
}

impl Repo {
    /// Reads the blobs whose ids `asked` sends, as they are sent, with one
    /// `git cat-file --batch` (see the module comment); `Blobs::each`
    /// hands them over, on any thread, until the sender is dropped. Ids
    /// are sent a batch at a time, and git answers a buffer at a time
    /// (`--buffer`): one thread waking the other for every blob cost more
    /// than reading it.
    pub fn blobs(&self, asked: Receiver<Vec<Oid>>) -> Result<Blobs> {
        let input: Feed = Box::new(move |stdin| {
            for ids in asked {
                for id in ids {
                    writeln!(stdin, "{id}")?;
                }
                // Each batch to git as it comes, not when the buffer fills.
                stdin.flush()?;
            }
            Ok(())
        });
        let git = self.stream(
            &[
                "-c",
                "core.deltaBaseCacheLimit=24m",
                "cat-file",
                "--batch",
                "--buffer",
            ],
            Some(input),
        )?;
        Ok(Blobs { git })
    }
}

/// One blob `Blobs::each` hands over.
#[derive(Debug, PartialEq, Eq)]
pub enum Blob<'a> {
    Read(&'a [u8]),
    /// Larger than the limit: skipped.
    TooLarge,
    /// Not in the repository (a damaged or partial clone).
    Missing,
}

impl Blobs {
    /// Calls `each(id, blob)` for each blob asked for, in the order asked;
    /// a blob larger than `max` bytes is skipped rather than held, and one
    /// git does not have is said so (the caller knows which file it was).
    /// An object that is not a blob, or git failing, is an error.
    pub fn each(mut self, max: u64, mut each: impl FnMut(Oid, Blob)) -> Result<()> {
        let out = &mut self.git.out;
        let read = (|| -> std::io::Result<std::result::Result<(), String>> {
            let mut header = Vec::new();
            let mut bytes = Vec::new();
            loop {
                header.clear();
                if out.read_until(b'\n', &mut header)? == 0 {
                    return Ok(Ok(()));
                }
                let line = String::from_utf8_lossy(&header);
                let words: Vec<&str> = line.split_whitespace().collect();
                let (id, size) = match words[..] {
                    [id, "blob", size] => (id, size),
                    [id, "missing"] => match git2::Oid::from_str(id) {
                        Ok(id) => {
                            each(Oid(id), Blob::Missing);
                            continue;
                        }
                        Err(_) => return Ok(Err(format!("git said {}", line.trim()))),
                    },
                    _ => {
                        return Ok(Err(format!(
                            "object {} is not a blob git can read",
                            line.trim()
                        )));
                    }
                };
                let (Ok(id), Ok(size)) = (git2::Oid::from_str(id), size.parse::<u64>()) else {
                    return Ok(Err(format!("git said {}", line.trim())));
                };
                let id = Oid(id);
                if size > max {
                    std::io::copy(&mut (&mut *out).take(size + 1), &mut std::io::sink())?;
                    each(id, Blob::TooLarge);
                    continue;
                }
                bytes.clear();
                (&mut *out).take(size + 1).read_to_end(&mut bytes)?;
                if bytes.len() as u64 != size + 1 {
                    return Ok(Err(format!("git's answer for {id} ended early")));
                }
                bytes.pop();
                each(id, Blob::Read(&bytes));
            }
        })();
        let failed = matches!(read, Ok(Err(_)) | Err(_));
        let (ended_well, stderr) = self.git.finish(failed);
        let failed = match read {
            Ok(Ok(())) if ended_well => return Ok(()),
            Ok(Ok(())) => "git cat-file failed".to_string(),
            Ok(Err(what)) => what,
            Err(e) => format!("reading from git cat-file: {e}"),
        };
        Err(Error::config(format!(
            "cannot read the history's pages: {failed} {}",
            stderr.trim()
        ))
        .hint("the clone may be damaged or partial: run `git fsck`, or fetch the missing objects (`git fetch --refetch`)"))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{git, write};
    use super::*;

    #[test]
    fn blobs_come_back_in_the_order_asked_and_a_missing_one_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        write(d, "a.md", "first\n");
        write(d, "b.md", &"x".repeat(100));
        let oid = |text: &str| Oid(git2::Oid::from_str(text.trim()).unwrap());
        let id = |f: &str| oid(&git(d, &["hash-object", "-w", f]));
        let (a, b) = (id("a.md"), id("b.md"));
        git(d, &["add", "a.md"]);
        let tree = oid(&git(d, &["write-tree"]));
        let repo = Repo::open(d).unwrap();
        let read = |ids: &[Oid]| {
            let (tx, rx) = std::sync::mpsc::channel();
            let blobs = repo.blobs(rx).unwrap();
            // Two batches: the answers come back in the order asked all the same.
            let (first, rest) = ids.split_at(1);
            tx.send(first.to_vec()).unwrap();
            tx.send(rest.to_vec()).unwrap();
            drop(tx);
            let mut seen = Vec::new();
            let done = blobs.each(50, |id, blob| {
                seen.push((
                    id,
                    match blob {
                        Blob::Read(bytes) => String::from_utf8_lossy(bytes).into_owned(),
                        Blob::TooLarge => "too large".to_string(),
                        Blob::Missing => "missing".to_string(),
                    },
                ));
            });
            done.map(|()| seen)
        };
        let missing = Oid(git2::Oid::from_bytes(&[9; 20]).unwrap());
        let said = |id: Oid, what: &str| (id, what.to_string());
        assert_eq!(
            read(&[b, a, missing, b]).unwrap(),
            [
                said(b, "too large"),
                said(a, "first\n"),
                said(missing, "missing"),
                said(b, "too large")
            ],
            "in the order asked; larger than the limit: skipped; missing: said, and read on"
        );
        let err = read(&[a, tree]).unwrap_err();
        assert!(
            err.message().contains("is not a blob git can read"),
            "{}",
            err.message()
        );
    }
}
