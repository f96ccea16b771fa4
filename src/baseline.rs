//! `review/baseline.json`: the findings a site accepted when it adopted
//! folio, so that from then on the hook and CI report only what is new.
//!
//! A finding is known by its fingerprint: a hash of its code, its file and
//! its message, never its line, so it survives lines shifting above it
//! and edits elsewhere in the page. The file counts each fingerprint, so
//! a second identical finding on a page (the same claim made twice) is new
//! when the baseline holds one. A finding that is fixed no longer matches
//! anything; the next `folio baseline` drops it.

use crate::error::{Error, Result};
use crate::finding::Finding;
use crate::site::files::Files;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};

/// Where a site keeps its baseline.
pub const BASELINE_PATH: &str = "review/baseline.json";

/// The format of the file, raised when a field changes meaning.
const FORMAT_VERSION: u32 = 1;

/// The baseline as read: how many findings each fingerprint stands for.
#[derive(Debug, Default, Clone)]
pub struct Baseline {
    counts: HashMap<String, usize>,
}

/// The file.
#[derive(Serialize, Deserialize)]
struct File {
    format_version: u32,
    about: String,
    findings: Vec<Entry>,
}

/// One accepted finding (or `count` identical ones). Code, path and
/// message are there for a reader of the file's diff; the fingerprint is
/// what is matched.
#[derive(Serialize, Deserialize)]
struct Entry {
    fingerprint: String,
    code: String,
    path: String,
    message: String,
    #[serde(default = "one", skip_serializing_if = "is_one")]
    count: usize,
}

fn one() -> usize {
    1
}

fn is_one(n: &usize) -> bool {
    *n == 1
}

/// What applying a baseline left out.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Silenced {
    /// Findings left out because the baseline holds them.
    pub silenced: usize,
    /// Findings the baseline holds that this check did not find; only
    /// counted when the whole site was checked (else they were not looked
    /// for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fixed: Option<usize>,
}

/// How a new baseline differs from the one before it.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Renewal {
    pub kept: usize,
    pub dropped: usize,
    pub added: usize,
}

/// How many findings counts stand for, at most `usize::MAX`.
fn total(counts: &HashMap<String, usize>) -> usize {
    counts
        .values()
        .fold(0usize, |sum, n| sum.saturating_add(*n))
}

/// Leaves out of `findings` those the baseline in `files` holds (see
/// `Baseline::apply`), or `None` without a baseline. A check of part of
/// the site that found nothing does not read the file: the hook of a site
/// with a large baseline pays for it only when there is something to
/// leave out.
pub fn leave_out(
    files: &dyn Files,
    findings: &mut Vec<Finding>,
    whole_site: bool,
) -> Result<Option<Silenced>> {
    if findings.is_empty() && !whole_site {
        return Ok(None);
    }
    Ok(Baseline::read(files)?.map(|b| b.apply(findings, whole_site)))
}

