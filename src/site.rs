//! A content repository as folio sees it: the policy, the source registry
//! and the pages. `Files` says where they come from (the working tree, or
//! a commit's tree); `load` reads a whole site through it and `check` runs
//! every check over it.

use crate::check::{self, Context};
use crate::diagnostic::{self, Finding};
use crate::error::{Error, Result};
use crate::git::{Kind, Oid, Repo};
use crate::markdown::Prose;
use crate::page::{self, Page};
use crate::policy::{POLICY_PATH, Policy, PolicyError};
use crate::record::{RECORDS_DIR, Record};
use crate::registry::Registry;
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

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

/// What a check found, and over what.
pub struct Report {
    pub findings: Vec<Finding>,
    pub pages: usize,
    /// What was checked, for the closing line: "7 pages", "1 staged page".
    pub subject: String,
}

impl Report {
    pub fn exit_code(&self) -> i32 {
        diagnostic::exit_code(&self.findings)
    }
}

/// A page file as read: its repository path and its bytes.
pub struct PageFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Where a whole site's files come from.
pub trait Files {
    /// The bytes of the file at a repository path, or `None` if there is
    /// no such file.
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>>;

    /// Every file under `dir` whose name ends with `extension`, read, in
    /// path order, or `None` when there is no such folder. Entries that
    /// cannot be read as such files (symbolic links, unreadable files) are
    /// findings.
    fn list(&self, dir: &str, extension: &str) -> Result<Option<(Vec<PageFile>, Vec<Finding>)>>;
}

/// The policy from its file's bytes, or the embedded defaults without one.
pub fn policy_from(bytes: Option<Vec<u8>>) -> Result<Policy> {
    let Some(bytes) = bytes else {
        return Ok(Policy::defaults());
    };
    let policy_error = |error| Error::Policy {
        path: POLICY_PATH.to_string(),
        error,
    };
    let text = String::from_utf8(bytes).map_err(|_| {
        policy_error(PolicyError {
            line: 1,
            column: 1,
            message: "the policy is not UTF-8 text".to_string(),
            hint: "re-save it as UTF-8".to_string(),
        })
    })?;
    Policy::parse(text.trim_start_matches('\u{feff}')).map_err(policy_error)
}

/// The registry at `content_dir/sources.yaml` from its bytes (an absent
/// registry is empty), with findings about its entries.
pub fn registry_from(
    content_dir: &str,
    bytes: Option<Vec<u8>>,
) -> Result<(Registry, Vec<Finding>)> {
    let path = registry_path(content_dir);
    match bytes {
        Some(bytes) => {
            Registry::parse(&path, &bytes).map_err(|error| Error::Registry { path, error })
        }
        None => Ok((Registry::empty(&path), Vec::new())),
    }
}

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

/// A page's id: its path under the content folder, without `.md`.
pub fn page_id<'a>(path: &'a str, content_dir: &str) -> &'a str {
    &path[content_dir.len() + 1..path.len() - 3]
}

/// Parses a page read from anywhere, adding a finding when its path is not
/// a valid page id.
pub fn parse_page(path: &str, bytes: &[u8], content_dir: &str) -> (Option<Page>, Vec<Finding>) {
    let id = page_id(path, content_dir);
    let mut findings = Vec::new();
    if !valid_page_id(id) {
        findings.push(Finding::error(
            "bad-page-id",
            path,
            format!("the page id `{id}` is not lowercase letters, digits, `-` and `/`"),
            format!("rename the file to {content_dir}/{}.md", suggest_id(id)),
        ));
    }
    let (page, page_findings) = page::parse(path, id, bytes);
    findings.extend(page_findings);
    (page, findings)
}

/// Loads a whole site.
pub fn load(files: &dyn Files) -> Result<Site> {
    let policy = policy_from(files.read(POLICY_PATH)?)?;
    let registry_bytes = files.read(&registry_path(&policy.content_dir))?;
    let has_registry = registry_bytes.is_some();
    let (registry, mut findings) = registry_from(&policy.content_dir, registry_bytes)?;
    let (page_files, page_findings) =
        files
            .list(&policy.content_dir, ".md")?
            .ok_or_else(|| Error::Usage {
                message: format!("there is no content folder `{}`", policy.content_dir),
                hint: "run `folio init` to create one, or set `content_dir` in review/policy.yaml"
                    .to_string(),
            })?;
    findings.extend(page_findings);
    let (record_files, record_findings) = files.list(RECORDS_DIR, ".yaml")?.unwrap_or_default();
    findings.extend(record_findings);
    let mut records = Vec::new();
    for file in record_files {
        match Record::parse(&file.path, &file.bytes) {
            Ok(record) => records.push(record),
            Err(finding) => findings.push(*finding),
        }
    }
    let page_paths: BTreeSet<String> = page_files.iter().map(|f| f.path.clone()).collect();
    let parsed = par_map(&page_files, |f| {
        parse_page(&f.path, &f.bytes, &policy.content_dir)
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
        records,
        findings,
    })
}

/// The working tree at `root`.
pub struct Worktree<'a> {
    pub root: &'a Path,
}

