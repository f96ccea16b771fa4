//! Sources: every source a page names resolves in the registry, a promoted
//! page names only promotable kinds, and every source is named by a page.

use super::Context;
use crate::finding::{Finding, Findings, Severity};
use crate::site::page::{Key, Page};
use crate::site::registry::Registry;
use crate::site::workflow::Demand;
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;
use std::collections::BTreeSet;

/// Every source a page names resolves, and a promoted page names only
/// promotable kinds.
pub(super) fn sources(
    page: &Page,
    prose: &Prose,
    integrity: Severity,
    ctx: &Context,
    out: &mut Findings,
) {
    let promoted = page
        .fields
        .status
        .is_some_and(|s| Demand::PromotableSources.holds_in(s));
    let cited = prose
        .citations
        .iter()
        .map(|c| {
            (
                c.id.as_str(),
                Some(page.body_start + c.span.start..page.body_start + c.span.end),
            )
        })
        .chain(page.fields.sources.iter().map(|id| (id.as_str(), None)));
    for (id, span) in cited {
        let point = |finding: Finding| match &span {
            Some(span) => finding.spanning(&page.text, span.start, span.end),
            None => page.at_field(finding, Key::Sources),
        };
        let Some(source) = ctx.registry.get(id) else {
            let mut finding = point(Finding::new(
                integrity,
                "unknown-source",
                &page.path,
                format!("`{id}` is not in the source registry"),
                format!("add an entry with `id: {id}` to {}", ctx.registry.path),
            ));
            // The nearest id is looked for among all of them: only for a
            // finding that will be shown.
            if out.would_keep(finding.line) {
                if let Some(near) = did_you_mean(id, ctx.registry.ids()) {
                    finding.hint = format!(
                        "did you mean `{near}`? Otherwise add `{id}` to {}",
                        ctx.registry.path
                    );
                }
            }
            out.push(finding);
            continue;
        };
        let Some(kind) = source.kind else { continue };
        if promoted && !ctx.policy.is_promotable(kind) {
            let allowed: Vec<_> = ctx
                .policy
                .promotable_source_kinds
                .iter()
                .map(|k| k.as_str())
                .collect();
            out.push(point(Finding::error(
                "unpromotable-source",
                &page.path,
                format!("a promoted page cites `{id}`, a {} source", kind.as_str()),
                format!("promoted pages rely only on {}: cite a primary source instead, or move the page back to reviewed", allowed.join(", ")),
            )));
        }
    }
}

/// Every source id a page names, in its frontmatter or its body.
pub fn named_sources<'a>(page: &'a Page, prose: &'a Prose) -> impl Iterator<Item = &'a str> {
    page.fields
        .sources
        .iter()
        .map(String::as_str)
        .chain(prose.citations.iter().map(|c| c.id.as_str()))
}

/// Sources no page names.
/// Capped as a page's findings are: a registry of thousands of sources no
/// page cites yet says so a few hundred times, then counts the rest.
pub fn unused_sources(registry: &Registry, used: &BTreeSet<String>) -> Vec<Finding> {
    let mut out = Findings::default();
    out.extend(
        registry
            .sources
            .iter()
            .filter(|s| !used.contains(s.id.as_str()))
            .map(|s| {
                Finding::warning(
                    "unused-source",
                    &registry.path,
                    format!("no page cites `{}`", s.id),
                    "cite it from a page, or remove it from the registry",
                )
                .spanning(&registry.text, s.span.start, s.span.end)
            }),
    );
    out.finish()
}
