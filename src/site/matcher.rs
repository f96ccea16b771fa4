//! A rule's pattern, compiled to search page bodies, and the cache of
//! compiled patterns that spares the hook compiling them.
//!
//! Compiling a rule is most of what a rule costs a commit: the regular
//! expression is parsed, translated and turned into automata on every run,
//! about 0.15 ms per default rule in a release build, while searching a
//! page with it takes microseconds. So once a pattern is compiled to a pair
//! of DFAs (one finds where matches end, the other, run backwards, where
//! they start), the pair is kept in the repository's git folder,
//! `.git/folio-rules/`, under a hash of the pattern and folio's version;
//! the next run reads and checks it instead of compiling. What cannot be
//! compiled to a DFA within a size limit (a Unicode word boundary, a huge
//! class repeated) is noted there too, and is compiled the ordinary way.
//! The cache is only ever a copy: deleting the folder costs one compile per
//! rule, a damaged entry is compiled again and replaced, and nothing is
//! written when the folder cannot be (a read-only clone, say).

use regex_automata::dfa::{Automaton, dense, regex::Regex as DfaRegex};
use regex_automata::util::iter::Searcher;
use regex_automata::{Input, meta};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::io::Read;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// A compiled pattern.
#[derive(Debug, Clone)]
pub enum Matcher {
    /// From the cache.
    Dfa(Box<Cached>),
    Meta(meta::Regex),
}

/// A pattern's DFAs, read from the cache. Most pages match no rule, and
/// the forward DFA alone says so: the reverse one, which finds where each
/// match starts, is checked and used only once there is a match.
#[derive(Debug, Clone)]
pub struct Cached {
    forward: dense::DFA<&'static [u32]>,
    /// The entry, and where in it the reverse DFA is.
    path: PathBuf,
    reverse: Range<u64>,
    regex: OnceLock<Option<DfaRegex<dense::DFA<&'static [u32]>>>>,
}

/// The folder of compiled patterns, set once per process by the command
/// that opened the repository; without it every pattern is compiled.
static CACHE: OnceLock<PathBuf> = OnceLock::new();

/// Keeps compiled patterns in `git_dir`'s `folio-rules` folder from now on.
pub fn cache_in(git_dir: &Path) {
    let _ = CACHE.set(git_dir.join(CACHE_FOLDER));
}

/// The cache's folder in the git directory.
pub const CACHE_FOLDER: &str = "folio-rules";

/// Each DFA may take this much memory; past it the pattern is compiled the
/// ordinary way (the default rules take 50 to 130 KiB each).
const DFA_LIMIT: usize = 4 << 20;

/// How many patterns the cache keeps; writing one more removes the entries
/// least recently written.
const KEEP: usize = 64;

const MAGIC: &[u8; 16] = b"folio-rule-dfa1\n";
/// The length that says "no DFA for this pattern".
const NO_DFA: u64 = u64::MAX;

impl Matcher {
    /// Compiles `pattern`, from the cache when there is one.
    /// Each pattern is compiled (or read) once per process, however many
    /// policies name it: a range check reads a policy per commit.
    pub fn new(pattern: &str) -> Result<Matcher, String> {
        static COMPILED: Mutex<Option<HashMap<String, Result<Matcher, String>>>> = Mutex::new(None);
        let known = |pattern: &str| {
            let compiled = COMPILED.lock().unwrap_or_else(|e| e.into_inner());
            compiled.as_ref()?.get(pattern).cloned()
        };
        if let Some(done) = known(pattern) {
            return done;
        }
        // Not under the lock: another thread may compile another pattern.
        let done = Matcher::cached_in(pattern, CACHE.get().map(PathBuf::as_path));
        COMPILED
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get_or_insert_with(HashMap::new)
            .entry(pattern.to_string())
            .or_insert(done)
            .clone()
    }

