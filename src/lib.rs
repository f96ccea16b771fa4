//! folio: a git-aware editorial workflow for Markdown reference sites.
//!
//! The pipeline, left to right: `commands` turns the command line into a
//! command and runs it; `git` reads the repository; `site` reads the
//! policy, the source registry, the pages and the records (through `text`:
//! YAML, Markdown, positions); `change` describes what a commit or the
//! staged index does to the site; `check` judges a site or a change and
//! returns `Finding`s (`finding`); `output` prints what a command did in
//! one of its formats. `board` and `history` tell the story (the site's
//! state now, a page's from git), and `export` gives it to a site generator; the editor's commands change pages only
//! through `edit` and `write`, and render new pages with `template`.
//! `error` is why a command could not run.

pub mod baseline;
pub mod board;
pub mod change;
pub mod check;
pub mod commands;
pub mod correction;
pub mod edit;
pub mod error;
pub mod export;
pub mod finding;
pub mod git;
pub mod history;
pub mod output;
pub mod plan;
pub mod progress;
pub mod site;
pub mod summary;
pub mod template;
pub mod text;
pub mod write;
