//! Links between pages: a relative link to a `.md` file inside the content
//! folder must reach a page.

use super::Context;
use crate::finding::{Finding, Findings, Severity};
use crate::site::links::resolve_link;
use crate::site::page::Page;
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;

/// Links to `.md` files inside the content folder must reach a page.
pub(super) fn links(
    page: &Page,
    prose: &Prose,
    integrity: Severity,
    ctx: &Context,
    out: &mut Findings,
) {
    let content = &ctx.policy.pages.dir;
    let page_dir = page.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    for link in &prose.links {
        let Some(resolved) = resolve_link(&link.target, page_dir, content) else {
            continue;
        };
        if !resolved.starts_with(&format!("{content}/")) || ctx.page_paths.contains(&resolved) {
            continue;
        }
        let start = page.body_start + link.span.start;
        let mut finding = Finding::new(
            integrity,
            "broken-link",
            &page.path,
            format!(
                "the link `{}` leads to {resolved}, which is not a page",
                link.target
            ),
            "fix the path (relative to this page, or starting with `/` for the content folder)",
        )
        .spanning(&page.text, start, page.body_start + link.span.end);
        // The nearest page is looked for among all of them: only for a
        // finding that will be shown.
        if out.would_keep(finding.line) {
            if let Some(near) = did_you_mean(&resolved, ctx.page_paths.iter().map(String::as_str)) {
                finding.hint = format!("did you mean {near}?");
            }
        }
        out.push(finding);
    }
}

/// The repository paths of the `.md` pages a page links to.
pub(super) fn targets(page: &Page, prose: &Prose, content_dir: &str) -> Vec<String> {
    let page_dir = page.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    prose
        .links
        .iter()
        .filter_map(|link| resolve_link(&link.target, page_dir, content_dir))
        .collect()
}
