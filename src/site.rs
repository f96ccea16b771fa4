//! A content repository as folio sees it: the policy, the source registry
//! and the pages, read from the working tree. `check` runs every check over
//! a loaded site and returns a `Report`.

use crate::check::{self, Context};
use crate::diagnostic::{self, Finding};
use crate::error::{Error, Result};
use crate::markdown::Prose;
use crate::page::{self, Page};
use crate::policy::{POLICY_PATH, Policy};
use crate::registry::Registry;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::Path;

pub struct Site {
    pub policy: Policy,
    pub registry: Registry,
    /// Whether the registry file exists (an absent one has no unused sources).
    pub has_registry: bool,
    pub pages: Vec<Page>,
    /// Repository-relative paths of every page file, parsed or not.
    pub page_paths: BTreeSet<String>,
    /// Findings from reading the files (unreadable pages, symlinks, bad ids,
    /// frontmatter errors, registry entries).
    pub findings: Vec<Finding>,
}

/// What a check found, and over how many pages.
pub struct Report {
    pub findings: Vec<Finding>,
    pub pages: usize,
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        diagnostic::exit_code(&self.findings)
    }
}

/// The policy at `root`, or the embedded defaults when there is none.
pub fn load_policy(root: &Path) -> Result<Policy> {
    let path = root.join(POLICY_PATH);
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Policy::defaults()),
        Err(source) => {
            return Err(Error::Io {
                path: POLICY_PATH.to_string(),
                source,
            });
        }
    };
    let policy_error = |error| Error::Policy {
        path: POLICY_PATH.to_string(),
        error,
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        policy_error(crate::policy::PolicyError {
            line: 1,
            column: 1,
            message: "the policy is not UTF-8 text".to_string(),
            hint: "re-save it as UTF-8".to_string(),
        })
    })?;
    Policy::parse(text.trim_start_matches('\u{feff}')).map_err(policy_error)
}

/// Loads the site from the working tree at `root`.
pub fn load_worktree(root: &Path) -> Result<Site> {
    let policy = load_policy(root)?;
    let registry_path = format!("{}/sources.yaml", policy.content_dir);
    let mut findings = Vec::new();
    let (registry, has_registry) = match std::fs::read(root.join(&registry_path)) {
        Ok(bytes) => {
            let (registry, registry_findings) =
                Registry::parse(&registry_path, &bytes).map_err(|error| Error::Registry {
                    path: registry_path.clone(),
                    error,
                })?;
            findings.extend(registry_findings);
            (registry, true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (Registry::empty(&registry_path), false)
        }
        Err(source) => {
            return Err(Error::Io {
                path: registry_path,
                source,
            });
        }
    };
    let content = root.join(&policy.content_dir);
    if !content.is_dir() {
        return Err(Error::Usage {
            message: format!(
                "there is no content folder `{}` in {}",
                policy.content_dir,
                root.display()
            ),
            hint: "run `folio init` to create one, or set `content_dir` in review/policy.yaml"
                .to_string(),
        });
    }
    let mut files = Vec::new();
    walk(&content, &policy.content_dir, &mut files, &mut findings);
    let page_paths: BTreeSet<String> = files.iter().map(|(rel, _)| rel.clone()).collect();
    let parsed = par_map(&files, |(rel, abs)| {
        read_page(rel, abs, &policy.content_dir)
    });
    let mut pages = Vec::new();
    for (page, page_findings) in parsed {
        findings.extend(page_findings);
        pages.extend(page);
    }
    Ok(Site {
        policy,
        registry,
        has_registry,
        pages,
        page_paths,
        findings,
    })
}

/// Reads and parses one page file. `rel` is its repository path.
fn read_page(rel: &str, abs: &Path, content_dir: &str) -> (Option<Page>, Vec<Finding>) {
    let id = &rel[content_dir.len() + 1..rel.len() - 3];
    let mut findings = Vec::new();
    if !valid_page_id(id) {
        findings.push(Finding::error(
            "bad-page-id",
            rel,
            format!("the page id `{id}` is not lowercase letters, digits, `-` and `/`"),
            format!("rename the file to {content_dir}/{}.md", suggest_id(id)),
        ));
    }
    match std::fs::read(abs) {
        Ok(bytes) => {
            let (page, page_findings) = page::parse(rel, id, &bytes);
            findings.extend(page_findings);
            (page, findings)
        }
        Err(e) => {
            findings.push(Finding::error(
                "unreadable",
                rel,
                format!("cannot read the page: {e}"),
                "check the file's permissions",
            ));
            (None, findings)
        }
    }
}

/// `f` over every item, on as many threads as there are cores, results in
/// the items' order. Pages are independent, so a whole-site check scales
/// with the cores git itself would use.
fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(64);
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(|| part.iter().map(&f).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a page check panicked"))
            .collect()
    })
}

/// Collects `(repository path, file path)` of every `.md` file under `dir`,
/// in sorted order. Symbolic links are reported and never followed; names
/// starting with `.` are skipped.
fn walk(
    dir: &Path,
    rel: &str,
    files: &mut Vec<(String, std::path::PathBuf)>,
    findings: &mut Vec<Finding>,
) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok()).collect(),
        Err(e) => {
            findings.push(Finding::error(
                "unreadable",
                rel,
                format!("cannot read the folder: {e}"),
                "check the folder's permissions",
            ));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let rel_path = format!("{rel}/{name}");
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        if meta.file_type().is_symlink() {
            if name.ends_with(".md") || path.is_dir() {
                findings.push(Finding::error(
                    "symlink",
                    &rel_path,
                    "this is a symbolic link; folio does not follow links",
                    "replace the link with the page (or folder) itself",
                ));
            }
        } else if meta.is_dir() {
            walk(&path, &rel_path, files, findings);
        } else if name.ends_with(".md") {
            files.push((rel_path, path));
        }
    }
}

pub fn valid_page_id(id: &str) -> bool {
    !id.is_empty()
        && id.split('/').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

fn suggest_id(id: &str) -> String {
    let lowered: String = id
        .chars()
        .map(|c| match c {
            'A'..='Z' => c.to_ascii_lowercase(),
            'a'..='z' | '0'..='9' | '/' | '-' => c,
            _ => '-',
        })
        .collect();
    lowered
        .split('/')
        .map(|p| p.trim_matches('-'))
        .collect::<Vec<_>>()
        .join("/")
}

/// Runs every check over the whole site.
pub fn check(site: &Site, today: NaiveDate) -> Report {
    let ctx = Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today,
    };
    let mut findings = site.findings.clone();
    let checked = par_map(&site.pages, |page| {
        let prose = Prose::new(page.body());
        let named: Vec<String> = check::named_sources(page, &prose)
            .map(str::to_string)
            .collect();
        (check::check_page(page, &prose, &ctx), named)
    });
    let mut used = BTreeSet::new();
    for (page_findings, named) in checked {
        findings.extend(page_findings);
        used.extend(named);
    }
    if site.has_registry {
        findings.extend(check::unused_sources(&site.registry, &used));
    }
    diagnostic::sort(&mut findings);
    Report {
        findings,
        pages: site.page_paths.len(),
    }
}
