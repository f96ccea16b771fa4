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

#[derive(Debug, Clone)]
pub struct SourceText {
    text: String,
    line_starts: Vec<usize>,
    had_bom: bool,
}

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
}

const BOM: &str = "\u{feff}";

impl SourceText {
    pub fn new(text: String) -> SourceText {
        let (text, had_bom) = match text.strip_prefix(BOM) {
            Some(rest) => (rest.to_string(), true),
            None => (text, false),
        };
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText {
            text,
            line_starts,
            had_bom,
        }
    }

    /// Bytes as stored in a file or blob. NUL bytes mean a binary file and
    /// are refused before UTF-8 is even considered.
    pub fn decode(bytes: &[u8]) -> Result<SourceText, DecodeError> {
        if let Some(at) = bytes.iter().position(|&b| b == 0) {
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
        let start = self.line_start(line);
        let rest = &self.text[start..];
        let end = rest.find('\n').unwrap_or(rest.len());
        rest[..end].strip_suffix('\r').unwrap_or(&rest[..end])
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
        let column = self.text[start..offset].chars().count() + 1;
        (line, column)
    }
}

/// Text as the ledger and the summary compare it: lowercase letters and
/// digits, with every run of anything else as one space, so case,
/// punctuation and wrapping do not matter; each byte of the result
/// remembers where in `text` it came from.
pub fn folded(text: &str) -> (String, Vec<usize>) {
    let mut out = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len());
    for (at, c) in text.char_indices() {
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                let mut buf = [0u8; 4];
                let piece = lower.encode_utf8(&mut buf);
                out.push_str(piece);
                offsets.extend(std::iter::repeat_n(at, piece.len()));
            }
        } else if !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
            offsets.push(at);
        }
    }
    (out, offsets)
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
