//! The `github` format: one workflow command per finding
//! (`::error file=…,line=…::message`), which GitHub Actions shows as an
//! annotation on the pull request. Data escapes `%`, CR and LF; properties
//! also `:` and `,`. `endColumn` is the last column of the span (inclusive).
//! Control, bidirectional and zero-width characters in a page's text are
//! shown escaped (`\u{1b}`), as in the human format.

use super::closing;
use super::table::printable;
use crate::check::{Report, Scope};
use std::fmt::Write;

pub fn report(report: &Report) -> String {
    let mut out = String::new();
    // A range annotates only the files it touches; what it introduced
    // elsewhere (a link into a page it removed, say) is a log line.
    let touched = match &report.scope {
        Scope::Range(range) => Some(&range.touched),
        _ => None,
    };
    for f in &report.findings {
        if touched.is_some_and(|t| !t.contains(&f.path)) {
            let _ = writeln!(
                out,
                "folio: {} {}:{}:{} [{}] {} (hint: {})",
                f.severity.as_str(),
                printable(&f.path),
                f.line,
                f.column,
                f.code,
                printable(&f.message),
                printable(&f.hint)
            );
            continue;
        }
        let mut props = format!(
            "file={},line={},col={}",
            escape_property(&printable(&f.path)),
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
        let data = format!("{}\nhint: {}", printable(&f.message), printable(&f.hint));
        let _ = writeln!(
            out,
            "::{} {props}::{}",
            f.severity.as_str(),
            escape_data(&data)
        );
    }
    out.push_str(&closing(report));
    out.push('\n');
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
