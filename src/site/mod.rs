//! A content repository as data: the policy, the source registry, the pages
//! and the records. `files` says where they come from (the working tree, a
//! commit's tree, or the index); `load` reads a whole site through it.
//!
//! - `layout`: where each file lives and what ids may be;
//! - `page`: a page's frontmatter and body, with exact positions;
//! - `registry`: the sources pages may cite;
//! - `policy`: the review interval, the reviewers, the rules;
//! - `record`: maintenance entries and not-promoted decisions;
//! - `workflow`: the states, the moves between them, what each demands.

pub mod files;
pub mod interval;
pub mod layout;
pub mod links;
pub mod matcher;
pub mod page;
pub mod policy;
pub mod record;
pub mod registry;
pub mod workflow;

use crate::error::{Error, Result};
use crate::finding::Finding;
use files::Files;
use layout::{POLICY_PATH, RECORDS_DIR, registry_path};
use page::Page;
use policy::Policy;
use record::Record;
use registry::Registry;
use std::collections::BTreeSet;

pub struct Site {
    pub policy: Policy,
    pub registry: Registry,
    /// Whether the registry file exists (an absent one has no unused sources).
    pub has_registry: bool,
    pub pages: Vec<Page>,
    /// Repository-relative paths of every page file, parsed or not.
    pub page_paths: BTreeSet<String>,
    /// Every record under review/records that could be read.
    pub records: Vec<Record>,
    /// Findings from reading the files (unreadable pages, symlinks, bad ids,
    /// frontmatter errors, registry entries).
    pub findings: Vec<Finding>,
}

/// The policy from its file's bytes, or the embedded defaults without one.
pub fn policy_from(bytes: Option<Vec<u8>>) -> Result<Policy> {
    let Some(bytes) = bytes else {
        return Ok(Policy::defaults());
    };
    let invalid = |line, column, message: &str, hint: &str| {
        Error::config(message)
            .hint(hint)
            .at(POLICY_PATH, line, column)
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| invalid(1, 1, "the policy is not UTF-8 text", "re-save it as UTF-8"))?;
    Policy::parse(text.trim_start_matches('\u{feff}'))
        .map_err(|e| invalid(e.line, e.column, &e.message, &e.hint))
}

/// The registry at `content_dir/sources.yaml` from its bytes (an absent
/// registry is empty), with findings about its entries.
pub fn registry_from(
    content_dir: &str,
    bytes: Option<Vec<u8>>,
) -> Result<(Registry, Vec<Finding>)> {
    let path = registry_path(content_dir);
    match bytes {
        Some(bytes) => Registry::parse(&path, &bytes).map_err(|e| {
            Error::config(e.message)
                .hint("the registry is a YAML list of sources: `- id: ...` with title, url, kind and accessed")
                .at(&path, e.line, e.column)
        }),
        None => Ok((Registry::empty(&path), Vec::new())),
    }
}

/// Parses a page read from anywhere, as the policy's site spells it. A
/// page's id is its path as the site has it: only a name no tool can show
/// or type (a control or invisible character, bytes that are not UTF-8,
/// shown as `\xNN`) is a finding.
pub fn parse_page(path: &str, bytes: &[u8], policy: &Policy) -> (Option<Page>, Vec<Finding>) {
    if bytes.len() as u64 > policy.max_page_bytes {
        return (None, vec![too_large(path, policy.max_page_bytes)]);
    }
    let id = policy.pages.id(path);
    let mut findings = Vec::new();
    if !usable_id(id) {
        let renamed: String = path
            .chars()
            .map(|c| if unusable_in_id(c) { '-' } else { c })
            .collect();
        findings.push(Finding::error(
            "bad-page-id",
            path,
            "the file's name holds a character that cannot be shown or typed (a control or invisible character, or bytes that are not UTF-8)",
            format!("rename the file, for example to {renamed}"),
        ));
    }
    let (page, read) = page::parse_in(path, id, bytes, &policy.dialect);
    findings.extend(read);
    (page, findings)
}

/// A page id every tool can show, type and use in a path: no control or
/// invisible character (bytes that were not UTF-8 read as such), no `\\`.
/// A page whose id is not is reported (`bad-page-id`).
pub fn usable_id(id: &str) -> bool {
    !id.chars().any(unusable_in_id)
}

