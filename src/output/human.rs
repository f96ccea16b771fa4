//! The `human` format: what a person reads in a terminal. Findings as a
//! rustc-style snippet of the line with a caret under the span; the board
//! and a page's history as columns; what a command wrote, one line each.
//! Colour only when asked (see `Style`); every text that comes from a page,
//! a file name or a commit is made printable first.

use super::table::{cell, column_width, printable};
use super::{closing, plural};
use crate::board::{Board, PageStatus};
use crate::check::Report;
use crate::commands::Then;
use crate::commands::hook::HookChange;
use crate::commands::rules::RuleView;
use crate::error::Error;
use crate::finding::{Finding, Severity, Snippet};
use crate::history::Event;
use crate::site::record::CorrectionState;
use crate::site::workflow::State;
use chrono::NaiveDate;
use std::fmt::Write;

/// ANSI styles, or nothing when colour is off.
pub struct Style {
    on: bool,
}

impl Style {
    pub fn new(on: bool) -> Style {
        Style { on }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn severity(&self, severity: Severity) -> String {
        match severity {
            Severity::Error => self.paint("1;31", "error"),
            Severity::Warning => self.paint("1;33", "warning"),
        }
    }

    fn gutter(&self, text: &str) -> String {
        self.paint("1;34", text)
    }
}

/// The widest snippet line shown; longer lines are cut around the span.
const SNIPPET_WIDTH: usize = 96;

/// `check`: every finding, then a closing count.
pub fn report(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    for f in &report.findings {
        finding(&mut out, f, style);
    }
    out.push_str(&closing(report));
    out.push('\n');
    out
}

/// One finding: what, where, the line with a caret under the span, and
/// the hint.
pub fn finding(out: &mut String, f: &Finding, style: &Style) {
    let number = f.line.to_string();
    let pad = " ".repeat(number.len());
    let _ = writeln!(
        out,
        "{}{}: {}",
        style.severity(f.severity),
        style.paint("1", &format!("[{}]", f.code)),
        printable(&f.message)
    );
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        style.gutter("-->"),
        printable(&f.path),
        f.line,
        f.column
    );
    if let Some(line) = &f.source_line {
        let (shown, caret_at, caret_len) = snippet(line, f.column, f.end_column);
        let bar = style.gutter("|");
        let _ = writeln!(out, "{pad} {bar}");
        let _ = writeln!(out, "{} {bar} {shown}", style.gutter(&number));
        let carets = style.paint(
            if f.severity == Severity::Error {
                "1;31"
            } else {
                "1;33"
            },
            &"^".repeat(caret_len),
        );
        let _ = writeln!(out, "{pad} {bar} {}{carets}", " ".repeat(caret_at));
    }
    let _ = writeln!(
        out,
        "{pad} {} {}: {}",
        style.gutter("="),
        style.paint("1", "hint"),
        printable(&f.hint)
    );
    out.push('\n');
}

/// The line as shown (tabs expanded, control characters escaped, cut to
/// `SNIPPET_WIDTH` around the span), and where the caret goes and how long.
fn snippet(line: &Snippet, column: usize, end_column: usize) -> (String, usize, usize) {
    let column = column + 1 - line.first_column.min(column);
    let end_column = end_column + 1 - line.first_column.min(end_column);
    let cells: Vec<String> = line
        .text
        .chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if crate::text::hidden(c) => c.escape_default().to_string(),
            c => c.to_string(),
        })
        .collect();
    let start = column.saturating_sub(1).min(cells.len());
    let end = end_column.saturating_sub(1).clamp(start, cells.len());
    let width = |range: std::ops::Range<usize>| {
        cells[range]
            .iter()
            .map(|c| c.chars().count())
            .sum::<usize>()
    };
    let mut first = 0;
    let mut last = cells.len();
    if width(0..cells.len()) > SNIPPET_WIDTH {
        first = start.saturating_sub(SNIPPET_WIDTH / 3);
        last = first;
        while last < cells.len() && width(first..last + 1) <= SNIPPET_WIDTH {
            last += 1;
        }
    }
    let lead = if first > 0 || line.first_column > 1 {
        "..."
    } else {
        ""
    };
    let tail = if last < cells.len() || line.cut {
        "..."
    } else {
        ""
    };
    let shown = format!("{lead}{}{tail}", cells[first..last].concat());
    let caret_at = lead.len() + width(first..start.max(first));
    let caret_len = width(start.min(last)..end.min(last)).max(1);
    (shown, caret_at, caret_len)
}

