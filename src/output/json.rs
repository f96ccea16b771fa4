//! The `json` format: one pretty-printed document per command, each with a
//! stable shape documented in README.md. Everything folio prints as JSON
//! goes through `write`.

use crate::check::{Report, Scope};
use crate::finding::Finding;
use serde::Serialize;

/// A value as pretty-printed JSON with a final newline.
pub fn write(value: &impl Serialize) -> String {
    // folio's documents hold strings, numbers, lists and maps with string
    // keys only, which serde_json always serialises.
    let s = serde_json::to_string_pretty(value).expect("folio's JSON documents serialise");
    escape_hidden(&s) + "\n"
}

/// serde_json leaves DEL, C1 controls, bidirectional overrides and
/// zero-width characters raw inside strings; `\uXXXX` keeps the data whole
/// and keeps them off a terminal that shows the document. Outside strings
/// there is only the pretty-printer's newlines and spaces.
pub fn escape_hidden(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 1);
    for c in s.chars() {
        if c != '\n' && crate::text::hidden(c) {
            use std::fmt::Write;
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{unit:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The document of `folio check --format json`. `format_version` changes
/// only when a field is removed or changes meaning; new fields may appear.
#[derive(Serialize)]
struct ReportDocument<'a> {
    format_version: u32,
    findings: &'a [Finding],
    summary: Summary,
}

#[derive(Serialize)]
struct Summary {
    pages: usize,
    errors: usize,
    warnings: usize,
    /// A range only: findings already there at the merge-base.
    #[serde(skip_serializing_if = "Option::is_none")]
    already_there: Option<usize>,
    /// A range only: findings there at the merge-base and gone at the head.
    #[serde(skip_serializing_if = "Option::is_none")]
    fixed: Option<usize>,
    /// With a baseline: how many findings it left out, and (a whole-site
    /// check only) how many it holds that were not found.
    #[serde(skip_serializing_if = "Option::is_none")]
    baseline: Option<crate::baseline::Silenced>,
}

pub fn report(report: &Report) -> String {
    let errors = report.findings.iter().filter(|f| f.is_error()).count();
    let range = match &report.scope {
        Scope::Range(range) => Some(range),
        _ => None,
    };
    write(&ReportDocument {
        format_version: 1,
        findings: &report.findings,
        summary: Summary {
            pages: report.pages,
            errors,
            warnings: report.findings.len() - errors,
            already_there: range.map(|r| r.already_there),
            fixed: range.map(|r| r.fixed),
            baseline: report.baseline,
        },
    })
}
