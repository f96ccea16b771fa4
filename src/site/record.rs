//! Records: maintenance entries and "not promoted" decisions, one YAML file
//! each under `review/records/<page id>/`, named
//! `<date>-<kind>-<8 hex digits>.yaml` so that two branches recording for
//! the same page on the same day never write the same file.
//!
//! folio writes records with its own small emitter, never by re-serialising
//! a YAML value: every string is double-quoted, so a YAML 1.1 reader
//! (PyYAML, Ruby's Psych) reads back exactly what a YAML 1.2 reader does:
//! no `yes` turned into true, no `1.10` into 1.1, no `12:30` into a number.

use super::layout::{RECORDS_DIR, records_dir};
use super::page::parse_date;
use super::workflow::State;
use crate::finding::Finding;
use crate::text::quote::double_quoted;
use crate::text::suggest::did_you_mean;
use crate::text::yaml::{self, Node};
use chrono::{DateTime, NaiveDate, SecondsFormat, TimeZone, Utc};
use sha2::{Digest, Sha256};

/// Declares a closed set of kebab-case words, with parsing and printing.
macro_rules! words {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $word:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
        #[serde(rename_all = "kebab-case")]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                $name::ALL.iter().copied().find(|v| v.as_str() == s)
            }

            /// The words, for messages: `a, b, c`.
            pub fn list() -> String {
                $name::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>().join(", ")
            }
        }
    };
}

words!(
    /// What a record is.
    Kind {
        Maintenance => "maintenance",
        NotPromoted => "not-promoted",
        Correction => "correction",
    }
);

words!(
    /// What a maintenance record says changed.
    Change {
        Correction => "correction",
        SourceRecheck => "source-recheck",
        CapabilityUpdate => "capability-update",
        Editorial => "editorial",
        Transition => "transition",
        Review => "review",
    }
);

words!(
    /// What a correction says is wrong with a page.
    Problem {
        FactualError => "factual-error",
        OutdatedCapability => "outdated-capability",
        UnclearBoundary => "unclear-boundary",
        BrokenSourceLink => "broken-source-link",
        Other => "other",
    }
);

words!(
    /// Where a correction stands (after the IETF errata process: reported,
    /// verified, held for a later update, rejected; then applied by the
    /// maintenance entry that resolves it).
    CorrectionState {
        Open => "open",
        Accepted => "accepted",
        Held => "held",
        Rejected => "rejected",
        Applied => "applied",
    }
);

impl CorrectionState {
    /// Whether the correction still waits for the page to change.
    pub fn is_pending(self) -> bool {
        matches!(self, CorrectionState::Open | CorrectionState::Accepted)
    }
}

