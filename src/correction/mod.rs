//! Corrections: contributors' requests to fix a page, from the form they
//! file (`form`) through the issue body GitHub makes of it (`intake`) to a
//! correction record, and the link a page's "submit a correction" points
//! at (`link`). A filed correction is data from anyone: it is stored as
//! data, escaped wherever it is shown, and a body folio cannot read is
//! refused whole.

pub mod form;
pub mod intake;
pub mod link;

use crate::site::record::Problem;
use crate::site::registry::SourceKind;
use serde::Serialize;

/// The form's fields intake reads, by id, and what each is for.
pub const FIELDS: &[(&str, &str)] = &[
    ("page", "the page"),
    ("problem", "the kind of problem"),
    ("claim", "the claim as it stands"),
    ("wrong", "what is wrong"),
    ("proposed", "the proposed wording"),
    ("source", "the supporting source"),
    ("source-kind", "the kind of source"),
];

/// A dropdown choice: the word folio stores, and what the form shows.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub word: &'static str,
    pub label: &'static str,
}

/// The kinds of problem, as the form offers them.
pub fn problems() -> Vec<Choice> {
    Problem::ALL
        .iter()
        .map(|p| Choice {
            word: p.as_str(),
            label: match p {
                Problem::FactualError => "Factual error",
                Problem::OutdatedCapability => "Outdated capability",
                Problem::UnclearBoundary => "Unclear category boundary",
                Problem::BrokenSourceLink => "Broken source link",
                Problem::Other => "Other",
            },
        })
        .collect()
}

/// The registry's kinds of source, as the form offers them.
pub fn source_kinds() -> Vec<Choice> {
    SourceKind::ALL
        .iter()
        .map(|k| Choice {
            word: k.as_str(),
            label: match k {
                SourceKind::Specification => "Specification",
                SourceKind::OfficialDocs => "Official documentation",
                SourceKind::OriginalResearch => {
                    "Original research (a paper, a benchmark with its method)"
                }
                SourceKind::Secondary => "Secondary (an article or post about it)",
                SourceKind::EditorialInput => "Editorial input (a report to the editors)",
            },
        })
        .collect()
}

/// The word an answer names: the choice whose word or label it is, read
/// without regard to case, spaces or punctuation (a template may show
/// the choices its own way).
pub fn choose(answer: &str, choices: &[Choice]) -> Option<&'static str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let answer = norm(answer);
    choices
        .iter()
        .find(|c| norm(c.word) == answer || norm(c.label) == answer)
        .map(|c| c.word)
}
