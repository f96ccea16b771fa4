//! git's commit-graph, read directly: a commit's tree, parents and date
//! without inflating the commit, and the changed-path Bloom filters that
//! say, for most commits, that a path certainly did not change. `git gc`
//! and `git maintenance` write it; without it, the walk reads commits from
//! the object database instead, and answers the same.
//!
//! The format is git's `gitformat-commit-graph`: a header, a table of
//! chunks, then the chunks (OIDF fan-out, OIDL sorted ids, CDAT commit
//! data, EDGE extra parents, BIDX/BDAT Bloom filters), numbers big-endian.
//! Either one file, `objects/info/commit-graph`, or a chain of layers
//! listed in `objects/info/commit-graphs/commit-graph-chain`, base first,
//! each numbering its commits after those of the layers below it. Anything
//! unexpected (another hash, a short chunk, an id out of range) makes the
//! graph, or that commit, unused: the object database still answers.

use std::path::Path;

const NO_PARENT: u32 = 0x7000_0000;
const MORE_PARENTS: u32 = 0x8000_0000;

pub struct Graph {
    layers: Vec<Layer>,
}

/// A commit's place in the graph.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    layer: usize,
    index: usize,
}

/// What the graph says of a commit.
pub struct Entry {
    pub tree: git2::Oid,
    pub parents: Vec<git2::Oid>,
    pub time: i64,
    pub at: Position,
}

struct Layer {
    map: memmap2::Mmap,
    count: usize,
    /// Commits in the layers below this one.
    below: usize,
    fanout: usize,
    ids: usize,
    data: usize,
    edges: Option<(usize, usize)>,
    bloom: Option<Bloom>,
}

struct Bloom {
    index: usize,
    /// Where the filters start (after BDAT's 12-byte header) and end.
    filters: (usize, usize),
    hashes: u32,
    version: u32,
}

/// A path as Bloom-filter keys: the path and each folder above it, each
/// as the two murmur3 hashes git's double hashing starts from.
pub struct Keys {
    hashes: Vec<(u32, u32)>,
    ascii: bool,
}

impl Keys {
    pub fn new(path: &str) -> Keys {
        let bytes = path.as_bytes();
        let mut hashes = vec![key(bytes)];
        for (i, &b) in bytes.iter().enumerate() {
            if b == b'/' {
                hashes.push(key(&bytes[..i]));
            }
        }
        Keys {
            hashes,
            ascii: bytes.is_ascii(),
        }
    }
}

fn key(bytes: &[u8]) -> (u32, u32) {
    (murmur3(0x293a_e76f, bytes), murmur3(0x7e64_6e2c, bytes))
}

