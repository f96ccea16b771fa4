//! `content/sources.yaml`: the sources pages may cite, each with a kind that
//! says whether a promoted page may rely on it.
//!
//! A registry that is not YAML, or not a list, cannot be checked at all and
//! is an error of the command (exit 2). A bad entry is a finding.

use super::layout::valid_source_id;
use super::page::parse_date;
use crate::finding::Finding;
use crate::text::SourceText;
use crate::text::keys::key_on_line;
use crate::text::suggest::did_you_mean;
use crate::text::yaml::{self, Node};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SourceKind {
    Specification,
    OfficialDocs,
    OriginalResearch,
    Secondary,
    EditorialInput,
}

impl SourceKind {
    pub const ALL: [SourceKind; 5] = [
        SourceKind::Specification,
        SourceKind::OfficialDocs,
        SourceKind::OriginalResearch,
        SourceKind::Secondary,
        SourceKind::EditorialInput,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SourceKind::Specification => "specification",
            SourceKind::OfficialDocs => "official-docs",
            SourceKind::OriginalResearch => "original-research",
            SourceKind::Secondary => "secondary",
            SourceKind::EditorialInput => "editorial-input",
        }
    }

    pub fn parse(s: &str) -> Option<SourceKind> {
        SourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct Source {
    pub id: String,
    pub title: Option<String>,
    pub url: Option<String>,
    pub kind: Option<SourceKind>,
    pub accessed: Option<NaiveDate>,
    /// Where the entry's `id` sits in the registry text.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Registry {
    pub path: String,
    pub text: SourceText,
    pub sources: Vec<Source>,
    /// The first entry of each id, for lookups from every citation.
    by_id: HashMap<String, usize>,
}

/// The registry could not be read as a list of entries.
#[derive(Debug, Clone)]
pub struct RegistryError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

const ENTRY_KEYS: [&str; 7] = [
    "id",
    "title",
    "url",
    "kind",
    "accessed",
    "version",
    "publisher",
];

impl Registry {
    pub fn empty(path: &str) -> Registry {
        Registry {
            path: path.to_string(),
            text: SourceText::new(String::new()),
            sources: Vec::new(),
            by_id: HashMap::new(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.by_id.get(id).map(|&i| &self.sources[i])
    }

    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|s| s.id.as_str())
    }

    /// Parses the registry, returning findings for bad entries.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<(Registry, Vec<Finding>), RegistryError> {
        let text = SourceText::decode(bytes).map_err(|_| RegistryError {
            line: 1,
            column: 1,
            message: "the registry is not UTF-8 text".to_string(),
        })?;
        let root = yaml::parse(text.as_str()).map_err(|e| RegistryError {
            line: e.line,
            column: e.column,
            message: format!("the registry is not valid YAML: {}", e.message),
        })?;
        let entries = match root {
            Node::Null => Vec::new(),
            Node::Seq(items) => items,
            other => {
                return Err(RegistryError {
                    line: 1,
                    column: 1,
                    message: format!(
                        "the registry is {}; it must be a list of sources (`- id: ...`)",
                        other.kind_name()
                    ),
                });
            }
        };
        let spans = entry_spans(&text);
        let mut findings = Vec::new();
        let mut sources = Vec::new();
        for (n, entry) in entries.iter().enumerate() {
            let at = |key: &str| match spans.get(n) {
                Some(e) => value_span(&text, e, key).unwrap_or(e.dash..e.dash + 1),
                None => 0..0,
            };
            let mut problems = Vec::new();
            if let Some(source) = read_entry(n, entry, at("id"), &mut problems) {
                sources.push(source);
            }
            findings.extend(problems.into_iter().map(|(key, message, hint)| {
                let span = at(&key);
                Finding::error("bad-source", path, message, hint)
                    .spanning(&text, span.start, span.end)
            }));
        }
        // The first entry of each id, and each later one a duplicate.
        let mut by_id: HashMap<String, usize> = HashMap::new();
        for (i, s) in sources.iter().enumerate() {
            let first = *by_id.entry(s.id.clone()).or_insert(i);
            if first != i {
                let first = &sources[first];
                let (line, _) = text.line_col(first.span.start);
                findings.push(
                    Finding::error(
                        "duplicate-source",
                        path,
                        format!("source id `{}` is used twice (first on line {line})", s.id),
                        "give each source its own id, or merge the two entries",
                    )
                    .spanning(&text, s.span.start, s.span.end),
                );
            }
        }
        let registry = Registry {
            path: path.to_string(),
            text,
            sources,
            by_id,
        };
        Ok((registry, findings))
    }
}

/// One problem with an entry: the field it is about, the message, the hint.
type EntryProblem = (String, String, String);