/// Why a command could not run: where, what, and what to do.
pub fn error(e: &Error) -> String {
    let mut message = String::from("folio: error: ");
    if let Some(at) = e.location() {
        let _ = write!(
            message,
            "{}:{}:{}: ",
            printable(&at.path),
            at.line,
            at.column
        );
    }
    let _ = writeln!(
        message,
        "{}\n  = hint: {}",
        printable(e.message()),
        printable(e.hint_text())
    );
    message
}

/// `init`: each path, created or kept.
pub fn scaffolded(content_dir: &str, paths: &[(String, bool)], staged: &[String]) -> String {
    let mut out = String::new();
    for (path, created) in paths {
        if *created {
            let _ = writeln!(out, "created  {}", printable(path));
        } else {
            let _ = writeln!(out, "kept     {} (already there)", printable(path));
        }
    }
    if !staged.is_empty() {
        let _ = writeln!(out, "staged {}", few(staged, " "));
    }
    let commit = if staged.is_empty() {
        String::new()
    } else {
        "git commit -m \"Set up folio\", then ".to_string()
    };
    let _ = writeln!(
        out,
        "next: {commit}`folio hook install` to check every commit, and `folio new ID --title TITLE` for a first page under {}/",
        printable(content_dir)
    );
    out
}

/// `new`: the page created.
pub fn created(path: &str, then: &Then) -> String {
    let mut out = format!("created {path} (draft)\n");
    write_then(&mut out, then);
    out
}

/// `move`, done.
pub fn moved(
    path: &str,
    (from, to): (State, State),
    record: &str,
    warnings: &[Finding],
    then: &Then,
    style: &Style,
) -> String {
    let done = format!("moved {} from {from} to {to}", printable(path));
    written(&done, record, warnings, then, style)
}

/// `review`, done.
pub fn renewed(
    path: &str,
    (reviewer, date): (&str, NaiveDate),
    record: &str,
    warnings: &[Finding],
    then: &Then,
    style: &Style,
) -> String {
    let done = format!(
        "renewed the review of {}: signed by {} on {date}",
        printable(path),
        printable(reviewer)
    );
    written(&done, record, warnings, then, style)
}

/// A page edited with its record: the warnings it still has, what was
/// done, the record, and what was staged.
fn written(done: &str, record: &str, warnings: &[Finding], then: &Then, style: &Style) -> String {
    let mut out = String::new();
    for f in warnings {
        finding(&mut out, f, style);
    }
    let _ = writeln!(out, "{done}\nrecorded {}", printable(record));
    if !warnings.is_empty() {
        let _ = writeln!(
            out,
            "note: the page still has {}; see above",
            plural(warnings.len(), "warning")
        );
    }
    write_then(&mut out, then);
    out
}

/// `move` or `rename` with nothing to do.
pub fn unchanged(what: &str) -> String {
    format!(
        "{}: nothing was written\nnext: nothing to do\n",
        printable(what)
    )
}

