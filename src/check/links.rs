//! Links between pages: a relative link to a `.md` file inside the content
//! folder must reach a page.

use super::Context;
use crate::finding::{Finding, Severity};
use crate::site::page::Page;
use crate::text::markdown::Prose;
use crate::text::suggest::did_you_mean;

/// Links to `.md` files inside the content folder must reach a page.
pub(super) fn links(
    page: &Page,
    prose: &Prose,
    integrity: Severity,
    ctx: &Context,
    out: &mut Vec<Finding>,
) {
    let content = &ctx.policy.content_dir;
    let page_dir = page.path.rsplit_once('/').map_or("", |(dir, _)| dir);
    for link in &prose.links {
        let Some(resolved) = resolve_link(&link.target, page_dir, content) else {
            continue;
        };
        if !resolved.starts_with(&format!("{content}/")) || ctx.page_paths.contains(&resolved) {
            continue;
        }
        let near = did_you_mean(&resolved, ctx.page_paths.iter().map(String::as_str));
        let hint = match near {
            Some(near) => format!("did you mean {near}?"),
            None => {
                "fix the path (relative to this page, or starting with `/` for the content folder)"
                    .to_string()
            }
        };
        let start = page.body_start + link.span.start;
        out.push(
            Finding::new(
                integrity,
                "broken-link",
                &page.path,
                format!(
                    "the link `{}` leads to {resolved}, which is not a page",
                    link.target
                ),
                hint,
            )
            .spanning(&page.text, start, page.body_start + link.span.end),
        );
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

/// The repository path a link target names, for relative `.md` targets.
pub fn resolve_link(target: &str, page_dir: &str, content_dir: &str) -> Option<String> {
    let path = target.split(['#', '?']).next()?;
    let has_scheme = path.split_once(':').is_some_and(|(scheme, _)| {
        scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    });
    if has_scheme || path.starts_with("//") || !path.ends_with(".md") {
        return None;
    }
    let path = percent_decode(path);
    let joined = match path.strip_prefix('/') {
        Some(rest) => format!("{content_dir}/{rest}"),
        None if page_dir.is_empty() => path,
        None => format!("{page_dir}/{path}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_resolve_relative_to_the_page_or_the_content_root() {
        let r = |t| resolve_link(t, "content/guides", "content");
        assert_eq!(
            r("kv-cache.md#paging").as_deref(),
            Some("content/guides/kv-cache.md")
        );
        assert_eq!(r("../glossary.md").as_deref(), Some("content/glossary.md"));
        assert_eq!(
            r("/reports/x%20y.md").as_deref(),
            Some("content/reports/x y.md")
        );
        assert_eq!(r("https://example.org/a.md"), None);
        assert_eq!(r("image.png"), None);
        assert_eq!(r("../../../../x.md"), None);
    }
}
