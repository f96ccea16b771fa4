//! git plumbing whose output is read as it comes (`Repo::stream`), and
//! with it many blobs read at once, by one `git cat-file --batch`. A page edited
//! a thousand times is packed as a chain of deltas; libgit2 applies the
//! chain from its start for every version read, git keeps the versions it
//! has built and applies each delta once. Reading every version of every
//! page (the board's timelines) is several times faster this way. git's
//! cache of built versions is held to 48 MiB (its default is 96): on
//! 20,000 versions of 10,000 pages that costs a fifth more time and saves
//! a third of its memory.

use super::{Oid, Repo, git_bug};
use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Stdio};
use std::thread::JoinHandle;

/// git plumbing whose output is read as it comes. What it is asked is
/// written to its stdin from another thread, and its stderr gathered on
/// another: git answers while it is asked, and any pipe left unread could
/// fill and stop both.
pub(super) struct Streaming {
    child: Child,
    pub(super) out: BufReader<ChildStdout>,
    writer: Option<JoinHandle<std::io::Result<()>>>,
    errors: JoinHandle<String>,
}

impl Repo {
    /// Runs git with `args`, `input` on its stdin (or none).
    pub(super) fn stream(&self, args: &[&str], input: Option<Vec<u8>>) -> Result<Streaming> {
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
        let writer = input.map(|bytes| {
            let mut stdin = child.stdin.take().expect("piped");
            std::thread::spawn(move || stdin.write_all(&bytes))
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

impl Repo {
    /// Calls `each(i, bytes)` for each blob `ids[i]`, in order; `bytes` is
    /// `None` for a blob larger than `max` bytes, which is skipped rather
    /// than held. A missing or unreadable object is an error.
    pub fn blobs_each(
        &self,
        ids: &[Oid],
        max: u64,
        mut each: impl FnMut(usize, Option<&[u8]>),
    ) -> Result<()> {
        if ids.is_empty() {
            return Ok(());
        }
        let asked: Vec<u8> = ids
            .iter()
            .flat_map(|id| format!("{id}\n").into_bytes())
            .collect();
        let mut git = self.stream(
            &["-c", "core.deltaBaseCacheLimit=48m", "cat-file", "--batch"],
            Some(asked),
        )?;
        let out = &mut git.out;
        let read = (|| -> std::io::Result<std::result::Result<(), String>> {
            let mut header = Vec::new();
            let mut bytes = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                header.clear();
                out.read_until(b'\n', &mut header)?;
                let line = String::from_utf8_lossy(&header);
                let mut words = line.split_whitespace();
                let (Some(_), Some("blob"), Some(size)) =
                    (words.next(), words.next(), words.next())
                else {
                    return Ok(Err(format!(
                        "object {id} is not a blob git can read: {}",
                        line.trim()
                    )));
                };
                let Ok(size) = size.parse::<u64>() else {
                    return Ok(Err(format!("git said {line}")));
                };
                if size > max {
                    std::io::copy(&mut (&mut *out).take(size + 1), &mut std::io::sink())?;
                    each(i, None);
                    continue;
                }
                bytes.clear();
                (&mut *out).take(size + 1).read_to_end(&mut bytes)?;
                if bytes.len() as u64 != size + 1 {
                    return Ok(Err(format!("git's answer for {id} ended early")));
                }
                bytes.pop();
                each(i, Some(&bytes));
            }
            Ok(Ok(()))
        })();
        let (ended_well, stderr) = git.finish(false);
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
    fn blobs_come_back_in_the_order_asked_and_a_missing_one_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q"]);
        write(d, "a.md", "first\n");
        write(d, "b.md", &"x".repeat(100));
        let id =
            |f: &str| Oid(git2::Oid::from_str(git(d, &["hash-object", "-w", f]).trim()).unwrap());
        let (a, b) = (id("a.md"), id("b.md"));
        let repo = Repo::open(d).unwrap();
        let mut seen = Vec::new();
        repo.blobs_each(&[b, a, b], 50, |i, bytes| {
            seen.push((i, bytes.map(<[u8]>::to_vec)))
        })
        .unwrap();
        assert_eq!(
            seen,
            [(0, None), (1, Some(b"first\n".to_vec())), (2, None)],
            "larger than the limit: skipped"
        );
        let missing = Oid(git2::Oid::from_bytes(&[9; 20]).unwrap());
        let err = repo.blobs_each(&[a, missing], 50, |_, _| {}).unwrap_err();
        assert!(
            err.message().contains("is not a blob git can read"),
            "{}",
            err.message()
        );
    }
}
