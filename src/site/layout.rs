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

/// The source registry's name in the content folder.
const REGISTRY_FILE: &str = "sources.yaml";

/// The source registry of a site whose pages live in `content_dir`.
pub fn registry_path(content_dir: &str) -> String {
    format!("{content_dir}/{REGISTRY_FILE}")
}

/// The endings of a page's file name that are not part of its id, longest
/// first: `guides/a.html.md.erb` is the page `guides/a.html`.
pub const PAGE_ENDINGS: [&str; 4] = [".md.erb", ".markdown", ".mdx", ".md"];

/// Which files under the content folder are pages, and what their ids are.
/// A page is a file whose path under the folder matches an `include` glob
/// and no `exclude` glob; names starting with `.` are never pages. Its id
/// is that path without the ending (`PAGE_ENDINGS`), as the site spells it.
#[derive(Debug, Clone)]
pub struct PageSet {
    /// The content folder, relative to the repository's root.
    pub dir: String,
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    include_set: globset::GlobSet,
    exclude_set: globset::GlobSet,
}

/// The glob that makes every Markdown file under the content folder a page.
pub const DEFAULT_INCLUDE: &str = "**/*.md";

impl PageSet {
    /// The pages of `dir` under the globs; a glob that cannot be read is
    /// refused with its index in its list (`include` or `exclude`) and why.
    pub fn new(
        dir: &str,
        include: Vec<String>,
        exclude: Vec<String>,
    ) -> Result<PageSet, (&'static str, usize, String)> {
        let build = |list: &[String], which: &'static str| {
            let mut set = globset::GlobSetBuilder::new();
            for (n, pattern) in list.iter().enumerate() {
                let glob = globset::GlobBuilder::new(pattern)
                    .literal_separator(true)
                    .backslash_escape(true)
                    .build()
                    .map_err(|e| (which, n, e.kind().to_string()))?;
                set.add(glob);
            }
            set.build().map_err(|e| (which, 0, e.to_string()))
        };
        Ok(PageSet {
            dir: dir.to_string(),
            include_set: build(&include, "include")?,
            exclude_set: build(&exclude, "exclude")?,
            include,
            exclude,
        })
    }

    /// A repository path's part under the content folder, if it has one.
    fn under<'a>(&self, path: &'a str) -> Option<&'a str> {
        path.strip_prefix(self.dir.as_str())?
            .strip_prefix('/')
            .filter(|rest| !rest.is_empty())
    }

    /// Whether a repository path is a page. The source registry never is,
    /// whatever the globs say.
    pub fn is_page(&self, path: &str) -> bool {
        self.under(path).is_some_and(|rest| {
            rest != REGISTRY_FILE
                && !rest.split('/').any(|part| part.starts_with('.'))
                && self.include_set.is_match(rest)
                && !self.exclude_set.is_match(rest)
        })
    }

    /// A page's id: its path under the content folder without the ending.
    /// The path must be a page's (`is_page`).
    pub fn id<'a>(&self, path: &'a str) -> &'a str {
        let rest = self.under(path).unwrap_or(path);
        PAGE_ENDINGS
            .iter()
            .find_map(|end| rest.strip_suffix(end).filter(|id| !id.is_empty()))
            .unwrap_or(rest)
    }

    /// The paths a page with id `id` may have, in the order of
    /// `PAGE_ENDINGS` reversed (`.md` first); only those that are pages.
    pub fn paths_for(&self, id: &str) -> impl Iterator<Item = String> + '_ {
        let id = id.to_string();
        PAGE_ENDINGS
            .iter()
            .rev()
            .map(move |end| format!("{}/{id}{end}", self.dir))
            .filter(|path| self.is_page(path))
    }

    /// The path of a page folio creates with id `id`: `id` plus `.md`.
    pub fn new_path(&self, id: &str) -> String {
        format!("{}/{id}.md", self.dir)
    }

    /// The globs, said for a message: `**/*.md` under `content`.
    pub fn describe(&self) -> String {
        let mut said = format!("{} under `{}`", self.include.join(", "), self.dir);
        if !self.exclude.is_empty() {
            said.push_str(&format!(", except {}", self.exclude.join(", ")));
        }
        said
    }
}

