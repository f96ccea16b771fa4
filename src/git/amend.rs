//! Whether the `git commit` that runs the hook is `--amend`: git does not
//! tell a pre-commit hook. On Linux the command line of the nearest `git`
//! process above folio does; elsewhere folio cannot tell.

use std::path::Path;

/// Whether the `git commit` that runs this hook is `--amend`. Git does not
/// tell a pre-commit hook; on Linux the command line of the `git` process
/// above this one does. Elsewhere folio cannot tell and judges against
/// `HEAD`; `folio check --range` in CI is the backstop.
pub fn amend_in_progress() -> bool {
    let mut pid = std::process::id();
    for _ in 0..8 {
        let Some(parent) = parent_pid(pid) else {
            return false;
        };
        let Ok(cmdline) = std::fs::read(format!("/proc/{parent}/cmdline")) else {
            return false;
        };
        let args: Vec<String> = cmdline
            .split(|&b| b == 0)
            .map(|a| String::from_utf8_lossy(a).into_owned())
            .collect();
        let is_git = args
            .first()
            .is_some_and(|a| Path::new(a).file_name().is_some_and(|n| n == "git"));
        if is_git {
            // The nearest git is the one running the hook.
            return args.iter().position(|a| a == "commit").is_some_and(|at| {
                args[at + 1..]
                    .iter()
                    .take_while(|a| *a != "--")
                    .any(|a| a == "--amend")
            });
        }
        if parent <= 1 {
            return false;
        }
        pid = parent;
    }
    false
}

fn parent_pid(pid: u32) -> Option<u32> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // `pid (comm) state ppid ...`; comm may hold spaces and parentheses.
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(1)?.parse().ok()
}
