//! `folio history <page>`: every state change of a page, oldest first,
//! read from git's history (so it cannot be forged by editing a record),
//! following the page through renames.

use crate::error::{Error, Result};
use crate::git::{Kind, Oid, Repo};
use crate::site::{self, is_page_path};
use crate::workflow::State;
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Serialize)]
pub struct Event {
    pub commit: String,
    pub author: String,
    pub date: String,
    pub subject: String,
    pub path: String,
    /// `None` when the commit created the page.
    pub from: Option<State>,
    /// `None` when the page's state could not be read in that commit.
    pub to: Option<State>,
}

/// The state changes of the page at `path` in `HEAD`.
pub fn history(repo: &Repo, path: &str, content_dir: &str) -> Result<Vec<Event>> {
    let Some(head) = repo.head()? else {
        return Ok(Vec::new());
    };
    // Newest first: (commit, the page's path in it).
    let mut touched = Vec::new();
    let mut from = head;
    let mut current = path.to_string();
    loop {
        let commits = repo.commits_touching(from, &current)?;
        let Some(oldest) = commits.last().cloned() else {
            break;
        };
        touched.extend(commits.into_iter().map(|c| (c, current.clone())));
        // Where the page was before the commit that added it: a rename?
        let Some(parent) = oldest.parents.first().copied() else {
            break;
        };
        if repo.entry_at(parent, &current)?.is_some() {
            break;
        }
        let mut changes = repo.commit_changes(Some(parent), oldest.id)?;
        repo.pair_renames(&mut changes, |p| is_page_path(p, content_dir))?;
        match changes
            .iter()
            .find(|c| c.path == current && c.old.is_some() && c.old_path != current)
        {
            Some(rename) => {
                current = rename.old_path.clone();
                from = parent;
            }
            None => break,
        }
    }
    let mut events = Vec::new();
    let mut previous: Option<State> = None;
    let mut existed = false;
    for (commit, at) in touched.into_iter().rev() {
        let Some(state) = state_in(repo, commit.id, &at, content_dir)? else {
            // Deleted in this commit (or not a readable page): it starts over.
            existed = false;
            previous = None;
            continue;
        };
        if existed && state == previous {
            continue;
        }
        let (author, date) = repo.author(commit.id)?;
        events.push(Event {
            commit: commit.id.to_string(),
            author,
            date,
            subject: commit.subject.clone(),
            path: at,
            from: previous,
            to: state,
        });
        previous = state;
        existed = true;
    }
    Ok(events)
}

/// `Some(state)` when the page exists in the commit (`Some(None)` if its
/// state cannot be read), `None` when it does not.
fn state_in(
    repo: &Repo,
    commit: Oid,
    path: &str,
    content_dir: &str,
) -> Result<Option<Option<State>>> {
    match repo.entry_at(commit, path)? {
        Some(side) if side.kind == Kind::File => {
            let bytes = repo.blob(side.oid, path)?;
            Ok(Some(
                site::parse_page(path, &bytes, content_dir)
                    .0
                    .and_then(|p| p.fields.status),
            ))
        }
        _ => Ok(None),
    }
}

pub fn human(path: &str, events: &[Event]) -> String {
    let mut out = String::new();
    if events.is_empty() {
        let _ = writeln!(out, "{path}: no committed history yet");
        return out;
    }
    for e in events {
        let to = e.to.map_or("(unreadable)", State::as_str);
        let change = match e.from {
            None => format!("created as {to}"),
            Some(from) => format!("{from} -> {to}"),
        };
        let moved = if e.path != path {
            format!(" (as {})", e.path)
        } else {
            String::new()
        };
        let subject: String = e.subject.chars().take(50).collect();
        let _ = writeln!(
            out,
            "{}  {}  {:<14} {:<22} {subject}{moved}",
            e.date,
            &e.commit[..7],
            e.author,
            change
        );
    }
    out
}

pub fn json(events: &[Event]) -> Result<String> {
    let mut s = serde_json::to_string_pretty(events).map_err(|e| Error::Git {
        message: e.to_string(),
    })?;
    s.push('\n');
    Ok(s)
}
