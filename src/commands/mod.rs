//! The command line: one file per command, each owning its clap `Args`
//! (whose doc comment is the command's help) and one `run` that returns a
//! typed `Outcome`; `output` prints it. This file parses the arguments,
//! dispatches in one line per command, and holds what commands share:
//! `Env` (what folio takes from its process) and `Outcome`, the site as the
//! working tree holds it, the page a user named, and who is recording.
//!
//! Only `main` and this folder know clap. To add a command: write its file
//! here (`Args` and `run`), add a variant to `Command` and a line to
//! `run_with_repo`, and, if it returns something new, an `Outcome` variant
//! and its printer.

pub mod baseline;
pub mod board;
pub mod check;
pub mod completions;
pub mod correction;
pub mod decline;
pub mod export;
pub mod history;
pub mod hook;
pub mod init;
pub mod log;
pub mod r#move;
pub mod new;
mod out_dir;
pub mod rename;
pub mod review;
pub mod rules;
pub mod schema;
pub mod status;
pub mod summary;
pub mod templates;

use crate::board::Board;
use crate::check::Report;
use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::git::Repo;
use crate::history::Event;
use crate::output::Format;
use crate::plan::Plan;
use crate::site::files::{Files, Worktree};
use crate::site::layout::{
    MAX_NAME, Named, PAGE_ID_RULE, POLICY_PATH, PageSet, named_page, suggest_page_id, valid_page_id,
};
use crate::site::page::Page;
use crate::site::policy::Policy;
use crate::site::record::{Kind, Record};
use crate::site::workflow::State;
use crate::site::{self, Site};
use crate::text::suggest::did_you_mean;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Parser;
use std::path::{Path, PathBuf};

/// A git-aware editorial workflow for Markdown reference sites
///
/// folio keeps a Markdown reference site honest. Every page moves through
/// draft → research → reviewed → promoted, and folio refuses a page that
/// does not meet what its state demands: sources that resolve, a reviewer
/// who is not the owner, a recent review, and none of the claims the site
/// does not promote (future dates, universal performance multipliers,
/// unsourced maturity labels, broad comparisons).
///
/// Run it from anywhere inside the site's git repository.
#[derive(Parser)]
#[command(
    name = "folio",
    version,
    after_help = "Exit codes: 0 clean (warnings alone do not fail), 1 error findings, 2 folio could not run.\n\
Environment: NO_COLOR turns colour off; FOLIO_TODAY=YYYY-MM-DD fixes the date folio takes as today (and makes records at noon UTC of it)."
)]
pub struct Cli {
    /// When to colour human output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, PartialEq, clap::ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl Cli {
    /// Reads the command line. The hook's own, `folio check --staged`, is
    /// taken as it is, without building every command's arguments first:
    /// that is a tenth of what the hook costs a commit. A test holds the
    /// two readings equal.
    pub fn from_command_line() -> std::result::Result<Cli, clap::Error> {
        use clap::Parser;
        let mut args = std::env::args_os().skip(1);
        if let (Some(a), Some(b), None) = (args.next(), args.next(), args.next()) {
            if a == "check" && b == "--staged" {
                return Ok(Cli::staged_check());
            }
        }
        Cli::try_parse()
    }

    fn staged_check() -> Cli {
        Cli {
            color: ColorChoice::Auto,
            command: Command::Check(check::Args::staged()),
        }
    }

    /// `Some(true)` or `Some(false)` when `--color` decides; `None` means
    /// decide from the terminal and `NO_COLOR`.
    pub fn color(&self) -> Option<bool> {
        match self.color {
            ColorChoice::Auto => None,
            ColorChoice::Always => Some(true),
            ColorChoice::Never => Some(false),
        }
    }
}

