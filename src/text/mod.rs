//! Text as folio reads and writes it.
//!
//! - this file: `SourceText`, decoded file text with a line index, so every
//!   finding can name a line and a column. A UTF-8 byte order mark is
//!   dropped (columns start after it); CRLF line endings are kept as they
//!   are and never counted in a column;
//! - `yaml`: parsing YAML into `Node`s (the only user of serde_yaml);
//! - `keys`: where a YAML key sits on its line;
//! - `quote`: writing YAML scalars, every quoting choice;
//! - `markdown`: a body's prose with code masked, its citations and links;
//! - `github`: untrusted text written as Markdown GitHub renders inert;
//! - `suggest`: "did you mean".

pub mod github;
pub mod keys;
pub mod markdown;
pub mod quote;
pub mod suggest;
pub mod yaml;

/// A character that must not reach a reader as itself: control characters
/// (a newline included; callers that keep lines split first), the
/// bidirectional controls that reorder what is shown, and the zero-width
/// characters that hide text or join what looks apart.
pub fn hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200E}'
                | '\u{200F}'
                | '\u{061C}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
                | '\u{200B}'..='\u{200D}'
                | '\u{2060}'..='\u{2064}'
                | '\u{180E}'
                | '\u{FEFF}'
        )
}

/// `s` with every byte percent-encoded but the unreserved characters of
/// RFC 3986 and those in `keep` (such as `/` in a path).
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) || keep.contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A file name from the disk or from git as text: UTF-8 as it is, and each
/// byte that is not UTF-8 as `\xNN`, so two names that differ only there
/// stay two names (where a lossy decoding would show both as `\u{FFFD}`).
pub fn path_text(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// The bytes of a name `path_text` spelt: each `\xNN` back to its byte.
pub fn path_bytes(text: &str) -> Vec<u8> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 2..i + 4)
            .filter(|_| bytes[i] == b'\\' && bytes[i + 1] == b'x')
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match hex {
            Some(b) => {
                out.push(b);
                i += 4;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    out
}

#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    line_starts: Vec<usize>,
    /// For every `BLOCK` bytes of `text`, how many characters come before
    /// it: a column is then found in at most `BLOCK` steps, however long
    /// the line and however many findings it has. Made on first need (a
    /// column far into a long line).
    chars_before_block: std::sync::OnceLock<Vec<usize>>,
    had_bom: bool,
}

/// The stride of `SourceText::chars_before_block`.
const BLOCK: usize = 256;

/// Why bytes could not become text. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    Nul {
        line: usize,
        column: usize,
    },
    NotUtf8 {
        line: usize,
        column: usize,
        byte: u8,
    },
    /// The bytes look like UTF-16: a UTF-16 byte order mark, or ASCII with
    /// a NUL after (little-endian) or before (big-endian) every character.
    Utf16 {
        big_endian: bool,
    },
}

const BOM: &str = "\u{feff}";

impl SourceText {
    pub fn new(text: String) -> SourceText {
        let (text, had_bom) = match text.strip_prefix(BOM) {
            Some(rest) => (rest.to_string(), true),
            None => (text, false),
        };
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        SourceText {
            text,
            line_starts,
            chars_before_block: std::sync::OnceLock::new(),
            had_bom,
        }
    }

    /// Bytes as stored in a file or blob. NUL bytes mean a binary file and
    /// are refused before UTF-8 is even considered.
    pub fn decode(bytes: &[u8]) -> Result<SourceText, DecodeError> {
        if let Some(big_endian) = utf16(bytes) {
            return Err(DecodeError::Utf16 { big_endian });
        }
        if let Some(at) = memchr::memchr(0, bytes) {
            let (line, column) = byte_position(bytes, at);
            return Err(DecodeError::Nul { line, column });
        }
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(SourceText::new(s.to_string())),
            Err(e) => {
                let at = e.valid_up_to();
                let (line, column) = byte_position(bytes, at);
                Err(DecodeError::NotUtf8 {
                    line,
                    column,
                    byte: bytes[at],
                })
            }
        }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The bytes as the file holds them (the BOM, if it had one, put back).
    pub fn file_bytes(&self) -> Vec<u8> {
        let bom = if self.had_bom { BOM } else { "" };
        [bom.as_bytes(), self.text.as_bytes()].concat()
    }

    pub fn had_bom(&self) -> bool {
        self.had_bom
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.line_starts[line.clamp(1, self.line_starts.len()) - 1]
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: usize) -> &str {
        let line = line.clamp(1, self.line_starts.len());
        let start = self.line_starts[line - 1];
        let text = match self.line_starts.get(line) {
            Some(&next) => &self.text[start..next - 1],
            None => &self.text[start..],
        };
        text.strip_suffix('\r').unwrap_or(text)
    }

