//! Findings are data. Every check returns `Finding` values and never prints;
//! `output` has one printer per format over the same list, and the exit code
//! is decided from the findings in one place (`exit_code`).

use crate::text::SourceText;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One thing folio has to say about one place in one file.
///
/// Lines and columns are 1-based; columns count Unicode characters, not
/// bytes. `end_column` is exclusive: it equals `column` when the finding
/// points at a position rather than a span.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    pub code: String,
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub end_column: usize,
    pub message: String,
    pub hint: String,
    /// The commit a finding is about, when it is about one commit of a
    /// range rather than the files as they are.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// Text of `line` around the span, for printers that show a snippet.
    /// Not part of the JSON format.
    #[serde(skip)]
    pub source_line: Option<Snippet>,
    /// `column` and `end_column` counted in bytes of UTF-8, for formats
    /// that count so (rdjsonl). Not part of the JSON format.
    #[serde(skip)]
    pub byte_columns: (usize, usize),
}

/// Part of a line: enough around a span to show it, never the whole of a
/// long line, so a line with many findings costs memory once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    pub text: String,
    /// The column of the line that `text` starts at.
    pub first_column: usize,
    /// Whether the line goes on after `text`.
    pub cut: bool,
}

/// How many characters a snippet keeps before its span, and from its span
/// on: more than any printer shows.
const SNIPPET_BEFORE: usize = 48;
const SNIPPET_FROM: usize = 144;

