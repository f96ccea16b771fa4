//! Progress for long work: a line on stderr, redrawn in place, that says
//! how far a command has got. Shown only when `main` has enabled it (stderr
//! is a terminal) and only once the work has run longer than a moment, so
//! a pipe, a hook's log or CI never sees it and quick commands never
//! flicker. The line is cleared when the work is done.

use std::io::Write;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// After how long progress shows, when enabled.
static AFTER: OnceLock<Duration> = OnceLock::new();

/// Lets progress show on stderr once work has run for `after`. Called by
/// `main` when stderr is a terminal; without it nothing is shown.
pub fn enable(after: Duration) {
    let _ = AFTER.set(after);
}

/// One piece of long work: `what` (such as "judging commits"), counted to
/// `total`.
pub struct Progress {
    what: &'static str,
    total: usize,
    start: Instant,
    drawn: Option<Instant>,
}

/// How often the line is redrawn at most.
const REDRAW: Duration = Duration::from_millis(100);

impl Progress {
    pub fn new(what: &'static str, total: usize) -> Progress {
        Progress {
            what,
            total,
            start: Instant::now(),
            drawn: None,
        }
    }

    /// `done` of the total are done.
    pub fn at(&mut self, done: usize) {
        let Some(after) = AFTER.get() else {
            return;
        };
        let now = Instant::now();
        if now.duration_since(self.start) < *after
            || self.drawn.is_some_and(|t| now.duration_since(t) < REDRAW)
        {
            return;
        }
        self.drawn = Some(now);
        let _ = write!(
            std::io::stderr().lock(),
            "\r\x1b[Kfolio: {} {done}/{}",
            self.what,
            self.total
        );
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if self.drawn.is_some() {
            let _ = write!(std::io::stderr().lock(), "\r\x1b[K");
        }
    }
}
