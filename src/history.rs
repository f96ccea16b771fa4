//! A page's story: every state change, oldest first, read from git's
//! history (so it cannot be forged by editing a record), following the page
//! through renames. `folio history` prints it.

use crate::error::{Error, Result};
use crate::git::{Blob, Described, Kept, Kind, Oid, Repo, Touch};
use crate::site::parse_page;
use crate::site::policy::Policy;
use crate::site::workflow::State;
use serde::Serialize;
use std::collections::HashMap;
use std::rc::Rc;

#[derive(Debug, Serialize)]
pub struct Event {
    pub commit: String,
    pub author: String,
    pub date: String,
    pub subject: String,
    pub path: String,
    /// Whether this commit created the page (added it under its first name).
    pub created: bool,
    /// The state before the commit; `None` when it created the page or the
    /// page had no readable state.
    pub from: Option<State>,
    /// `None` when the page has no readable state after the commit.
    pub to: Option<State>,
}

/// The state changes of the page at `path` in `HEAD` (the user named it
/// `name`). A path that is neither in the working tree nor in `HEAD` is no
/// page at all, which is an error rather than an empty story.
pub fn history(repo: &Repo, name: &str, path: &str, policy: &Policy) -> Result<Vec<Event>> {
    let head = repo.head()?;
    let committed = match head {
        Some(head) => repo.entry_at(head, path)?.is_some(),
        None => false,
    };
    if !committed && repo.root().join(path).symlink_metadata().is_err() {
        return Err(Error::usage(format!(
            "there is no page `{name}`: {path} is neither in the working tree nor in HEAD"
        ))
        .hint("name a page by its id (its path under the content folder, without .md or the site's other ending), or by its file's path"));
    }
    let Some(head) = head else {
        return Ok(Vec::new());
    };
    // The versions' states are read on the other core while the walk
    // goes on.
    let (touched, states) = states_while(
        repo,
        policy,
        |_| false,
        |found| {
            repo.touching(
                head,
                path,
                |commit, parent, path| {
                    repo.renamed_from(commit, parent, path, |p| policy.pages.is_page(p))
                },
                found,
            )
        },
    )?;
    events(
        touched,
        |touch| state_in(&states, touch, |&s| s),
        |commit| repo.describe(commit).map(Rc::new),
    )
}

/// What `walk` returns, and the state of each version of a page it finds
/// (`found`) but `known` does not. Once the walk has found
/// `ASKED_AT_ONCE` versions, one `git cat-file` reads them on another core
/// as the walk goes (see `Repo::blobs`: git builds a packed chain of deltas
/// once), and they are parsed on a thread of their own. Fewer, those git
/// cannot be started for, and those it says it does not have are read
/// here afterwards, through libgit2 (which names the page of a version the
/// repository does not have).
fn states_while<T>(
    repo: &Repo,
    policy: &Policy,
    known: impl Fn(&Oid) -> bool,
    walk: impl FnOnce(&mut dyn FnMut(&Touch)) -> Result<T>,
) -> Result<(T, HashMap<Oid, Option<State>>)> {
    let state = |bytes: Option<&[u8]>| {
        bytes
            .and_then(|b| parse_page(VERSION, b, policy).0)
            .and_then(|p| p.fields.status)
    };
    std::thread::scope(|scope| {
        let start = || -> Result<_> {
            let (ask, asked) = std::sync::mpsc::channel();
            let blobs = repo.blobs(asked)?;
            let reading = scope.spawn(move || {
                let (mut read, mut missing) = (HashMap::new(), Vec::new());
                blobs
                    .each(policy.max_page_bytes, |id, blob| {
                        let bytes = match blob {
                            Blob::Read(bytes) => Some(bytes),
                            Blob::TooLarge => None,
                            Blob::Missing => return missing.push(id),
                        };
                        read.insert(id, state(bytes));
                    })
                    .map(|()| (read, missing))
            });
            Ok((ask, reading))
        };
        // Each version asked for, with the file it is; those not yet sent.
        let mut paths: HashMap<Oid, String> = HashMap::new();
        let mut batch = Vec::new();
        let mut reading = None;
        let mut no_git = false;
        let walked = walk(&mut |t: &Touch| {
            if t.side.kind != Kind::File || known(&t.side.oid) || paths.contains_key(&t.side.oid) {
                return;
            }
            paths.insert(t.side.oid, t.path.clone());
            batch.push(t.side.oid);
            if batch.len() < ASKED_AT_ONCE || no_git {
                return;
            }
            if reading.is_none() {
                reading = start().ok();
                no_git = reading.is_none();
            }
            if let Some((ask, _)) = &reading {
                let _ = ask.send(std::mem::take(&mut batch));
            }
        });
        let joined = match reading {
            Some((ask, reading)) => {
                let _ = ask.send(batch);
                drop(ask);
                reading
                    .join()
                    .unwrap_or_else(|_| Err(Error::bug("the thread reading pages stopped")))
            }
            None => Ok((HashMap::new(), batch)),
        };
        let walked = walked?;
        let (mut read, unread) = joined?;
        for id in unread {
            let path = paths.get(&id).map_or("a page", String::as_str);
            read.insert(id, state(Some(&repo.blob(id, path)?)));
        }
        Ok((walked, read))
    })
}