impl Graph {
    /// The repository's commit-graph, if it has one folio can read.
    pub fn open(objects: &Path) -> Option<Graph> {
        let info = objects.join("info");
        if let Some(layer) = Layer::open(&info.join("commit-graph"), 0, 0) {
            return Some(Graph {
                layers: vec![layer],
            });
        }
        let dir = info.join("commit-graphs");
        let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).ok()?;
        let mut layers: Vec<Layer> = Vec::new();
        for hash in chain.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let below = layers.last().map_or(0, |l| l.below + l.count);
            let path = dir.join(format!("graph-{hash}.graph"));
            layers.push(Layer::open(&path, below, layers.len())?);
        }
        (!layers.is_empty()).then_some(Graph { layers })
    }

    /// The commit `id`, if the graph has it.
    pub fn commit(&self, id: git2::Oid) -> Option<Entry> {
        self.layers.iter().enumerate().rev().find_map(|(layer, l)| {
            let index = l.find(id.as_bytes())?;
            let at = Position { layer, index };
            let record = l.bytes(l.data + index * 36, 36)?;
            let mut parents = Vec::new();
            for (n, raw) in [u32_at(record, 20)?, u32_at(record, 24)?]
                .into_iter()
                .enumerate()
            {
                if raw == NO_PARENT {
                    break;
                }
                if n == 1 && raw & MORE_PARENTS != 0 {
                    let (start, end) = l.edges?;
                    let mut at = start + (raw & !MORE_PARENTS) as usize * 4;
                    loop {
                        let edge = u32_at(l.bytes(at, 4).filter(|_| at + 4 <= end)?, 0)?;
                        parents.push(self.id_at(edge & !MORE_PARENTS)?);
                        if edge & MORE_PARENTS != 0 {
                            break;
                        }
                        at += 4;
                    }
                } else {
                    parents.push(self.id_at(raw)?);
                }
            }
            let high = u64::from(u32_at(record, 28)? & 0b11);
            let time = (high << 32 | u64::from(u32_at(record, 32)?)) as i64;
            Some(Entry {
                tree: git2::Oid::from_bytes(&record[..20]).ok()?,
                parents,
                time,
                at,
            })
        })
    }

    /// True when the commit's Bloom filter says that none of `keys`
    /// changed between it and its first parent; false when it may have,
    /// or the graph has no filter for it.
    pub fn unchanged(&self, at: Position, keys: &Keys) -> bool {
        let layer = &self.layers[at.layer];
        let Some(bloom) = &layer.bloom else {
            return false;
        };
        // Version 1 filters hashed bytes >= 0x80 as signed chars.
        if !(bloom.version == 2 || bloom.version == 1 && keys.ascii) {
            return false;
        }
        let end_of = |i: usize| {
            layer
                .bytes(bloom.index + i * 4, 4)
                .and_then(|b| u32_at(b, 0))
                .map(|n| n as usize)
        };
        let start = if at.index == 0 {
            Some(0)
        } else {
            end_of(at.index - 1)
        };
        let (Some(start), Some(end)) = (start, end_of(at.index)) else {
            return false;
        };
        let Some(filter) = (end > start)
            .then(|| layer.bytes(bloom.filters.0 + start, end - start))
            .flatten()
            .filter(|_| bloom.filters.0 + end <= bloom.filters.1)
        else {
            return false;
        };
        let bits = filter.len() as u64 * 8;
        keys.hashes.iter().any(|&(h0, h1)| {
            (0..bloom.hashes).any(|i| {
                let bit = u64::from(h0.wrapping_add(i.wrapping_mul(h1))) % bits;
                filter[(bit / 8) as usize] & (1 << (bit % 8)) == 0
            })
        })
    }

    /// The id of the commit at a position counted over all layers.
    fn id_at(&self, position: u32) -> Option<git2::Oid> {
        let position = position as usize;
        let layer = self
            .layers
            .iter()
            .find(|l| position >= l.below && position < l.below + l.count)?;
        let bytes = layer.bytes(layer.ids + (position - layer.below) * 20, 20)?;
        git2::Oid::from_bytes(bytes).ok()
    }
}

impl Layer {
    /// A graph file that says it sits on `bases` layers (its position in
    /// a chain), numbering its commits from `below`.
    fn open(path: &Path, below: usize, bases: usize) -> Option<Layer> {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: git writes a commit-graph file under a lock file and
        // renames it into place; it never changes one in place.
        let map = unsafe { memmap2::MmapOptions::new().populate().map(&file) }.ok()?;
        let header = map.get(..8)?;
        // Version 1, SHA-1, and where the chain says it is.
        if &header[..4] != b"CGPH"
            || header[4] != 1
            || header[5] != 1
            || header[7] as usize != bases
        {
            return None;
        }
        let chunks = header[6] as usize;
        let mut table = Vec::new();
        for i in 0..=chunks {
            let row = map.get(8 + i * 12..8 + i * 12 + 12)?;
            let offset = u64::from_be_bytes(row[4..].try_into().ok()?) as usize;
            table.push((row[..4].to_vec(), offset));
        }
        // A chunk ends where the next one in the table begins.
        let chunk = |id: &[u8]| -> Option<(usize, usize)> {
            let i = table.iter().position(|(name, _)| name == id)?;
            let (start, end) = (table[i].1, table.get(i + 1)?.1);
            (start <= end && end <= map.len()).then_some((start, end))
        };
        let fanout = chunk(b"OIDF").filter(|(s, e)| e - s == 1024)?.0;
        let count = u32_at(&map, fanout + 255 * 4)? as usize;
        let ids = chunk(b"OIDL").filter(|(s, e)| e - s == count * 20)?.0;
        let data = chunk(b"CDAT").filter(|(s, e)| e - s == count * 36)?.0;
        let bloom = match (chunk(b"BIDX"), chunk(b"BDAT")) {
            (Some((index, index_end)), Some((filters, end)))
                if index_end - index == count * 4 && end - filters >= 12 =>
            {
                Some(Bloom {
                    index,
                    filters: (filters + 12, end),
                    version: u32_at(&map, filters)?,
                    hashes: u32_at(&map, filters + 4)?,
                })
            }
            _ => None,
        }
        // git writes 7 hashes per path; a number past any sensible one is
        // damage, and would make every lookup slow.
        .filter(|b| (1..=64).contains(&b.hashes));
        Some(Layer {
            count,
            below,
            fanout,
            ids,
            data,
            edges: chunk(b"EDGE"),
            bloom,
            map,
        })
    }

    fn bytes(&self, at: usize, len: usize) -> Option<&[u8]> {
        self.map.get(at..at.checked_add(len)?)
    }

