//! `folio init`: the folders and files a content repository needs, written
//! only where nothing exists yet.

use super::{Env, Outcome, worktree_policy};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::site::layout::{POLICY_PATH, TEMPLATES_DIR, registry_path};
use crate::site::policy::DEFAULT_POLICY;
use crate::write;

/// Create content/, content/sources.yaml, review/policy.yaml and review/templates/
///
/// Scaffold a content repository in the current git repository: the
/// content folder, an empty source registry, the default policy with every
/// key explained, and the templates folder. Existing files are never
/// overwritten; folio says what it created and what it kept, and stages
/// what it created.
#[derive(clap::Args)]
pub struct Args {}

const SOURCES: &str = "\
# The sources pages may cite: as [@id] in a page's body, or listed under
# `sources:` in its frontmatter. Each source has an id, title, url, kind
# and the day it was last read (accessed); version and publisher are
# optional. The kinds are specification, official-docs, original-research
# (primary sources), secondary and editorial-input. Add each source as a
# list item like this one, without the leading `#`:
#
# - id: onnx-spec
#   title: ONNX specification
#   url: https://onnx.ai/onnx/
#   kind: specification
#   accessed: 2026-11-27
";

const TEMPLATES_README: &str = "\
# Templates

folio renders review summaries and correction requests from minijinja
templates. A file here with the same name as a built-in template replaces it.
";

/// The content folder is the one an existing policy names, else `content`.
pub fn run(_: &Args, repo: &Repo, _: &Env) -> Result<Outcome> {
    let content_dir = worktree_policy(repo)?.pages.dir;
    let root = repo.root();
    let sources = registry_path(&content_dir);
    let readme = format!("{TEMPLATES_DIR}/README.md");
    let files = [
        (sources.as_str(), SOURCES),
        (POLICY_PATH, DEFAULT_POLICY),
        (readme.as_str(), TEMPLATES_README),
    ];
    for rel in [
        content_dir.as_str(),
        sources.as_str(),
        POLICY_PATH,
        readme.as_str(),
    ] {
        crate::plan::refuse_symlinks(root, rel)?;
    }
    let mut paths = Vec::new();
    if !root.join(&content_dir).is_dir() {
        std::fs::create_dir_all(root.join(&content_dir))
            .map_err(|source| Error::write(&content_dir, source))?;
        paths.push((format!("{content_dir}/"), true));
    }
    let mut created_files = Vec::new();
    for (rel, text) in files {
        let created = write::create_new(&root.join(rel), text.as_bytes(), None)
            .map_err(|source| Error::write(rel, source))?;
        paths.push((rel.to_string(), created));
        if created {
            created_files.push(rel.to_string());
        }
    }
    // What it created is staged, as every writing command stages its own
    // new files; a staging that fails leaves them written and says so.
    let staged = repo.stage(&created_files).is_ok();
    Ok(Outcome::Scaffolded {
        content_dir,
        paths,
        staged: if staged { created_files } else { Vec::new() },
    })
}