impl Files for Worktree<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        let full = self.root.join(path);
        if std::fs::metadata(&full).is_ok_and(|m| !m.is_file()) {
            return Err(Error::Usage {
                message: format!("{path} is not a regular file"),
                hint: "replace it with the file folio expects there".to_string(),
            });
        }
        match std::fs::read(full) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(source) => Err(Error::Io {
                path: path.to_string(),
                source,
            }),
        }
    }

    fn list(&self, dir: &str, extension: &str) -> Result<Option<(Vec<PageFile>, Vec<Finding>)>> {
        let folder = self.root.join(dir);
        if !folder.is_dir() {
            return Ok(None);
        }
        let mut files = Vec::new();
        let mut findings = Vec::new();
        walk(&folder, dir, extension, &mut files, &mut findings);
        let read = par_map(&files, |(rel, abs)| (rel.clone(), std::fs::read(abs)));
        let mut pages = Vec::new();
        for (path, bytes) in read {
            match bytes {
                Ok(bytes) => pages.push(PageFile { path, bytes }),
                Err(e) => findings.push(Finding::error(
                    "unreadable",
                    &path,
                    format!("cannot read the file: {e}"),
                    "check the file's permissions",
                )),
            }
        }
        Ok(Some((pages, findings)))
    }
}

/// Collects `(repository path, file path)` of every file under `dir` whose
/// name ends with `extension`, in sorted order. Symbolic links are reported
/// and never followed; names starting with `.` are skipped.
fn walk(
    dir: &Path,
    rel: &str,
    extension: &str,
    files: &mut Vec<(String, PathBuf)>,
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
        // The directory entry's own type: a link is not followed.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_symlink() {
            if name.ends_with(extension) || path.is_dir() {
                findings.push(symlink_finding(&rel_path));
            }
        } else if kind.is_dir() {
            walk(&path, &rel_path, extension, files, findings);
        } else if name.ends_with(extension) {
            if kind.is_file() {
                files.push((rel_path, path));
            } else {
                // Reading a named pipe would wait forever.
                findings.push(not_a_file(&rel_path));
            }
        }
    }
}

/// A pipe, socket or device where a page or record should be.
fn not_a_file(path: &str) -> Finding {
    Finding::error(
        "unreadable",
        path,
        "this is not a regular file (a named pipe, socket or device)",
        "move it out of the folder; folio reads only regular files",
    )
}

pub fn symlink_finding(path: &str) -> Finding {
    Finding::error(
        "symlink",
        path,
        "this is a symbolic link; folio does not follow links",
        "replace the link with the page (or folder) itself",
    )
}

/// The tree of a commit.
pub struct Snapshot<'a> {
    pub repo: &'a Repo,
    pub commit: Oid,
}

impl Files for Snapshot<'_> {
    fn read(&self, path: &str) -> Result<Option<Vec<u8>>> {
        match self.repo.entry_at(self.commit, path)? {
            Some(side) if side.kind == Kind::File => Ok(Some(self.repo.blob(side.oid, path)?)),
            _ => Ok(None),
        }
    }

    fn list(&self, dir: &str, extension: &str) -> Result<Option<(Vec<PageFile>, Vec<Finding>)>> {
        if self
            .repo
            .entry_at(self.commit, dir)?
            .is_none_or(|e| e.kind != Kind::Dir)
        {
            return Ok(None);
        }
        let mut files = Vec::new();
        let mut findings = Vec::new();
        for file in self.repo.files_under(self.commit, dir)? {
            let name = file.path.rsplit('/').next().unwrap_or("");
            if file.path[dir.len()..]
                .split('/')
                .any(|part| part.starts_with('.'))
            {
                continue;
            }
            match file.side.kind {
                Kind::Symlink if name.ends_with(extension) => {
                    findings.push(symlink_finding(&file.path))
                }
                Kind::File if name.ends_with(extension) => files.push(PageFile {
                    bytes: self.repo.blob(file.side.oid, &file.path)?,
                    path: file.path,
                }),
                _ => {}
            }
        }
        Ok(Some((files, findings)))
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

/// `f` over every item, on as many threads as there are cores, results in
/// the items' order. Pages are independent, so a whole-site check scales
/// with the cores git itself would use.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
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

/// Runs every check over the whole site.
pub fn check(site: &Site, today: NaiveDate) -> Report {
    let ctx = Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today,
    };
    let mut findings = site.findings.clone();
    let ledger = check::Ledger::new(&site.records);
    let checked = par_map(&site.pages, |page| {
        let prose = Prose::new(page.body());
        let named: Vec<String> = check::named_sources(page, &prose)
            .map(str::to_string)
            .collect();
        let mut findings = check::check_page(page, &prose, &ctx);
        findings.extend(ledger.findings(page, &prose));
        (findings, named)
    });
    let mut used = BTreeSet::new();
    for (page_findings, named) in checked {
        findings.extend(page_findings);
        used.extend(named);
    }
    if site.has_registry {
        findings.extend(check::unused_sources(&site.registry, &used));
    }
    findings.extend(check::orphan_records(
        &site.page_paths,
        &site.records,
        &site.policy.content_dir,
    ));
    findings.extend(check::unrecorded_edits(&site.pages, &site.records));
    diagnostic::sort(&mut findings);
    Report {
        findings,
        pages: site.page_paths.len(),
        subject: plural(site.page_paths.len(), "page"),
    }
}

pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}
