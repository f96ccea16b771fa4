//! One printer per format over the same findings. Printers return strings;
//! `main` writes them.
//!
//! - `human`: a rustc-style snippet of the line with a caret under the span.
//! - `json`: a stable document, described in README.md.
//! - `github`: workflow-command annotations (`::error file=…::…`).

use crate::diagnostic::{Finding, Severity};
use crate::site::{Report, plural};
use serde::Serialize;
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Github,
}

pub fn render(report: &Report, format: Format, color: bool) -> String {
    match format {
        Format::Human => human(report, &Style::new(color)),
        Format::Json => json(report),
        Format::Github => github(report),
    }
}

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

fn human(report: &Report, style: &Style) -> String {
    let mut out = String::new();
    for f in &report.findings {
        write_human(&mut out, f, style);
    }
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    let warnings = report.findings.len() - errors;
    let pages = &report.subject;
    if report.findings.is_empty() {
        let _ = writeln!(out, "folio: checked {pages}: no findings");
    } else {
        let _ = writeln!(
            out,
            "folio: checked {pages}: {}, {}",
            plural(errors, "error"),
            plural(warnings, "warning")
        );
    }
    out
}

pub fn write_human(out: &mut String, f: &Finding, style: &Style) {
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
fn snippet(line: &str, column: usize, end_column: usize) -> (String, usize, usize) {
    let cells: Vec<String> = line
        .chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => c.escape_default().to_string(),
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
    let lead = if first > 0 { "..." } else { "" };
    let tail = if last < cells.len() { "..." } else { "" };
    let shown = format!("{lead}{}{tail}", cells[first..last].concat());
    let caret_at = lead.len() + width(first..start.max(first));
    let caret_len = width(start.min(last)..end.min(last)).max(1);
    (shown, caret_at, caret_len)
}

/// A table cell: `text` made printable, cut to `width` characters with
/// `…` if longer, padded with spaces to `width`.
pub fn cell(text: &str, width: usize) -> String {
    let text = printable(text);
    let count = text.chars().count();
    if count > width {
        let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
        cut.push('…');
        cut
    } else {
        format!("{text}{}", " ".repeat(width - count))
    }
}

/// The width of a column: its widest value, between `min` and `max`.
pub fn column_width<'a>(values: impl Iterator<Item = &'a str>, min: usize, max: usize) -> usize {
    values
        .map(|v| printable(v).chars().count())
        .max()
        .unwrap_or(0)
        .clamp(min, max)
}

/// Control characters (a newline in a file name, say) shown escaped.
pub fn printable(s: &str) -> String {
    if s.chars().any(char::is_control) {
        s.chars()
            .map(|c| {
                if c.is_control() {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect()
    } else {
        s.to_string()
    }
}

/// The JSON document. `format_version` changes only when a field is removed
/// or changes meaning; new fields may appear.
#[derive(Serialize)]
struct JsonReport<'a> {
    format_version: u32,
    findings: &'a [Finding],
    summary: JsonSummary,
}

#[derive(Serialize)]
struct JsonSummary {
    pages: usize,
    errors: usize,
    warnings: usize,
}

fn json(report: &Report) -> String {
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    let doc = JsonReport {
        format_version: 1,
        findings: &report.findings,
        summary: JsonSummary {
            pages: report.pages,
            errors,
            warnings: report.findings.len() - errors,
        },
    };
    let mut s = serde_json::to_string_pretty(&doc).expect("findings serialise");
    s.push('\n');
    s
}

/// GitHub workflow commands. Data escapes `%`, CR and LF; properties also
/// `:` and `,`. `endColumn` is the last column of the span (inclusive).
fn github(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let mut props = format!(
            "file={},line={},col={}",
            escape_property(&f.path),
            f.line,
            f.column
        );
        if f.end_column > f.column {
            let _ = write!(props, ",endColumn={}", f.end_column - 1);
        }
        let _ = write!(
            props,
            ",title={}",
            escape_property(&format!("folio {}", f.code))
        );
        let data = format!("{}\nhint: {}", f.message, f.hint);
        let _ = writeln!(
            out,
            "::{} {props}::{}",
            f.severity.as_str(),
            escape_data(&data)
        );
    }
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    let _ = writeln!(
        out,
        "folio: checked {}: {}, {}",
        report.subject,
        plural(errors, "error"),
        plural(report.findings.len() - errors, "warning")
    );
    out
}

fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_padded_cut_and_printable() {
        assert_eq!(cell("ana", 5), "ana  ");
        assert_eq!(cell("Zoë Ångström", 6), "Zoë Å…");
        assert_eq!(cell("a\x1b[31mred", 20), "a\\u{1b}[31mred      ");
        assert_eq!(column_width(["ab", "abcdef"].into_iter(), 3, 5), 5);
        assert_eq!(column_width(std::iter::empty(), 3, 5), 3);
    }

    #[test]
    fn long_lines_are_cut_around_the_span() {
        let line = format!("{}10x faster{}", "a".repeat(150), "b".repeat(150));
        let (shown, at, len) = snippet(&line, 151, 161);
        assert!(shown.starts_with("...") && shown.ends_with("..."));
        assert!(shown.chars().count() <= SNIPPET_WIDTH + 6);
        assert_eq!(&shown[at..at + len], "10x faster");
    }

    #[test]
    fn tabs_expand_and_the_caret_follows() {
        let (shown, at, len) = snippet("\tx: 10x faster", 5, 15);
        assert_eq!(&shown[at..at + len], "10x faster");
    }

    #[test]
    fn github_escapes_data_and_properties() {
        assert_eq!(escape_data("50%\nb"), "50%25%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
