//! folio: a git-aware editorial workflow for Markdown reference sites.
//!
//! The pipeline: `git` finds the repository; `site` reads the policy
//! (`policy`), the source registry (`registry`) and the pages (`page`, whose
//! frontmatter goes through `yaml` and whose body through `markdown`);
//! `check` applies what each state demands (`workflow`) and the policy's
//! rules, returning `Finding`s (`diagnostic`); `changes` does the same for
//! what git records (the staged change, the commits of a range) and judges
//! each page's move between states; `output` prints the findings in one of
//! three formats. `cli` turns arguments into a `Command` and `run` carries it
//! out; `hook` installs the pre-commit hook, `init` scaffolds a site.
//! The editor's commands (`editor`) change pages only through `edit` and
//! `write`, and leave `record`s that the checks read back; `board` and
//! `history` tell the story: the site's state now, a page's from git.

pub mod board;
pub mod changes;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod edit;
pub mod editor;
pub mod error;
pub mod git;
pub mod history;
pub mod hook;
pub mod index;
pub mod init;
pub mod markdown;
pub mod output;
pub mod page;
pub mod policy;
pub mod record;
pub mod registry;
pub mod site;
pub mod suggest;
pub mod template;
pub mod text;
pub mod workflow;
pub mod write;
pub mod yaml;

use chrono::NaiveDate;
use std::path::PathBuf;

/// What a command printed and the exit code it asks for.
pub struct Outcome {
    pub stdout: String,
    pub code: i32,
}

/// What folio takes from its process: read in `main`, passed in here, so
/// tests and the core never read the clock or the environment themselves.
pub struct Env {
    /// Where to start looking for the repository.
    pub cwd: PathBuf,
    pub today: NaiveDate,
    pub color: bool,
    /// This binary, for the hook to call.
    pub exe: PathBuf,
    /// The index git is committing, when it is not the repository's own:
    /// `GIT_INDEX_FILE`, which git sets for a hook.
    pub index_file: Option<PathBuf>,
    /// Makes each record's file name unique (nanoseconds of the clock).
    pub nonce: u128,
}

/// Carries out a command.
pub fn run(command: &cli::Command, env: &Env) -> error::Result<Outcome> {
    let repo = git::Repo::discover(&env.cwd)?;
    let done = |stdout: String| Outcome { stdout, code: 0 };
    match command {
        cli::Command::Check { format, scope } => {
            let report = match scope {
                cli::Scope::Worktree => site::check(&worktree_site(&repo)?, env.today),
                cli::Scope::Staged => changes::check_staged(
                    &repo,
                    env.index_file.as_deref(),
                    env.today,
                    // git hands every commit hook `GIT_INDEX_FILE`; without
                    // it no commit is running, so there is no amend to see.
                    env.index_file.is_some() && git::amend_in_progress(),
                )?,
                cli::Scope::Range(range) => changes::check_range(&repo, range, env.today)?,
            };
            Ok(Outcome {
                stdout: output::render(&report, *format, env.color),
                code: report.exit_code(),
            })
        }
        cli::Command::Init => {
            let policy = worktree_policy(&repo)?;
            Ok(done(init::init(repo.root(), &policy.content_dir)?))
        }
        cli::Command::New(args) => {
            let policy = worktree_policy(&repo)?;
            let owner = args
                .owner
                .clone()
                .or_else(|| repo.config_string("user.name"))
                .unwrap_or_default();
            Ok(done(editor::new_page(
                repo.root(),
                &policy.content_dir,
                &args.id,
                &args.title,
                &owner,
            )?))
        }
        cli::Command::Move(args) => {
            let site = worktree_site(&repo)?;
            let (page, recorder) = page_and_recorder(&site, &repo, env, &args.page, &args.by)?;
            let to = workflow::State::parse(&args.state).ok_or_else(|| error::Error::Usage {
                message: format!("`{}` is not a state", args.state),
                hint: "the states are draft, research, reviewed and promoted".to_string(),
            })?;
            editor::move_page(
                repo.root(),
                &site,
                page,
                to,
                args.reviewer.as_deref(),
                args.note.as_deref(),
                &recorder,
            )
        }
        cli::Command::Log(args) => {
            let site = worktree_site(&repo)?;
            let (page, recorder) = page_and_recorder(&site, &repo, env, &args.page, &args.by)?;
            let entry = editor::Entry {
                change: &args.change,
                summary: &args.summary,
                sources: &args.sources,
                resolves: args.resolves.as_deref(),
            };
            Ok(done(editor::log(
                repo.root(),
                &site,
                page,
                &entry,
                &recorder,
            )?))
        }
        cli::Command::Decline(args) => {
            let site = worktree_site(&repo)?;
            let (page, recorder) = page_and_recorder(&site, &repo, env, &args.page, &args.by)?;
            Ok(done(editor::decline(
                repo.root(),
                page,
                &args.claim,
                &args.reason,
                args.rewrite.as_deref(),
                &recorder,
            )?))
        }
        cli::Command::Status { format } => {
            let site = worktree_site(&repo)?;
            let board = board::board(&site, env.today);
            Ok(done(match format {
                output::Format::Json => board::json(&board),
                _ => board::human(&board),
            }))
        }
        cli::Command::History { page, format } => {
            // Only the policy is read: a history needs no page parsed but
            // the one it follows, commit by commit.
            let policy = worktree_policy(&repo)?;
            let path = editor::page_path(&policy.content_dir, repo.root(), &env.cwd, page);
            let events = history::history(&repo, page, &path, &policy.content_dir)?;
            Ok(done(match format {
                output::Format::Json => history::json(&events)?,
                _ => history::human(&path, &events),
            }))
        }
        cli::Command::HookInstall { force } => Ok(done(hook::install(&repo, &env.exe, *force)?)),
        cli::Command::HookUninstall => Ok(done(hook::uninstall(&repo)?)),
    }
}

/// The site as the working tree holds it.
fn worktree_site(repo: &git::Repo) -> error::Result<site::Site> {
    site::load(&site::Worktree { root: repo.root() })
}

/// The policy as the working tree holds it (or the defaults).
fn worktree_policy(repo: &git::Repo) -> error::Result<policy::Policy> {
    site::policy_from(site::Files::read(
        &site::Worktree { root: repo.root() },
        policy::POLICY_PATH,
    )?)
}

/// The page a record-writing command names, and who records: `--by`,
/// else git's `user.name`.
fn page_and_recorder<'s>(
    site: &'s site::Site,
    repo: &git::Repo,
    env: &Env,
    page: &str,
    by: &Option<String>,
) -> error::Result<(&'s page::Page, editor::Recorder)> {
    let page = editor::find_page(site, repo.root(), &env.cwd, page)?;
    let by = by
        .clone()
        .or_else(|| repo.config_string("user.name"))
        .ok_or_else(|| error::Error::Usage {
            message: "folio does not know who is recording".to_string(),
            hint: "set your name with `git config user.name \"Your Name\"`, or pass --by NAME"
                .to_string(),
        })?;
    let recorder = editor::Recorder {
        by,
        today: env.today,
        nonce: env.nonce,
    };
    Ok((page, recorder))
}