/// `rename`, done.
pub fn renamed(
    (from, to): (&str, &str),
    records_moved: usize,
    relinked: &[String],
    recorded: &[String],
    then: &Then,
) -> String {
    let mut out = format!("renamed {} -> {}\n", printable(from), printable(to));
    if records_moved > 0 {
        let _ = writeln!(out, "moved its {} with it", plural(records_moved, "record"));
    }
    if !relinked.is_empty() {
        let _ = writeln!(out, "rewrote the links to it in {}", few(relinked, ", "));
    }
    for record in recorded {
        let _ = writeln!(out, "recorded {}", printable(record));
    }
    write_then(&mut out, then);
    out
}

/// `move` or `review`, refused: what the page would lack.
pub fn refused(
    path: &str,
    state: State,
    what: &str,
    findings: &[Finding],
    style: &Style,
) -> String {
    let mut out = String::new();
    for f in findings {
        finding(&mut out, f, style);
    }
    let _ = writeln!(
        out,
        "folio: {} stays {state}: {what} is refused and nothing was written",
        printable(path)
    );
    out
}

/// `log` and `decline`: the record written, and where a declined claim
/// still appears.
pub fn recorded(record: &str, still_appears: Option<&Finding>, then: &Then) -> String {
    let mut out = format!("recorded {record}\n");
    if let Some(f) = still_appears {
        let _ = writeln!(
            out,
            "note: the claim still appears at {}:{}:{}; rewrite or remove it before you commit",
            f.path, f.line, f.column
        );
    }
    write_then(&mut out, then);
    out
}

/// Paths joined by `sep`, made printable; past a handful, the rest counted
/// (`git status` lists them all), so a long list fits a terminal.
fn few(paths: &[String], sep: &str) -> String {
    const SHOWN: usize = 5;
    let mut shown = printable(&paths[..paths.len().min(SHOWN)].join(sep));
    if paths.len() > SHOWN {
        let _ = write!(shown, " and {} more", paths.len() - SHOWN);
    }
    shown
}

/// What a writing command staged, left unstaged, and the next step.
fn write_then(out: &mut String, then: &Then) {
    for (from, to) in &then.moved {
        let _ = writeln!(
            out,
            "staged the move {} -> {}",
            printable(from),
            printable(to)
        );
    }
    if !then.staged.is_empty() {
        let _ = writeln!(out, "staged {}", few(&then.staged, " "));
    }
    for (path, why) in &then.unstaged {
        let path = printable(path);
        let _ = writeln!(
            out,
            "not staged: {path}, since {why}; stage it yourself with `git add {path}`"
        );
    }
    let _ = writeln!(out, "next: {}", printable(&then.next));
}

/// A writing command's `--dry-run`: the warnings that would remain, the
/// diff, and that nothing was written.
pub fn preview(diff: &str, warnings: &[Finding], style: &Style) -> String {
    let mut out = String::new();
    for f in warnings {
        finding(&mut out, f, style);
    }
    out.push_str(diff);
    out.push_str(
        "dry run: nothing was written\nnext: run it again without --dry-run to write it\n",
    );
    out
}

/// `rules`: each rule, what it flags, where, and its example.
pub fn rules(rules: &[RuleView]) -> String {
    let mut out = String::new();
    for r in rules {
        let states: Vec<&str> = r.states.iter().map(|s| s.as_str()).collect();
        let excuse = if r.excused_by_citation {
            "a citation after it in the sentence excuses it"
        } else {
            "a citation does not excuse it"
        };
        let when = if r.future_only {
            "; only dates after today"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{} ({}, on {} pages; {excuse}{when})",
            printable(&r.id),
            r.severity.as_str(),
            states.join(" and ")
        );
        let _ = writeln!(out, "  flags    {}", printable(&r.message));
        match (&r.example, &r.flagged, &r.error) {
            (_, _, Some(e)) => {
                let _ = writeln!(out, "  error    the rule cannot be tried: {}", printable(e));
            }
            (Some(example), Some(flagged), _) => {
                let _ = writeln!(
                    out,
                    "  example  {} (flags \"{}\")",
                    printable(example),
                    printable(flagged)
                );
            }
            (Some(example), None, _) => {
                let _ = writeln!(
                    out,
                    "  example  {} -- NOT flagged: fix the pattern or the example",
                    printable(example)
                );
            }
            (None, _, _) => {
                let _ = writeln!(
                    out,
                    "  example  none: add `example:` to the rule in review/policy.yaml"
                );
            }
        }
        let _ = writeln!(out, "  fix      {}\n", printable(&r.hint));
    }
    let failing = rules.iter().filter(|r| r.fails()).count();
    let _ = writeln!(
        out,
        "folio: {}{}",
        plural(rules.len(), "rule"),
        if failing > 0 {
            format!(", {failing} not flagging its example")
        } else {
            String::new()
        }
    );
    out
}