/// The state of the page a touch left, from `states` (read as `of` says):
/// `None` for a symlink, or a page whose state cannot be read.
fn state_in<V>(
    states: &HashMap<Oid, V>,
    touch: &Touch,
    of: impl Fn(&V) -> Option<State>,
) -> Option<State> {
    match touch.side.kind {
        Kind::File => states.get(&touch.side.oid).and_then(of),
        _ => None,
    }
}

/// Every page's story in one walk: for each of `paths` (pages' files),
/// what `history` gives for it. A path not in `HEAD` has none.
pub fn timelines(repo: &Repo, paths: &[String], policy: &Policy) -> Result<Vec<Vec<Event>>> {
    let Some(head) = repo.head()? else {
        return Ok(paths.iter().map(|_| Vec::new()).collect());
    };
    // Each version's state, read once however many pages share it: from
    // what the git directory keeps (by blob, and by what decides a state:
    // see `Dialect::state_key`), else by one `git cat-file` that reads each
    // version as the walk finds it, on a thread of its own.
    let kept = repo.kept();
    let name = Kept::name(
        "states",
        &format!("{} {}", policy.dialect.state_key(), policy.max_page_bytes),
    );
    let notes = kept.read_notes(&name);
    let is_page = |p: &str| policy.pages.is_page(p);
    let (touched, read) = states_while(
        repo,
        policy,
        |id| notes.contains_key(id),
        |found| repo.touching_all(head, &policy.pages.dir, paths, &is_page, found),
    )?;
    let mut notes = notes;
    if !read.is_empty() {
        notes.extend(read.iter().map(|(&id, &s)| (id, note_of_state(s))));
        kept.write_notes(&name, &notes);
    }
    let state = |touch: &Touch| state_in(&notes, touch, |&n| state_of_note(n));
    let mut described: HashMap<Oid, Rc<Described>> = HashMap::new();
    touched
        .into_iter()
        .map(|touches| {
            events(touches, state, |commit| match described.get(&commit) {
                Some(about) => Ok(Rc::clone(about)),
                None => {
                    let about = Rc::new(repo.describe(commit)?);
                    described.insert(commit, Rc::clone(&about));
                    Ok(about)
                }
            })
        })
        .collect()
}

/// Versions asked of git at a time while the walk finds them.
const ASKED_AT_ONCE: usize = 256;

/// The name a version of a page is parsed under for its state (which does
/// not depend on it).
const VERSION: &str = "a version of a page";

/// A state as one byte, for `Kept::write_notes`.
fn note_of_state(state: Option<State>) -> u8 {
    state.map_or(0, |s| {
        1 + State::ALL.iter().position(|&a| a == s).unwrap_or(0) as u8
    })
}

fn state_of_note(note: u8) -> Option<State> {
    State::ALL.get(usize::from(note).checked_sub(1)?).copied()
}

/// The events of a page's touches (newest first): the oldest, then each
/// that changed its state, oldest first.
fn events(
    touched: Vec<Touch>,
    state: impl Fn(&Touch) -> Option<State>,
    mut describe: impl FnMut(Oid) -> Result<Rc<Described>>,
) -> Result<Vec<Event>> {
    let mut events: Vec<Event> = Vec::new();
    for touch in touched.into_iter().rev() {
        let state = state(&touch);
        let from = events.last().map(|e| e.to);
        if from.is_some_and(|from| from == state) {
            continue;
        }
        let about = describe(touch.commit)?;
        events.push(Event {
            commit: touch.commit.to_string(),
            author: about.author.clone(),
            date: about.date.clone(),
            subject: about.subject.clone(),
            path: touch.path,
            created: events.is_empty(),
            from: from.flatten(),
            to: state,
        });
    }
    Ok(events)
}