    /// Compiles `pattern`, from the cache in `dir` when there is one.
    fn cached_in(pattern: &str, dir: Option<&Path>) -> Result<Matcher, String> {
        let Some(dir) = dir else {
            return compile_meta(pattern).map(Matcher::Meta);
        };
        let path = dir.join(key(pattern));
        let entry = match read_entry(&path) {
            Some(entry) => Some(entry),
            // Building the DFAs pays only if they can be kept.
            None if crate::write::usable_folder(dir) => {
                store(dir, &path, build_dfa(pattern).as_ref());
                read_entry(&path)
            }
            None => None,
        };
        match entry {
            Some(Some(cached)) => Ok(Matcher::Dfa(Box::new(cached))),
            _ => compile_meta(pattern).map(Matcher::Meta),
        }
    }

    /// The byte ranges of the leftmost-first, non-overlapping matches in
    /// `haystack`.
    pub fn find_all(&self, haystack: &str, pattern: &str) -> Result<Vec<Range<usize>>, String> {
        let meta = |regex: &meta::Regex| regex.find_iter(haystack).map(|m| m.range()).collect();
        let cached = match self {
            Matcher::Meta(regex) => return Ok(meta(regex)),
            Matcher::Dfa(cached) => cached,
        };
        let input = Input::new(haystack);
        let regex = match cached.forward.try_search_fwd(&input) {
            Ok(None) => return Ok(Vec::new()),
            Ok(Some(_)) => cached.regex().as_ref(),
            Err(_) => None,
        };
        let mut found = Vec::new();
        if let Some(regex) = regex {
            let mut searcher = Searcher::new(input);
            loop {
                match searcher.try_advance(|input| regex.try_search(input)) {
                    Ok(Some(m)) => found.push(m.range()),
                    Ok(None) => return Ok(found),
                    Err(_) => break,
                }
            }
        }
        // DFAs that cannot search this text (an entry made for other
        // settings): compiled the ordinary way.
        compile_meta(pattern).map(|regex| meta(&regex))
    }
}

impl Cached {
    fn regex(&self) -> &Option<DfaRegex<dense::DFA<&'static [u32]>>> {
        self.regex.get_or_init(|| {
            let mut file = std::fs::File::open(&self.path).ok()?;
            let reverse = read_at(&mut file, self.reverse.clone())?;
            let (reverse, _) = dense::DFA::from_bytes(reverse).ok()?;
            Some(
                regex_automata::dfa::regex::Builder::new()
                    .build_from_dfas(self.forward.clone(), reverse),
            )
        })
    }
}
/// Compiles a rule's pattern for the short texts folio searches: without
/// the literal prefilters and one-pass DFA that pay off only on long
/// haystacks and that make compiling several times slower.
pub fn compile_meta(pattern: &str) -> Result<meta::Regex, String> {
    meta::Regex::builder()
        .configure(meta::Config::new().auto_prefilter(false).onepass(false))
        .build(pattern)
        .map_err(|e| {
            // "error building NFA", then why, in the error's sources.
            let mut text = super::policy::last_line(&e.to_string());
            let mut source = std::error::Error::source(&e);
            while let Some(cause) = source {
                text = format!("{text}: {}", super::policy::last_line(&cause.to_string()));
                source = cause.source();
            }
            text
        })
}

/// The pattern as a forward and a reverse DFA, or `None` when a DFA cannot
/// express it or would pass the size limit.
fn build_dfa(pattern: &str) -> Option<DfaRegex> {
    let config = dense::Config::new()
        .minimize(true)
        .dfa_size_limit(Some(DFA_LIMIT))
        .determinize_size_limit(Some(DFA_LIMIT));
    regex_automata::dfa::regex::Builder::new()
        .dense(config)
        .build(pattern)
        .ok()
}

