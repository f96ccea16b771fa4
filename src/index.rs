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

/// One staged file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: Vec<u8>,
    pub mode: u32,
    pub oid: [u8; 20],
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
pub struct Index {
    /// Sorted by path, as git keeps them.
    pub entries: Vec<Entry>,
    pub cache_tree: Option<CacheTree>,
}

const HASH: usize = 20;

/// Parses an index file, or `None` when it holds something this reader
/// leaves to git (see the module comment) or is not an index at all.
pub fn read(data: &[u8]) -> Option<Index> {
    if data.len() < 12 + HASH || &data[..4] != b"DIRC" {
        return None;
    }
    let version = be32(data, 4)?;
    let count = be32(data, 8)? as usize;
    if !(2..=4).contains(&version) {
        return None;
    }
    let body_end = data.len() - HASH;
    let mut at = 12;
    let mut entries = Vec::with_capacity(count);
    let mut previous: Vec<u8> = Vec::new();
    for _ in 0..count {
        let start = at;
        let mode = be32(data, at + 24)?;
        let oid: [u8; 20] = data.get(at + 40..at + 40 + HASH)?.try_into().ok()?;
        let flags = be16(data, at + 60)?;
        at += 62;
        let extended = flags & 0x4000 != 0;
        let stage = (flags >> 12) & 0x3;
        let mut intent_to_add = false;
        if extended {
            if version < 3 {
                return None;
            }
            let more = be16(data, at)?;
            intent_to_add = more & 0x2000 != 0;
            at += 2;
        }
        if stage != 0 || mode & 0o170000 == 0o040000 {
            // A conflict, or a sparse-index folder entry.
            return None;
        }
        let path = if version == 4 {
            let (strip, used) = varint(data.get(at..)?)?;
            at += used;
            let end = at + data.get(at..)?.iter().position(|&b| b == 0)?;
            let keep = previous.len().checked_sub(strip as usize)?;
            let mut path = previous[..keep].to_vec();
            path.extend_from_slice(&data[at..end]);
            at = end + 1;
            path
        } else {
            let end = at + data.get(at..)?.iter().position(|&b| b == 0)?;
            let path = data[at..end].to_vec();
            // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
            at = start + (end - start + 8) / 8 * 8;
            path
        };
        previous.clone_from(&path);
        entries.push(Entry {
            path,
            mode,
            oid,
            intent_to_add,
        });
    }
    let mut cache_tree = None;
    while at + 8 <= body_end {
        let signature = &data[at..at + 4];
        let size = be32(data, at + 4)? as usize;
        let ext = data.get(at + 8..at + 8 + size)?;
        match signature {
            b"TREE" => cache_tree = parse_cache_tree(&mut &ext[..]),
            b"link" | b"sdir" => return None,
            _ => {}
        }
        at += 8 + size;
    }
    Some(Index {
        entries,
        cache_tree,
    })
}

/// One node of the cache-tree and its children, in the extension's
/// preorder: `name\0entry_count subtrees\n[id]`.
fn parse_cache_tree(data: &mut &[u8]) -> Option<CacheTree> {
    let nul = data.iter().position(|&b| b == 0)?;
    let name = data[..nul].to_vec();
    let newline = data.iter().position(|&b| b == b'\n')?;
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
    let mut children = Vec::with_capacity(subtrees);
    for _ in 0..subtrees {
        children.push(parse_cache_tree(data)?);
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
        assert!(read(b"not an index at all, not at all").is_none());
        let mut v5 = b"DIRC\0\0\0\x05\0\0\0\0".to_vec();
        v5.extend([0u8; 20]);
        assert!(read(&v5).is_none());
    }
}