/// Text for the user to read or paste, each line made printable.
pub fn text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        out.push_str(&printable(line));
        out.push('\n');
    }
    out
}

/// `correction intake`.
pub fn filed(record: &str, (id, page): (&str, &str), notes: &[String], then: &Then) -> String {
    let mut out = String::new();
    for note in notes {
        let _ = writeln!(out, "note: {}", printable(note));
    }
    let _ = writeln!(
        out,
        "recorded correction {} to {}: {}",
        printable(id),
        printable(page),
        printable(record)
    );
    write_then(&mut out, then);
    out
}

/// `correction accept|hold|reject`.
pub fn decided(record: &str, id: &str, state: CorrectionState, then: &Then) -> String {
    let mut out = format!(
        "correction {} is now {} ({})\n",
        printable(id),
        state.as_str(),
        printable(record)
    );
    write_then(&mut out, then);
    out
}

/// `templates --check`.
pub fn drift(stale: &[(String, String)]) -> String {
    if stale.is_empty() {
        return "the generated files are up to date\n".to_string();
    }
    let mut out = String::new();
    for (path, why) in stale {
        let _ = writeln!(out, "stale: {}: {}", printable(path), printable(why));
    }
    out.push_str("next: run `folio templates` and commit the result\n");
    out
}

/// `templates`.
pub fn generated(written: &[String], then: &Then) -> String {
    let mut out = String::new();
    for path in written {
        let _ = writeln!(out, "wrote {}", printable(path));
    }
    write_then(&mut out, then);
    out
}

/// `folio export`.
pub fn exported(dir: &str, pages: usize, left_out: usize, next: &str) -> String {
    let mut out = format!("exported {} to {}\n", plural(pages, "page"), printable(dir));
    if left_out > 0 {
        let _ = writeln!(
            out,
            "left out {} folio cannot read as pages (`folio check` says why)",
            plural(left_out, "file")
        );
    }
    let _ = writeln!(out, "next: {}", printable(next));
    out
}

/// `folio baseline`.
pub fn baselined(total: usize, renewal: &crate::baseline::Renewal, then: &Then) -> String {
    let mut out = format!(
        "wrote {}: {total} finding{} accepted ({} kept, {} dropped as fixed, {} added)\n",
        crate::baseline::BASELINE_PATH,
        if total == 1 { "" } else { "s" },
        renewal.kept,
        renewal.dropped,
        renewal.added
    );
    if renewal.added > 0 && renewal.kept + renewal.dropped > 0 {
        out.push_str("read the diff before committing: the added findings are accepted too\n");
    }
    write_then(&mut out, then);
    out
}

/// `hook install` and `hook uninstall`.
pub fn hook(change: &HookChange) -> String {
    match change {
        HookChange::Installed { at, kept_old_as } => {
            let mut out = String::new();
            if let Some(old) = kept_old_as {
                let _ = writeln!(
                    out,
                    "kept the old hook as {old}; it still runs before folio's check (delete it to stop that)"
                );
            }
            let _ = writeln!(
                out,
                "installed the folio pre-commit hook at {at}\nevery `git commit` now runs `folio check --staged`"
            );
            out
        }
        HookChange::AlreadyInstalled { at } => {
            format!("the folio hook is already installed at {at}\n")
        }
        HookChange::Removed { at, restored: true } => {
            format!("removed the folio hook and restored the previous one at {at}\n")
        }
        HookChange::Removed {
            at,
            restored: false,
        } => {
            format!("removed the folio hook from {at}\n")
        }
        HookChange::NotInstalled { at } => {
            format!("no pre-commit hook is installed at {at}\n")
        }
    }
}