/// The cache entry's name: a hash of what the compiled form depends on.
fn key(pattern: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    hash.update(env!("CARGO_PKG_VERSION").as_bytes());
    hash.update([u8::from(cfg!(target_endian = "little"))]);
    hash.update(pattern.as_bytes());
    hash.finalize()[..16]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The entry at `path`: `Some(Some(dfa))`, `Some(None)` when it says the
/// pattern has no DFA, `None` when there is none or it cannot be used.
/// Only the forward DFA is read now (see `Cached`).
fn read_entry(path: &Path) -> Option<Option<Cached>> {
    let mut file = std::fs::File::open(path).ok()?;
    let len = file.metadata().ok()?.len();
    let mut header = [0u8; 32];
    file.read_exact(&mut header).ok()?;
    if &header[..16] != MAGIC {
        return None;
    }
    let number = |at: usize| u64::from_le_bytes(header[at..at + 8].try_into().unwrap_or_default());
    let (forward_len, reverse_len) = (number(16), number(24));
    if forward_len == NO_DFA {
        return Some(None);
    }
    let forward = 32..32u64.checked_add(forward_len)?;
    // The reverse DFA starts on the next 8-byte boundary.
    let reverse_start = forward.end.checked_next_multiple_of(8)?;
    let reverse = reverse_start..reverse_start.checked_add(reverse_len)?;
    if reverse.end != len || len > 2 * DFA_LIMIT as u64 + 64 {
        return None;
    }
    let (forward, _) = dense::DFA::from_bytes(read_at(&mut file, forward)?).ok()?;
    Some(Some(Cached {
        forward,
        path: path.to_path_buf(),
        reverse,
        regex: OnceLock::new(),
    }))
}

/// The bytes `range` of `file`, on an 8-byte boundary as a DFA is read in
/// place. They are kept for the rest of the process: `Matcher::new` reads
/// each pattern's entry once, and a process needs a handful.
fn read_at(file: &mut std::fs::File, range: Range<u64>) -> Option<&'static [u8]> {
    use std::io::Seek;
    let len = usize::try_from(range.end.checked_sub(range.start)?).ok()?;
    let mut buffer: Vec<u8> = Vec::with_capacity(len + 8);
    let start = buffer.as_ptr().align_offset(8).min(8);
    buffer.resize(start, 0);
    file.seek(std::io::SeekFrom::Start(range.start)).ok()?;
    file.take(len as u64).read_to_end(&mut buffer).ok()?;
    (buffer.len() == start + len).then(|| &buffer.leak()[start..])
}

/// Writes the entry for a pattern (its DFAs, or that it has none) into
/// `dir`, a usable folder, and keeps it to `KEEP` entries. Any failure leaves the cache as it
/// was: it is only a copy.
fn store(dir: &Path, path: &Path, dfa: Option<&DfaRegex>) {
    let mut bytes = MAGIC.to_vec();
    match dfa {
        None => {
            bytes.extend(NO_DFA.to_le_bytes());
            bytes.extend(0u64.to_le_bytes());
        }
        Some(regex) => {
            let (forward, pad) = regex.forward().to_bytes_native_endian();
            let forward = &forward[pad..];
            let (reverse, pad) = regex.reverse().to_bytes_native_endian();
            let reverse = &reverse[pad..];
            bytes.extend((forward.len() as u64).to_le_bytes());
            bytes.extend((reverse.len() as u64).to_le_bytes());
            bytes.extend(forward);
            bytes.resize(bytes.len().next_multiple_of(8), 0);
            bytes.extend(reverse);
        }
    }
    if crate::write::replace(path, &bytes, 0o644, None).is_ok() {
        crate::write::keep_newest(dir, KEEP, is_key);
    }
}

