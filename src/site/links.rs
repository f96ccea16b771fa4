//! Links between pages: where a link's target leads, and the target that
//! leads to the same file from another folder, for a renamed page and for
//! the pages that link to it.

use crate::site::page::Page;
use crate::text::markdown::Prose;

/// The repository path a link target names, for relative `.md` targets.
pub fn resolve_link(target: &str, page_dir: &str, content_dir: &str) -> Option<String> {
    let (path, _) = split_target(target);
    if has_scheme(path) || path.starts_with("//") || !path.ends_with(".md") {
        return None;
    }
    let path = percent_decode(path);
    match path.strip_prefix('/') {
        Some(rest) => join(content_dir, rest),
        None => join(page_dir, &path),
    }
}

/// Whether a link path starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(path: &str) -> bool {
    path.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
    })
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

/// A link target split into its path and what follows it (`#part`, `?q`).
fn split_target(target: &str) -> (&str, &str) {
    let at = target.find(['#', '?']).unwrap_or(target.len());
    target.split_at(at)
}

/// Whether a link path is relative to the page's folder: not a URL, not
/// from the root, not empty (`#part` alone).
fn is_relative(path: &str) -> bool {
    !path.is_empty() && !has_scheme(path) && !path.starts_with('/')
}

/// `path` joined to `dir`, its `.` and `..` resolved, as written (no
/// decoding); `None` when it climbs out of the repository.
fn join(dir: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
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

/// The relative path from folder `from_dir` to the file `to`.
pub fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|p| !p.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut out: Vec<&str> = vec![".."; from.len() - common];
    out.extend(&to_parts[common..]);
    out.join("/")
}

/// A path as a link target: spaces and the characters Markdown would
/// read as the end of a target escaped.
fn as_target(path: &str) -> String {
    path.replace('%', "%25")
        .replace(' ', "%20")
        .replace('(', "%28")
        .replace(')', "%29")
}

/// A page moving from `old_path` to `new_path`: the target a link in a page
/// in folder `page_dir` (after any move of its own) should have, when the
/// link led to the moved page. `old_dir` is the folder the link was
/// written from, when the linking page is the moved page itself (its
/// relative links to other files must follow it too).
pub fn retarget(
    target: &str,
    old_dir: &str,
    page_dir: &str,
    old_path: &str,
    new_path: &str,
    content_dir: &str,
) -> Option<String> {
    let (path, rest) = split_target(target);
    if resolve_link(target, old_dir, content_dir).as_deref() == Some(old_path) {
        let new_target = match path.strip_prefix('/') {
            Some(_) => format!(
                "/{}",
                as_target(new_path.strip_prefix(content_dir)?.trim_start_matches('/'))
            ),
            None => as_target(&relative(page_dir, new_path)),
        };
        return Some(format!("{new_target}{rest}"));
    }
    if old_dir == page_dir || !is_relative(path) {
        return None;
    }
    // Another file, linked from the moved page: the same file from its new folder.
    let file = join(old_dir, path)?;
    Some(format!("{}{rest}", relative(page_dir, &file)))
}

/// The page's text (with its BOM, if it had one) with each link target
/// that `new_target` gives a new value for replaced; `None` if no target
/// changes.
pub fn rewrite(
    page: &Page,
    prose: &Prose,
    new_target: impl Fn(&str) -> Option<String>,
) -> Option<Vec<u8>> {
    let mut links: Vec<_> = prose.links.iter().collect();
    links.sort_by_key(|l| std::cmp::Reverse(l.span.start));
    let mut text = page.text.as_str().to_string();
    let mut changed = false;
    for link in links {
        match new_target(&link.target) {
            Some(target) if target != link.target => {
                let span = page.body_start + link.span.start..page.body_start + link.span.end;
                if text.get(span.clone()) == Some(link.target.as_str()) {
                    text.replace_range(span, &target);
                    changed = true;
                }
            }
            _ => {}
        }
    }
    changed.then(|| {
        let bom: &[u8] = if page.text.had_bom() {
            "\u{feff}".as_bytes()
        } else {
            b""
        };
        [bom, text.as_bytes()].concat()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moved_page_s_links_and_the_links_to_it_follow_it() {
        let (old, new) = ("content/guides/kv.md", "content/runtime/deep/kv.md");
        // From another page.
        let other = |t| retarget(t, "content", "content", old, new, "content");
        assert_eq!(
            other("guides/kv.md#paging").as_deref(),
            Some("runtime/deep/kv.md#paging")
        );
        assert_eq!(
            other("/guides/kv.md").as_deref(),
            Some("/runtime/deep/kv.md")
        );
        assert_eq!(other("glossary.md"), None);
        assert_eq!(other("https://x.org/guides/kv.md"), None);
        // From the moved page itself.
        let own = |t| {
            retarget(
                t,
                "content/guides",
                "content/runtime/deep",
                old,
                new,
                "content",
            )
        };
        assert_eq!(own("../glossary.md").as_deref(), Some("../../glossary.md"));
        assert_eq!(own("img/a.png").as_deref(), Some("../../guides/img/a.png"));
        assert_eq!(own("kv.md#top").as_deref(), Some("kv.md#top"));
        assert_eq!(own("#top"), None);
        assert_eq!(own("/glossary.md"), None);
        assert_eq!(relative("content/a", "content/a/b.md"), "b.md");
        assert_eq!(relative("content", "content/b.md"), "b.md");
        assert_eq!(relative("content/a/b", "content/c.md"), "../../c.md");
    }

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
