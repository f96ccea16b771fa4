//! `folio baseline`: accept the site's current findings.

use super::{DryRun, Env, Outcome, carry_out};
use crate::baseline::{BASELINE_PATH, Baseline};
use crate::check;
use crate::error::Result;
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::files::{Files, Worktree};

/// Accept the site's current findings, so only new ones are reported
///
/// Record every finding `folio check` makes on the working tree in
/// review/baseline.json. From then on `check`, `check --staged` (the
/// hook), `check --range` and `summary` leave those findings out, report
/// only the ones that are not in the baseline, and say how many they left
/// out. This is how an existing site adopts folio without fixing every
/// page first.
///
/// A finding is matched by its code, its file and its message, not by its
/// line, so it stays matched when lines above it move or other parts of
/// the page change. Run `folio baseline` again after fixing findings: the
/// fixed ones drop out. It also accepts any finding that is new since the
/// last time, so read the file's diff before committing it.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio baseline && git commit -m \"Adopt folio\"\n  folio baseline --dry-run     # what would change in the baseline"
)]
pub struct Args {
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let files = Worktree { root: repo.root() };
    let site = crate::site::load_unread(&files)?;
    let mut report = check::check_unread(&site, &files, env.today);
    if let Some(stale) = super::templates::stale_form(repo, &site)? {
        report.findings.push(stale);
    }
    let before = files.read(BASELINE_PATH)?;
    let old = match &before {
        Some(bytes) => Baseline::parse(bytes)?,
        None => Baseline::default(),
    };
    let (text, renewal) = old.renew(&report.findings);
    let total = report.findings.len();
    let mut plan = Plan::default();
    match before {
        Some(before) if before == text.as_bytes() => {
            return Ok(Outcome::Unchanged {
                what: format!(
                    "{BASELINE_PATH} already holds the {total} findings folio finds today"
                ),
            });
        }
        Some(before) => plan.edit(BASELINE_PATH, before, text),
        None => plan.create(BASELINE_PATH, text),
    }
    let next = "git commit -m \"Accept folio's current findings\"";
    carry_out(&plan, repo, &args.dry_run, Vec::new(), next, |then, _| {
        Outcome::Baselined {
            total,
            renewal,
            then,
        }
    })
}
