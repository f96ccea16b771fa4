//! A guard in front of libgit2's loose objects. libgit2 1.9 loops forever
//! reading a loose object whose compressed data ends early (a truncated
//! file, left by a crash, a full disk or a bad copy), where git fails at
//! once; the fix is not in a released libgit2 yet. So before folio has
//! libgit2 read an object, it inflates the object's loose file itself, if
//! there is one, and calls a short or damaged one corrupt. Packed objects
//! are read by another path and are not affected.

use crate::error::{Error, Result};
use miniz_oxide::inflate::stream::{InflateState, inflate};
use miniz_oxide::{DataFormat, MZFlush, MZStatus};
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

/// The loose objects of one object folder. The first few objects asked
/// about are looked for one file at a time (the hook asks about a handful);
/// after that the guard lists a fan-out folder (`objects/ab/`) at a time as
/// objects are asked about, and only the fan-out folders that exist: a
/// repository whose objects are packed costs one folder read, rather than
/// a failed file open per object.
pub struct Guard {
    objects: PathBuf,
    /// The objects looked for one at a time.
    looked_for: RefCell<HashSet<git2::Oid>>,
    /// The fan-out folders there are, read once.
    present: std::cell::OnceCell<HashSet<u8>>,
    /// Per first byte: the names of the loose files not yet checked.
    fans: RefCell<HashMap<u8, HashSet<String>>>,
}

impl super::Repo {
    /// A commit, its loose object checked first: every commit folio looks
    /// up itself comes through here.
    pub(super) fn find_commit(&self, id: super::Oid) -> Result<git2::Commit<'_>> {
        self.loose.check(id.0)?;
        self.repo.find_commit(id.0).map_err(super::git_error)
    }
}

/// How many objects are looked for one file at a time before the guard
/// lists folders instead.
const ONE_AT_A_TIME: usize = 16;

impl Guard {
    pub fn new(objects: PathBuf) -> Guard {
        Guard {
            objects,
            looked_for: RefCell::default(),
            present: std::cell::OnceCell::new(),
            fans: RefCell::default(),
        }
    }

    /// The object is not a damaged loose object (see the module comment).
    pub fn check(&self, id: git2::Oid) -> Result<()> {
        let hex = id.to_string();
        if self.present.get().is_none() {
            let mut looked_for = self.looked_for.borrow_mut();
            if looked_for.len() < ONE_AT_A_TIME {
                return if looked_for.insert(id) {
                    self.inflate(&hex)
                } else {
                    Ok(())
                };
            }
        }
        let fan = id.as_bytes()[0];
        let loose = self
            .fans
            .borrow_mut()
            .entry(fan)
            .or_insert_with(|| self.list(fan))
            .remove(&hex[2..]);
        if loose { self.inflate(&hex) } else { Ok(()) }
    }

    /// Checks every loose object: for what libgit2 walks itself
    /// (revisions, merge-bases, revision walks), where folio cannot check
    /// each object before it is read. A clone holds its objects in packs,
    /// and git packs loose objects past a few thousand, so this reads few
    /// files.
    pub fn check_all(&self) -> Result<()> {
        for fan in 0..=255u8 {
            let names: Vec<String> = {
                let mut fans = self.fans.borrow_mut();
                let set = fans.entry(fan).or_insert_with(|| self.list(fan));
                set.drain().collect()
            };
            for name in names {
                self.inflate(&format!("{fan:02x}{name}"))?;
            }
        }
        Ok(())
    }

    fn list(&self, fan: u8) -> HashSet<String> {
        let present = self.present.get_or_init(|| {
            let Ok(entries) = std::fs::read_dir(&self.objects) else {
                return HashSet::new();
            };
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name();
                    let name = name.to_str()?;
                    (name.len() == 2).then(|| u8::from_str_radix(name, 16).ok())?
                })
                .collect()
        });
        if !present.contains(&fan) {
            return HashSet::new();
        }
        let Ok(entries) = std::fs::read_dir(self.objects.join(format!("{fan:02x}"))) else {
            return HashSet::new();
        };
        entries
            .flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|name| name.len() == 38)
            .collect()
    }

    fn inflate(&self, hex: &str) -> Result<()> {
        let (fan, rest) = hex.split_at(2);
        let Ok(bytes) = std::fs::read(self.objects.join(fan).join(rest)) else {
            // Gone since it was listed (packed meanwhile): libgit2 reads
            // it from the pack, or reports it missing.
            return Ok(());
        };
        if inflates_whole(&bytes) {
            return Ok(());
        }
        Err(Error::config(format!(
            "the object {hex} is corrupt: its file .git/objects/{fan}/{rest} ends before its data does"
        ))
        .hint("run `git fsck`; copy the object from another clone, or remove the file and fetch it again"))
    }
}

/// Whether `bytes` is a zlib stream that runs to its end.
fn inflates_whole(bytes: &[u8]) -> bool {
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let mut out = vec![0u8; 32 * 1024];
    let mut input = bytes;
    loop {
        let step = inflate(&mut state, input, &mut out, MZFlush::None);
        input = &input[step.bytes_consumed..];
        match step.status {
            Ok(MZStatus::StreamEnd) => return true,
            Ok(_) if step.bytes_consumed > 0 || step.bytes_written > 0 => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_cut_short_or_damaged_does_not_inflate_whole() {
        let data = b"blob 40\0"
            .iter()
            .chain(&[b'x'; 40_000])
            .copied()
            .collect::<Vec<u8>>();
        let packed = miniz_oxide::deflate::compress_to_vec_zlib(&data, 6);
        assert!(inflates_whole(&packed));
        for cut in [0, 1, 2, 10, packed.len() / 2, packed.len() - 1] {
            assert!(!inflates_whole(&packed[..cut]), "cut at {cut}");
        }
        let mut damaged = packed.clone();
        damaged[0] ^= 0xff;
        assert!(!inflates_whole(&damaged));
    }
}
