//! `folio rename`: a page to a new id, with its records and the links to
//! it. The page file and its records move as `git mv` moves them; links to
//! the page from other pages, and the moved page's own relative links, are
//! rewritten to lead where they led; a reviewed or promoted page whose
//! text changes gets the maintenance record such an edit needs.

use super::{DryRun, Env, Outcome, RecordArgs, carry_out, wanted_page};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::layout::records_dir;
use crate::site::links::{resolve_link, retarget, rewrite};
use crate::site::page::Page;
use crate::site::parse_page;
use crate::site::policy::Policy;
use crate::site::record::{Change, Kind, Record};
use crate::site::workflow::State;
use crate::text::markdown::Prose;
use std::collections::HashMap;

/// Rename a page, with its records and the links to it
///
/// Move a page to a new id (or path). Its records folder moves with it, so
/// its maintenance history and decisions stay its own; links to it from
/// other pages, and its own relative links, are rewritten to lead where
/// they led. A reviewed or promoted page whose text changes (the renamed
/// page, or a page linking to it) gets an editorial maintenance record, as
/// any edit of a published page needs. Everything is staged, so the next
/// commit carries the rename whole.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
folio rename guides/kv-cache runtime/kv-cache\n  \
folio rename content/guides/kv-cache.md content/runtime/paged-kv.md --dry-run")]
pub struct Args {
    #[command(flatten)]
    target: RecordArgs,
    /// The page's new id, or the path it is to have
    new: String,
    #[command(flatten)]
    dry_run: DryRun,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let recording = args.target.open(repo, env)?;
    let (site, page, recorder) = (&recording.site, recording.page(), &recording.recorder);
    let content_dir = &site.policy.pages.dir;
    let (new_id, new_path) = wanted_page(&args.new, &site.policy.pages, repo, env)?;
    let old_path = page.path.clone();
    if new_id == page.id {
        return Ok(Outcome::Unchanged {
            what: format!("{old_path} is already named `{new_id}`"),
        });
    }
    if std::fs::symlink_metadata(repo.root().join(&new_path)).is_ok() {
        return Err(Error::usage(format!("{new_path} already exists"))
            .hint("choose another id, or rename or remove the page that is there first"));
    }
    if let Some(there) = site.records.iter().find(|r| r.owner == new_id) {
        return Err(Error::usage(format!(
            "{} already holds records ({}), of a page that had the id `{new_id}` before",
            records_dir(&new_id),
            there.path
        ))
        .hint("choose another id, or move those records away first"));
    }
    let dir = |path: &str| path.rsplit_once('/').map_or("", |(d, _)| d).to_string();
    let (old_dir, new_dir) = (dir(&old_path), dir(&new_path));

    let mut plan = Plan::default();
    let mut relinked = Vec::new();
    // Every other page whose links led to the renamed page.
    let mut edited_pages: Vec<(Page, Vec<u8>)> = Vec::new();
    for other in site.pages.iter().filter(|p| p.path != old_path) {
        let prose = Prose::new(other.body());
        let other_dir = dir(&other.path);
        let links_here = prose.links.iter().any(|l| {
            resolve_link(&l.target, &other_dir, content_dir).as_deref() == Some(&old_path)
        });
        if !links_here {
            continue;
        }
        let to = |t: &str| retarget(t, &other_dir, &other_dir, &old_path, &new_path, content_dir);
        if let Some(text) = rewrite(other, &prose, to) {
            plan.edit(&other.path, other.text.file_bytes(), text.clone());
            relinked.push(other.path.clone());
            edited_pages.push((other.clone(), text));
        }
    }
    // The page itself, and its own relative links from its new folder.
    plan.rename(&old_path, &new_path);
    let prose = Prose::new(page.body());
    let own = |t: &str| retarget(t, &old_dir, &new_dir, &old_path, &new_path, content_dir);
    let new_text = rewrite(page, &prose, own);
    if let Some(text) = &new_text {
        plan.edit(&new_path, page.text.file_bytes(), text.clone());
    }
    // Its records, into the folder of its new id.
    let own_records: Vec<_> = site.records.iter().filter(|r| r.owner == page.id).collect();
    for record in &own_records {
        let name = record.path.rsplit('/').next().unwrap_or_default();
        plan.rename(&record.path, &format!("{}/{name}", records_dir(&new_id)));
    }
    // A record for each published page whose text changed, and for the
    // renamed page if it is published: the rename is part of its history.
    let mut recorded = Vec::new();
    let published = |p: &Page| p.fields.status >= Some(State::Reviewed);
    if published(page) {
        let text = new_text.unwrap_or_else(|| page.text.file_bytes());
        let moved = reparse(&new_path, &text, &site.policy)?;
        let mut earlier: Vec<_> = own_records.iter().map(|r| (*r).clone()).collect();
        earlier.iter_mut().for_each(|r| r.owner = new_id.clone());
        let mut record = recorder.record(Kind::Maintenance, &moved, &earlier);
        record.change = Some(Change::Editorial);
        record.summary = Some(format!("renamed from `{}` to `{new_id}`", page.id));
        recorded.push(recorder.plan(&mut plan, repo.root(), &record)?);
    }
    // Each relinked page's own records, grouped once (not a scan of every
    // record per page).
    let mut by_owner: HashMap<&str, Vec<&Record>> = HashMap::new();
    for record in &site.records {
        by_owner
            .entry(record.owner.as_str())
            .or_default()
            .push(record);
    }
    for (other, text) in edited_pages.iter().filter(|(p, _)| published(p)) {
        let relinked_page = reparse(&other.path, text, &site.policy)?;
        let own = by_owner
            .get(other.id.as_str())
            .into_iter()
            .flatten()
            .copied();
        let mut record = recorder.record(Kind::Maintenance, &relinked_page, own);
        record.change = Some(Change::Editorial);
        record.summary = Some(format!(
            "links to `{}` follow its rename to `{new_id}`",
            page.id
        ));
        recorded.push(recorder.plan(&mut plan, repo.root(), &record)?);
    }
    let next = format!("git commit -m \"Rename {} to {new_id}\"", page.id);
    carry_out(&plan, repo, &args.dry_run, Vec::new(), &next, |then, _| {
        Outcome::Renamed {
            from: old_path.clone(),
            to: new_path.clone(),
            records_moved: own_records.len(),
            relinked,
            recorded,
            then,
        }
    })
}

/// A page as folio is about to write it.
fn reparse(path: &str, text: &[u8], policy: &Policy) -> Result<Page> {
    parse_page(path, text, policy).0.ok_or_else(|| {
        Error::bug(format!(
            "{path} does not read back after its links were rewritten"
        ))
        .hint("please report this with the page")
    })
}