words!(
    /// Why a claim was not promoted.
    Reason {
        FutureDate => "future-date",
        UniversalMultiplier => "universal-multiplier",
        UnsourcedMaturity => "unsourced-maturity",
        BroadComparison => "broad-comparison",
        NoPrimarySource => "no-primary-source",
        Other => "other",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Record {
    pub kind: Kind,
    pub page: String,
    pub date: NaiveDate,
    /// When it was made, to the second, in UTC: the order of a page's
    /// records. Each record of a page is made after the page's latest one,
    /// so the order holds on any machine and through a merge. Records
    /// written before folio kept it have none and come first on their day.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub made: Option<DateTime<Utc>>,
    pub by: String,
    /// Maintenance: what changed, in one line, and on what evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<Change>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolves: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<State>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<State>,
    /// Not promoted: the claim as it stood, why, and what replaced it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claim: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<String>,
    /// Correction: a contributor's request (the claim is `claim`, the
    /// reporter `by`), and where it stands.
    #[serde(flatten)]
    pub correction: Option<Box<CorrectionFields>>,
    /// The page body this record speaks for.
    pub body_sha256: String,
    /// Where the record was read from (empty for one not yet written).
    #[serde(skip)]
    pub path: String,
    /// The page the record belongs to: the folder it is in (see `owner_of`).
    #[serde(skip)]
    pub owner: String,
}

/// What a correction record holds besides the claim and the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct CorrectionFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub problem: Option<Problem>,
    /// What is wrong, in the reporter's words.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrong: Option<String>,
    /// The wording the reporter proposes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposed: Option<String>,
    /// The supporting source, and its kind (a registry kind).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_kind: Option<String>,
    /// The issue it was filed as.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<CorrectionState>,
    /// Why it was held or rejected; who decided, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decision: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_on: Option<NaiveDate>,
    /// The maintenance record that applied it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_by: Option<String>,
}

impl CorrectionFields {
    /// The lines folio writes for these fields, in order: `(key, value)`.
    pub fn lines(&self) -> Vec<(&'static str, Option<String>)> {
        vec![
            ("problem", self.problem.map(|p| p.as_str().to_string())),
            ("wrong", self.wrong.clone()),
            ("proposed", self.proposed.clone()),
            ("source_url", self.source_url.clone()),
            ("source_kind", self.source_kind.clone()),
            ("issue", self.issue.map(|n| n.to_string())),
            ("state", self.state.map(|s| s.as_str().to_string())),
            ("decision", self.decision.clone()),
            ("decided_by", self.decided_by.clone()),
            ("decided_on", self.decided_on.map(|d| d.to_string())),
            ("resolved_by", self.resolved_by.clone()),
        ]
    }
}

impl Record {
    pub fn new(kind: Kind, page: &str, date: NaiveDate, by: &str, body: &str) -> Record {
        Record {
            kind,
            page: page.to_string(),
            date,
            made: None,
            by: by.to_string(),
            change: None,
            summary: None,
            sources: Vec::new(),
            resolves: None,
            from: None,
            to: None,
            claim: None,
            reason: None,
            rewrite: None,
            correction: None,
            body_sha256: body_hash(body),
            path: String::new(),
            owner: page.to_string(),
        }
    }

    /// Where the record stands among its page's records: when it was made,
    /// then (for two made in the same second on two branches) its path.
    pub fn order(&self) -> (DateTime<Utc>, &str) {
        let made = self.made.unwrap_or_else(|| {
            Utc.from_utc_datetime(&self.date.and_hms_opt(0, 0, 0).unwrap_or_default())
        });
        (made, &self.path)
    }

    /// The YAML text folio writes.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let mut line = |key: &str, value: String| {
            out.push_str(key);
            out.push_str(": ");
            out.push_str(&value);
            out.push('\n');
        };
        line("kind", double_quoted(self.kind.as_str()));
        line("page", double_quoted(&self.page));
        line("date", double_quoted(&self.date.to_string()));
        if let Some(made) = self.made {
            line(
                "made",
                double_quoted(&made.to_rfc3339_opts(SecondsFormat::Secs, true)),
            );
        }
        line("by", double_quoted(&self.by));
        let optional = [
            ("change", self.change.map(|c| c.as_str().to_string())),
            ("summary", self.summary.clone()),
            ("resolves", self.resolves.clone()),
            ("from", self.from.map(|s| s.as_str().to_string())),
            ("to", self.to.map(|s| s.as_str().to_string())),
            ("claim", self.claim.clone()),
            ("reason", self.reason.map(|r| r.as_str().to_string())),
            ("rewrite", self.rewrite.clone()),
        ];
        let corrections = self
            .correction
            .as_ref()
            .map(|c| c.lines())
            .unwrap_or_default();
        for (key, value) in optional.into_iter().chain(corrections) {
            if let Some(value) = value {
                line(key, double_quoted(&value));
            }
        }
        if !self.sources.is_empty() {
            let items: Vec<String> = self.sources.iter().map(|s| double_quoted(s)).collect();
            line("sources", format!("[{}]", items.join(", ")));
        }
        line("body_sha256", double_quoted(&self.body_sha256));
        out
    }

    /// `<date>-<kind>-<8 hex digits>.yaml`; the digits come from the record
    /// and `nonce` (the moment and the process that write it, unless a
    /// test fixes it), so records made on two branches differ.
    pub fn file_name(&self, nonce: u128) -> String {
        let mut hasher = Sha256::new();
        hasher.update(self.render().as_bytes());
        hasher.update(nonce.to_le_bytes());
        let digest = hex(&hasher.finalize());
        format!("{}-{}-{}.yaml", self.date, self.kind.as_str(), &digest[..8])
    }

    /// The record's repository path, inside its page's folder.
    pub fn path_for(&self, nonce: u128) -> String {
        format!("{}/{}", records_dir(&self.page), self.file_name(nonce))
    }

    /// A correction's id: the digits of its file name
    /// (`2026-11-27-correction-3f9a0c1e.yaml` is `3f9a0c1e`).
    pub fn short_id(&self) -> &str {
        let name = self.path.rsplit('/').next().unwrap_or_default();
        let stem = name.strip_suffix(".yaml").unwrap_or(name);
        stem.rsplit('-').next().unwrap_or(stem)
    }

    /// A correction's state (`None` for other records).
    pub fn correction_state(&self) -> Option<CorrectionState> {
        self.correction.as_ref().and_then(|c| c.state)
    }

    /// Whether the record speaks for a change of the page (every
    /// maintenance record does; a decision does not).
    pub fn is_maintenance(&self) -> bool {
        self.kind == Kind::Maintenance
    }

    /// Reads a record file. A record folio cannot read is one finding.
    pub fn parse(path: &str, bytes: &[u8]) -> Result<Record, Box<Finding>> {
        let bad = |line: usize, column: usize, message: String, hint: &str| {
            Box::new(Finding::error("bad-record", path, message, hint).at_line(line, column))
        };
        let text = std::str::from_utf8(bytes).map_err(|_| {
            bad(
                1,
                1,
                "the record is not UTF-8 text".into(),
                "re-save it as UTF-8",
            )
        })?;
        let root = yaml::parse(text.trim_start_matches('\u{feff}')).map_err(|e| {
            bad(
                e.line,
                e.column,
                format!("the record is not valid YAML: {}", e.message),
                "fix the YAML, or write records with `folio log` and `folio decline`",
            )
        })?;
        let text_of = |key: &str| root.get(key).and_then(Node::as_str).map(str::to_string);
        let need = |key: &str| {
            text_of(key).ok_or_else(|| {
                bad(
                    1,
                    1,
                    format!("the record has no `{key}`"),
                    "write records with `folio log` and `folio decline`",
                )
            })
        };
        let word = |key: &str, list: String| {
            bad(
                1,
                1,
                format!("the record's `{key}` is not one of {list}"),
                "use one of the listed words",
            )
        };
        let kind_text = need("kind")?;
        let kind = Kind::parse(&kind_text).ok_or_else(|| {
            let hint = did_you_mean(&kind_text, Kind::ALL.iter().map(|k| k.as_str()));
            bad(
                1,
                1,
                format!(
                    "the record's kind `{kind_text}` is not one of {}",
                    Kind::list()
                ),
                &hint.map_or("use one of the listed kinds".to_string(), |h| {
                    format!("did you mean `{h}`?")
                }),
            )
        })?;
        let date_text = need("date")?;
        let date = parse_date(&date_text).map_err(|hint| {
            bad(
                1,
                1,
                format!("the record's date `{date_text}` is not a real YYYY-MM-DD date"),
                &hint,
            )
        })?;
        let made = match text_of("made") {
            Some(m) => Some(
                DateTime::parse_from_rfc3339(&m)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        bad(
                            1,
                            1,
                            format!("the record's `made` `{m}` is not a time such as 2026-11-27T14:03:22Z"),
                            "write it as an RFC 3339 time in UTC, or remove the line",
                        )
                    })?,
            ),
            None => None,
        };
        let optional_word = |key: &str| text_of(key);
        let change = match optional_word("change") {
            Some(c) => Some(Change::parse(&c).ok_or_else(|| word("change", Change::list()))?),
            None => None,
        };
        let reason = match optional_word("reason") {
            Some(r) => Some(Reason::parse(&r).ok_or_else(|| word("reason", Reason::list()))?),
            None => None,
        };
        let state = |key: &str| match text_of(key) {
            Some(s) => State::parse(&s)
                .map(Some)
                .ok_or_else(|| word(key, "draft, research, reviewed, promoted".into())),
            None => Ok(None),
        };
        let sources = match root.get("sources") {
            Some(Node::Seq(items)) => items
                .iter()
                .filter_map(|i| i.as_str().map(str::to_string))
                .collect(),
            Some(Node::String(s)) => vec![s.clone()],
            _ => Vec::new(),
        };
        let correction = if kind == Kind::Correction {
            let problem = match text_of("problem") {
                Some(p) => {
                    Some(Problem::parse(&p).ok_or_else(|| word("problem", Problem::list()))?)
                }
                None => None,
            };
            let state = match text_of("state") {
                Some(s) => Some(
                    CorrectionState::parse(&s)
                        .ok_or_else(|| word("state", CorrectionState::list()))?,
                ),
                None => Some(CorrectionState::Open),
            };
            let issue = match root.get("issue") {
                Some(Node::Number(n) | Node::String(n)) => {
                    Some(n.parse::<u64>().map_err(|_| {
                        bad(
                            1,
                            1,
                            format!("the record's issue `{n}` is not an issue number"),
                            "write the number alone, such as \"42\"",
                        )
                    })?)
                }
                _ => None,
            };
            let decided_on = match text_of("decided_on") {
                Some(d) => Some(parse_date(&d).map_err(|hint| {
                    bad(
                        1,
                        1,
                        format!("the record's decided_on `{d}` is not a real YYYY-MM-DD date"),
                        &hint,
                    )
                })?),
                None => None,
            };
            Some(Box::new(CorrectionFields {
                problem,
                wrong: text_of("wrong"),
                proposed: text_of("proposed"),
                source_url: text_of("source_url"),
                source_kind: text_of("source_kind"),
                issue,
                state,
                decision: text_of("decision"),
                decided_by: text_of("decided_by"),
                decided_on,
                resolved_by: text_of("resolved_by"),
            }))
        } else {
            None
        };
        let page = need("page")?;
        Ok(Record {
            kind,
            owner: owner_of(path).unwrap_or(&page).to_string(),
            page,
            date,
            made,
            by: text_of("by").unwrap_or_default(),
            change,
            summary: text_of("summary"),
            sources,
            resolves: text_of("resolves"),
            from: state("from")?,
            to: state("to")?,
            claim: text_of("claim"),
            reason,
            rewrite: text_of("rewrite"),
            correction,
            body_sha256: text_of("body_sha256").unwrap_or_default(),
            path: path.to_string(),
        })
    }
}

