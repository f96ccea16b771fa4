//! Where things are in a content repository, and what their names may be:
//! the policy, the source registry, the records and templates folders, the
//! pages and their ids. Every path folio reads or writes is spelled here,
//! and every rule for an id.

use std::path::{Component, Path};

/// The editorial policy.
pub const POLICY_PATH: &str = "review/policy.yaml";
/// One folder per page, one file per record.
pub const RECORDS_DIR: &str = "review/records";
/// Templates that replace folio's own.
pub const TEMPLATES_DIR: &str = "review/templates";
/// The content folder when the policy names none.
pub const DEFAULT_CONTENT_DIR: &str = "content";

/// The source registry of a site whose pages live in `content_dir`.
pub fn registry_path(content_dir: &str) -> String {
    format!("{content_dir}/sources.yaml")
}

/// Whether a repository path is a page under `content_dir`.
pub fn is_page_path(path: &str, content_dir: &str) -> bool {
    path.len() > content_dir.len() + 4
        && path.starts_with(content_dir)
        && path[content_dir.len()..].starts_with('/')
        && path.ends_with(".md")
}

/// A page's id: its path under the content folder, without `.md`. The
/// path must be a page path (`is_page_path`).
pub fn page_id<'a>(path: &'a str, content_dir: &str) -> &'a str {
    &path[content_dir.len() + 1..path.len() - 3]
}

/// The repository path of the page with id `id`.
pub fn page_path(id: &str, content_dir: &str) -> String {
    format!("{content_dir}/{id}.md")
}

/// The repository path of the page a user named, the way a shell names
/// it: by id (`guides/kv-cache`), or by a path ending in `.md` relative to
/// `cwd` (`kv-cache.md`, `./kv-cache.md`, `../intro.md`, or
/// `content/guides/kv-cache.md` from the repository's root). A path
/// outside the repository or the content folder is no page: the error
/// says why.
pub fn named_page_path(
    name: &str,
    content_dir: &str,
    root: &Path,
    cwd: &Path,
) -> Result<String, String> {
    if !name.ends_with(".md") {
        let id = name.trim_matches('/');
        return Ok(page_path(id, content_dir));
    }
    // A path: relative to `cwd`, its `.` and `..` resolved as written (not
    // through links), then made relative to the repository's root.
    let mut parts: Vec<std::ffi::OsString> = Vec::new();
    for part in cwd.join(name).components() {
        match part {
            Component::ParentDir => {
                parts.pop();
            }
            Component::CurDir => {}
            Component::Normal(p) => parts.push(p.to_os_string()),
            Component::RootDir | Component::Prefix(_) => parts.clear(),
        }
    }
    let root_parts: Vec<std::ffi::OsString> = root
        .components()
        .filter_map(|c| match c {
            Component::Normal(p) => Some(p.to_os_string()),
            _ => None,
        })
        .collect();
    let inside = parts.len() > root_parts.len() && parts[..root_parts.len()] == root_parts[..];
    if !inside {
        return Err(format!("{name} is outside the repository"));
    }
    let path = parts[root_parts.len()..]
        .iter()
        .map(|p| p.to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if !is_page_path(&path, content_dir) {
        return Err(format!(
            "{path} is not under the content folder `{content_dir}`, where the pages are"
        ));
    }
    Ok(path)
}

/// The folder holding a page's records.
pub fn records_dir(page_id: &str) -> String {
    format!("{RECORDS_DIR}/{page_id}")
}

/// Whether a repository path is a record file.
pub fn is_record_path(path: &str) -> bool {
    path.starts_with(RECORDS_DIR) && path.ends_with(".yaml")
}

/// Whether `s` is a slug: lowercase ASCII letters, digits and `-`. A rule's
/// id is one.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// What a page id may be, said for a message.
pub const PAGE_ID_RULE: &str =
    "lowercase letters, digits, `-`, `_` and `.`, with `/` between folders";

/// The longest name of a page or folder folio creates: file systems allow
/// 255 bytes, and the temporary file beside it needs a few more.
pub const MAX_NAME: usize = 200;

/// Whether `id` is a page id: names joined by `/`, each of lowercase ASCII
/// letters, digits, `-`, `_` and `.`, starting with a letter, a digit or
/// `_`. So the layouts sites use are ids: `guides/kv-cache`, a Hugo
/// section's `guides/_index`, GOV.UK's `guides/kv-cache.html` (from
/// `kv-cache.html.md`).
pub fn valid_page_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|name| {
            name.bytes()
                .next()
                .is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !name.contains("..")
                && name.bytes().all(|b| {
                    b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.')
                })
        })
}

/// The valid page id nearest to `id`: lowercased, other characters as `-`.
pub fn suggest_page_id(id: &str) -> String {
    let lowered: String = id
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' | '/' | '-' | '_' | '.' => c,
            _ => '-',
        })
        .collect();
    lowered
        .split('/')
        .map(|p| p.trim_matches('-'))
        .collect::<Vec<_>>()
        .join("/")
}

/// A source id, as cited `[@id]`: lowercase letters, digits, `-`, `.` and
/// `_`, starting with a letter or digit.
pub fn valid_source_id(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.' | b'_')
        })
        && id.as_bytes()[0].is_ascii_alphanumeric()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_the_paths_they_name() {
        assert!(valid_page_id("guides/kv-cache-2"));
        for good in ["guides/_index", "guides/kv-cache.html", "a/b_c"] {
            assert!(valid_page_id(good), "{good}");
        }
        for bad in ["", "Guides/x", "a//b", "a/", ".x", "-x", "a..b", "a b"] {
            assert!(!valid_page_id(bad), "{bad}");
        }
        assert_eq!(suggest_page_id("Guides/KV Cache!"), "guides/kv-cache");
        assert!(valid_source_id("onnx-1.2_spec") && !valid_source_id("-x"));
        assert!(
            is_page_path("content/a.md", "content") && !is_page_path("contents/a.md", "content")
        );
        assert_eq!(page_id("content/guides/a.md", "content"), "guides/a");
        let root = Path::new("/r");
        let guides = Path::new("/r/content/guides");
        let named = |name, cwd| named_page_path(name, "content", root, cwd);
        assert_eq!(named("a.md", guides).as_deref(), Ok("content/guides/a.md"));
        assert_eq!(
            named("./a.md", guides).as_deref(),
            Ok("content/guides/a.md")
        );
        assert_eq!(
            named("../intro.md", guides).as_deref(),
            Ok("content/intro.md")
        );
        assert_eq!(named("content/x.md", root).as_deref(), Ok("content/x.md"));
        assert_eq!(
            named("guides/a", guides).as_deref(),
            Ok("content/guides/a.md")
        );
        assert!(
            named("../../../x.md", guides)
                .unwrap_err()
                .contains("outside the repository")
        );
        assert!(
            named("README.md", root)
                .unwrap_err()
                .contains("not under the content folder")
        );
    }
}