/// The fingerprint of a finding: 16 hex digits of SHA-256 over its code,
/// its path and its message.
pub fn fingerprint(f: &Finding) -> String {
    let mut hash = Sha256::new();
    for part in [&f.code, &f.path, &f.message] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Baseline {
    /// The baseline `files` hold, or `None` without one. A file folio
    /// cannot read stops the command: silently ignoring it would report
    /// every accepted finding.
    pub fn read(files: &dyn Files) -> Result<Option<Baseline>> {
        let Some(bytes) = files.read(BASELINE_PATH)? else {
            return Ok(None);
        };
        Baseline::parse(&bytes).map(Some)
    }

    /// The baseline a file's bytes hold.
    pub fn parse(bytes: &[u8]) -> Result<Baseline> {
        let file: File = serde_json::from_slice(bytes).map_err(|e| {
            Error::config(format!("the baseline cannot be read: {e}"))
                .hint("make it again with `folio baseline` (or restore it with `git checkout -- review/baseline.json`)")
                .at(BASELINE_PATH, e.line().max(1), e.column().max(1))
        })?;
        if file.format_version != FORMAT_VERSION {
            return Err(Error::config(format!(
                "the baseline has format_version {}; this folio reads {FORMAT_VERSION}",
                file.format_version
            ))
            .hint("make it again with `folio baseline`")
            .at(BASELINE_PATH, 1, 1));
        }
        let mut counts = HashMap::with_capacity(file.findings.len());
        for entry in file.findings {
            let n = counts.entry(entry.fingerprint).or_insert(0usize);
            *n = n.saturating_add(entry.count);
        }
        Ok(Baseline { counts })
    }

    /// Leaves out of `findings` those the baseline holds, each fingerprint
    /// as many times as it counts. `whole_site` says whether `findings`
    /// are all the site's, so that what is left over was fixed.
    pub fn apply(&self, findings: &mut Vec<Finding>, whole_site: bool) -> Silenced {
        let mut left = self.counts.clone();
        let before = findings.len();
        findings.retain(|f| match left.get_mut(&fingerprint(f)) {
            Some(n) if *n > 0 => {
                *n -= 1;
                false
            }
            _ => true,
        });
        Silenced {
            silenced: before - findings.len(),
            fixed: whole_site.then(|| total(&left)),
        }
    }

    /// The file holding `findings`, sorted so its diff reads well, and how
    /// it differs from this baseline.
    pub fn renew(&self, findings: &[Finding]) -> (String, Renewal) {
        let mut entries: BTreeMap<(&str, &str, &str), (String, usize)> = BTreeMap::new();
        for f in findings {
            entries
                .entry((f.path.as_str(), f.code.as_str(), f.message.as_str()))
                .or_insert_with(|| (fingerprint(f), 0))
                .1 += 1;
        }
        let mut renewal = Renewal::default();
        let mut left = self.counts.clone();
        for (fingerprint, n) in entries.values() {
            let had = left.get_mut(fingerprint).map_or(0, |had| {
                let kept = (*had).min(*n);
                *had -= kept;
                kept
            });
            renewal.kept += had;
            renewal.added += n - had;
        }
        renewal.dropped = total(&left);
        let file = File {
            format_version: FORMAT_VERSION,
            about: "Findings this site accepted; folio reports only findings not listed here. `folio baseline` writes this file again, dropping the findings that were fixed.".to_string(),
            findings: entries
                .into_iter()
                .map(|((path, code, message), (fingerprint, count))| Entry {
                    fingerprint,
                    code: code.to_string(),
                    path: path.to_string(),
                    message: message.to_string(),
                    count,
                })
                .collect(),
        };
        let mut text = serde_json::to_string_pretty(&file).expect("a baseline serialises");
        text.push('\n');
        (text, renewal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(code: &str, line: usize, message: &str) -> Finding {
        let mut f = Finding::error(code, "content/p.md", message, "hint");
        f.line = line;
        f
    }

    #[test]
    fn findings_are_matched_by_what_they_say_not_where() {
        let old = [
            finding("stale", 3, "old"),
            finding("rule", 9, "10x"),
            finding("rule", 12, "10x"),
        ];
        let (text, renewal) = Baseline::default().renew(&old);
        assert_eq!(
            renewal,
            Renewal {
                kept: 0,
                dropped: 0,
                added: 3
            }
        );
        let baseline = Baseline::parse(text.as_bytes()).unwrap();
        assert_eq!(total(&baseline.counts), 3);
        // Lines moved; one `10x` fixed, one new finding.
        let mut now = vec![
            finding("stale", 5, "old"),
            finding("rule", 20, "10x"),
            finding("new", 1, "x"),
        ];
        let silenced = baseline.apply(&mut now, true);
        assert_eq!(
            silenced,
            Silenced {
                silenced: 2,
                fixed: Some(1)
            }
        );
        assert_eq!(now.len(), 1);
        assert_eq!(now[0].code, "new");
        // A third `10x` is new: the baseline holds two.
        let mut three = vec![
            finding("rule", 1, "10x"),
            finding("rule", 2, "10x"),
            finding("rule", 3, "10x"),
        ];
        assert_eq!(baseline.apply(&mut three, false).silenced, 2);
        assert_eq!(three.len(), 1);
        // Renewed: the fixed one drops out, the new one is added.
        let current = [
            finding("stale", 5, "old"),
            finding("rule", 20, "10x"),
            finding("new", 1, "x"),
        ];
        let (_, renewal) = baseline.renew(&current);
        assert_eq!(
            renewal,
            Renewal {
                kept: 2,
                dropped: 1,
                added: 1
            }
        );
    }

    #[test]
    fn a_baseline_folio_cannot_read_is_an_error_at_its_line() {
        let e = Baseline::parse(b"{\n  \"format_version\": 1,\n  oops\n}").unwrap_err();
        let said = format!("{e:?}");
        assert!(said.contains("cannot be read"), "{said}");
        assert!(
            Baseline::parse(b"{\"format_version\": 9, \"about\": \"\", \"findings\": []}").is_err()
        );
        // Hostile counts do not overflow.
        let entry = format!(
            "{{\"fingerprint\": \"ab\", \"code\": \"c\", \"path\": \"p\", \"message\": \"m\", \"count\": {}}}",
            usize::MAX
        );
        let huge =
            format!("{{\"format_version\": 1, \"about\": \"\", \"findings\": [{entry}, {entry}]}}");
        let baseline = Baseline::parse(huge.as_bytes()).unwrap();
        assert_eq!(total(&baseline.counts), usize::MAX);
        let (_, renewal) = baseline.renew(&[]);
        assert_eq!(renewal.dropped, usize::MAX);
    }
}
