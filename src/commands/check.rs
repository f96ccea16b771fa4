//! `folio check`: the site, the staged change, or a range of commits.

use super::{Env, Outcome, named_path, worktree_policy};
use crate::baseline::leave_out;
use crate::check::{self, change};
use crate::error::{Error, Result};
use crate::git::{Repo, amend_in_progress};
use crate::output::Format;
use crate::site::files::{Files, Worktree};

/// Check every page against its state, the source registry and the policy
///
/// Check every page under the content folder against what its state
/// demands, the source registry (content/sources.yaml) and the policy
/// (review/policy.yaml).
///
/// A draft needs a title; a research page also a summary, an audience and
/// an owner; a reviewed page also a source, citations that resolve, no
/// policy finding, a last_reviewed date and a reviewer from the policy who
/// is not the owner; a promoted page also cites only promotable source
/// kinds and is reviewed within the interval.
///
/// Name pages (ids, paths, or folders of pages) to check only those, with
/// the site's policy, registry and ledger; the checks of the whole site
/// (unused sources, orphan records) are then left out.
#[derive(clap::Args, Debug, PartialEq)]
#[command(
    after_help = "Examples:\n  folio check\n  folio check guides/kv-cache content/intro.md   # only these pages\n  folio check content/guides                       # the pages in a folder\n  folio check --format json | jq '.findings[].code'\n  folio check --format github   # in a GitHub Actions step"
)]
pub struct Args {
    /// Pages to check (ids, paths or folders); all of them when none is named
    #[arg(value_name = "PAGE", conflicts_with_all = ["staged", "range"])]
    pages: Vec<String>,

    /// Check the pages as they are staged (the index), not the working tree: what the pre-commit hook runs
    #[arg(long, conflicts_with = "range")]
    staged: bool,

    /// Check every commit on HEAD since its merge-base with BASE (what a pull request contains), then the site at HEAD
    #[arg(long, value_name = "BASE..HEAD")]
    range: Option<String>,

    /// human (snippets with carets), json (stable, documented in README.md), github (workflow annotations), sarif (SARIF 2.1.0, for GitHub code scanning), rdjsonl (reviewdog)
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    format: ReportFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
enum ReportFormat {
    Human,
    Json,
    Github,
    Sarif,
    Rdjsonl,
}

impl Args {
    /// `check --staged` (see `Cli::from_command_line`).
    pub(super) fn staged() -> Args {
        Args {
            pages: Vec::new(),
            staged: true,
            range: None,
            format: ReportFormat::Human,
        }
    }
}

/// The pages a user named: each an id or a page's path, or a folder, for
/// every page under it. A name that is no page is an error.
fn named_pages(names: &[String], files: &Worktree, repo: &Repo, env: &Env) -> Result<Vec<String>> {
    let policy = worktree_policy(repo)?;
    let content_dir = &policy.pages.dir;
    let pages = files.paths(content_dir, &|p| policy.pages.is_page(p))?;
    let mut paths = Vec::new();
    for name in names {
        let folder = env.cwd.join(name);
        if folder.is_dir() {
            let under = folder
                .canonicalize()
                .ok()
                .and_then(|f| {
                    let root = repo.root().canonicalize().ok()?;
                    f.strip_prefix(root)
                        .ok()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })
                .unwrap_or_default();
            let prefix = if under.is_empty() {
                String::new()
            } else {
                format!("{under}/")
            };
            let found: Vec<&String> = pages.iter().filter(|p| p.starts_with(&prefix)).collect();
            if found.is_empty() {
                return Err(Error::usage(format!("there are no pages in {name}"))
                    .hint(format!("the pages are {}", policy.pages.describe())));
            }
            paths.extend(found.into_iter().cloned());
            continue;
        }
        let path = named_path(name, &policy.pages, repo, env, &|p| {
            pages.contains(&p.to_string())
        })?;
        if !pages.contains(&path) {
            return Err(
                Error::usage(format!("there is no page `{name}` ({path} does not exist)"))
                    .hint("name a page by its id or its file's path; `folio status` lists them"),
            );
        }
        paths.push(path);
    }
    paths.sort();
    paths.dedup();
    Ok(paths)
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let report = match (&args.range, args.staged) {
        (Some(range), _) => change::range(repo, range, env.today)?,
        (None, true) => change::staged(
            repo,
            env.index_file.as_deref(),
            env.today,
            // git hands every commit hook `GIT_INDEX_FILE`; without it no
            // commit is running, so there is no amend to see.
            env.index_file.is_some() && amend_in_progress(),
        )?,
        (None, false) if args.pages.is_empty() => {
            let files = Worktree { root: repo.root() };
            let site = crate::site::load_unread(&files)?;
            let mut report = check::check_unread(&site, &files, env.today);
            if let Some(stale) = super::templates::stale_form(repo, &site)? {
                report.findings.push(stale);
                crate::finding::sort(&mut report.findings);
            }
            report.baseline = leave_out(&files, &mut report.findings, true)?;
            report
        }
        (None, false) => {
            let files = Worktree { root: repo.root() };
            let paths = named_pages(&args.pages, &files, repo, env)?;
            let mut report = check::check_pages(&files, &paths, env.today)?;
            report.baseline = leave_out(&files, &mut report.findings, false)?;
            report
        }
    };
    let format = match args.format {
        ReportFormat::Human => Format::Human,
        ReportFormat::Json => Format::Json,
        ReportFormat::Github => Format::Github,
        ReportFormat::Sarif => Format::Sarif,
        ReportFormat::Rdjsonl => Format::Rdjsonl,
    };
    Ok(Outcome::Checked { report, format })
}
