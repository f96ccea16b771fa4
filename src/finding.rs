//! Findings are data. Every check returns `Finding` values and never prints;
//! `output` has one printer per format over the same list, and the exit code
//! is decided from the findings in one place (`exit_code`).

use crate::text::SourceText;
use serde::{Deserialize, Serialize};

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
    /// The text of `line`, for printers that show a snippet. Not part of the
    /// JSON format.
    #[serde(skip)]
    pub source_line: Option<String>,
}

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
        let line_text = text.line_text(line);
        let line_end = text.line_start(line) + line_text.len();
        let end = end.clamp(start, line_end.max(start));
        self.line = line;
        self.column = column;
        self.end_column = column + text.as_str()[start..end].chars().count();
        self.source_line = Some(line_text.to_string());
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
        self
    }

    /// Points the finding where `other` points.
    pub fn placed_as(mut self, other: &Finding) -> Finding {
        self.line = other.line;
        self.column = other.column;
        self.end_column = other.end_column;
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
