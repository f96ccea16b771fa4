//! Printers: what a command did (`commands::Outcome`), as text. One printer
//! per format over the same data, so adding a format touches one file;
//! printers never decide anything, and return strings that `main` writes.
//!
//! - `human`: for a terminal (snippets with carets, columns, one line per
//!   file written), coloured only when asked;
//! - `json`: stable documents for tools, described in README.md;
//! - `github`: workflow-command annotations for GitHub Actions;
//! - `sarif`: a SARIF 2.1.0 log for GitHub code scanning;
//! - `rdjsonl`: reviewdog's diagnostics, one per line;
//! - `table`: the columns `human` prints, every value made printable.

pub mod github;
pub mod html;
pub mod human;
pub mod json;
pub mod rdjsonl;
pub mod sarif;
pub mod table;

use crate::check::{Report, Scope};
use crate::commands::Outcome;

/// How to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
    Sarif,
    Rdjsonl,
}

/// The text of a command's outcome. `color` applies to human output only.
pub fn render(outcome: &Outcome, color: bool) -> String {
    let style = human::Style::new(color);
    match outcome {
        Outcome::Checked { report, format } => match format {
            Format::Human => human::report(report, &style),
            Format::Json => json::report(report),
            Format::Github => github::report(report),
            Format::Sarif => sarif::report(report),
            Format::Rdjsonl => rdjsonl::report(report),
        },
        Outcome::Scaffolded {
            content_dir,
            paths,
            staged,
        } => human::scaffolded(content_dir, paths, staged),
        Outcome::Created { path, then } => human::created(path, then),
        Outcome::Moved {
            path,
            from,
            to,
            record,
            warnings,
            then,
        } => human::moved(path, (*from, *to), record, warnings, then, &style),
        Outcome::Preview { diff, warnings } => human::preview(diff, warnings, &style),
        Outcome::Unchanged { what } => human::unchanged(what),
        Outcome::Renamed {
            from,
            to,
            records_moved,
            relinked,
            recorded,
            then,
        } => human::renamed((from, to), *records_moved, relinked, recorded, then),
        Outcome::Refused {
            path,
            state,
            what,
            findings,
        } => human::refused(path, *state, what, findings, &style),
        Outcome::Renewed {
            path,
            reviewer,
            date,
            record,
            warnings,
            then,
        } => human::renewed(path, (reviewer, *date), record, warnings, then, &style),
        Outcome::Recorded {
            record,
            still_appears,
            then,
        } => human::recorded(record, still_appears.as_ref(), then),
        Outcome::Hook(change) => human::hook(change),
        Outcome::Text { text } => human::text(text),
        Outcome::Script { text } => text.clone(),
        Outcome::Filed {
            record,
            id,
            page,
            notes,
            then,
        } => human::filed(record, (id, page), notes, then),
        Outcome::Decided {
            record,
            id,
            state,
            then,
        } => human::decided(record, id, *state, then),
        Outcome::Drift { stale } => human::drift(stale),
        Outcome::Generated { written, then } => human::generated(written, then),
        Outcome::Baselined {
            total,
            renewal,
            then,
        } => human::baselined(*total, renewal, then),
        Outcome::Rules { rules, format } => match format {
            Format::Json => json::write(rules),
            _ => human::rules(rules),
        },
        Outcome::Exported {
            dir,
            pages,
            left_out,
            next,
        } => human::exported(dir, *pages, *left_out, next),
        Outcome::Published {
            file,
            pages,
            no_timelines,
            next,
        } => format!(
            "wrote the board of {} to {}\n{}next: {}\n",
            plural(*pages, "page"),
            table::printable(file),
            no_timelines
                .as_ref()
                .map_or_else(String::new, |why| format!(
                    "without the pages' timelines: {}\n",
                    table::printable(why)
                )),
            table::printable(next)
        ),
        Outcome::Board { board, format } => match format {
            Format::Json => json::write(board),
            _ => human::board(board),
        },
        Outcome::History {
            path,
            events,
            format,
        } => match format {
            Format::Json => json::write(events),
            _ => human::history(path, events),
        },
        Outcome::Summary { summary, markdown } => match markdown {
            Some(markdown) => markdown.clone(),
            None => json::write(summary),
        },
    }
}

/// `n` and a word, in the plural unless `n` is 1.
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// What a check covered, for its closing line: "7 pages", "1 staged page",
/// "2 commits and 7 pages", "2 commits and the 3 pages they touch".
fn subject(report: &Report) -> String {
    match &report.scope {
        Scope::Site => plural(report.pages, "page"),
        Scope::Staged => plural(report.pages, "staged page"),
        Scope::Range(range) if range.whole_site => format!(
            "{} and {}",
            plural(range.commits, "commit"),
            plural(report.pages, "page")
        ),
        Scope::Range(range) => format!(
            "{} and the {} they touch",
            plural(range.commits, "commit"),
            plural(report.pages, "page")
        ),
    }
}

/// A check's closing line: what it covered and what it found, and for a
/// range, what was already there and what it fixed.
fn closing(report: &Report) -> String {
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    let warnings = report.findings.len() - errors;
    let counts = if report.findings.is_empty() {
        "no findings".to_string()
    } else {
        format!(
            "{}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        )
    };
    let mut line = match &report.scope {
        Scope::Range(range) => format!(
            "folio: checked {}: {counts} introduced; {} already there at the merge-base, {} fixed",
            subject(report),
            plural(range.already_there, "finding"),
            range.fixed
        ),
        _ => format!("folio: checked {}: {counts}", subject(report)),
    };
    if let Some(baseline) = &report.baseline {
        line.push_str(&format!(
            "; {} in the baseline left out",
            plural(baseline.silenced, "finding")
        ));
        if let Some(fixed) = baseline.fixed.filter(|n| *n > 0) {
            line.push_str(&format!(
                "\nfolio: {} in the baseline no longer found (fixed): run `folio baseline` to drop {}",
                plural(fixed, "finding"),
                if fixed == 1 { "it" } else { "them" }
            ));
        }
    }
    line
}
