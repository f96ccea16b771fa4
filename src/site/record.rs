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
    /// The page body this record speaks for.
    pub body_sha256: String,
    /// Where the record was read from (empty for one not yet written).
    #[serde(skip)]
    pub path: String,
    /// The page the record belongs to: the folder it is in (see `owner_of`).
    #[serde(skip)]
    pub owner: String,
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
        for (key, value) in optional {
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
            body_sha256: text_of("body_sha256").unwrap_or_default(),
            path: path.to_string(),
        })
    }
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