/// `status`: pages by state, then what is due.
pub fn board(board: &Board) -> String {
    let mut out = String::new();
    let ids = column_width(board.pages.iter().map(|p| p.id.as_str()), 10, 40);
    let owners = column_width(
        board
            .pages
            .iter()
            .map(|p| p.owner.as_deref().unwrap_or("no owner")),
        8,
        20,
    );
    for state in State::ALL.iter().rev() {
        let pages: Vec<&PageStatus> = board
            .pages
            .iter()
            .filter(|p| p.state == Some(*state))
            .collect();
        let _ = writeln!(out, "{state} ({})", pages.len());
        for p in pages {
            let age = p.age_days.map_or("not reviewed".to_string(), |d| {
                format!("reviewed {d} days ago")
            });
            let owner = p.owner.as_deref().unwrap_or("no owner");
            let _ = writeln!(out, "  {} {} {age}", cell(&p.id, ids), cell(owner, owners));
        }
    }
    let unreadable = board.pages.iter().filter(|p| p.state.is_none()).count();
    if unreadable > 0 {
        let _ = writeln!(out, "no readable state ({unreadable}): run `folio check`");
    }
    let mut section = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            let _ = writeln!(out, "\n{title} ({})", lines.len());
            for line in lines {
                let _ = writeln!(out, "  {line}");
            }
        }
    };
    section(
        "overdue: the review is past due, longest first",
        board
            .overdue
            .iter()
            .map(|o| {
                let interval = match &o.interval_key {
                    Some(key) => format!("{} {}", printable(key), o.interval),
                    None => format!("{} by the policy", o.interval),
                };
                format!(
                    "{} due {}, {} days ago ({} {} + {interval})",
                    cell(&o.id, ids),
                    o.due,
                    o.days_overdue,
                    printable(&o.last_reviewed_key),
                    o.last_reviewed
                )
            })
            .collect(),
    );
    section(
        &format!(
            "due soon: the review lapses within {} days",
            crate::board::DUE_SOON_DAYS
        ),
        board
            .due_soon
            .iter()
            .map(|d| {
                format!(
                    "{} due {}, in {} days",
                    cell(&d.id, ids),
                    d.due,
                    d.days_left
                )
            })
            .collect(),
    );
    section(
        "due: a date they mention has arrived since their review",
        board
            .due
            .iter()
            .map(|d| {
                format!(
                    "{} {} (\"{}\")",
                    cell(&d.page, ids),
                    d.date,
                    printable(&d.phrase)
                )
            })
            .collect(),
    );
    let waiting: Vec<(&str, &crate::board::CorrectionStatus)> = board
        .pages
        .iter()
        .flat_map(|p| p.corrections.iter().map(move |c| (p.id.as_str(), c)))
        .filter(|(_, c)| c.state.is_pending() || c.state == CorrectionState::Held)
        .collect();
    section(
        "corrections waiting: filed, not yet applied or rejected",
        waiting
            .iter()
            .map(|(page, c)| {
                let claim = c.claim.as_deref().map_or(String::new(), |claim| {
                    format!(" \"{}\"", cell(claim, 40).trim_end())
                });
                format!(
                    "{} {} {:<8} {} days{}{claim}",
                    cell(page, ids),
                    printable(&c.id),
                    c.state.as_str(),
                    c.age_days,
                    if c.overdue { " (overdue)" } else { "" }
                )
            })
            .collect(),
    );
    section(
        "ready: `folio move` would take them to their next state now",
        board
            .pages
            .iter()
            .filter_map(|p| {
                let (state, next) = (p.state?, p.ready_for?);
                Some(format!("{} {state} -> {next}", cell(&p.id, ids)))
            })
            .collect(),
    );
    section(
        "text changed since its last record",
        board.unrecorded.iter().map(|id| printable(id)).collect(),
    );
    let sources = column_width(board.sources_due.iter().map(|s| s.id.as_str()), 10, 40);
    section(
        "sources not rechecked within the interval",
        board
            .sources_due
            .iter()
            .map(|s| {
                format!(
                    "{} {}",
                    cell(&s.id, sources),
                    s.checked
                        .map_or("never".to_string(), |d| format!("last read {d}"))
                )
            })
            .collect(),
    );
    out
}

