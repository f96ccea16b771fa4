//! Parse arguments, call the library, map the result to an exit code.

use folio::cli;
use folio::error::Error;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let options = cli::parse();
    let color = options.color.unwrap_or_else(|| {
        std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
    });
    let result = today().and_then(|today| {
        let cwd = std::env::current_dir().map_err(|source| Error::Io {
            path: ".".into(),
            source,
        })?;
        let exe = std::env::current_exe().unwrap_or_else(|_| "folio".into());
        // Relative to the working directory, as git means it.
        let index_file = std::env::var_os("GIT_INDEX_FILE").map(|f| cwd.join(f));
        let nonce = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let env = folio::Env {
            cwd,
            today,
            color,
            exe,
            index_file,
            nonce,
        };
        folio::run(&options.command, &env)
    });
    match result {
        Ok(outcome) => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`folio check | head`) is not an error worth a panic.
            let _ = stdout.write_all(outcome.stdout.as_bytes());
            let _ = stdout.flush();
            ExitCode::from(outcome.code as u8)
        }
        Err(e) => {
            let mut message = String::from("folio: error: ");
            if let Some((path, line, column)) = e.location() {
                message.push_str(&format!("{path}:{line}:{column}: "));
            }
            message.push_str(&format!("{e}\n  = hint: {}\n", e.hint()));
            let _ = std::io::stderr().write_all(message.as_bytes());
            ExitCode::from(2)
        }
    }
}

/// Today's date: `FOLIO_TODAY` (YYYY-MM-DD) if set, else the local clock.
fn today() -> Result<chrono::NaiveDate, Error> {
    match std::env::var("FOLIO_TODAY") {
        Ok(value) => folio::page::parse_date(&value).map_err(|hint| Error::Usage {
            message: format!("FOLIO_TODAY is `{value}`, not a YYYY-MM-DD date"),
            hint,
        }),
        Err(_) => Ok(chrono::Local::now().date_naive()),
    }
}
