//! `folio board --html`: the board as a page people look at.

use super::{Env, Outcome, out_dir};
use crate::error::{Error, Result};
use crate::git::Repo;
use crate::site::files::Worktree;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Write the editorial board as one HTML page, to publish from CI
///
/// `DIR/index.html`: the count of pages in each state; what needs
/// attention (reviews overdue, reviews due within 30 days, corrections
/// waiting, with their age); the pages `folio move` would take to their
/// next state now; the latest transitions, not-promoted
/// decisions and filed corrections; and every page by state with its
/// owner, last review, records and timeline (its state changes from git,
/// as `folio history` shows them; a shallow clone gets the board without
/// timelines, and says so). One file with its CSS inside, light and
/// dark, readable at a phone's width, with no script, and a content
/// security policy that lets it load nothing from anywhere. Every page
/// text is escaped: a title cannot add markup.
///
/// Only `DIR/index.html` is written, and only over an index.html folio
/// wrote before; the rest of the folder is left as it is. What was read of
/// the history is kept in `.git/folio-history/`, so the next board reads
/// only what is new (delete it whenever you like). `folio status` shows
/// the same board in the terminal.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio board --html public          # then publish public/ (GitHub Pages)\n  folio board --html target/board && xdg-open target/board/index.html"
)]
pub struct Args {
    /// The folder to write index.html in (made if missing)
    #[arg(long, value_name = "DIR")]
    html: PathBuf,
}

/// What marks an index.html as the board's.
const MARK: &str = "<meta name=\"generator\" content=\"folio board\">";

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    let files = Worktree { root: repo.root() };
    let site = crate::site::load_unread(&files)?;
    let out = out_dir::lexical(&env.cwd.join(&args.html));
    let shown = args.html.display().to_string();
    out_dir::placement(&out, &shown, repo.root(), &site.policy.pages.dir)?;
    if std::fs::symlink_metadata(&out).is_ok_and(|m| !m.is_dir()) {
        return out_dir::refuse(&shown, "it is a file");
    }
    let file = out.join("index.html");
    if !ours_or_absent(&file) {
        return out_dir::refuse(&shown, "its index.html is not a board folio wrote");
    }
    let repo_url = repo
        .config_string("remote.origin.url")
        .and_then(|remote| crate::correction::link::repo_url(&remote));
    // Each page's timeline comes from git's history, read on a thread of
    // its own while the pages are read; a shallow clone or a damaged
    // history still gets its board, with the reason the timelines are
    // missing.
    let paths: Vec<String> = site.page_paths.iter().cloned().collect();
    let (board, timelines) = std::thread::scope(|scope| {
        let reopen = repo.reopener();
        let history = scope.spawn(|| {
            let repo = reopen.open()?;
            crate::history::timelines(&repo, &paths, &site.policy)
        });
        let board = crate::board::board(&site, &files, env.today, repo_url.as_deref());
        let timelines = history
            .join()
            .unwrap_or_else(|_| Err(Error::bug("the history's thread stopped")));
        (board, timelines)
    });
    let (timelines, no_timelines) = match timelines {
        Ok(timelines) => (paths.into_iter().zip(timelines).collect(), None),
        Err(e) => (
            HashMap::new(),
            Some(format!("{}; {}", e.message(), e.hint_text())),
        ),
    };
    let html = crate::output::html::board(
        &board,
        &timelines,
        no_timelines.as_deref(),
        &site.policy.dialect,
        &files,
    )?;
    std::fs::create_dir_all(&out).map_err(|e| Error::write(&shown, e))?;
    let shown_file = format!("{}/index.html", shown.trim_end_matches('/'));
    crate::write::replace(&file, html.as_bytes(), 0o644, None)
        .map_err(|e| Error::write(&shown_file, e))?;
    Ok(Outcome::Published {
        file: shown_file.clone(),
        pages: board.pages.len(),
        no_timelines,
        next: format!(
            "open {shown_file} in a browser, or publish {shown} (README: \"The board as a web page\")"
        ),
    })
}

/// Whether `file` is absent or a board folio wrote.
fn ours_or_absent(file: &Path) -> bool {
    std::fs::symlink_metadata(file).is_err() || out_dir::marked(file, MARK)
}