/// `history`: a page's state changes, oldest first.
pub fn history(path: &str, events: &[Event]) -> String {
    let mut out = String::new();
    if events.is_empty() {
        let _ = writeln!(out, "{}: no committed history yet", printable(path));
        return out;
    }
    let authors = column_width(events.iter().map(|e| e.author.as_str()), 6, 16);
    let state = |s: Option<State>| s.map_or("no status", State::as_str);
    let changes: Vec<String> = events
        .iter()
        .map(|e| match (e.created, e.to) {
            (true, Some(to)) => format!("created as {to}"),
            (true, None) => "created without a status".to_string(),
            (false, to) => format!("{} -> {}", state(e.from), state(to)),
        })
        .collect();
    let width = column_width(changes.iter().map(String::as_str), 16, 30);
    for (e, change) in events.iter().zip(&changes) {
        let moved = if e.path != path {
            format!(" (as {})", printable(&e.path))
        } else {
            String::new()
        };
        let subject = cell(&e.subject, 40);
        let _ = writeln!(
            out,
            "{}  {}  {} {}  {}{moved}",
            e.date,
            &e.commit[..7],
            cell(&e.author, authors),
            cell(change, width),
            subject.trim_end(),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_paths_is_counted_past_a_handful() {
        let paths: Vec<String> = (1..=7).map(|n| format!("p{n}.md")).collect();
        assert_eq!(few(&paths[..2], ", "), "p1.md, p2.md");
        assert_eq!(few(&paths, " "), "p1.md p2.md p3.md p4.md p5.md and 2 more");
    }

    /// The snippet of a finding on the first `needle` in `text`.
    fn shown(text: &str, needle: &str) -> (String, usize, usize) {
        let source = crate::text::SourceText::new(text.to_string());
        let start = text.find(needle).expect("needle");
        let f =
            Finding::error("c", "p.md", "m", "h").spanning(&source, start, start + needle.len());
        snippet(
            f.source_line.as_ref().expect("a snippet"),
            f.column,
            f.end_column,
        )
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}10x faster{}", "a".repeat(150), "b".repeat(150));
        let (shown_, at, len) = shown(&line, "10x");
        assert!(shown_.starts_with("...") && shown_.ends_with("..."));
        assert!(shown_.chars().count() <= SNIPPET_WIDTH + 6);
        assert_eq!(&shown_[at..at + 3], "10x");
        assert_eq!(len, 3);
        // A span deep in a line longer than the snippet kept: the caret
        // still sits under it, and both ends say the line goes on.
        let line = format!("x\n{}é 10x faster {}", "é".repeat(5000), "b".repeat(5000));
        let (shown_, at, len) = shown(&line, "10x faster");
        assert!(shown_.starts_with("...") && shown_.ends_with("..."));
        let under: String = shown_.chars().skip(at).take(len).collect();
        assert_eq!(under, "10x faster");
    }

    #[test]
    fn tabs_expand_and_the_caret_follows() {
        let (shown_, at, len) = shown("\tx: 10x faster", "10x faster");
        assert_eq!(&shown_[at..at + len], "10x faster");
    }
}
