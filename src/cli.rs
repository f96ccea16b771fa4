//! The command line, with clap. Turns raw arguments into plain `Command`
//! values; nothing else in folio sees clap. The editor's commands carry
//! their argument structs (`MoveArgs` and the like) into `Command` as they
//! are: plain fields, whose clap attributes only this file reads. Their
//! comments are plain `//`: a doc comment would replace the subcommand's
//! help.

use crate::output::Format;
use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "folio",
    version,
    about = "A git-aware editorial workflow for Markdown reference sites",
    long_about = "folio keeps a Markdown reference site honest. Every page moves through \
draft → research → reviewed → promoted, and folio refuses a page that does not meet \
what its state demands: sources that resolve, a reviewer who is not the owner, a \
recent review, and none of the claims the site does not promote (future dates, \
universal performance multipliers, unsourced maturity labels, broad comparisons).\n\n\
Run it from anywhere inside the site's git repository.",
    after_help = "Exit codes: 0 clean (warnings alone do not fail), 1 error findings, 2 folio could not run.\n\
Environment: NO_COLOR turns colour off; FOLIO_TODAY=YYYY-MM-DD fixes the date folio takes as today."
)]
struct Cli {
    /// When to colour human output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    color: ColorChoice,

    #[command(subcommand)]
    command: CliCommand,
}

#[derive(Subcommand)]
enum CliCommand {
    /// Check every page against its state, the source registry and the policy
    #[command(
        long_about = "Check every page under the content folder against what its state \
demands, the source registry (content/sources.yaml) and the policy (review/policy.yaml).\n\n\
A draft needs a title; a research page also a summary, an audience and an owner; a \
reviewed page also a source, citations that resolve, no policy finding, a \
last_reviewed date and a reviewer from the policy who is not the owner; a promoted \
page also cites only promotable source kinds and is reviewed within the interval.",
        after_help = "Examples:\n  folio check\n  folio check --format json | jq '.findings[].code'\n  folio check --format github   # in a GitHub Actions step"
    )]
    Check {
        /// Check the pages as they are staged (the index), not the working tree: what the pre-commit hook runs
        #[arg(long, conflicts_with = "range")]
        staged: bool,

        /// Check every commit on HEAD since its merge-base with BASE (what a pull request contains), then the site at HEAD
        #[arg(long, value_name = "BASE..HEAD")]
        range: Option<String>,

        /// human (snippets with carets), json (stable, documented in README.md), github (workflow annotations)
        #[arg(long, value_enum, default_value_t = FormatChoice::Human)]
        format: FormatChoice,
    },
    /// Create content/, content/sources.yaml, review/policy.yaml and review/templates/
    #[command(
        long_about = "Scaffold a content repository in the current git repository: the \
content folder, an empty source registry, the default policy with every key explained, \
and the templates folder. Existing files are never overwritten; folio says what it \
created and what it kept."
    )]
    Init,
    /// Create a draft page from the page template
    #[command(
        long_about = "Create content/<id>.md as a draft, from review/templates/page.md.j2 \
(or folio's default). Refuses an id that exists or is not lowercase letters, digits and `-` with \
`/` between folders.",
        after_help = "Example:\n  folio new guides/kv-cache --title \"KV Cache Management\""
    )]
    New(NewArgs),
    /// Move a page to another state, if it meets what that state demands
    #[command(
        long_about = "Move a page to another state. folio checks what the new state demands with \
the same code as `folio check`; a refused move changes nothing and lists what is missing. It edits \
only the frontmatter lines it owns (status; last_reviewed and reviewers when moving to reviewed), \
leaving every other byte as it was, and writes a transition maintenance record.",
        after_help = "Examples:\n  \
folio move guides/kv-cache research\n  folio move guides/kv-cache reviewed --reviewer ana\n  \
folio move content/guides/kv-cache.md research --note \"a capability claim no longer holds\""
    )]
    Move(MoveArgs),
    /// Record a maintenance entry for a page
    #[command(
        after_help = "Example:\n  folio log guides/kv-cache --change correction \"Fixed the block size\" --source pagedattention-paper"
    )]
    Log(LogArgs),
    /// Record a claim left out on purpose; it may not reappear in any page
    #[command(
        after_help = "Example:\n  folio decline guides/kv-cache --claim \"Paged caches are 10x faster.\" --reason universal-multiplier \\\n    --rewrite \"Under which workloads does paging reduce memory waste?\""
    )]
    Decline(DeclineArgs),
    /// The board: pages by state, and what is due
    #[command(
        long_about = "The board: pages by state with owner and review age; promoted pages past \
the review interval; pages that mention a date which has arrived since their review; pages whose \
text no record speaks for; sources not rechecked within the interval. The JSON also serves a site \
generator: per page its title, state, last review, reading time, maintenance record and \
not-promoted decisions."
    )]
    Status {
        /// human or json
        #[arg(long, value_enum, default_value_t = BoardFormat::Human)]
        format: BoardFormat,
    },
    /// Every state change of a page, from git history, oldest first
    #[command(
        long_about = "Every state change of a page, oldest first: date, commit, author, from \
-> to, following the page through renames. It reads git's history, so editing a record cannot \
change it. Name the page as it is now; a commit-graph (`git maintenance start`, or `git \
commit-graph write --changed-paths`) makes a long history faster. A shallow clone that lacks \
the page's beginning is an error: fetch the full history.",
        after_help = "Examples:\n  folio history guides/kv-cache\n  folio history content/guides/kv-cache.md --format json"
    )]
    History {
        /// The page: its id, or its path
        page: String,
        /// human or json
        #[arg(long, value_enum, default_value_t = BoardFormat::Human)]
        format: BoardFormat,
    },
    /// Install or remove the git pre-commit hook that runs `folio check --staged`
    #[command(subcommand)]
    Hook(HookCommand),
}

