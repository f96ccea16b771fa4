//! `folio schema`: a JSON Schema of the site's frontmatter, for editors.

use super::{Env, Outcome, worktree_policy};
use crate::error::Result;
use crate::git::Repo;
use crate::site::files::{Files, Worktree};
use crate::site::layout::registry_path;
use crate::site::page::Key;
use crate::site::policy::Policy;
use crate::site::registry::Registry;
use crate::site::workflow::{Demand, State};
use serde_json::{Value, json};

/// Print a JSON Schema of the site's page frontmatter
///
/// The schema (JSON Schema draft-07) names folio's keys with what each
/// holds: the states, the reviewers on the policy's roster, the ids in the
/// source registry, dates as YYYY-MM-DD; and, for each state, the keys that
/// state demands. Keys of the site's own are allowed. An editor that
/// validates frontmatter against a JSON Schema then flags a mistake while
/// the page is being typed; regenerate it when the roster or the registry
/// changes.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  folio schema > review/frontmatter.schema.json")]
pub struct Args {}

pub fn run(_: &Args, repo: &Repo, _: &Env) -> Result<Outcome> {
    let policy = worktree_policy(repo)?;
    let files = Worktree { root: repo.root() };
    let bytes = files.read(&registry_path(&policy.content_dir))?;
    let (registry, _) = crate::site::registry_from(&policy.content_dir, bytes)?;
    Ok(Outcome::Script {
        text: crate::output::json::write(&schema(&policy, &registry)),
    })
}

/// The keys each demand asks of the frontmatter (`Sources` may be met by
/// citations in the body, and the rest are not about one key).
fn demanded_key(demand: Demand) -> Option<Key> {
    match demand {
        Demand::Title => Some(Key::Title),
        Demand::Summary => Some(Key::Summary),
        Demand::Audience => Some(Key::Audience),
        Demand::Owner => Some(Key::Owner),
        Demand::LastReviewed => Some(Key::LastReviewed),
        Demand::Reviewer => Some(Key::Reviewers),
        Demand::Sources | Demand::PromotableSources | Demand::Fresh => None,
    }
}

/// A name, or a list of names, from `allowed` (any text when it is empty).
fn names(allowed: Vec<&str>, what: &str) -> Value {
    let one = if allowed.is_empty() {
        json!({ "type": "string", "minLength": 1 })
    } else {
        json!({ "enum": allowed })
    };
    json!({
        "description": what,
        "oneOf": [one.clone(), { "type": "array", "items": one }],
    })
}

pub fn schema(policy: &Policy, registry: &Registry) -> Value {
    let text = |what: &str| json!({ "type": "string", "minLength": 1, "description": what });
    let states: Vec<&str> = State::ALL.iter().map(|s| s.as_str()).collect();
    let properties = json!({
        Key::Title.name(): text("The page's title"),
        Key::Summary.name(): text("One sentence on what the page is for"),
        Key::Audience.name(): text("Who the page is written for"),
        Key::Owner.name(): text("Who keeps the page"),
        Key::Status.name(): {
            "description": "The page's state: draft -> research -> reviewed -> promoted",
            "enum": states,
        },
        Key::Reviewers.name(): names(
            policy.reviewers.iter().map(String::as_str).collect(),
            "Who signed the last review: reviewers on the policy's roster, not the owner",
        ),
        Key::LastReviewed.name(): {
            "description": "The day of the last review, YYYY-MM-DD",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        },
        Key::Sources.name(): names(registry.ids().collect(), "Ids of sources in the registry"),
    });
    let per_state: Vec<Value> = State::ALL
        .iter()
        .map(|&state| {
            let required: Vec<&str> = Demand::ALL
                .iter()
                .filter(|d| d.holds_in(state))
                .filter_map(|&d| demanded_key(d))
                .map(Key::name)
                .collect();
            json!({
                "if": { "properties": { "status": { "const": state.as_str() } }, "required": ["status"] },
                "then": { "required": required },
            })
        })
        .collect();
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Frontmatter of a page",
        "description": "Made by `folio schema` from review/policy.yaml and the source registry",
        "type": "object",
        "properties": properties,
        "required": [Key::Title.name(), Key::Status.name()],
        "allOf": per_state,
    })
}