/// The page a user named, the way a shell names it: by id
/// (`guides/kv-cache`), or by a path ending in `.md` (or another of
/// `PAGE_ENDINGS`) relative to
/// `cwd` (`kv-cache.md`, `./kv-cache.md`, `../intro.md`, or
/// `content/guides/kv-cache.md` from the repository's root). A path
/// outside the repository or the content folder is no page: the error
/// says why.
pub fn named_page(name: &str, pages: &PageSet, root: &Path, cwd: &Path) -> Result<Named, String> {
    if !PAGE_ENDINGS.iter().any(|end| name.ends_with(end)) {
        return Ok(Named::Id(name.trim_matches('/').to_string()));
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
    if !pages.is_page(&path) {
        return Err(if pages.under(&path).is_none() {
            format!(
                "{path} is not under the content folder `{}`, where the pages are",
                pages.dir
            )
        } else {
            format!("{path} is not a page: the pages are {}", pages.describe())
        });
    }
    Ok(Named::Path(path))
}

/// What a user named: a page's path, or an id to look up among the pages
/// (its file may end in any of `PAGE_ENDINGS`).
#[derive(Debug, PartialEq, Eq)]
pub enum Named {
    Path(String),
    Id(String),
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
        let pages = PageSet::new("content", vec![DEFAULT_INCLUDE.to_string()], Vec::new()).unwrap();
        assert!(pages.is_page("content/a.md") && !pages.is_page("contents/a.md"));
        assert!(!pages.is_page("content/.hidden/a.md") && !pages.is_page("content/a.mdx"));
        assert_eq!(pages.id("content/guides/a.md"), "guides/a");
        let root = Path::new("/r");
        let guides = Path::new("/r/content/guides");
        let named = |name, cwd| named_page(name, &pages, root, cwd);
        let path = |p: &str| Ok(Named::Path(p.to_string()));
        assert_eq!(named("a.md", guides), path("content/guides/a.md"));
        assert_eq!(named("./a.md", guides), path("content/guides/a.md"));
        assert_eq!(named("../intro.md", guides), path("content/intro.md"));
        assert_eq!(named("content/x.md", root), path("content/x.md"));
        assert_eq!(
            named("guides/a/", guides),
            Ok(Named::Id("guides/a".to_string()))
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

    #[test]
    fn globs_choose_the_pages_and_ids_keep_the_sites_names() {
        let globs = |list: &[&str]| list.iter().map(|g| g.to_string()).collect();
        let govuk = PageSet::new(
            "source",
            globs(&["**/*.html.md", "**/*.html.md.erb"]),
            globs(&["partials/**", "**/_*.erb"]),
        )
        .unwrap();
        assert!(govuk.is_page("source/manual/ab-testing.html.md"));
        assert!(govuk.is_page("source/index.html.md.erb"));
        assert!(!govuk.is_page("source/partials/nav.html.md"));
        assert!(!govuk.is_page("source/manual/_header.html.md.erb"));
        assert!(!govuk.is_page("source/README.md"));
        assert_eq!(
            govuk.id("source/manual/ab-testing.html.md"),
            "manual/ab-testing.html"
        );
        assert_eq!(govuk.id("source/index.html.md.erb"), "index.html");
        assert_eq!(
            govuk.paths_for("manual/x.html").collect::<Vec<_>>(),
            ["source/manual/x.html.md", "source/manual/x.html.md.erb"]
        );
        let hugo = PageSet::new(
            "content",
            globs(&["**/*.md", "**/*.mdx"]),
            globs(&["_common/**"]),
        )
        .unwrap();
        assert!(hugo.is_page("content/en/docs/_index.md") && hugo.is_page("content/en/Where.md"));
        assert!(hugo.is_page("content/en/x.mdx") && !hugo.is_page("content/_common/note.md"));
        assert_eq!(hugo.id("content/en/docs/_index.md"), "en/docs/_index");
        assert_eq!(hugo.id("content/en/Where.md"), "en/Where");
        assert!(hugo.describe().contains("except _common/**"));
        let everything = PageSet::new("content", globs(&["**"]), Vec::new()).unwrap();
        assert!(everything.is_page("content/a.txt") && !everything.is_page("content/sources.yaml"));
        let bad = PageSet::new("content", globs(&["**/*.{md"]), Vec::new()).unwrap_err();
        assert_eq!((bad.0, bad.1), ("include", 0));
    }
}