/// A record's text with `fields` set: each key's line replaced where the
/// record has one, else added before `body_sha256` (or at the end). Every
/// other line stays as it was: folio edits a record in place only to
/// record what became of a correction.
pub fn with_fields(text: &str, fields: &[(&str, String)]) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    for (key, value) in fields {
        let rendered = format!("{key}: {}", double_quoted(value));
        let prefix = format!("{key}:");
        match lines.iter().position(|l| l.starts_with(&prefix)) {
            Some(at) => lines[at] = rendered,
            None => {
                let at = lines
                    .iter()
                    .position(|l| l.starts_with("body_sha256:"))
                    .unwrap_or(lines.len());
                lines.insert(at, rendered);
            }
        }
    }
    let mut out = lines.join(newline);
    out.push_str(newline);
    out
}

/// The page a record belongs to, by where it is: the id its folder names
/// (`review/records/guides/kv-cache/…` belongs to `guides/kv-cache`),
/// whatever page its `page` field named when it was made. Moving a page's
/// records folder with the page (`git mv`, or `folio rename`) moves them
/// to the page's new id. `None` for a path outside the records folder.
pub fn owner_of(path: &str) -> Option<&str> {
    let rest = path.strip_prefix(RECORDS_DIR)?.strip_prefix('/')?;
    rest.rsplit_once('/').map(|(dir, _)| dir)
}

