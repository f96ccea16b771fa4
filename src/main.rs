//! Parse arguments, read what folio takes from its process, run the
//! command, print what it did and map it to an exit code.

use folio::commands::{Cli, Env, run};
use folio::error::Error;
use folio::output;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = match Cli::from_command_line() {
        Ok(cli) => cli,
        Err(e) => return usage(&e),
    };
    if std::io::stderr().is_terminal() {
        // Progress shows once long work has run this long; tests set it.
        let after = std::env::var("FOLIO_PROGRESS_AFTER_MS")
            .ok()
            .and_then(|ms| ms.parse().ok())
            .unwrap_or(700);
        folio::progress::enable(std::time::Duration::from_millis(after));
    }
    let color = cli.color().unwrap_or_else(|| {
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    });
    match env().and_then(|env| run(&cli.command, &env)) {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            let written = stdout
                .write_all(output::render(&outcome, color).as_bytes())
                .and_then(|()| stdout.flush());
            match written {
                // A reader that stopped reading (`folio check | head`) has
                // what it wanted.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    let e = Error::write("standard output", e)
                        .hint("check the disk or the pipe that folio's output goes to");
                    let _ = std::io::stderr().write_all(output::human::error(&e).as_bytes());
                    ExitCode::from(2)
                }
                _ => ExitCode::from(outcome.exit_code() as u8),
            }
        }
        Err(e) => {
            let _ = std::io::stderr().write_all(output::human::error(&e).as_bytes());
            ExitCode::from(2)
        }
    }
}

/// clap's answer to `--help`, or to arguments it could not take: an error
/// echoes the arguments, so each of its lines is made printable first.
fn usage(e: &clap::Error) -> ExitCode {
    if e.use_stderr() {
        let text: String = e
            .render()
            .to_string()
            .lines()
            .map(|line| output::table::printable(line) + "\n")
            .collect();
        let _ = std::io::stderr().write_all(text.as_bytes());
    } else {
        // `--help` and `--version`: folio's own words, coloured on a terminal.
        let _ = e.print();
    }
    ExitCode::from(e.exit_code() as u8)
}

/// What folio takes from its process.
fn env() -> Result<Env, Error> {
    let cwd = std::env::current_dir().map_err(|source| Error::read(".", source))?;
    let exe = std::env::current_exe().unwrap_or_else(|_| "folio".into());
    // Relative to the working directory, as git means it.
    let index_file = std::env::var_os("GIT_INDEX_FILE").map(|f| cwd.join(f));
    let today = today()?;
    Ok(Env {
        cwd,
        today,
        now: now(today),
        exe,
        index_file,
        nonce: nonce()?,
    })
}

/// The moment records are made at: the clock, to the second, in UTC; with
/// `FOLIO_TODAY` set, noon (UTC) of that day, so runs are reproducible.
fn now(today: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, TimeZone};
    match std::env::var_os("FOLIO_TODAY") {
        Some(_) => chrono::Utc.from_utc_datetime(&today.and_hms_opt(12, 0, 0).unwrap_or_default()),
        None => chrono::Utc::now().trunc_subsecs(0),
    }
}

/// Today's date: `FOLIO_TODAY` (YYYY-MM-DD) if set, else the local clock.
fn today() -> Result<chrono::NaiveDate, Error> {
    match std::env::var("FOLIO_TODAY") {
        Ok(value) => folio::site::page::parse_date(&value).map_err(|hint| {
            Error::usage(format!("FOLIO_TODAY is `{value}`, not a YYYY-MM-DD date")).hint(hint)
        }),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}

/// What makes record file names unique: `FOLIO_RECORD_SEED` (a number)
/// when set, so tests get the same names on every run; else the clock's
/// nanoseconds and this process's id, so two editors, or two branches,
/// never name a record alike.
fn nonce() -> Result<u128, Error> {
    match std::env::var("FOLIO_RECORD_SEED") {
        Ok(value) => value.trim().parse().map_err(|_| {
            Error::usage(format!("FOLIO_RECORD_SEED is `{value}`, not a number"))
                .hint("set it to a whole number, such as 1, or unset it")
        }),
        Err(_) => {
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos());
            Ok(nanos ^ (u128::from(std::process::id()) << 96))
        }
    }
}
