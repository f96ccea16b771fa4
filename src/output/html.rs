//! The board as one self-contained HTML page (`folio board --html`): inline
//! CSS for light and dark and a phone's width, no script, and a content
//! security policy that lets the page load nothing at all. The template is
//! `board.html.j2`, which escapes every value as HTML.

use crate::board::{Board, CorrectionStatus, DUE_SOON_DAYS, DueSoon, Overdue, PageStatus, Recent};
use crate::error::Result;
use crate::history::Event;
use crate::site::files::Files;
use crate::site::page::Dialect;
use crate::site::par_map;
use crate::site::workflow::State;
use crate::template::Templates;
use chrono::NaiveDate;
use minijinja::Value;
use serde::Serialize;
use std::collections::HashMap;

/// What the template is given. Pages are rows with what the page shows
/// (not their whole records), so that a board of ten thousand pages stays
/// small while it is rendered.
#[derive(Serialize)]
struct View<'a> {
    today: NaiveDate,
    total: usize,
    due_soon_days: i64,
    overdue: &'a [Overdue],
    due_soon: &'a [DueSoon],
    recent: &'a [Recent],
    /// The pages of each state, in the workflow's order, in the site's
    /// words; pages without a state folio reads come last.
    states: Vec<StateView>,
    /// Every correction still waiting, oldest first, with its page.
    corrections: Vec<PageCorrection<'a>>,
    /// The pages `folio move` would take forward now, by state.
    ready: Vec<Value>,
    /// Why there are no timelines, when there are none.
    no_timelines: Option<&'a str>,
}

/// A page's line on the board.
#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    title: Option<&'a str>,
    owner: Option<&'a str>,
    state: Option<State>,
    last_reviewed: Option<NaiveDate>,
    age_days: Option<i64>,
    ready_for: Option<State>,
    /// How many maintenance records and not-promoted decisions it has.
    maintenance: usize,
    not_promoted: usize,
    /// Its state changes, oldest first.
    timeline: Vec<Change<'a>>,
}

/// One state change on a page's timeline, its states in the site's words.
#[derive(Serialize)]
struct Change<'a> {
    date: &'a str,
    commit: &'a str,
    author: &'a str,
    subject: &'a str,
    /// `None` where the commit made the page.
    from: Option<&'a str>,
    to: &'a str,
    /// The page's file then, when it had another name.
    path: Option<&'a str>,
}

#[derive(Serialize)]
struct StateView {
    state: &'static str,
    word: String,
    /// Each a `Row`, as the template's value.
    pages: Vec<Value>,
}

#[derive(Serialize)]
struct PageCorrection<'a> {
    page: &'a str,
    correction: &'a CorrectionStatus,
}

/// The board page, rendered with the site's `board.html.j2` if it has one.
/// `timelines` holds each page's history by its path (or nothing, for the
/// reason `no_timelines` gives).
pub fn board(
    board: &Board,
    timelines: &HashMap<String, Vec<Event>>,
    no_timelines: Option<&str>,
    dialect: &Dialect,
    files: &dyn Files,
) -> Result<String> {
    let word = |state: Option<State>| state.map_or("no status", |s| dialect.word(s));
    // Each page's row, made into the template's value on every core:
    // turning ten thousand rows into template values is a third of the
    // render, and the template itself runs on one.
    let rows: Vec<Value> = par_map(&board.pages, |page| {
        let events = timelines.get(&page.path).map_or(&[][..], Vec::as_slice);
        let row = Row {
            id: &page.id,
            title: page.title.as_deref(),
            owner: page.owner.as_deref(),
            state: page.state,
            last_reviewed: page.last_reviewed,
            age_days: page.age_days,
            ready_for: page.ready_for,
            maintenance: page.maintenance.len(),
            not_promoted: page.not_promoted.len(),
            timeline: events
                .iter()
                .map(|e| Change {
                    date: &e.date,
                    commit: e.commit.get(..7).unwrap_or(&e.commit),
                    author: &e.author,
                    subject: &e.subject,
                    from: (!e.created).then(|| word(e.from)),
                    to: word(e.to),
                    path: (e.path != page.path).then_some(e.path.as_str()),
                })
                .collect(),
        };
        Value::from(minijinja::value::Serde(&row))
    });
    // The rows of the pages `keep` takes, in board order.
    let rows_where = |keep: &dyn Fn(&PageStatus) -> bool| -> Vec<Value> {
        (board.pages.iter().zip(&rows))
            .filter(|(page, _)| keep(page))
            .map(|(_, row)| row.clone())
            .collect()
    };
    let mut states: Vec<StateView> = State::ALL
        .iter()
        .map(|&state| StateView {
            state: state.as_str(),
            word: dialect.word(state).to_string(),
            pages: rows_where(&|p| p.state == Some(state)),
        })
        .collect();
    let unknown = rows_where(&|p| p.state.is_none());
    if !unknown.is_empty() {
        states.push(StateView {
            state: "none",
            word: "no status".to_string(),
            pages: unknown,
        });
    }
    let mut corrections: Vec<PageCorrection> = board
        .pages
        .iter()
        .flat_map(|p| {
            p.corrections
                .iter()
                .filter(|c| c.state.is_pending())
                .map(|c| PageCorrection {
                    page: &p.id,
                    correction: c,
                })
        })
        .collect();
    corrections.sort_by(|a, b| (a.correction.filed, a.page).cmp(&(b.correction.filed, b.page)));
    let ready = rows_where(&|p| p.ready_for.is_some());
    let view = View {
        today: board.today,
        total: board.pages.len(),
        due_soon_days: DUE_SOON_DAYS,
        overdue: &board.overdue,
        due_soon: &board.due_soon,
        recent: &board.recent,
        states,
        corrections,
        ready,
        no_timelines,
    };
    Templates::new(files).render("board.html.j2", &view)
}