/// An entry's name (`key`), not a writer's temporary file.
fn is_key(name: &str) -> bool {
    name.len() == 32 && name.bytes().all(|b| b.is_ascii_hexdigit())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The default rules and patterns that stress the DFA: empty matches,
    /// a Unicode word boundary (no DFA), text outside ASCII.
    fn patterns() -> Vec<String> {
        let mut out: Vec<String> = crate::site::policy::Policy::defaults()
            .rules
            .iter()
            .map(|r| r.pattern.clone())
            .collect();
        out.extend(
            [
                r"x*",
                r"\bnaïve\b",
                r"(?i)ÉTÉ|été",
                r"a|",
                r"[0-9]+(?:\.[0-9]+)?",
            ]
            .map(String::from),
        );
        out
    }

    const TEXTS: [&str; 5] = [
        "",
        "The 2.0 runtime ships in Q3 2099 and is production-ready, 10x faster than the rest.",
        "It is the fastest naïve été ÉTÉ by 2031-04, x xx a",
        "héllo wörld 3.5 × more; battle tested",
        "aaaa 12 by December 2040",
    ];

    fn meta_ranges(pattern: &str, text: &str) -> Vec<Range<usize>> {
        compile_meta(pattern)
            .unwrap()
            .find_iter(text)
            .map(|m| m.range())
            .collect()
    }

    #[test]
    fn cached_matches_equal_the_ordinary_engines() {
        let dir = tempfile::tempdir().unwrap();
        for pattern in patterns() {
            // Built and stored, then read back: both must agree with meta.
            for round in 0..2 {
                let matcher = Matcher::cached_in(&pattern, Some(dir.path())).unwrap();
                if round == 1 && !pattern.contains(r"\bnaïve") {
                    let Matcher::Dfa(cached) = &matcher else {
                        panic!("{pattern} is not cached");
                    };
                    assert!(
                        cached.regex().is_some(),
                        "{pattern}'s reverse DFA is unusable"
                    );
                }
                for text in TEXTS {
                    assert_eq!(
                        matcher.find_all(text, &pattern).unwrap(),
                        meta_ranges(&pattern, text),
                        "{pattern} on {text:?}"
                    );
                }
            }
        }
        // A Unicode word boundary has no DFA; the entry says so.
        let unicode = Matcher::cached_in(r"\bnaïve\b", Some(dir.path())).unwrap();
        assert!(matches!(unicode, Matcher::Meta(_)));
    }

    #[test]
    fn a_damaged_entry_is_compiled_again_and_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let pattern = r"(?i-u)\bby (?:19|20)\d\d\b";
        Matcher::cached_in(pattern, Some(dir.path())).unwrap();
        let path = dir.path().join(key(pattern));
        let good = std::fs::read(&path).unwrap();
        let damaged = [
            Vec::new(),
            good[..good.len() / 2].to_vec(),
            good.iter().map(|b| b ^ 0x5a).collect(),
            [&good[..40], &[0xff; 64][..], &good[104..]].concat(),
        ];
        for bytes in damaged {
            std::fs::write(&path, &bytes).unwrap();
            let matcher = Matcher::cached_in(pattern, Some(dir.path())).unwrap();
            let text = "Shipping by 2040, or By 1999.";
            assert_eq!(
                matcher.find_all(text, pattern).unwrap(),
                vec![9..16, 21..28]
            );
            assert_eq!(std::fs::read(&path).unwrap(), good, "the entry is replaced");
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_or_unwritable_folder_is_left_alone() {
        let outside = tempfile::tempdir().unwrap();
        let git = tempfile::tempdir().unwrap();
        let dir = git.path().join(CACHE_FOLDER);
        std::os::unix::fs::symlink(outside.path(), &dir).unwrap();
        let matcher = Matcher::cached_in("by 20[0-9][0-9]", Some(&dir)).unwrap();
        assert_eq!(
            matcher.find_all("by 2040", "by 20[0-9][0-9]").unwrap(),
            vec![0..7]
        );
        assert_eq!(std::fs::read_dir(outside.path()).unwrap().count(), 0);
        // A cache that cannot be made: compiled the ordinary way.
        let missing = git.path().join("no/such/folder");
        let matcher = Matcher::cached_in("by 20[0-9][0-9]", Some(&missing)).unwrap();
        assert!(matches!(matcher, Matcher::Meta(_)));
    }

    #[test]
    fn the_cache_keeps_the_most_recent_entries() {
        let dir = tempfile::tempdir().unwrap();
        for n in 0..KEEP + 3 {
            Matcher::cached_in(&format!("word{n}"), Some(dir.path())).unwrap();
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), KEEP);
        assert!(dir.path().join(key(&format!("word{}", KEEP + 2))).exists());
    }
}
