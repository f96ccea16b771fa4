//! `folio rules`: the policy's rules, each with what it flags, where it
//! applies, whether a citation excuses it, and its example tried against
//! it, so an editor can see what a rule means and a policy's author can
//! test a rule without writing a page.

use super::{DataFormat, Env, Outcome, worktree_policy};
use crate::error::Result;
use crate::finding::Severity;
use crate::git::Repo;
use crate::site::workflow::State;
use serde::Serialize;

/// The policy's rules, with an example each
///
/// List the rules of review/policy.yaml (or folio's defaults): each rule's
/// id (the code of its findings), what it flags, the states it applies to,
/// whether a citation after the match excuses it, how to fix a finding,
/// and its `example` with the words the rule flags in it. Exits 1 when an
/// example is not flagged by its rule, so CI can test a policy.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  folio rules\n  folio rules --format json | jq '.[].id'")]
pub struct Args {
    /// human or json
    #[arg(long, value_enum, default_value_t = DataFormat::Human)]
    format: DataFormat,
}

/// One rule as `folio rules` shows it.
#[derive(Serialize)]
pub struct RuleView {
    pub id: String,
    pub severity: Severity,
    pub message: String,
    pub hint: String,
    pub states: Vec<State>,
    pub excused_by_citation: bool,
    pub future_only: bool,
    pub example: Option<String>,
    /// What the rule flags in the example; `None` when it flags nothing
    /// (or there is no example).
    pub flagged: Option<String>,
    /// Why the rule could not be tried (a pattern too large to compile).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl RuleView {
    /// Whether the rule has an example it does not flag, or cannot be tried.
    pub fn fails(&self) -> bool {
        self.error.is_some() || self.example.is_some() && self.flagged.is_none()
    }
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let policy = worktree_policy(repo)?;
    let rules = policy
        .rules
        .iter()
        .map(|rule| {
            let (flagged, error) = match (&rule.example, rule.find_iter("")) {
                (_, Err(e)) => (None, Some(e.to_string())),
                (None, Ok(_)) => (None, None),
                (Some(example), Ok(_)) => {
                    let found = rule.find_iter(example).ok().and_then(|mut matches| {
                        matches
                            .find(|m| !m.is_empty() && rule.fires(&example[m.clone()], env.today))
                    });
                    (found.map(|m| example[m].to_string()), None)
                }
            };
            RuleView {
                id: rule.id.clone(),
                severity: rule.severity,
                message: rule.message.clone(),
                hint: rule.hint.clone(),
                states: rule.states.clone(),
                excused_by_citation: rule.excused_by_citation,
                future_only: rule.future_only,
                example: rule.example.clone(),
                flagged,
                error,
            }
        })
        .collect();
    Ok(Outcome::Rules {
        rules,
        format: args.format.into(),
    })
}
