//! `folio init`: the folders and files a content repository needs, written
//! only where nothing exists yet.

use crate::error::{Error, Result};
use crate::policy::{DEFAULT_POLICY, POLICY_PATH};
use crate::write;
use std::path::Path;

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

/// What `init` did, one line per path, for the user to read. The content
/// folder is the one an existing policy names, else `content`.
pub fn init(root: &Path, content_dir: &str) -> Result<String> {
    let sources = format!("{content_dir}/sources.yaml");
    let files = [
        (sources.as_str(), SOURCES),
        (POLICY_PATH, DEFAULT_POLICY),
        ("review/templates/README.md", TEMPLATES_README),
    ];
    let mut report = String::new();
    let content = root.join(content_dir);
    if !content.is_dir() {
        std::fs::create_dir_all(&content).map_err(|source| Error::Io {
            path: content_dir.into(),
            source,
        })?;
        report.push_str(&format!("created  {content_dir}/\n"));
    }
    for (rel, text) in files {
        let created =
            write::create_new(&root.join(rel), text.as_bytes()).map_err(|source| Error::Io {
                path: rel.to_string(),
                source,
            })?;
        let verb = if created { "created" } else { "kept   " };
        report.push_str(&format!(
            "{verb}  {rel}{}\n",
            if created { "" } else { " (already there)" }
        ));
    }
    report.push_str(&format!(
        "next: write a page under {content_dir}/, run `folio check`, and run `folio hook install` to check every commit\n"
    ));
    Ok(report)
}