// `folio new`: a draft page from the template.
#[derive(Args)]
pub struct NewArgs {
    /// The page id: its path under the content folder, without .md
    pub id: String,
    /// The page's title
    #[arg(long, value_parser = text)]
    pub title: String,
    /// The page's owner (default: git's user.name)
    #[arg(long, value_parser = text)]
    pub owner: Option<String>,
}

// `folio move`: a page to another state.
#[derive(Args)]
pub struct MoveArgs {
    /// The page: its id, or its path
    pub page: String,
    /// draft, research, reviewed or promoted
    pub state: String,
    /// Who signs the review (needed for a move to reviewed)
    #[arg(long, value_parser = text)]
    pub reviewer: Option<String>,
    /// Why, for the maintenance record (needed for a move backwards)
    #[arg(long, value_parser = text)]
    pub note: Option<String>,
    /// Who records it (default: git's user.name)
    #[arg(long, value_parser = text)]
    pub by: Option<String>,
}

// `folio log`: a maintenance record.
#[derive(Args)]
pub struct LogArgs {
    /// The page: its id, or its path
    pub page: String,
    /// correction, source-recheck, capability-update, editorial or transition
    #[arg(long)]
    pub change: String,
    /// What changed, in one line
    #[arg(value_parser = text)]
    pub summary: String,
    /// A source the change relied on (repeatable)
    #[arg(long = "source")]
    pub sources: Vec<String>,
    /// The correction request this resolves
    #[arg(long)]
    pub resolves: Option<String>,
    /// Who records it (default: git's user.name)
    #[arg(long, value_parser = text)]
    pub by: Option<String>,
}

// `folio decline`: a not-promoted record.
#[derive(Args)]
pub struct DeclineArgs {
    /// The page: its id, or its path
    pub page: String,
    /// The claim as it stood
    #[arg(long, value_parser = text)]
    pub claim: String,
    /// future-date, universal-multiplier, unsourced-maturity, broad-comparison, no-primary-source or other
    #[arg(long)]
    pub reason: String,
    /// The scoped question or rewrite that replaced it
    #[arg(long, value_parser = text)]
    pub rewrite: Option<String>,
    /// Who records it (default: git's user.name)
    #[arg(long, value_parser = text)]
    pub by: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum BoardFormat {
    Human,
    Json,
}

impl BoardFormat {
    fn format(self) -> Format {
        match self {
            BoardFormat::Human => Format::Human,
            BoardFormat::Json => Format::Json,
        }
    }
}

#[derive(Subcommand)]
enum HookCommand {
    /// Write the pre-commit hook where git looks for it (honours core.hooksPath and worktrees)
    #[command(
        long_about = "Write a pre-commit hook that runs `folio check --staged`, where git looks \
for hooks (core.hooksPath and linked worktrees are honoured). Installing again is harmless. A hook \
folio did not write is never replaced unless you pass --force, and then it is kept as \
pre-commit.before-folio.\n\nWith the pre-commit framework instead, add this repository with the \
hook id `folio` to .pre-commit-config.yaml."
    )]
    Install {
        /// Replace a pre-commit hook that folio did not write (it is kept as pre-commit.before-folio)
        #[arg(long)]
        force: bool,
    },
    /// Remove folio's pre-commit hook (restoring the hook it replaced, if any)
    Uninstall,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Clone, Copy, ValueEnum)]
enum FormatChoice {
    Human,
    Json,
    Github,
}

/// What the user asked for, free of clap.
pub enum Command {
    Check { format: Format, scope: Scope },
    Init,
    New(NewArgs),
    Move(MoveArgs),
    Log(LogArgs),
    Decline(DeclineArgs),
    Status { format: Format },
    History { page: String, format: Format },
    HookInstall { force: bool },
    HookUninstall,
}

/// What `check` reads.
pub enum Scope {
    Worktree,
    Staged,
    Range(String),
}

pub struct Options {
    pub command: Command,
    /// `None` means decide from the terminal and `NO_COLOR`.
    pub color: Option<bool>,
}

/// Parses the process arguments; on a usage error or `--help` clap prints
/// and exits (2 for errors, 0 for help).
pub fn parse() -> Options {
    let cli = Cli::parse();
    let command = match cli.command {
        CliCommand::Check {
            staged,
            range,
            format,
        } => Command::Check {
            format: match format {
                FormatChoice::Human => Format::Human,
                FormatChoice::Json => Format::Json,
                FormatChoice::Github => Format::Github,
            },
            scope: match (staged, range) {
                (_, Some(range)) => Scope::Range(range),
                (true, None) => Scope::Staged,
                (false, None) => Scope::Worktree,
            },
        },
        CliCommand::Init => Command::Init,
        CliCommand::New(args) => Command::New(args),
        CliCommand::Move(args) => Command::Move(args),
        CliCommand::Log(args) => Command::Log(args),
        CliCommand::Decline(args) => Command::Decline(args),
        CliCommand::Status { format } => Command::Status {
            format: format.format(),
        },
        CliCommand::History { page, format } => Command::History {
            page,
            format: format.format(),
        },
        CliCommand::Hook(HookCommand::Install { force }) => Command::HookInstall { force },
        CliCommand::Hook(HookCommand::Uninstall) => Command::HookUninstall,
    };
    let color = match cli.color {
        ColorChoice::Auto => None,
        ColorChoice::Always => Some(true),
        ColorChoice::Never => Some(false),
    };
    Options { command, color }
}

/// Text a person must give: not empty, not only spaces.
fn text(value: &str) -> Result<String, String> {
    if value.trim().is_empty() {
        return Err("give some text: it may not be empty".to_string());
    }
    Ok(value.to_string())
}
