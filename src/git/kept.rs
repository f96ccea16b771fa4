//! What folio keeps in the git directory to spare itself work next time,
//! in `.git/folio-history/`: facts about objects, which never change once
//! made (what each commit changed, what state each version of a page is
//! in). Each file ends with the SHA-256 of the rest, so a damaged or cut
//! file reads as no file; files are replaced whole and atomically, so two
//! folio processes at once leave one or the other. It is only a copy:
//! deleting the folder costs one slower run. A folder that is a symbolic
//! link, or cannot be made (a read-only clone), is not used.

use super::{Oid, Repo};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;

/// The folder's name in the git directory.
pub const FOLDER: &str = "folio-history";

/// How many files the folder keeps; writing one more removes those
/// written least recently.
const KEEP: usize = 8;

const SUM: usize = 32;

/// The folder, when it can be used.
pub struct Kept {
    dir: Option<PathBuf>,
}

impl Repo {
    /// The folder of kept facts (see the module comment).
    pub fn kept(&self) -> Kept {
        let dir = self.common_dir().join(FOLDER);
        Kept {
            dir: crate::write::usable_folder(&dir).then_some(dir),
        }
    }
}

impl Kept {
    /// A file's name: `what`, and a hash of `key` and folio's version, so a
    /// new folio or another setting never reads an old file.
    pub fn name(what: &str, key: &str) -> String {
        let mut hash = Sha256::new();
        hash.update(env!("CARGO_PKG_VERSION").as_bytes());
        hash.update([0]);
        hash.update(key.as_bytes());
        let hex: String = hash.finalize()[..8]
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        format!("{what}-{hex}")
    }

    /// The file `name`, if it is there whole.
    pub fn read(&self, name: &str) -> Option<Vec<u8>> {
        let mut bytes = std::fs::read(self.dir.as_ref()?.join(name)).ok()?;
        let body = bytes.len().checked_sub(SUM)?;
        if Sha256::digest(&bytes[..body])[..] != bytes[body..] {
            return None;
        }
        bytes.truncate(body);
        Some(bytes)
    }

    /// Replaces the file `name` with `bytes`. A failure leaves what was
    /// there: the file is only a copy.
    pub fn write(&self, name: &str, mut bytes: Vec<u8>) {
        let Some(dir) = &self.dir else {
            return;
        };
        let sum = Sha256::digest(&bytes);
        bytes.extend_from_slice(&sum);
        if crate::write::replace(&dir.join(name), &bytes, 0o644, None).is_ok() {
            crate::write::keep_newest(dir, KEEP, |name| !name.starts_with('.'));
        }
    }

    /// A note of one byte per object, as `write_notes` kept it under
    /// `name`; empty when there is none.
    pub fn read_notes(&self, name: &str) -> HashMap<Oid, u8> {
        let bytes = self.read(name).unwrap_or_default();
        bytes
            .chunks_exact(21)
            .filter_map(|c| Some((Oid(git2::Oid::from_bytes(&c[..20]).ok()?), c[20])))
            .collect()
    }

    pub fn write_notes(&self, name: &str, notes: &HashMap<Oid, u8>) {
        let mut bytes = Vec::with_capacity(notes.len() * 21);
        for (id, note) in notes {
            bytes.extend_from_slice(id.0.as_bytes());
            bytes.push(*note);
        }
        self.write(name, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::git;
    use super::*;

    #[test]
    fn a_kept_file_reads_back_whole_or_not_at_all() {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"]);
        let repo = Repo::open(dir.path()).unwrap();
        let kept = repo.kept();
        let id = Oid(git2::Oid::from_bytes(&[7; 20]).unwrap());
        kept.write_notes("n", &HashMap::from([(id, 3)]));
        assert_eq!(kept.read_notes("n"), HashMap::from([(id, 3)]));
        let file = dir.path().join(".git").join(FOLDER).join("n");
        let whole = std::fs::read(&file).unwrap();
        for cut in 0..whole.len() {
            std::fs::write(&file, &whole[..cut]).unwrap();
            assert!(kept.read("n").is_none(), "cut at {cut}");
            let mut changed = whole.clone();
            changed[cut] ^= 1;
            std::fs::write(&file, &changed).unwrap();
            assert!(kept.read("n").is_none(), "changed at {cut}");
        }
        // Only KEEP files stay.
        for n in 0..KEEP + 3 {
            kept.write(&format!("f{n}"), vec![1]);
        }
        let left = std::fs::read_dir(file.parent().unwrap()).unwrap().count();
        assert_eq!(left, KEEP);
        // A folder that is a link is not used.
        let other = tempfile::tempdir().unwrap();
        std::fs::remove_dir_all(file.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(other.path(), file.parent().unwrap()).unwrap();
        repo.kept().write("x", vec![1]);
        assert_eq!(std::fs::read_dir(other.path()).unwrap().count(), 0);
        assert!(repo.kept().read("x").is_none());
        assert_ne!(Kept::name("a", "k"), Kept::name("a", "l"));
    }
}