/// Reads the `n`-th registry entry, noting each problem with it.
fn read_entry(
    n: usize,
    entry: &Node,
    span: Range<usize>,
    problems: &mut Vec<EntryProblem>,
) -> Option<Source> {
    let Node::Map(map) = entry else {
        let message = format!("source #{} is {}, not a mapping", n + 1, entry.kind_name());
        problems.push((
            "id".into(),
            message,
            "write each source as `- id: ...` with its fields below".into(),
        ));
        return None;
    };
    let text_of = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
    let Some(id) = text_of("id") else {
        problems.push((
            "id".into(),
            format!("source #{} has no `id`", n + 1),
            "give it an id of lowercase letters, digits and `-`".into(),
        ));
        return None;
    };
    for (k, _) in map {
        let name = k.as_str().unwrap_or("");
        if ENTRY_KEYS.contains(&name) {
            continue;
        }
        let hint = match did_you_mean(name, ENTRY_KEYS) {
            Some(known) => format!("did you mean `{known}`?"),
            None => format!("a source has {}", ENTRY_KEYS.join(", ")),
        };
        problems.push((
            name.to_string(),
            format!("source `{id}` has an unknown field `{name}`"),
            hint,
        ));
    }
    if !valid_source_id(&id) {
        let message =
            format!("source id `{id}` is not lowercase letters, digits, `-`, `.` and `_`");
        problems.push((
            "id".into(),
            message,
            "rename it; citations use it as `[@id]`".into(),
        ));
    }
    let kind_text = text_of("kind");
    let kind = kind_text.as_deref().and_then(SourceKind::parse);
    if kind.is_none() {
        let kinds = SourceKind::ALL.map(SourceKind::as_str);
        let hint = match kind_text.as_deref().and_then(|k| did_you_mean(k, kinds)) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("use one of {}", kinds.join(", ")),
        };
        let found = kind_text.map_or("no kind".to_string(), |k| format!("kind `{k}`"));
        problems.push(("kind".into(), format!("source `{id}` has {found}"), hint));
    }
    let title = text_of("title");
    if title.is_none() {
        problems.push((
            "id".into(),
            format!("source `{id}` has no `title`"),
            "add the title as its publisher gives it".into(),
        ));
    }
    let url = text_of("url");
    match &url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
            let message = format!("source `{id}` has a url that is not http(s): `{u}`");
            problems.push((
                "url".into(),
                message,
                "give the full address, starting with https://".into(),
            ));
        }
        None if kind != Some(SourceKind::EditorialInput) => {
            let hint =
                "add the address a reader can check it at (only editorial-input may go without)";
            problems.push((
                "id".into(),
                format!("source `{id}` has no `url`"),
                hint.into(),
            ));
        }
        _ => {}
    }
    let accessed = match entry.get("accessed") {
        None | Some(Node::Null) => {
            let hint = "add the day it was last read, as YYYY-MM-DD";
            problems.push((
                "id".into(),
                format!("source `{id}` has no `accessed` date"),
                hint.into(),
            ));
            None
        }
        Some(Node::String(s)) => parse_date(s)
            .map_err(|hint| {
                let message =
                    format!("source `{id}` has `accessed: {s}`, not a real YYYY-MM-DD date");
                problems.push(("accessed".into(), message, hint));
            })
            .ok(),
        Some(other) => {
            let message = format!("source `{id}` has `accessed` as {}", other.kind_name());
            problems.push(("accessed".into(), message, "write it as YYYY-MM-DD".into()));
            None
        }
    };
    Some(Source {
        id,
        title,
        url,
        kind,
        accessed,
        span,
    })
}

/// Where one registry entry sits: the byte offset of its `-` and the lines
/// (1-based, end exclusive) it spans.
struct EntrySpan {
    dash: usize,
    lines: Range<usize>,
}

/// The entries of the registry's top-level list, in order.
fn entry_spans(text: &SourceText) -> Vec<EntrySpan> {
    let dash_indent = |raw: &str| {
        let rest = raw.trim_start_matches(' ');
        (rest == "-" || rest.starts_with("- ")).then_some(raw.len() - rest.len())
    };
    let all = 1..text.line_count() + 1;
    let Some(indent) = all
        .clone()
        .filter_map(|l| dash_indent(text.line_text(l)))
        .min()
    else {
        return Vec::new();
    };
    let starts: Vec<usize> = all
        .clone()
        .filter(|&l| dash_indent(text.line_text(l)) == Some(indent))
        .collect();
    starts
        .iter()
        .enumerate()
        .map(|(i, &l)| EntrySpan {
            dash: text.line_start(l) + indent,
            lines: l..starts.get(i + 1).copied().unwrap_or(all.end),
        })
        .collect()
}

/// The value span of the first `key:` line of an entry, quotes excluded.
fn value_span(text: &SourceText, entry: &EntrySpan, key: &str) -> Option<Range<usize>> {
    entry.lines.clone().find_map(|line| {
        let raw = text.line_text(line);
        let found = key_on_line(raw).filter(|k| k.name == key)?;
        let value = found.unquoted(raw);
        let start = text.line_start(line);
        Some(start + value.start..start + value.end)
    })
}
