//! What each state demands of a page (the table in README.md), and who may
//! sign its review.

use super::Context;
use crate::finding::{Finding, Findings, Severity};
use crate::site::page::{Key, Page};
use crate::site::workflow::{Demand, State};
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;

/// The page's state and the fields each state demands.
pub(super) fn demands(page: &Page, prose: &Prose, state: State, ctx: &Context, out: &mut Findings) {
    let f = &page.fields;
    let missing = |key: Key, example: &str| {
        let name = page.name(key);
        let or_back = if state == State::Draft {
            ""
        } else {
            ", or move the page back a state"
        };
        // An empty key is pointed at itself; an absent one at `status`.
        let (hint, at) = if page.key(key).is_some() {
            (format!("fill it in: `{name}: {example}`{or_back}"), key)
        } else {
            (
                format!("add `{name}: {example}` to the frontmatter{or_back}"),
                Key::Status,
            )
        };
        page.at_field(
            Finding::error(
                "missing-field",
                &page.path,
                format!("a {state} page needs `{name}`"),
                hint,
            ),
            at,
        )
    };
    let text_fields = [
        (Demand::Title, Key::Title, &f.title, "\"A title\""),
        (
            Demand::Summary,
            Key::Summary,
            &f.summary,
            "One sentence on what the page is for.",
        ),
        (
            Demand::Audience,
            Key::Audience,
            &f.audience,
            "Technical readers",
        ),
        (Demand::Owner, Key::Owner, &f.owner, "your-name"),
    ];
    for (demand, key, value, example) in text_fields {
        let empty = value.as_deref().is_none_or(|v| v.trim().is_empty());
        if demand.holds_in(state) && empty && !page.invalid_keys.contains(&key) {
            out.push(missing(key, example));
        }
    }
    if Demand::Sources.holds_in(state) && f.sources.is_empty() && prose.citations.is_empty() {
        out.push(page.at_field(
            Finding::error(
                "no-sources",
                &page.path,
                format!("a {state} page needs at least one source"),
                format!(
                    "cite a source from the registry as [@id] in the body, or list it under `{}`",
                    page.name(Key::Sources)
                ),
            ),
            Key::Status,
        ));
    }
    if Demand::LastReviewed.holds_in(state)
        && f.last_reviewed.is_none()
        && !page.invalid_keys.contains(&Key::LastReviewed)
    {
        out.push(missing(Key::LastReviewed, &ctx.today.to_string()));
    }
    // Listed reviewers who cannot sign get their own findings (`reviewers`).
    if Demand::Reviewer.holds_in(state)
        && !page.invalid_keys.contains(&Key::Reviewers)
        && f.reviewers.is_empty()
    {
        let hint = format!(
            "have it signed: `folio review {} --reviewer NAME`, someone other than the owner. {}",
            page.id,
            ctx.policy.roster()
        );
        out.push(page.at_field(
            Finding::error(
                "missing-reviewer",
                &page.path,
                format!("a {state} page needs a reviewer from the policy who is not its owner"),
                hint,
            ),
            if page.key(Key::Reviewers).is_some() {
                Key::Reviewers
            } else {
                Key::Status
            },
        ));
    }
    let interval = page.review_interval(ctx.policy);
    if let Some(date) = f
        .last_reviewed
        .filter(|d| Demand::Fresh.holds_in(state) && interval.until(*d) < ctx.today)
    {
        out.push(page.at_field(
            Finding::warning(
                "stale",
                &page.path,
                format!(
                    "last reviewed on {date}, more than {interval} ago (due {})",
                    interval.until(date)
                ),
                format!(
                    "review it again and sign it: `folio review {} --reviewer NAME`",
                    page.id
                ),
            ),
            Key::LastReviewed,
        ));
    }
}

/// Reviewers are on the policy's roster and never sign their own page.
pub(super) fn reviewers(page: &Page, integrity: Severity, ctx: &Context, out: &mut Findings) {
    for reviewer in &page.fields.reviewers {
        if !ctx.policy.reviewers.contains(reviewer) {
            let hint = match did_you_mean(reviewer, ctx.policy.reviewers.iter().map(String::as_str))
            {
                Some(near) => format!("did you mean `{near}`? {}", ctx.policy.roster()),
                None => format!(
                    "ask someone on the roster to sign, or add `{reviewer}` to it. {}",
                    ctx.policy.roster()
                ),
            };
            out.push(page.at_field(
                Finding::new(
                    integrity,
                    "unknown-reviewer",
                    &page.path,
                    format!("`{reviewer}` is not on the policy's reviewer roster"),
                    hint,
                ),
                Key::Reviewers,
            ));
        }
        if Some(reviewer) == page.fields.owner.as_ref() {
            out.push(page.at_field(
                Finding::new(
                    integrity,
                    "self-review",
                    &page.path,
                    format!("`{reviewer}` owns the page and cannot sign its review"),
                    "ask another reviewer from the roster to sign",
                ),
                Key::Reviewers,
            ));
        }
    }
}
