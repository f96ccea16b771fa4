//! `folio completions SHELL` and `folio man`: generated from the same clap
//! definition as the command line, so they never drift from it. Neither
//! needs a repository.

use super::{Cli, Outcome};
use clap::CommandFactory;

/// Print a shell completion script for folio
///
/// Writes the script to standard output; install it where your shell looks
/// for completions.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
folio completions bash > ~/.local/share/bash-completion/completions/folio\n  \
folio completions zsh > ~/.zfunc/_folio     # with fpath+=~/.zfunc before compinit\n  \
folio completions fish > ~/.config/fish/completions/folio.fish")]
pub struct Args {
    /// bash, zsh, fish, elvish or powershell
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

/// Print folio's manual page (roff)
///
/// Writes the page to standard output: every command with its options, from
/// the same definition as `--help`.
#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
folio man > ~/.local/share/man/man1/folio.1   # then: man folio\n  \
folio man | man -l -")]
pub struct ManArgs {}

pub fn completions(args: &Args) -> Outcome {
    let mut command = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut command, "folio", &mut out);
    Outcome::Script {
        text: String::from_utf8_lossy(&out).into_owned(),
    }
}

pub fn man(_: &ManArgs) -> Outcome {
    let command = Cli::command();
    let mut out = Vec::new();
    // Writing to a Vec cannot fail.
    let _ = clap_mangen::Man::new(command).render(&mut out);
    // Each command's description, options and examples, after the page's
    // own sections.
    let mut text = String::from_utf8_lossy(&out).into_owned();
    for sub in Cli::command().get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        let page = clap_mangen::Man::new(sub.clone());
        let mut part = Vec::new();
        let _ = page.render_description_section(&mut part);
        let _ = page.render_options_section(&mut part);
        let _ = page.render_extra_section(&mut part);
        let heading = format!(".SH \"FOLIO {}\"", sub.get_name().to_uppercase());
        text.push_str(
            &String::from_utf8_lossy(&part)
                .replace(".SH DESCRIPTION", &heading)
                .replace(".SH OPTIONS", ".SS Options")
                .replace(".SH EXTRA", ".SS Examples"),
        );
    }
    Outcome::Script { text }
}