#[derive(clap::Subcommand)]
pub enum Command {
    Check(check::Args),
    Baseline(baseline::Args),
    Init(init::Args),
    New(new::Args),
    Move(r#move::Args),
    Rename(rename::Args),
    Review(review::Args),
    Rules(rules::Args),
    Log(log::Args),
    Decline(decline::Args),
    Correction(correction::Args),
    Templates(templates::Args),
    Status(status::Args),
    Board(board::Args),
    Schema(schema::Args),
    Export(export::Args),
    History(history::Args),
    Summary(summary::Args),
    Hook(hook::Args),
    Completions(completions::Args),
    Man(completions::ManArgs),
}

/// What folio takes from its process: read in `main`, passed in here, so
/// tests and the core never read the clock or the environment themselves.
pub struct Env {
    /// Where to start looking for the repository, and what relative paths
    /// are relative to.
    pub cwd: PathBuf,
    pub today: NaiveDate,
    /// The moment records are made at (see `Record::made`).
    pub now: DateTime<Utc>,
    /// This binary, for the hook to call.
    pub exe: PathBuf,
    /// The index git is committing, when it is not the repository's own:
    /// `GIT_INDEX_FILE`, which git sets for a hook.
    pub index_file: Option<PathBuf>,
    /// Makes each record's file name unique (see `Record::file_name`).
    pub nonce: u128,
}

/// What a command did, as data: `output::render` turns it into text and
/// `exit_code` into the exit code.
pub enum Outcome {
    /// Findings over a site or a change.
    Checked { report: Report, format: Format },
    /// `init`: each path, and whether it was created (or kept).
    Scaffolded {
        content_dir: String,
        paths: Vec<(String, bool)>,
        /// The files created and staged.
        staged: Vec<String>,
    },
    /// `new`: the draft created.
    Created { path: String, then: Then },
    /// `move`, done, with its transition record, and the warnings the page
    /// still has.
    Moved {
        path: String,
        from: State,
        to: State,
        record: String,
        warnings: Vec<Finding>,
        then: Then,
    },
    /// A writing command's `--dry-run`: what it would write, and the
    /// warnings the page would still have.
    Preview {
        diff: String,
        warnings: Vec<Finding>,
    },
    /// `move` to the state the page has, `rename` to the id it has:
    /// nothing to do, nothing written.
    Unchanged { what: String },
    /// `rename`, done: the page and how many records moved, the pages
    /// whose links were rewritten, the records made.
    Renamed {
        from: String,
        to: String,
        records_moved: usize,
        relinked: Vec<String>,
        recorded: Vec<String>,
        then: Then,
    },
    /// `move` or `review`, refused: what the page would lack. Nothing was
    /// written.
    Refused {
        path: String,
        /// The state the page stays in.
        state: State,
        /// What was refused: "the move to reviewed", "the renewed review".
        what: String,
        findings: Vec<Finding>,
    },
    /// `review`, done: the page signed again, with its record.
    Renewed {
        path: String,
        reviewer: String,
        date: NaiveDate,
        record: String,
        warnings: Vec<Finding>,
        then: Then,
    },
    /// `log` and `decline`: the record written, and where a declined claim
    /// still appears in the page.
    Recorded {
        record: String,
        still_appears: Option<Finding>,
        then: Then,
    },
    /// Text a command made for the user to read or paste (a correction
    /// request, a link), printed as it is, each line made printable.
    Text { text: String },
    /// Text folio generated from its own definition (a completion script,
    /// the manual page), printed exactly as it is.
    Script { text: String },
    /// `correction intake`: the correction record written.
    Filed {
        record: String,
        id: String,
        page: String,
        /// What made it a repeat, when written with `--force`.
        notes: Vec<String>,
        then: Then,
    },
    /// `correction accept|hold|reject`: the decision recorded.
    Decided {
        record: String,
        id: String,
        state: crate::site::record::CorrectionState,
        then: Then,
    },
    /// `templates --check`: generated files that are not as folio would
    /// write them, and why.
    Drift { stale: Vec<(String, String)> },
    /// `templates`: the files written (or already up to date).
    Generated { written: Vec<String>, then: Then },
    /// `folio baseline` wrote the baseline: how many findings it holds,
    /// and how that differs from the one before.
    Baselined {
        total: usize,
        renewal: crate::baseline::Renewal,
        then: Then,
    },
    /// `rules`: the policy's rules, each with its example tried.
    Rules {
        rules: Vec<rules::RuleView>,
        format: Format,
    },
    /// `hook install` and `hook uninstall`.
    Hook(hook::HookChange),
    /// `status`.
    Board { board: Board, format: Format },
    /// `board --html`: the page written, and how many pages it shows.
    Published {
        file: String,
        pages: usize,
        /// Why the pages' timelines are missing, when they are.
        no_timelines: Option<String>,
        next: String,
    },
    /// `export`: the folder written, how many pages it holds, how many
    /// files that should be pages were left out (unreadable, too large,
    /// without frontmatter folio reads, or symbolic links), and what to do
    /// next.
    Exported {
        dir: String,
        pages: usize,
        left_out: usize,
        next: String,
    },
    /// `history`.
    History {
        path: String,
        events: Vec<Event>,
        format: Format,
    },
    /// `summary`: the document, and the Markdown its template made of it
    /// (none when the document itself is asked for).
    Summary {
        summary: Box<crate::summary::Summary>,
        markdown: Option<String>,
    },
}

impl Outcome {
    /// `1` for error findings and refused moves, `0` otherwise.
    pub fn exit_code(&self) -> i32 {
        match self {
            Outcome::Checked { report, .. } => report.exit_code(),
            Outcome::Refused { .. } => 1,
            Outcome::Drift { stale } if !stale.is_empty() => 1,
            Outcome::Rules { rules, .. } if rules.iter().any(rules::RuleView::fails) => 1,
            _ => 0,
        }
    }
}

/// Carries out a command in the repository around `env.cwd`.
pub fn run(command: &Command, env: &Env) -> Result<Outcome> {
    // What needs no repository.
    match command {
        Command::Completions(args) => return Ok(completions::completions(args)),
        Command::Man(args) => return Ok(completions::man(args)),
        _ => {}
    }
    let repo = Repo::discover(&env.cwd)?;
    crate::site::matcher::cache_in(repo.common_dir());
    let outcome = run_with_repo(command, &repo, env);
    // The process ends once the outcome is printed: closing libgit2's
    // packs and freeing its caches here would cost the hook a tenth of
    // its time for nothing the system does not do at exit.
    std::mem::forget(repo);
    outcome
}

/// Carries out a command in an opened repository.
pub fn run_with_repo(command: &Command, repo: &Repo, env: &Env) -> Result<Outcome> {
    crate::plan::recover_crashed(repo)?;
    match command {
        Command::Check(args) => check::run(args, repo, env),
        Command::Baseline(args) => baseline::run(args, repo, env),
        Command::Init(args) => init::run(args, repo, env),
        Command::New(args) => new::run(args, repo, env),
        Command::Move(args) => r#move::run(args, repo, env),
        Command::Rename(args) => rename::run(args, repo, env),
        Command::Review(args) => review::run(args, repo, env),
        Command::Rules(args) => rules::run(args, repo, env),
        Command::Log(args) => log::run(args, repo, env),
        Command::Decline(args) => decline::run(args, repo, env),
        Command::Correction(args) => correction::run(args, repo, env),
        Command::Templates(args) => templates::run(args, repo, env),
        Command::Status(args) => status::run(args, repo, env),
        Command::Board(args) => board::run(args, repo, env),
        Command::Schema(args) => schema::run(args, repo, env),
        Command::Export(args) => export::run(args, repo, env),
        Command::History(args) => history::run(args, repo, env),
        Command::Summary(args) => summary::run(args, repo, env),
        Command::Hook(args) => hook::run(args, repo, env),
        Command::Completions(args) => Ok(completions::completions(args)),
        Command::Man(args) => Ok(completions::man(args)),
    }
}

/// What a writing command leaves the editor: what it staged, what it wrote
/// but left unstaged and why, and the step to take next.
pub struct Then {
    pub staged: Vec<String>,
    /// Files moved, as `(from, to)`, staged as moves.
    pub moved: Vec<(String, String)>,
    /// `(path, why)`.
    pub unstaged: Vec<(String, String)>,
    pub next: String,
}

impl Then {
    /// The next step: `commit`, or staging what was left first.
    fn next(mut self, commit: &str) -> Then {
        self.next = if self.unstaged.is_empty() {
            commit.to_string()
        } else {
            let paths: Vec<&str> = self.unstaged.iter().map(|(p, _)| p.as_str()).collect();
            format!("git add {}, then {commit}", paths.join(" "))
        };
        self
    }
}

/// `--dry-run`, for every command that writes.
#[derive(clap::Args)]
pub struct DryRun {
    /// Print what would be written, as a unified diff, and write nothing
    #[arg(long, display_order = 200)]
    dry_run: bool,
}

/// The end of every writing command: with `--dry-run`, the plan as a diff
/// (and the warnings that would remain); otherwise the plan carried out
/// under the repository's lock, what it wrote staged (each edited file
/// only if the editor had no unstaged change in it), and `done` told what
/// was staged and what to do `next`.
fn carry_out(
    plan: &Plan,
    repo: &Repo,
    dry_run: &DryRun,
    warnings: Vec<Finding>,
    next: &str,
    done: impl FnOnce(Then, Vec<Finding>) -> Outcome,
) -> Result<Outcome> {
    if dry_run.dry_run {
        return Ok(Outcome::Preview {
            diff: plan.diff(),
            warnings,
        });
    }
    let (applied, _lock) = plan.apply(repo)?;
    let mut unstaged = applied.left;
    let staged = match repo.stage(&applied.to_stage) {
        Ok(()) => applied.to_stage,
        Err(e) => {
            let why = format!("staging failed: {}", e.message());
            unstaged.extend(applied.to_stage.into_iter().map(|p| (p, why.clone())));
            Vec::new()
        }
    };
    let then = Then {
        staged,
        moved: applied.moved,
        unstaged,
        next: String::new(),
    }
    .next(next);
    Ok(done(then, warnings))
}

/// `--format` for commands that print data: a table or JSON.
#[derive(Clone, Copy, clap::ValueEnum)]
pub enum DataFormat {
    Human,
    Json,
}

impl From<DataFormat> for Format {
    fn from(format: DataFormat) -> Format {
        match format {
            DataFormat::Human => Format::Human,
            DataFormat::Json => Format::Json,
        }
    }
}

/// Text a person must give: not empty, not only spaces.
fn text(value: &str) -> std::result::Result<String, String> {
    if value.trim().is_empty() {
        return Err("give some text: it may not be empty".to_string());
    }
    Ok(value.to_string())
}

/// The site as the working tree holds it.
fn worktree_site(repo: &Repo) -> Result<Site> {
    site::load(&Worktree { root: repo.root() })
}

/// The policy as the working tree holds it (or the defaults).
fn worktree_policy(repo: &Repo) -> Result<Policy> {
    site::policy_from(Worktree { root: repo.root() }.read(POLICY_PATH)?)
}

/// The repository path of the page a user named (see `named_page`). An
/// id names the first of its possible files (`PageSet::paths_for`) that
/// `exists`, else its `.md` file.
fn named_path(
    name: &str,
    pages: &PageSet,
    repo: &Repo,
    env: &Env,
    exists: &dyn Fn(&str) -> bool,
) -> Result<String> {
    match named_page(name, pages, repo.root(), &env.cwd) {
        Ok(Named::Path(path)) => Ok(path),
        Ok(Named::Id(id)) => Ok(pages
            .paths_for(&id)
            .find(|p| exists(p))
            .unwrap_or_else(|| pages.new_path(&id))),
        Err(why) => {
            Err(Error::usage(format!("there is no page `{name}`: {why}")).hint(NAME_A_PAGE))
        }
    }
}

/// The id and path a user gave for a page that is to exist (`new`,
/// `rename`): an id (its file is the id plus `.md`), or the path the page
/// is to have. The id rules apply here, to the ids folio creates, and the
/// path must be one of the site's pages.
fn wanted_page(name: &str, pages: &PageSet, repo: &Repo, env: &Env) -> Result<(String, String)> {
    let path = match named_page(name, pages, repo.root(), &env.cwd) {
        Ok(Named::Path(path)) => path,
        Ok(Named::Id(id)) => pages.new_path(&id),
        Err(why) => return Err(Error::usage(format!("cannot use `{name}`: {why}"))),
    };
    let id = pages.id(&path).to_string();
    if !valid_page_id(&id) {
        return Err(
            Error::usage(format!("`{id}` is not a page id")).hint(format!(
                "use {PAGE_ID_RULE}, such as `{}`",
                suggest_page_id(&id)
            )),
        );
    }
    if let Some(name) = id.split('/').find(|name| name.len() > MAX_NAME) {
        return Err(Error::usage(format!(
            "a name in that page id is {} characters long; folio creates names of at most {MAX_NAME} characters",
            name.len()
        ))
        .hint("choose a shorter id"));
    }
    if !pages.is_page(&path) {
        return Err(Error::usage(format!(
            "{path} would not be one of the site's pages, which are {}",
            pages.describe()
        ))
        .hint("name the page by a path the policy's `pages` globs include, such as one ending as the site's pages do"));
    }
    Ok((id, path))
}

/// How a page is named.
const NAME_A_PAGE: &str = "name a page by its id (its path under the content folder, without .md or the site's other ending), or by its file's path";

/// Where the page a user named, by id or by path (see `named_page`),
/// is in `site.pages`.
fn find_page(site: &Site, repo: &Repo, env: &Env, name: &str) -> Result<usize> {
    let exists = |p: &str| site.page_paths.contains(p);
    let path = named_path(name, &site.policy.pages, repo, env, &exists)?;
    let found = site.pages.iter().position(|p| p.path == path);
    found.ok_or_else(|| {
        let ids = site.pages.iter().map(|p| p.id.as_str());
        Error::usage(format!(
            "there is no page `{name}` (or it cannot be read: run `folio check`)"
        ))
        .hint(match did_you_mean(site.policy.pages.id(name), ids) {
            Some(id) => format!("did you mean `{id}`?"),
            None => NAME_A_PAGE.to_string(),
        })
    })
}

/// What a command that writes a record names: the page, and who records.
#[derive(clap::Args)]
pub struct RecordArgs {
    /// The page: its id, or its path
    page: String,
    /// Who records it (default: git's user.name)
    #[arg(long, value_parser = text, display_order = 100)]
    by: Option<String>,
}

/// The site as the working tree holds it, the page a `RecordArgs` names in
/// it, and who records.
struct Recording {
    site: Site,
    page: usize,
    recorder: Recorder,
}

impl RecordArgs {
    fn open(&self, repo: &Repo, env: &Env) -> Result<Recording> {
        let site = worktree_site(repo)?;
        let page = find_page(&site, repo, env, &self.page)?;
        let recorder = Recorder::new(repo, env, &self.by)?;
        Ok(Recording {
            site,
            page,
            recorder,
        })
    }
}

impl Recording {
    fn page(&self) -> &Page {
        &self.site.pages[self.page]
    }
}

/// Who is recording, and when.
struct Recorder {
    by: String,
    today: NaiveDate,
    now: DateTime<Utc>,
    nonce: u128,
}

impl Recorder {
    /// `--by`, else git's `user.name`.
    fn new(repo: &Repo, env: &Env, by: &Option<String>) -> Result<Recorder> {
        let by = by
            .clone()
            .or_else(|| repo.config_string("user.name"))
            .ok_or_else(|| {
                Error::usage("folio does not know who is recording").hint(
                    "set your name with `git config user.name \"Your Name\"`, or pass --by NAME",
                )
            })?;
        Ok(Recorder {
            by,
            today: env.today,
            now: env.now,
            nonce: env.nonce,
        })
    }

