//! `content/sources.yaml`: the sources pages may cite, each with a kind that
//! says whether a promoted page may rely on it.
//!
//! A registry that is not YAML, or not a list, cannot be checked at all and
//! is an error of the command (exit 2). A bad entry is a finding.

use crate::diagnostic::Finding;
use crate::page::parse_date;
use crate::suggest::did_you_mean;
use crate::text::SourceText;
use crate::yaml::{self, Node};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
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
        }
    }

    pub fn get(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
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
        let id_spans = id_spans(&text);
        let mut findings = Vec::new();
        let mut sources = Vec::new();
        for (n, entry) in entries.iter().enumerate() {
            let span = id_spans.get(n).cloned().unwrap_or(0..0);
            let mut problem = |message: String, hint: String| {
                findings.push(
                    Finding::error("bad-source", path, message, hint)
                        .spanning(&text, span.start, span.end),
                );
            };
            let Node::Map(map) = entry else {
                problem(
                    format!("source #{} is {}, not a mapping", n + 1, entry.kind_name()),
                    "write each source as `- id: ...` with its fields below".into(),
                );
                continue;
            };
            let text_of = |key: &str| entry.get(key).and_then(Node::as_str).map(str::to_string);
            let Some(id) = text_of("id") else {
                problem(
                    format!("source #{} has no `id`", n + 1),
                    "give it an id of lowercase letters, digits and `-`".into(),
                );
                continue;
            };
            for (k, _) in map {
                let name = k.as_str().unwrap_or("");
                if !ENTRY_KEYS.contains(&name) {
                    let hint = match did_you_mean(name, ENTRY_KEYS) {
                        Some(known) => format!("did you mean `{known}`?"),
                        None => format!("a source has {}", ENTRY_KEYS.join(", ")),
                    };
                    problem(format!("source `{id}` has an unknown field `{name}`"), hint);
                }
            }
            if !valid_id(&id) {
                problem(
                    format!("source id `{id}` is not lowercase letters, digits, `-`, `.` and `_`"),
                    "rename it; citations use it as `[@id]`".into(),
                );
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
                problem(format!("source `{id}` has {found}"), hint);
            }
            let title = text_of("title");
            if title.is_none() {
                problem(
                    format!("source `{id}` has no `title`"),
                    "add the title as its publisher gives it".into(),
                );
            }
            let url = text_of("url");
            match &url {
                Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => {
                    problem(
                        format!("source `{id}` has a url that is not http(s): `{u}`"),
                        "give the full address, starting with https://".into(),
                    );
                }
                None if kind != Some(SourceKind::EditorialInput) => {
                    problem(format!("source `{id}` has no `url`"), "add the address a reader can check it at (only editorial-input may go without)".into());
                }
                _ => {}
            }
            let accessed = match entry.get("accessed") {
                None | Some(Node::Null) => {
                    problem(
                        format!("source `{id}` has no `accessed` date"),
                        "add the day it was last read, as YYYY-MM-DD".into(),
                    );
                    None
                }
                Some(Node::String(s)) => match parse_date(s) {
                    Ok(d) => Some(d),
                    Err(hint) => {
                        problem(
                            format!(
                                "source `{id}` has `accessed: {s}`, not a real YYYY-MM-DD date"
                            ),
                            hint,
                        );
                        None
                    }
                },
                Some(other) => {
                    problem(
                        format!("source `{id}` has `accessed` as {}", other.kind_name()),
                        "write it as YYYY-MM-DD".into(),
                    );
                    None
                }
            };
            sources.push(Source {
                id,
                title,
                url,
                kind,
                accessed,
                span,
            });
        }
        for (i, s) in sources.iter().enumerate() {
            if let Some(first) = sources[..i].iter().find(|f| f.id == s.id) {
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
        };
        Ok((registry, findings))
    }
}

pub fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
        })
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

/// For each entry, in order, the span of its `id` value (or of its `-` when
/// it has no id), so the n-th entry's findings point at its id.
fn id_spans(text: &SourceText) -> Vec<Range<usize>> {
    let dash_indent = |raw: &str| {
        let rest = raw.trim_start_matches(' ');
        (rest == "-" || rest.starts_with("- ")).then_some(raw.len() - rest.len())
    };
    let lines = 1..=text.line_count();
    let Some(entry_indent) = lines
        .clone()
        .filter_map(|l| dash_indent(text.line_text(l)))
        .min()
    else {
        return Vec::new();
    };
    let mut spans: Vec<Range<usize>> = Vec::new();
    let mut has_id = false;
    for line in lines {
        let raw = text.line_text(line);
        let start = text.line_start(line);
        let mut rest = raw.trim_start_matches(' ');
        if dash_indent(raw) == Some(entry_indent) {
            spans.push(start + entry_indent..start + entry_indent + 1);
            has_id = false;
            rest = rest[1..].trim_start_matches(' ');
        }
        let Some(value) = rest.strip_prefix("id:") else {
            continue;
        };
        if has_id || spans.is_empty() {
            continue;
        }
        let value_start = raw.len() - value.trim_start().len();
        let quoted = raw[value_start..].starts_with(['"', '\'']);
        let value = value.trim().trim_matches(['"', '\'']);
        let at = start + value_start + usize::from(quoted);
        *spans.last_mut().expect("checked non-empty") = at..at + value.len();
        has_id = true;
    }
    spans
}
