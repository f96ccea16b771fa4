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
/// The schema (JSON Schema draft-07) names folio's keys, as the policy's
/// `fields` spell them, with what each holds: the states (with the site's
/// own words), the reviewers on the policy's roster, the ids in the source
/// registry, dates as YYYY-MM-DD, review intervals such as `6 months`; and,
/// for each state, the keys that state demands. Keys of the site's own are
/// allowed. An editor that
/// validates frontmatter against a JSON Schema then flags a mistake while
/// the page is being typed; regenerate it when the roster or the registry
/// changes.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  folio schema > review/frontmatter.schema.json")]
pub struct Args {}

pub fn run(_: &Args, repo: &Repo, _: &Env) -> Result<Outcome> {
    let policy = worktree_policy(repo)?;
    let files = Worktree { root: repo.root() };
    let bytes = files.read(&registry_path(&policy.pages.dir))?;
    let (registry, _) = crate::site::registry_from(&policy.pages.dir, bytes)?;
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
    let d = &policy.dialect;
    let text = |what: &str| json!({ "type": "string", "minLength": 1, "description": what });
    let words_for = |state: State| -> Vec<&str> {
        d.all_words()
            .into_iter()
            .filter(|w| d.state(w) == Some(state))
            .collect()
    };
    let status = d.name(Key::Status);
    let mut properties = serde_json::Map::new();
    let mut set = |key: Key, value: Value| {
        properties.insert(d.name(key).to_string(), value);
    };
    set(Key::Title, text("The page's title"));
    set(Key::Summary, text("One sentence on what the page is for"));
    set(Key::Audience, text("Who the page is written for"));
    set(Key::Owner, text("Who keeps the page"));
    set(
        Key::Status,
        json!({
            "description": "The page's state: draft -> research -> reviewed -> promoted",
            "enum": d.all_words(),
        }),
    );
    set(
        Key::Reviewers,
        names(
            policy.reviewers.iter().map(String::as_str).collect(),
            "Who signed the last review: reviewers on the policy's roster, not the owner",
        ),
    );
    set(
        Key::LastReviewed,
        json!({
            "description": "The day of the last review, YYYY-MM-DD",
            "type": "string",
            "pattern": "^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$",
        }),
    );
    set(
        Key::Sources,
        names(registry.ids().collect(), "Ids of sources in the registry"),
    );
    set(
        Key::ReviewInterval,
        json!({
            "description": "How long the page's review holds, such as `6 months`, `1 year` or `90 days` (the policy's interval when absent)",
            "type": "string",
            "pattern": "^ *[0-9]+ *([Dd][Aa][Yy]|[Ww][Ee][Ee][Kk]|[Mm][Oo][Nn][Tt][Hh]|[Yy][Ee][Aa][Rr])[Ss]? *$",
        }),
    );
    let per_state: Vec<Value> = State::ALL
        .iter()
        .map(|&state| {
            let required: Vec<&str> = Demand::ALL
                .iter()
                .filter(|demand| demand.holds_in(state))
                .filter_map(|&demand| demanded_key(demand))
                .map(|key| d.name(key))
                .collect();
            let named = json!({
                "properties": { status: { "enum": words_for(state) } },
                "required": [status],
            });
            // A page without a status has the policy's default state.
            let condition = if d.default_state == Some(state) {
                json!({ "anyOf": [named, { "not": { "required": [status] } }] })
            } else {
                named
            };
            json!({ "if": condition, "then": { "required": required } })
        })
        .collect();
    let required: Vec<&str> = if d.default_state.is_some() {
        Vec::new()
    } else {
        vec![status]
    };
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "Frontmatter of a page",
        "description": "Made by `folio schema` from review/policy.yaml and the source registry",
        "type": "object",
        "properties": properties,
        "required": required,
        "allOf": per_state,
    })
}
