//! The moves between states: a commit may move a page only along the
//! table of legal moves, and a new page starts where the policy says.

use crate::change::Previous;
use crate::finding::Finding;
use crate::site::page::{Key, Page};
use crate::site::policy::Policy;
use crate::site::workflow::State;

/// Judges the move a commit makes to a page, given its state in each parent
/// (one for an ordinary commit, more for a merge). A state equal to a
/// parent's is no move; otherwise it must be a legal move from some parent,
/// and a new page must start in one of the policy's `new_page_states`.
pub fn check_transition(page: &Page, previous: &[Previous], policy: &Policy) -> Option<Finding> {
    let to = page.fields.status?;
    if transition_allowed(to, previous, policy) {
        return None;
    }
    Some(page.at_field(illegal_move(&page.path, previous, to, policy), Key::Status))
}

/// The finding for a move `transition_allowed` refuses (not yet pointed at
/// the page's `status`).
pub fn illegal_move(path: &str, previous: &[Previous], to: State, policy: &Policy) -> Finding {
    let from = previous.iter().find_map(|p| match p {
        Previous::State(s) => Some(*s),
        _ => None,
    });
    match from {
        None => {
            let allowed: Vec<_> = policy.new_page_states.iter().map(|s| s.as_str()).collect();
            Finding::error(
                "new-page-state",
                path,
                format!("a new page starts as {}, not {to}", allowed.join(" or ")),
                format!(
                    "commit the page as `{}: {}` first, then move it one state at a time",
                    policy.dialect.name(Key::Status),
                    policy.dialect.word(
                        policy
                            .new_page_states
                            .first()
                            .copied()
                            .unwrap_or(State::Draft)
                    )
                ),
            )
        }
        Some(from) => {
            let next: Vec<_> = from.legal_next().iter().map(|s| s.as_str()).collect();
            Finding::error(
                "illegal-transition",
                path,
                format!(
                    "`{}` moves from {from} to {to}, which is not a legal move",
                    policy.dialect.name(Key::Status)
                ),
                format!(
                    "from {from} a page may move to {}; make one move per commit",
                    next.join(" or ")
                ),
            )
        }
    }
}

/// Whether a commit may leave a page in state `to`, given its state in each
/// parent (see `check_transition`).
pub fn transition_allowed(to: State, previous: &[Previous], policy: &Policy) -> bool {
    if previous
        .iter()
        .any(|p| matches!(p, Previous::Unknown) || *p == Previous::State(to))
    {
        return true;
    }
    let mut from = previous.iter().filter_map(|p| match p {
        Previous::State(s) => Some(*s),
        _ => None,
    });
    match from.next() {
        None => policy.new_page_states.contains(&to),
        Some(first) => std::iter::once(first)
            .chain(from)
            .any(|f| State::can_move(f, to)),
    }
}
