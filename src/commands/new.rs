//! `folio new`: a draft page from the page template.

use super::{DryRun, Env, Outcome, carry_out, text, wanted_page, worktree_policy};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::plan::Plan;
use crate::site::files::Worktree;
use crate::site::layout::TEMPLATES_DIR;
use crate::site::page::Key;
use crate::site::parse_page;
use crate::site::workflow::State;
use crate::template::Templates;
use serde::Serialize;

/// Create a draft page from the page template
///
/// Create content/<id>.md as a draft, from review/templates/page.md.j2 (or
/// folio's default), with the frontmatter keys and the word for a draft
/// the policy gives the site (the template sees them as `keys.<field>` and
/// `draft`). Refuses an id that exists or is not lowercase letters, digits,
/// `-`, `_` and `.` with `/` between folders, and a path the policy's
/// `pages` globs do not make a page.
#[derive(clap::Args)]
#[command(after_help = "Example:\n  folio new guides/kv-cache --title \"KV Cache Management\"")]
pub struct Args {
    /// The page id (its path under the content folder, without .md), or the path the page is to have
    id: String,
    /// The page's title
    #[arg(long, value_parser = text)]
    title: String,
    /// The page's owner (default: git's user.name)
    #[arg(long, value_parser = text)]
    owner: Option<String>,
    #[command(flatten)]
    dry_run: DryRun,
}

/// What the page template sees.
#[derive(Serialize)]
struct PageContext<'a> {
    id: &'a str,
    title: &'a str,
    owner: &'a str,
    /// The site's name for each of folio's fields (`keys.owner` may be
    /// `owner_slack`), and its word for a draft.
    keys: std::collections::BTreeMap<&'static str, &'a str>,
    draft: &'a str,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let policy = worktree_policy(repo)?;
    let root = repo.root();
    let (id, path) = wanted_page(&args.id, &policy.pages, repo, env)?;
    let id = id.as_str();
    let taken = std::iter::once(path.clone()).chain(policy.pages.paths_for(id));
    if let Some(there) = taken
        .into_iter()
        .find(|p| std::fs::symlink_metadata(root.join(p)).is_ok())
    {
        return Err(Error::usage(format!("{there} already exists"))
            .hint("choose another id, or edit the page that is there"));
    }
    let owner = args
        .owner
        .clone()
        .or_else(|| repo.config_string("user.name"))
        .unwrap_or_default();
    let context = PageContext {
        id,
        title: &args.title,
        owner: &owner,
        keys: Key::ALL
            .iter()
            .map(|&k| (k.name(), policy.dialect.name(k)))
            .collect(),
        draft: policy.dialect.word(State::Draft),
    };
    let text = Templates::new(&Worktree { root }).render("page.md.j2", &context)?;
    let (page, findings) = parse_page(&path, text.as_bytes(), &policy);
    let made_as_asked = page.as_ref().is_some_and(|p| {
        p.fields.title.as_deref() == Some(args.title.as_str())
            && p.fields.status == Some(State::Draft)
    });
    if !findings.is_empty() || !made_as_asked {
        return Err(
            Error::config("the page template does not make a draft page with the given title")
                .hint(format!("fix {TEMPLATES_DIR}/page.md.j2: its frontmatter needs `{{{{ keys.title }}}}: {{{{ title | yaml }}}}` and `{{{{ keys.status }}}}: {{{{ draft }}}}`")),
        );
    }
    let mut plan = Plan::default();
    plan.create(&path, text);
    let next = format!("write it, then `folio move {id} research`");
    carry_out(&plan, repo, &args.dry_run, Vec::new(), &next, |then, _| {
        Outcome::Created { path, then }
    })
}
