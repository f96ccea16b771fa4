//! `folio templates`: the files folio generates for GitHub from the site
//! and `review/templates/`: the correction issue form and the issue
//! template chooser's config. `--check` (and `folio check`) report them
//! stale when the site has changed since (a page added, renamed or
//! removed) or the templates have.

use super::correction::page_ids;
use super::{DryRun, Env, Outcome, carry_out, worktree_site};
use crate::correction::form::{self, CONFIG_PATH, FORM_PATH};
use crate::error::Result;
use crate::finding::Finding;
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::Site;
use crate::site::files::{Files, Worktree};

/// Generate the correction issue form from the site (or check it for drift)
///
/// Write .github/ISSUE_TEMPLATE/correction.yml, the GitHub issue form
/// contributors file corrections with (a dropdown of the site's pages, the
/// kind of problem, the claim, the proposed wording and a required
/// supporting source), and config.yml beside it, from
/// review/templates/correction-form.yml.j2 and issue-config.yml.j2 (or
/// folio's own). The form is checked against what GitHub accepts before it
/// is written. With --check, write nothing and exit 1 if either file is
/// not as folio would write it now.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  folio templates\n  folio templates --check   # in CI")]
pub struct Args {
    /// Write nothing; exit 1 if the generated files are stale
    #[arg(long)]
    check: bool,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, _: &Env) -> Result<Outcome> {
    let site = worktree_site(repo)?;
    let files = Worktree { root: repo.root() };
    let made = form::generate(&files, &page_ids(&site))?;
    let wanted = [(FORM_PATH, made.form), (CONFIG_PATH, made.config)];
    if args.check {
        let mut stale = Vec::new();
        for (path, text) in &wanted {
            let on_disk = files.read(path)?;
            if on_disk.as_deref() != Some(text.as_bytes()) {
                stale.push((path.to_string(), why_stale(path, on_disk.as_deref(), &site)));
            }
        }
        return Ok(Outcome::Drift { stale });
    }
    let mut plan = Plan::default();
    let mut written = Vec::new();
    for (path, text) in wanted {
        match files.read(path)? {
            Some(before) if before == text.as_bytes() => {}
            Some(before) => {
                plan.edit(path, before, text);
                written.push(path.to_string());
            }
            None => {
                plan.create(path, text);
                written.push(path.to_string());
            }
        }
    }
    if written.is_empty() {
        return Ok(Outcome::Unchanged {
            what: format!("{FORM_PATH} and {CONFIG_PATH} are up to date"),
        });
    }
    let next = "git commit -m \"Update the correction form\"";
    carry_out(&plan, repo, &args.dry_run, Vec::new(), next, |then, _| {
        Outcome::Generated { written, then }
    })
}

/// Why a generated file is stale: missing, the pages it offers differ from
/// the site's (named), or it was edited or its template changed.
fn why_stale(path: &str, on_disk: Option<&[u8]>, site: &Site) -> String {
    let Some(bytes) = on_disk else {
        return "it does not exist; run `folio templates`".to_string();
    };
    let offered: Option<Vec<String>> = std::str::from_utf8(bytes)
        .ok()
        .and_then(|text| form::check_form(text).ok())
        .and_then(|fields| fields.into_iter().find(|f| f.id == "page"))
        .map(|f| f.options);
    let ids = page_ids(site);
    match offered.filter(|o| path == FORM_PATH && !o.is_empty()) {
        Some(offered) => {
            let added: Vec<&str> = ids
                .iter()
                .filter(|id| !offered.contains(id))
                .map(String::as_str)
                .collect();
            let gone: Vec<&str> = offered
                .iter()
                .filter(|o| !ids.contains(o))
                .map(String::as_str)
                .collect();
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!("pages not offered: {}", added.join(", ")));
            }
            if !gone.is_empty() {
                parts.push(format!("offered but no longer pages: {}", gone.join(", ")));
            }
            if parts.is_empty() {
                "it was edited, or its template changed".to_string()
            } else {
                parts.join("; ")
            }
        }
        None => "it was edited, or the site or its template changed".to_string(),
    }
}

/// For `folio check`: a warning when the correction form exists but is
/// not as `folio templates` would write it now. A site without the form is
/// not told to have one.
pub fn stale_form(repo: &Repo, site: &Site) -> Result<Option<Finding>> {
    let files = Worktree { root: repo.root() };
    let Some(on_disk) = files.read(FORM_PATH)? else {
        return Ok(None);
    };
    let Ok(made) = form::generate(&files, &page_ids(site)) else {
        return Ok(None);
    };
    if on_disk == made.form.as_bytes() {
        return Ok(None);
    }
    Ok(Some(
        Finding::warning(
            "stale-form",
            FORM_PATH,
            format!(
                "the correction form is out of date: {}",
                why_stale(FORM_PATH, Some(&on_disk), site)
            ),
            "run `folio templates` and commit the result",
        )
        .at_line(1, 1),
    ))
}