    /// A record of `kind` for `page`, by this recorder, today, speaking for
    /// the page's body as it is, made after every record in `records` the
    /// page already has (a second after the latest, if the clock says
    /// otherwise), so its records keep the order they were made in.
    fn record<'r>(
        &self,
        kind: Kind,
        page: &Page,
        records: impl IntoIterator<Item = &'r Record>,
    ) -> Record {
        let mut record = Record::new(kind, &page.id, self.today, &self.by, page.body());
        let latest = records
            .into_iter()
            .filter(|r| r.owner == page.id)
            .map(|r| r.order().0)
            .max();
        record.made = Some(match latest {
            Some(latest) if latest >= self.now => latest + chrono::Duration::seconds(1),
            _ => self.now,
        });
        record
    }

    /// Plans a record as a new file, never over another: if its name is
    /// taken, the next nonce names it. Returns its repository path.
    fn plan(&self, plan: &mut Plan, root: &Path, record: &Record) -> Result<String> {
        for attempt in 0..16 {
            let path = record.path_for(self.nonce.wrapping_add(attempt));
            if std::fs::symlink_metadata(root.join(&path)).is_err() && !plan.writes(&path) {
                plan.create(&path, record.render());
                return Ok(path);
            }
        }
        Err(Error::bug("every name tried for the new record is taken"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn the_hooks_command_line_reads_as_clap_reads_it() {
        let parsed = Cli::try_parse_from(["folio", "check", "--staged"]).unwrap();
        let fast = Cli::staged_check();
        assert_eq!(parsed.color, fast.color);
        match (&parsed.command, &fast.command) {
            (Command::Check(parsed), Command::Check(fast)) => assert_eq!(parsed, fast),
            _ => panic!("not a check"),
        }
    }
}
