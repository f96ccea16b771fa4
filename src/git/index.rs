//! A reader for git's index file (versions 2 to 4) and its cache-tree
//! extension: the hook's fast path to what is staged.
//!
//! libgit2 verifies the whole file's checksum with collision-detecting
//! SHA-1 and git2 does not expose the cache-tree, so listing what is staged
//! through it costs several times what git itself pays. This reader trusts
//! the file git just wrote and keeps, for each folder, the tree id the
//! cache-tree says it has: folders whose id matches the base commit are
//! skipped without being read. It handles what an ordinary index holds;
//! anything else (a split index, sparse-index folders, conflict stages, a
//! hash other than SHA-1) makes `read` return `None`, and the caller asks
//! git's plumbing instead.

/// One staged file, as offsets into the index data (the hook reads ten
/// thousand of these; copying them would cost more than reading them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    at: u32,
    path_start: u32,
    path_len: u32,
    /// Added with `git add -N`: listed, but no content is staged.
    pub intent_to_add: bool,
}

/// A folder of the cache-tree: its tree id when still valid.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CacheTree {
    pub name: Vec<u8>,
    pub oid: Option<[u8; 20]>,
    pub children: Vec<CacheTree>,
}

impl CacheTree {
    pub fn child(&self, name: &[u8]) -> Option<&CacheTree> {
        self.children.iter().find(|c| c.name == name)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Index<D> {
    data: D,
    /// Sorted by path, as git keeps them.
    pub entries: Vec<Entry>,
    pub cache_tree: Option<CacheTree>,
    /// Version 4 compresses paths against the previous one; they are
    /// spelled out here. Earlier versions' paths are read in place.
    v4_paths: Option<Vec<u8>>,
}

impl<D: AsRef<[u8]>> Index<D> {
    pub fn path(&self, entry: &Entry) -> &[u8] {
        let range = entry.path_start as usize..(entry.path_start + entry.path_len) as usize;
        match &self.v4_paths {
            Some(paths) => &paths[range],
            None => &self.data.as_ref()[range],
        }
    }

    pub fn mode(&self, entry: &Entry) -> u32 {
        be32(self.data.as_ref(), entry.at as usize + 24).unwrap_or(0)
    }

    pub fn oid(&self, entry: &Entry) -> &[u8] {
        let at = entry.at as usize + 40;
        &self.data.as_ref()[at..at + HASH]
    }
}

const HASH: usize = 20;

/// Parses an index file's bytes (read, or mapped), or `None` when it holds
/// something this reader leaves to git (see the module comment) or is not
/// an index at all.
pub fn read<D: AsRef<[u8]>>(data: D) -> Option<Index<D>> {
    let bytes = data.as_ref();
    if bytes.len() < 12 + HASH || &bytes[..4] != b"DIRC" || bytes.len() > u32::MAX as usize {
        return None;
    }
    let version = be32(bytes, 4)?;
    let count = be32(bytes, 8)? as usize;
    if !(2..=4).contains(&version) {
        return None;
    }
    let body_end = bytes.len() - HASH;
    let mut at = 12;
    // A damaged count must not reserve more than the file could hold.
    let mut entries = Vec::with_capacity(count.min(bytes.len() / 62));
    let mut v4_paths = (version == 4).then(Vec::new);
    let mut previous = 0..0;
    for _ in 0..count {
        let start = at;
        let mode = be32(bytes, at + 24)?;
        bytes.get(at + 40..at + 40 + HASH)?;
        let flags = be16(bytes, at + 60)?;
        at += 62;
        let extended = flags & 0x4000 != 0;
        let stage = (flags >> 12) & 0x3;
        let mut intent_to_add = false;
        if extended {
            if version < 3 {
                return None;
            }
            intent_to_add = be16(bytes, at)? & 0x2000 != 0;
            at += 2;
        }
        if stage != 0 || mode & 0o170000 == 0o040000 {
            // A conflict, or a sparse-index folder entry.
            return None;
        }
        let nul_after =
            |from: usize| Some(from + bytes.get(from..body_end)?.iter().position(|&b| b == 0)?);
        let path = match &mut v4_paths {
            Some(paths) => {
                // How much of the previous path to drop (a varint, which
                // may be a zero byte), then the rest of this one.
                let (strip, used) = varint(bytes.get(at..body_end)?)?;
                let end = nul_after(at + used)?;
                let keep = previous.len().checked_sub(usize::try_from(strip).ok()?)?;
                let path_start = paths.len();
                paths.extend_from_within(previous.start..previous.start + keep);
                paths.extend_from_slice(&bytes[at + used..end]);
                at = end + 1;
                path_start..paths.len()
            }
            None => {
                let end = nul_after(at)?;
                // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
                let path = at..end;
                at = start + (end - start + 8) / 8 * 8;
                path
            }
        };
        previous = path.clone();
        entries.push(Entry {
            at: start as u32,
            path_start: path.start as u32,
            path_len: path.len() as u32,
            intent_to_add,
        });
    }
    let mut cache_tree = None;
    while at + 8 <= body_end {
        let signature = &bytes[at..at + 4];
        let size = be32(bytes, at + 4)? as usize;
        let ext = bytes.get(at + 8..at + 8 + size)?;
        match signature {
            b"TREE" => cache_tree = parse_cache_tree(&mut &ext[..], 0),
            b"link" | b"sdir" => return None,
            _ => {}
        }
        at += 8 + size;
    }
    Some(Index {
        data,
        entries,
        cache_tree,
        v4_paths,
    })
}

/// One node of the cache-tree and its children, in the extension's
/// preorder: `name\0entry_count subtrees\n[id]`.
fn parse_cache_tree(data: &mut &[u8], depth: usize) -> Option<CacheTree> {
    if depth > 256 {
        return None;
    }
    let nul = data.iter().position(|&b| b == 0)?;
    let name = data[..nul].to_vec();
    let newline = nul + 1 + data[nul + 1..].iter().position(|&b| b == b'\n')?;
    let header = std::str::from_utf8(&data[nul + 1..newline]).ok()?;
    let (entry_count, subtrees) = header.split_once(' ')?;
    let entry_count: i64 = entry_count.parse().ok()?;
    let subtrees: usize = subtrees.parse().ok()?;
    *data = &data[newline + 1..];
    let oid = if entry_count >= 0 {
        let oid: [u8; 20] = data.get(..HASH)?.try_into().ok()?;
        *data = &data[HASH..];
        Some(oid)
    } else {
        None
    };
    let mut children = Vec::with_capacity(subtrees.min(data.len()));
    for _ in 0..subtrees {
        children.push(parse_cache_tree(data, depth + 1)?);
    }
    Some(CacheTree {
        name,
        oid,
        children,
    })
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

fn be16(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

/// git's offset varint (index v4): each continuation adds one before
/// shifting, so every value has exactly one encoding.
fn varint(data: &[u8]) -> Option<(u64, usize)> {
    let mut bytes = data.iter();
    let mut byte = *bytes.next()?;
    let mut value = u64::from(byte & 0x7f);
    let mut used = 1;
    while byte & 0x80 != 0 {
        byte = *bytes.next()?;
        value = ((value + 1) << 7) | u64::from(byte & 0x7f);
        used += 1;
        if used > 9 {
            return None;
        }
    }
    Some((value, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_decode_as_git_writes_them() {
        assert_eq!(varint(&[0x05]), Some((5, 1)));
        assert_eq!(varint(&[0x80, 0x00]), Some((128, 2)));
        assert_eq!(varint(&[0x81, 0x7f]), Some((383, 2)));
    }

    #[test]
    fn not_an_index_is_none() {
        assert!(read(b"not an index at all, not at all".to_vec()).is_none());
        let mut v5 = b"DIRC\0\0\0\x05\0\0\0\0".to_vec();
        v5.extend([0u8; 20]);
        assert!(read(v5).is_none());
    }
}