impl Finding {
    pub fn new(
        severity: Severity,
        code: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            code: code.into(),
            path: path.into(),
            line: 1,
            column: 1,
            end_column: 1,
            message: message.into(),
            hint: hint.into(),
            commit: None,
            source_line: None,
            byte_columns: (1, 1),
        }
    }

    pub fn error(
        code: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Error, code, path, message, hint)
    }

    pub fn warning(
        code: impl Into<String>,
        path: impl Into<String>,
        message: impl Into<String>,
        hint: impl Into<String>,
    ) -> Finding {
        Finding::new(Severity::Warning, code, path, message, hint)
    }

    /// Points the finding at the byte range `start..end` of `text`. A span
    /// that crosses a line break is cut at the end of its first line.
    pub fn spanning(mut self, text: &SourceText, start: usize, end: usize) -> Finding {
        let (start, end) = (text.char_boundary(start), text.char_boundary(end));
        let (line, column) = text.line_col(start);
        let line_start = text.line_start(line);
        let line_text = text.line_text(line);
        let line_end = line_start + line_text.len();
        let end = end.clamp(start, line_end.max(start));
        self.line = line;
        self.column = column;
        self.end_column = column + text.as_str()[start..end].chars().count();
        self.byte_columns = (start - line_start + 1, end - line_start + 1);
        // Some characters before the span, and the span and what follows.
        let before = &text.as_str()[line_start..start.max(line_start)];
        let from = before
            .char_indices()
            .rev()
            .nth(SNIPPET_BEFORE - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let rest = &text.as_str()[start..line_end.max(start)];
        let to = rest
            .char_indices()
            .nth(SNIPPET_FROM)
            .map_or(line_end, |(i, _)| start + i);
        self.source_line = Some(Snippet {
            text: text.as_str()[from..to].to_string(),
            first_column: column - text.as_str()[from..start].chars().count(),
            cut: to < line_end,
        });
        self
    }

    /// Points the finding at a byte offset of `text`, without a span.
    pub fn at(self, text: &SourceText, offset: usize) -> Finding {
        self.spanning(text, offset, offset)
    }

    /// Points the finding at a line and column when no text is at hand (a
    /// file that is not UTF-8, say).
    pub fn at_line(mut self, line: usize, column: usize) -> Finding {
        self.line = line;
        self.column = column;
        self.end_column = column;
        self.byte_columns = (column, column);
        self
    }

    /// Points the finding where `other` points.
    pub fn placed_as(mut self, other: &Finding) -> Finding {
        self.line = other.line;
        self.column = other.column;
        self.end_column = other.end_column;
        self.byte_columns = other.byte_columns;
        self.source_line = other.source_line.clone();
        self
    }

    /// Marks the finding as about one commit, naming it in the message.
    pub fn in_commit(mut self, id: &str, short: &str, subject: &str) -> Finding {
        let subject: String = subject.chars().take(60).collect();
        self.message = format!("in commit {short} (\"{subject}\"): {}", self.message);
        self.commit = Some(id.to_string());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The codes of folio's own findings (a policy's rules add their ids). A
/// rule may not take one of these as its id; README.md lists the same.
pub const CODES: &[&str] = &[
    "unclosed-frontmatter",
    "yaml-syntax",
    "unquoted-colon",
    "tab-indent",
    "duplicate-key",
    "frontmatter-shape",
    "toml-frontmatter",
    "json-frontmatter",
    "no-frontmatter",
    "cr-line-endings",
    "not-utf8",
    "binary-file",
    "unknown-state",
    "bad-date",
    "bad-duration",
    "wrong-type",
    "unknown-key",
    "missing-status",
    "missing-field",
    "no-sources",
    "missing-reviewer",
    "unknown-reviewer",
    "self-review",
    "future-review",
    "stale",
    "unknown-source",
    "unpromotable-source",
    "broken-link",
    "bad-page-id",
    "symlink",
    "unreadable",
    "page-too-large",
    "more-findings",
    "bad-source",
    "duplicate-source",
    "unused-source",
    "illegal-transition",
    "new-page-state",
    "bad-rule",
    "unrecorded-change",
    "unrecorded-edit",
    "orphan-record",
    "declined-claim",
    "bad-record",
    "unknown-correction",
    "correction-overdue",
    "stale-form",
    "unstaged-ground",
];

/// At most this many findings are kept on one line of a page, and on one
/// page, by each check that reads the page's text; the rest are counted
/// in a `more-findings` note. A page that repeats one mistake twenty
/// thousand times costs the memory of a few hundred findings.
pub const MAX_PER_LINE: usize = 10;
pub const MAX_PER_PAGE: usize = 200;

/// Findings about one page, kept up to `MAX_PER_LINE` a line and
/// `MAX_PER_PAGE` in all; past that they are counted, not kept.
#[derive(Default)]
pub struct Findings {
    kept: Vec<Finding>,
    per_line: HashMap<usize, usize>,
    more_on_line: BTreeMap<usize, Tally>,
    more_on_page: Option<Tally>,
}

/// Findings not kept: the first of them, how many, and the worst severity.
struct Tally {
    first: Finding,
    n: usize,
    worst: Severity,
}

impl Findings {
    /// Whether a finding on `line` would be kept rather than counted: a
    /// check can skip costly work (a "did you mean") for one that is not.
    pub fn would_keep(&self, line: usize) -> bool {
        self.per_line.get(&line).copied().unwrap_or(0) < MAX_PER_LINE
            && self.kept.len() < MAX_PER_PAGE
    }

    pub fn push(&mut self, f: Finding) {
        let on_line = self.per_line.get(&f.line).copied().unwrap_or(0);
        if on_line < MAX_PER_LINE && self.kept.len() < MAX_PER_PAGE {
            *self.per_line.entry(f.line).or_default() += 1;
            self.kept.push(f);
            return;
        }
        let new = || Tally {
            first: f.clone(),
            n: 0,
            worst: Severity::Warning,
        };
        let tally = if on_line >= MAX_PER_LINE {
            self.more_on_line.entry(f.line).or_insert_with(new)
        } else {
            self.more_on_page.get_or_insert_with(new)
        };
        tally.n += 1;
        tally.worst = tally.worst.min(f.severity);
    }

    /// The findings kept, then a note for each line, and for the page,
    /// where some were not: as severe as the worst of those, so the exit
    /// code is the same as if all were shown.
    pub fn finish(self) -> Vec<Finding> {
        let mut out = self.kept;
        for tally in self.more_on_line.into_values() {
            out.push(tally.note("on this line", MAX_PER_LINE, "a line"));
        }
        if let Some(tally) = self.more_on_page {
            out.push(tally.note("in this page", MAX_PER_PAGE, "a page"));
        }
        out
    }
}

impl Extend<Finding> for Findings {
    fn extend<I: IntoIterator<Item = Finding>>(&mut self, iter: I) {
        iter.into_iter().for_each(|f| self.push(f));
    }
}

impl Tally {
    /// The note for the findings not kept, placed at the first of them.
    fn note(&self, where_: &str, cap: usize, per: &str) -> Finding {
        let (n, first) = (self.n, &self.first);
        let findings = if n == 1 { "finding" } else { "findings" };
        Finding::new(
            self.worst,
            "more-findings",
            first.path.clone(),
            format!(
                "{n} more {findings} {where_}, from here on, are not shown (the first: [{}] {})",
                first.code, first.message
            ),
            format!(
                "folio shows at most {cap} findings from the text of {per}; fix these and run folio check again"
            ),
        )
        .placed_as(first)
    }
}

/// Sorts findings the way a reader walks the files: by path, then
/// position; a finding reported twice (a policy problem met by every page)
/// is kept once.
pub fn sort(findings: &mut Vec<Finding>) {
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.code)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.code))
    });
    findings.dedup();
}

/// `0` when nothing is an error (warnings alone do not fail), `1` otherwise.
pub fn exit_code(findings: &[Finding]) -> i32 {
    if findings.iter().any(Finding::is_error) {
        1
    } else {
        0
    }
}
