//! The `rdjsonl` format: reviewdog's diagnostic format, one JSON object per
//! line (`reviewdog -f=rdjsonl`), so reviewdog can comment on a pull
//! request's lines. Positions count bytes of UTF-8, as reviewdog's do; the
//! end is exclusive.

use crate::check::Report;
use crate::finding::{Finding, Severity};
use serde_json::json;

pub fn report(report: &Report) -> String {
    report.findings.iter().map(line).collect()
}

fn line(f: &Finding) -> String {
    let (start, end) = f.byte_columns;
    let mut message = format!("{}\nhint: {}", f.message, f.hint);
    if let Some(commit) = &f.commit {
        message.push_str(&format!("\n(commit {commit})"));
    }
    let diagnostic = json!({
        "message": message,
        "location": {
            "path": f.path,
            "range": {
                "start": { "line": f.line, "column": start },
                "end": { "line": f.line, "column": end.max(start) },
            }
        },
        "severity": match f.severity {
            Severity::Error => "ERROR",
            Severity::Warning => "WARNING",
        },
        "source": { "name": "folio" },
        "code": { "value": f.code },
    });
    // One line each: `json::write` pretty-prints, so compact here, with
    // the same escaping of characters a terminal would act on.
    let compact = serde_json::to_string(&diagnostic).expect("a diagnostic serialises");
    super::json::escape_hidden(&compact) + "\n"
}