    /// How many characters come before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let blocks = self.chars_before_block.get_or_init(|| {
            let mut counts = Vec::with_capacity(self.text.len() / BLOCK + 1);
            let mut chars = 0;
            for block in self.text.as_bytes().chunks(BLOCK) {
                counts.push(chars);
                chars += block.iter().filter(|&&b| !is_continuation(b)).count();
            }
            counts
        });
        let block = offset / BLOCK;
        let from = block * BLOCK;
        blocks.get(block).copied().unwrap_or(0) + count_chars(&self.text.as_bytes()[from..offset])
    }

    /// The nearest character boundary at or before `offset` (a match found
    /// in masked text may end inside a character the mask replaced).
    pub fn char_boundary(&self, offset: usize) -> usize {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        offset
    }

    /// 1-based line and character column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = self.char_boundary(offset);
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let start = self.line_starts[line - 1];
        let column = if offset - start <= BLOCK {
            count_chars(&self.text.as_bytes()[start..offset])
        } else {
            self.chars_before(offset) - self.chars_before(start)
        };
        (line, column + 1)
    }
}

/// Whether `bytes` look like UTF-16, and if so whether big-endian.
fn utf16(bytes: &[u8]) -> Option<bool> {
    match bytes {
        [0xFF, 0xFE, ..] => return Some(false),
        [0xFE, 0xFF, ..] => return Some(true),
        _ => {}
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    if head.len() < 4 {
        return None;
    }
    let pairs = || head.chunks_exact(2);
    if pairs().all(|p| p[0] != 0 && p[1] == 0) {
        Some(false)
    } else if pairs().all(|p| p[0] == 0 && p[1] != 0) {
        Some(true)
    } else {
        None
    }
}

/// How many characters start in `bytes`.
pub fn count_chars(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| !is_continuation(b)).count()
}

/// A byte that continues a UTF-8 character rather than starting one.
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Text as the ledger and the summary compare it: lowercase letters and
/// digits, with every run of anything else as one space, so case,
/// punctuation and wrapping do not matter; each byte of the result
/// remembers where in `text` it came from.
pub fn folded(text: &str) -> (String, Vec<usize>) {
    let mut offsets = Vec::with_capacity(text.len());
    let out = fold(text, Some(&mut offsets));
    (out, offsets)
}

/// The text of `folded`, without the offsets.
pub fn folded_text(text: &str) -> String {
    fold(text, None)
}

fn fold(text: &str, mut offsets: Option<&mut Vec<usize>>) -> String {
    let mut out = String::with_capacity(text.len());
    // Each byte pushed remembers `at`, the byte of `text` it came from.
    let mut push = |out: &mut String, piece: char, at: usize| {
        out.push(piece);
        if let Some(offsets) = offsets.as_deref_mut() {
            offsets.extend(std::iter::repeat_n(at, piece.len_utf8()));
        }
    };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        // ASCII, most of any page, a byte at a time.
        let (c, len) = if b.is_ascii() {
            (char::from(b), 1)
        } else {
            let c = text[at..].chars().next().expect("a character starts here");
            (c, c.len_utf8())
        };
        if c.is_ascii_alphanumeric() {
            push(&mut out, c.to_ascii_lowercase(), at);
        } else if c.is_alphanumeric() {
            c.to_lowercase().for_each(|lower| push(&mut out, lower, at));
        } else if !out.ends_with(' ') && !out.is_empty() {
            push(&mut out, ' ', at);
        }
        at += len;
    }
    out
}

/// `text.split_inclusive('\n')`, each line found with a SIMD search:
/// str's search for a character costs more than the short line it finds,
/// and pages are read line by line several times.
pub fn lines_inclusive(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let mut newlines = memchr::memchr_iter(b'\n', text.as_bytes());
    std::iter::from_fn(move || match newlines.next() {
        Some(end) => {
            let line = &text[start..=end];
            start = end + 1;
            Some(line)
        }
        None if start < text.len() => {
            let line = &text[start..];
            start = text.len();
            Some(line)
        }
        None => None,
    })
}

/// How many words `text` holds, as `split_whitespace` counts them (runs of
/// anything but Unicode white space). Most pages are ASCII: a word starts
/// at a byte that is not a space, first or after one, counted over fixed
/// blocks the compiler turns into vector instructions (four times faster
/// than `split_whitespace` on a page of prose).
pub fn word_count(text: &str) -> usize {
    if !text.is_ascii() {
        return text.split_whitespace().count();
    }
    let space = |b: u8| matches!(b, b'\t'..=b'\r' | b' ');
    let bytes = text.as_bytes();
    let Some(&first) = bytes.first() else {
        return 0;
    };
    let (before, at) = (&bytes[..bytes.len() - 1], &bytes[1..]);
    let starts: usize = before
        .chunks(64)
        .zip(at.chunks(64))
        .map(|(before, at)| {
            let mut n = 0u32;
            for i in 0..before.len().min(at.len()) {
                n += u32::from(space(before[i]) & !space(at[i]));
            }
            n as usize
        })
        .sum();
    usize::from(!space(first)) + starts
}