fn unusable_in_id(c: char) -> bool {
    crate::text::hidden(c) || c == '\\'
}

/// The finding for a page past the policy's size limit.
pub fn too_large(path: &str, limit: u64) -> Finding {
    Finding::error(
        "page-too-large",
        path,
        format!(
            "the page is larger than the policy's max_page_bytes ({limit} bytes), so it was not read"
        ),
        format!(
            "split it into smaller pages, or raise max_page_bytes in {}",
            layout::POLICY_PATH
        ),
    )
}

/// Loads a whole site.
pub fn load(files: &dyn Files) -> Result<Site> {
    load_with(files, true)
}

/// Loads a site without reading its pages: `pages` is empty and
/// `page_paths` lists them, for a check that reads them one at a time.
pub fn load_unread(files: &dyn Files) -> Result<Site> {
    load_with(files, false)
}

fn load_with(files: &dyn Files, read_pages: bool) -> Result<Site> {
    let policy = policy_from(files.read(POLICY_PATH)?)?;
    let registry_bytes = files.read(&registry_path(&policy.pages.dir))?;
    let has_registry = registry_bytes.is_some();
    let (registry, mut findings) = registry_from(&policy.pages.dir, registry_bytes)?;
    let is_page = |path: &str| policy.pages.is_page(path);
    // The pages' paths, the pages read (none unless asked), and findings
    // about entries that are not pages one can read.
    let listed: Option<(BTreeSet<String>, Vec<files::FileBytes>, Vec<Finding>)> = if read_pages {
        files
            .list_at_most(&policy.pages.dir, &is_page, policy.max_page_bytes)?
            .map(|(read, findings)| {
                (
                    read.iter().map(|f| f.path.clone()).collect(),
                    read,
                    findings,
                )
            })
    } else {
        files
            .list_paths(&policy.pages.dir, &is_page)?
            .map(|(paths, findings)| (paths.into_iter().collect(), Vec::new(), findings))
    };
    let (page_paths, page_files, page_findings) = listed.ok_or_else(|| {
        Error::usage(format!("there is no content folder `{}`", policy.pages.dir)).hint(format!(
            "run `folio init` to create one, or set `content_dir` in {POLICY_PATH}"
        ))
    })?;
    findings.extend(page_findings);
    let (record_files, record_findings) =
        files.list(RECORDS_DIR, &files::yaml)?.unwrap_or_default();
    findings.extend(record_findings);
    let mut records = Vec::new();
    for file in record_files {
        match Record::parse(&file.path, &file.bytes) {
            Ok(record) => records.push(record),
            Err(finding) => findings.push(*finding),
        }
    }
    let parsed = par_map(&page_files, |f| parse_page(&f.path, &f.bytes, &policy));
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
        records,
        findings,
    })
}

/// `f` over every page of a site loaded without its pages
/// (`load_unread`), in path order: each page is read from `files`, parsed,
/// given to `f` and let go on one of the cores, so memory follows the
/// largest page, not the site. A file that cannot be read or parsed as a
/// page gives `None` (`folio check` says why).
pub fn each_page<F: Files + Sync, R: Send>(
    site: &Site,
    files: &F,
    f: impl Fn(&Page) -> R + Sync,
) -> Vec<Option<R>> {
    let paths: Vec<&String> = site.page_paths.iter().collect();
    par_map(&paths, |path| {
        let bytes = files
            .read_at_most(path, site.policy.max_page_bytes)
            .ok()
            .flatten()?;
        let (page, _) = parse_page(path, &bytes, &site.policy);
        drop(bytes);
        page.map(|page| f(&page))
    })
}

/// `f` over every item, on as many threads as there are cores, results in
/// the items' order. Pages are independent, so a whole-site check scales
/// with the cores git itself would use.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    // Too few for more than one chunk: not worth a thread, nor asking how
    // many cores there are (which reads the cgroup's files).
    const LEAST: usize = 64;
    if items.len() <= LEAST {
        return items.iter().map(f).collect();
    }
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = items.len().div_ceil(threads).max(LEAST);
    if items.len() <= chunk {
        return items.iter().map(f).collect();
    }
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
