//! The `github` format: one workflow command per finding
//! (`::error file=…,line=…::message`), which GitHub Actions shows as an
//! annotation on the pull request. Data escapes `%`, CR and LF; properties
//! also `:` and `,`. `endColumn` is the last column of the span (inclusive).

use super::{plural, subject};
use crate::check::Report;
use std::fmt::Write;

pub fn report(report: &Report) -> String {
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
        subject(report),
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
    fn github_escapes_data_and_properties() {
        assert_eq!(escape_data("50%\nb"), "50%25%0Ab");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
