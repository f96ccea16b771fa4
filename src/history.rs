//! A page's story: every state change, oldest first, read from git's
//! history (so it cannot be forged by editing a record), following the page
//! through renames. `folio history` prints it.

use crate::error::{Error, Result};
use crate::git::{Kind, Repo};
use crate::site::parse_page;
use crate::site::policy::Policy;
use crate::site::workflow::State;
use serde::Serialize;

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
    let touched = repo.touching(head, path, |commit, parent, path| {
        let mut changes = repo.commit_changes(Some(parent), commit)?;
        repo.pair_renames(&mut changes, |p| policy.pages.is_page(p))?;
        Ok(changes
            .into_iter()
            .find(|c| c.path == path && c.old.is_some() && c.old_path != path)
            .map(|c| c.old_path))
    })?;
    let mut events: Vec<Event> = Vec::new();
    for touch in touched.into_iter().rev() {
        // The walk says where the page's blob is; a symlink or a page that
        // cannot be read has no state.
        let state = match touch.side.kind {
            Kind::File => {
                let bytes = repo.blob(touch.side.oid, &touch.path)?;
                parse_page(&touch.path, &bytes, policy)
                    .0
                    .and_then(|p| p.fields.status)
            }
            _ => None,
        };
        let from = events.last().map(|e| e.to);
        if from.is_some_and(|from| from == state) {
            continue;
        }
        let about = repo.describe(touch.commit)?;
        events.push(Event {
            commit: touch.commit.to_string(),
            author: about.author,
            date: about.date,
            subject: about.subject,
            path: touch.path,
            created: events.is_empty(),
            from: from.flatten(),
            to: state,
        });
    }
    Ok(events)
}