/// The SHA-256 of a page body, with CRLF read as LF, so a clone with
/// `core.autocrlf` agrees with one without.
pub fn body_hash(body: &str) -> String {
    hex(&Sha256::digest(body.replace("\r\n", "\n").as_bytes()))
}

/// Whether two bodies are the same text, as `body_hash` sees them.
pub fn same_body(a: &str, b: &str) -> bool {
    a == b || a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_correction_reads_back_and_is_edited_in_place() {
        let mut r = Record::new(
            Kind::Correction,
            "guides/kv",
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            "reporter",
            "Body\n",
        );
        r.claim = Some("Blocks hold 16 tokens.".into());
        r.correction = Some(Box::new(CorrectionFields {
            problem: Some(Problem::FactualError),
            wrong: Some("It is 32 \"tokens\".".into()),
            source_url: Some("https://example.org/spec".into()),
            source_kind: Some("specification".into()),
            issue: Some(42),
            state: Some(CorrectionState::Open),
            ..Default::default()
        }));
        let text = r.render();
        let path = "review/records/guides/kv/2026-11-27-correction-3f9a0c1e.yaml";
        let back = Record::parse(path, text.as_bytes()).unwrap();
        assert_eq!(back.correction, r.correction);
        assert_eq!(back.short_id(), "3f9a0c1e");
        let edited = with_fields(
            &text,
            &[
                ("state", "rejected".into()),
                ("decision", "the spec says 16".into()),
            ],
        );
        let lines: Vec<&str> = edited.lines().collect();
        assert!(lines.contains(&"state: \"rejected\""), "{edited}");
        let at = |p: &str| lines.iter().position(|l| l.starts_with(p)).unwrap();
        assert!(at("decision:") < at("body_sha256:"), "{edited}");
        assert_eq!(edited.lines().count(), text.lines().count() + 1);
        let back = Record::parse(path, edited.as_bytes()).unwrap();
        assert_eq!(back.correction_state(), Some(CorrectionState::Rejected));
    }

    #[test]
    fn a_record_reads_back_as_written() {
        let mut r = Record::new(
            Kind::NotPromoted,
            "guides/kv-cache",
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            "no",
            "Body\r\n",
        );
        r.claim = Some("Paged KV caches are 10x faster: \"always\".\nyes".to_string());
        r.reason = Some(Reason::UniversalMultiplier);
        r.rewrite = Some("1.10".to_string());
        r.sources = vec!["on".to_string(), "12:30".to_string()];
        let text = r.render();
        assert!(text.contains("by: \"no\"\n"), "{text}");
        assert!(text.contains("rewrite: \"1.10\"\n"), "{text}");
        let mut back = Record::parse("x.yaml", text.as_bytes()).unwrap();
        back.path.clear();
        assert_eq!(back, r);
        assert_eq!(r.body_sha256, body_hash("Body\n"));
    }

    #[test]
    fn file_names_differ_for_the_same_record_made_twice() {
        let r = Record::new(
            Kind::Maintenance,
            "p",
            NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(),
            "ana",
            "b",
        );
        let (a, b) = (r.file_name(1), r.file_name(2));
        assert_ne!(a, b);
        assert!(
            a.starts_with("2026-11-27-maintenance-") && a.ends_with(".yaml"),
            "{a}"
        );
    }
}