/// 1-based line and column of a byte index in raw bytes, counting columns as
/// the valid UTF-8 characters before it.
fn byte_position(bytes: &[u8], at: usize) -> (usize, usize) {
    let before = &bytes[..at];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_split_as_str_splits_them() {
        for text in [
            "", "a", "a\n", "\n", "a\nb", "a\n\nb\n", "é\nü", "\r\n", "\n\n",
        ] {
            let ours: Vec<&str> = lines_inclusive(text).collect();
            let std: Vec<&str> = text.split_inclusive('\n').collect();
            assert_eq!(ours, std, "{text:?}");
        }
    }

    #[test]
    fn folding_reads_ascii_and_the_rest_alike() {
        // The reference: a character at a time.
        let slow = |text: &str| {
            let mut out = String::new();
            let mut offsets = Vec::new();
            for (at, c) in text.char_indices() {
                if c.is_alphanumeric() {
                    for lower in c.to_lowercase() {
                        out.push(lower);
                        offsets.extend(std::iter::repeat_n(at, lower.len_utf8()));
                    }
                } else if !out.ends_with(' ') && !out.is_empty() {
                    out.push(' ');
                    offsets.push(at);
                }
            }
            (out, offsets)
        };
        for text in [
            "",
            "  A b--C!",
            "Ünïcode İstanbul ß — 10x Faster.",
            "日本語 text\n\tend",
            "a\u{200B}b",
        ] {
            assert_eq!(folded(text), slow(text), "{text:?}");
            assert_eq!(folded_text(text), slow(text).0);
        }
    }

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for text in [
            "",
            "   ",
            "one",
            " two  words\n",
            "tab\tvertical\x0bfeed\x0creturn\rend",
            // Separators that are not white space join words.
            "unit\x1fseparator\x1c",
            "no\u{a0}break em\u{2003}space ideographic\u{3000}space line\u{2028}end",
            "zero\u{200b}width joins, \u{85}next line splits",
            "日本語 テキスト — done.",
        ] {
            assert_eq!(
                word_count(text),
                text.split_whitespace().count(),
                "{text:?}"
            );
        }
        // Long text, words across the 64-byte blocks it is counted in.
        for cut in 60..70 {
            for gap in [" ", "\n\n", "  \t"] {
                let text = format!("{}{gap}{}{gap}end", "a".repeat(cut), "b ".repeat(cut));
                assert_eq!(word_count(&text), text.split_whitespace().count());
            }
        }
    }

    #[test]
    fn names_that_are_not_utf8_are_spelt_and_read_back() {
        let name = b"caf\xe9/\xff\xfe.md";
        let text = path_text(name);
        assert_eq!(text, "caf\\xe9/\\xff\\xfe.md");
        assert_eq!(path_bytes(&text), name);
        assert_eq!(path_bytes("plain \\x.md"), b"plain \\x.md");
    }

    #[test]
    fn positions_count_characters_and_skip_the_bom() {
        let t = SourceText::new("\u{feff}ab\r\nçd\n".to_string());
        assert!(t.had_bom());
        assert_eq!(t.line_col(0), (1, 1));
        assert_eq!(t.line_text(1), "ab");
        let d = t.as_str().find('d').unwrap();
        assert_eq!(t.line_col(d), (2, 2));
        assert_eq!(t.line_count(), 3);
    }

    #[test]
    fn columns_across_blocks_count_characters() {
        let line = "aé山\u{1F600}".repeat(700);
        let text = format!("x\n{line}\n{line}");
        let t = SourceText::new(text.clone());
        for (at, _) in text.char_indices().step_by(97) {
            let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
            let line = text[..at].matches('\n').count() + 1;
            let column = text[line_start..at].chars().count() + 1;
            assert_eq!(t.line_col(at), (line, column), "at {at}");
        }
        assert_eq!(t.line_text(2), line);
        assert_eq!(t.line_text(3), line);
    }

    #[test]
    fn decode_names_the_first_bad_byte() {
        assert_eq!(
            SourceText::decode(b"ok\nab\xffc").unwrap_err(),
            DecodeError::NotUtf8 {
                line: 2,
                column: 3,
                byte: 0xff
            }
        );
        assert_eq!(
            SourceText::decode(b"a\n\nx\0").unwrap_err(),
            DecodeError::Nul { line: 3, column: 2 }
        );
    }
}