    /// The index of `id` in this layer, by the fan-out and a binary search.
    fn find(&self, id: &[u8]) -> Option<usize> {
        let first = id[0] as usize;
        let start = match first {
            0 => 0,
            _ => u32_at(&self.map, self.fanout + (first - 1) * 4)? as usize,
        };
        let end = (u32_at(&self.map, self.fanout + first * 4)? as usize).min(self.count);
        let (mut low, mut high) = (start, end);
        while low < high {
            let mid = (low + high) / 2;
            match self.bytes(self.ids + mid * 20, 20)?.cmp(id) {
                std::cmp::Ordering::Less => low = mid + 1,
                std::cmp::Ordering::Greater => high = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
}

/// 32-bit murmur3, as git hashes paths into its Bloom filters.
fn murmur3(seed: u32, data: &[u8]) -> u32 {
    const C1: u32 = 0xcc9e_2d51;
    const C2: u32 = 0x1b87_3593;
    let mut hash = seed;
    let mut chunks = data.chunks_exact(4);
    for chunk in &mut chunks {
        let k = u32::from_le_bytes(chunk.try_into().expect("four bytes"));
        let k = k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
        hash = (hash ^ k)
            .rotate_left(13)
            .wrapping_mul(5)
            .wrapping_add(0xe654_6b64);
    }
    let tail = chunks.remainder();
    if !tail.is_empty() {
        let mut k = 0u32;
        for (i, &b) in tail.iter().enumerate() {
            k ^= u32::from(b) << (8 * i);
        }
        hash ^= k.wrapping_mul(C1).rotate_left(15).wrapping_mul(C2);
    }
    hash ^= data.len() as u32;
    hash ^= hash >> 16;
    hash = hash.wrapping_mul(0x85eb_ca6b);
    hash ^= hash >> 13;
    hash = hash.wrapping_mul(0xc2b2_ae35);
    hash ^ (hash >> 16)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{git, write};
    use super::*;

    #[test]
    fn a_damaged_graph_is_read_without_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        git(d, &["init", "-q", "-b", "main"]);
        for n in 0..4 {
            write(d, &format!("content/p{n}.md"), &format!("{n}\n"));
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", "edit"]);
        }
        // An octopus merge, so the graph has an EDGE chunk.
        for branch in ["x", "y"] {
            git(d, &["checkout", "-q", "-b", branch, "main~1"]);
            write(d, &format!("{branch}.md"), "x\n");
            git(d, &["add", "-A"]);
            git(d, &["commit", "-q", "-m", branch]);
        }
        git(d, &["checkout", "-q", "main"]);
        git(d, &["merge", "-q", "-m", "octopus", "x", "y"]);
        git(
            d,
            &["commit-graph", "write", "--reachable", "--changed-paths"],
        );
        let good = std::fs::read(d.join(".git/objects/info/commit-graph")).unwrap();
        let ids: Vec<git2::Oid> = git(d, &["rev-list", "--all"])
            .lines()
            .map(|l| git2::Oid::from_str(l).unwrap())
            .collect();
        let keys = Keys::new("content/p1.md");
        let whole = Graph::open(&d.join(".git/objects")).expect("git's graph reads");
        assert!(ids.iter().all(|&id| whole.commit(id).is_some()));
        assert!(whole.commit(ids[0]).unwrap().parents.len() == 3);
        let damaged = tempfile::tempdir().unwrap();
        let info = damaged.path().join("info");
        std::fs::create_dir_all(&info).unwrap();
        let read = |bytes: &[u8]| {
            std::fs::write(info.join("commit-graph"), bytes).unwrap();
            if let Some(graph) = Graph::open(damaged.path()) {
                for &id in &ids {
                    if let Some(entry) = graph.commit(id) {
                        graph.unchanged(entry.at, &keys);
                    }
                }
            }
        };
        for cut in 0..good.len() {
            read(&good[..cut]);
        }
        for at in 0..good.len() {
            let mut bytes = good.clone();
            bytes[at] ^= 0xff;
            read(&bytes);
        }
    }

    #[test]
    fn murmur3_matches_the_reference_values() {
        // Published test vectors of MurmurHash3_x86_32.
        assert_eq!(murmur3(0, b""), 0);
        assert_eq!(murmur3(1, b""), 0x514e_28b7);
        assert_eq!(murmur3(0, b"Hello, world!"), 0xc036_3e43);
        assert_eq!(
            murmur3(0x9747_b28c, b"The quick brown fox jumps over the lazy dog"),
            0x2fa8_26cd
        );
        assert_eq!(murmur3(0, b"abc"), 0xb3dd_93fa);
    }
}
