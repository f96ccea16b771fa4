//! The `sarif` format: one SARIF 2.1.0 log, as GitHub code scanning reads
//! it (`github/codeql-action/upload-sarif`). One run, whose tool lists a
//! rule for each code among the findings (folio's own, described here, and
//! the policy's rules, by their id), and one result per finding with its
//! file, line and columns. Columns count Unicode characters
//! (`columnKind: unicodeCodePoints`); `endColumn` is exclusive, as in
//! folio's JSON.

use super::json;
use crate::check::Report;
use crate::finding::{Finding, Severity};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

pub fn report(report: &Report) -> String {
    // The rules, in the order their codes first appear.
    let mut rules: Vec<Value> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for f in &report.findings {
        if index.contains_key(f.code.as_str()) {
            continue;
        }
        index.insert(&f.code, rules.len());
        rules.push(rule(f));
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index[f.code.as_str()]))
        .collect();
    json::write(&json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "folio",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                }
            },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    }))
}

/// A rule for the code of `first`, its first finding: what it reports,
/// and where the fix is said.
fn rule(first: &Finding) -> Value {
    let what = describe(&first.code).unwrap_or("A rule of the site's policy (review/policy.yaml)");
    json!({
        "id": first.code,
        "name": first.code,
        "shortDescription": { "text": what },
        "help": { "text": format!("{what}. Each finding's message ends with how to fix it, after `hint:`.") },
        "defaultConfiguration": { "level": level(first.severity) },
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut message = format!("{}\nhint: {}", f.message, f.hint);
    if let Some(commit) = &f.commit {
        message.push_str(&format!("\n(commit {commit})"));
    }
    json!({
        "ruleId": f.code,
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&f.path) },
                "region": {
                    "startLine": f.line,
                    "startColumn": f.column,
                    "endColumn": f.end_column.max(f.column + 1),
                }
            }
        }],
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A repository path as a relative URI reference: each byte outside the
/// unreserved set and `/` percent-encoded.
fn uri(path: &str) -> String {
    crate::text::percent_encode(path, b"/")
}

/// What each of folio's own codes reports.
fn describe(code: &str) -> Option<&'static str> {
    Some(match code {
        "unclosed-frontmatter" => "The frontmatter has no closing `---`",
        "yaml-syntax" => "The frontmatter is not valid YAML",
        "unquoted-colon" => "A value holds `: ` and needs quotes",
        "tab-indent" => "The frontmatter is indented with tabs",
        "duplicate-key" => "A frontmatter key is given twice",
        "frontmatter-shape" => "The frontmatter is not a mapping of keys",
        "toml-frontmatter" => "The page has TOML frontmatter, which folio does not read",
        "json-frontmatter" => "The page has JSON frontmatter, which folio does not read",
        "no-frontmatter" => "The page has no frontmatter",
        "cr-line-endings" => "The file ends lines with a bare carriage return",
        "not-utf8" => "The file is not UTF-8",
        "binary-file" => "The file holds NUL bytes",
        "unknown-state" => "The status is not a state of the workflow",
        "bad-date" => "A date is not a real YYYY-MM-DD date",
        "bad-duration" => "A page's review interval is not a length of time folio can read",
        "wrong-type" => "A frontmatter value has the wrong type",
        "unknown-key" => "A frontmatter key is close to one folio knows",
        "missing-status" => "The page has no status",
        "missing-field" => "The page lacks a field its state demands",
        "no-sources" => "The page cites no source its state demands",
        "missing-reviewer" => "A reviewed or promoted page names no reviewer",
        "unknown-reviewer" => "A reviewer is not on the policy's roster",
        "self-review" => "The page's owner signed its review",
        "future-review" => "The last review is dated after today",
        "stale" => "The page's review is older than the review interval",
        "unknown-source" => "A citation names no source in the registry",
        "unpromotable-source" => "A promoted page cites a source of a kind that may not support it",
        "broken-link" => "A link between pages leads to no page",
        "bad-page-id" => "The file name holds a character that cannot be shown or typed",
        "symlink" => "A page or folder is a symbolic link, which folio does not follow",
        "unreadable" => "A file or folder cannot be read",
        "page-too-large" => "The page is larger than the policy's max_page_bytes",
        "more-findings" => "More findings on a line or page than folio shows",
        "bad-source" => "A source in the registry is malformed",
        "duplicate-source" => "Two sources in the registry share an id",
        "unused-source" => "A source in the registry is cited by no page",
        "illegal-transition" => "A state change skips a step of the workflow",
        "new-page-state" => "A new page starts in a state the policy does not allow",
        "bad-rule" => "A rule of the policy cannot be compiled",
        "unrecorded-change" => "A state change has no transition record",
        "unrecorded-edit" => "An edit of a published page has no maintenance record",
        "orphan-record" => "A record belongs to no page",
        "declined-claim" => "A claim recorded as not promoted appears again",
        "bad-record" => "A record is malformed",
        "unknown-correction" => "A record resolves a correction that was never filed",
        "correction-overdue" => "A correction has waited longer than the policy allows",
        "stale-form" => "The correction form no longer matches the site",
        "unstaged-ground" => "What a staged change relies on is not staged",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_of_folio_is_described() {
        for code in crate::finding::CODES {
            assert!(describe(code).is_some(), "{code}");
        }
    }

    #[test]
    fn paths_become_relative_uris() {
        assert_eq!(uri("content/a b/c#d.md"), "content/a%20b/c%23d.md");
        assert_eq!(uri("content/café.md"), "content/caf%C3%A9.md");
    }
}
