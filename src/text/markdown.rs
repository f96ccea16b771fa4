//! What folio reads in a Markdown body: prose with code, comments and link
//! targets masked out, the citations `[@id]`, the links, and the sentences.
//!
//! Masking replaces every byte of fenced code, inline code, HTML comments,
//! autolinks, bare URLs and link targets with a space (newlines kept), so the
//! masked text has the same byte offsets as the body and every match in it
//! maps straight back to a line and column.

use std::ops::Range;

/// A body prepared for the checks. All ranges are byte ranges of the body.
pub struct Prose {
    pub masked: String,
    pub citations: Vec<Citation>,
    pub links: Vec<Link>,
    sentence_starts: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub id: String,
    /// The `@id`.
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub target: String,
    pub span: Range<usize>,
}

impl Prose {
    pub fn new(body: &str) -> Prose {
        let mut masker = Masker {
            bytes: body.as_bytes().to_vec(),
            links: Vec::new(),
            parens: Parens::default(),
            body,
        };
        masker.mask_code_blocks();
        masker.mask_inline();
        masker.mask_bare_urls();
        let masked = String::from_utf8(masker.bytes)
            .expect("masking writes ASCII spaces over whole characters");
        let citations = find_citations(&masked);
        let sentence_starts = sentence_starts(&masked);
        Prose {
            masked,
            citations,
            links: masker.links,
            sentence_starts,
        }
    }

    /// The sentence around a byte offset, as a range of the body.
    fn sentence_at(&self, offset: usize) -> Range<usize> {
        let i = self.sentence_starts.partition_point(|&s| s <= offset);
        let start = self.sentence_starts[i.saturating_sub(1)];
        let end = self
            .sentence_starts
            .get(i)
            .copied()
            .unwrap_or(self.masked.len());
        start..end
    }

    /// Every sentence, as a range of the body, in order.
    pub fn sentences(&self) -> impl Iterator<Item = Range<usize>> + '_ {
        self.sentence_starts.iter().enumerate().map(|(i, &start)| {
            let end = self
                .sentence_starts
                .get(i + 1)
                .copied()
                .unwrap_or(self.masked.len());
            start..end
        })
    }

    /// Whether a citation supports the claim at `claim`: one that follows
    /// it in its sentence, as a footnote follows what it supports. A
    /// citation earlier in the sentence supports an earlier clause.
    pub fn cited_after(&self, claim: &Range<usize>) -> bool {
        let sentence = self.sentence_at(claim.start);
        // Citations are in body order: the first one after the claim.
        let next = self.citations.partition_point(|c| c.span.start < claim.end);
        self.citations
            .get(next)
            .is_some_and(|c| sentence.contains(&c.span.start))
    }
}

struct Masker<'a> {
    body: &'a str,
    bytes: Vec<u8>,
    links: Vec<Link>,
    /// Where each `(` closes, for the line `link_target` last read: every
    /// line is read once, however many `](` it has.
    parens: Parens,
}

/// The `(`s from `from` to the end of a line, each with the `)` that
/// balances it (if any on the line).
#[derive(Default)]
struct Parens {
    from: usize,
    line_end: usize,
    closes: std::collections::HashMap<usize, usize>,
}

/// The backtick runs of a body, by length, each list in body order, with a
/// cursor per length: `code_span` finds the closing run of an opening one
/// without reading the text between, so unclosed runs cost nothing extra.
#[derive(Default)]
struct Backticks {
    runs: std::collections::HashMap<usize, (Vec<usize>, usize)>,
    /// Where paragraphs end (`\n\n` or `\n\r\n`), with a cursor.
    breaks: (Vec<usize>, usize),
}

impl Backticks {
    fn new(bytes: &[u8]) -> Backticks {
        let mut backticks = Backticks::default();
        let mut i = 0;
        while let Some(at) = memchr::memchr2(b'`', b'\n', &bytes[i..]) {
            i += at;
            if bytes[i] == b'`' {
                let n = bytes[i..].iter().take_while(|&&b| b == b'`').count();
                backticks.runs.entry(n).or_default().0.push(i);
                i += n;
            } else {
                if bytes[i..].starts_with(b"\n\n") || bytes[i..].starts_with(b"\n\r\n") {
                    backticks.breaks.0.push(i);
                }
                i += 1;
            }
        }
        backticks
    }

    /// The first run of exactly `n` backticks at or after `from`, before
    /// the paragraph ends. Calls come with `from` never decreasing.
    fn closing(&mut self, from: usize, n: usize) -> Option<usize> {
        let (breaks, b) = &mut self.breaks;
        while breaks.get(*b).is_some_and(|&at| at < from) {
            *b += 1;
        }
        let paragraph_end = breaks.get(*b).copied().unwrap_or(usize::MAX);
        let (runs, r) = self.runs.get_mut(&n)?;
        while runs.get(*r).is_some_and(|&at| at < from) {
            *r += 1;
        }
        runs.get(*r).copied().filter(|&at| at < paragraph_end)
    }
}

impl Masker<'_> {
    fn blank(&mut self, range: Range<usize>) {
        for b in &mut self.bytes[range] {
            if *b != b'\n' && *b != b'\r' {
                *b = b' ';
            }
        }
    }

    /// Code blocks. Fenced: ``` or ~~~ (three or more), indented by at
    /// most three spaces, closed by a fence of the same character at least
    /// as long. Indented: lines indented four spaces (or a tab) that follow
    /// a blank line, a heading or a fence, up to the next line indented
    /// less; not inside a list, where such lines may be the item's own
    /// paragraphs (telling the two apart takes a full Markdown parser).
    fn mask_code_blocks(&mut self) {
        let mut open: Option<(u8, usize)> = None;
        let mut indented = false;
        // Whether an indented line here would start code: not after a
        // paragraph line, which it would continue.
        let mut may_start = true;
        let mut in_list = false;
        let mut offset = 0;
        for line in crate::text::lines_inclusive(self.body) {
            let range = offset..offset + line.len();
            offset += line.len();
            let trimmed = line.trim_start_matches(' ');
            let spaces = line.len() - trimmed.len();
            let indent = if trimmed.starts_with('\t') { 4 } else { spaces };
            let blank = line.trim().is_empty();
            let fence = (spaces <= 3)
                .then(|| {
                    let c = *trimmed.as_bytes().first()?;
                    let n = trimmed.bytes().take_while(|&b| b == c).count();
                    ((c == b'`' || c == b'~') && n >= 3).then_some((c, n))
                })
                .flatten();
            if let Some((c, n)) = open {
                self.blank(range);
                if fence.is_some_and(|(fc, fnum)| {
                    fc == c && fnum >= n && trimmed[fnum..].trim().is_empty()
                }) {
                    open = None;
                    may_start = true;
                }
                continue;
            }
            if indented && (blank || indent >= 4) {
                self.blank(range);
                continue;
            }
            indented = false;
            if blank {
                may_start = true;
                continue;
            }
            if indent >= 4 && may_start && !in_list {
                indented = true;
                self.blank(range);
                continue;
            }
            if let Some(f) = fence {
                open = Some(f);
                self.blank(range);
                continue;
            }
            let item =
                starts_block(trimmed) && !matches!(trimmed.as_bytes()[0], b'#' | b'>' | b'|');
            if indent == 0 {
                in_list = item;
            } else if item {
                in_list = true;
            }
            may_start = trimmed.starts_with('#');
        }
    }

    fn mask_inline(&mut self) {
        let mut backticks = Backticks::new(&self.bytes);
        // The next byte that can start something, found with two SIMD
        // searches whose answers are kept until passed: an escape or a new
        // line (a reference definition's `[` starts a line), and a code
        // span's backtick, an angle bracket or a link's `](`.
        let (mut next_a, mut next_b) = (Some(0), Some(0));
        let mut i = match self.line_start_bracket(0) {
            Some(open) => self.reference_definition(open),
            None => 0,
        };
        while i < self.bytes.len() {
            let bytes = &self.bytes;
            let search = |next: &mut Option<usize>, find: &dyn Fn(&[u8]) -> Option<usize>| {
                if next.is_some_and(|at| at < i) {
                    *next = find(&bytes[i..]).map(|at| i + at);
                }
                *next
            };
            let a = search(&mut next_a, &|h| memchr::memchr3(b'`', b'<', b']', h));
            let b = search(&mut next_b, &|h| memchr::memchr2(b'\\', b'\n', h));
            let Some(at) = a.into_iter().chain(b).min() else {
                break;
            };
            i = at;
            match self.bytes[i] {
                // An escaped new line still starts a line.
                b'\\' if self.bytes.get(i + 1) == Some(&b'\n') => i += 1,
                b'\\' => i += 2,
                b'`' => i = self.code_span(i, &mut backticks),
                b'<' => i = self.angle(i),
                b']' if self.bytes.get(i + 1) == Some(&b'(') => i = self.link_target(i + 1),
                b'\n' => match self.line_start_bracket(i + 1) {
                    Some(open) => i = self.reference_definition(open),
                    None => i += 1,
                },
                _ => i += 1,
            }
        }
    }

    /// The `[` a line starting at `start` opens with, after at most three
    /// spaces.
    fn line_start_bracket(&self, start: usize) -> Option<usize> {
        let spaces = self.bytes[start.min(self.bytes.len())..]
            .iter()
            .take(4)
            .take_while(|&&b| b == b' ')
            .count();
        (spaces <= 3 && self.bytes.get(start + spaces) == Some(&b'[')).then_some(start + spaces)
    }

    /// A run of n backticks closed by the next run of exactly n.
    fn code_span(&mut self, start: usize, backticks: &mut Backticks) -> usize {
        let n = self.bytes[start..]
            .iter()
            .take_while(|&&b| b == b'`')
            .count();
        match backticks.closing(start + n, n) {
            Some(close) => {
                self.blank(start..close + n);
                close + n
            }
            None => start + n,
        }
    }

    /// HTML comments and autolinks (`<https://…>`, `<a@b.org>`).
    fn angle(&mut self, start: usize) -> usize {
        if self.bytes[start..].starts_with(b"<!--") {
            let end = find(&self.bytes[start + 4..], b"-->")
                .map_or(self.bytes.len(), |p| start + 4 + p + 3);
            self.blank(start..end);
            return end;
        }
        let rest = &self.bytes[start + 1..];
        let close = rest
            .iter()
            .position(|&b| b == b'>' || b == b' ' || b == b'\n' || b == b'<');
        if let Some(p) = close.filter(|&p| rest[p] == b'>') {
            let inner = &rest[..p];
            if inner.contains(&b':') || inner.contains(&b'@') {
                self.blank(start..start + p + 2);
                return start + p + 2;
            }
        }
        start + 1
    }

    /// `(target "title")` after `]`, parentheses balanced, on one line.
    fn link_target(&mut self, open: usize) -> usize {
        if !(self.parens.from..self.parens.line_end).contains(&open) {
            self.parens = self.match_parens(open);
        }
        match self.parens.closes.get(&open).copied() {
            Some(close) => {
                self.record_link(open + 1..close);
                self.blank(open + 1..close);
                close + 1
            }
            None => open + 1,
        }
    }

    /// Each `(` from `from` to the end of its line with the `)` that
    /// balances it. A `(` right after `]` is never escaped, so the `(`s a
    /// later `](` opens are matched the same as if read from there.
    fn match_parens(&self, from: usize) -> Parens {
        let line_end = self.bytes[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| from + p);
        let mut open = Vec::new();
        let mut closes = std::collections::HashMap::new();
        let mut j = from;
        while j < line_end {
            match self.bytes[j] {
                b'\\' => j += 1,
                b'(' => open.push(j),
                b')' => {
                    if let Some(o) = open.pop() {
                        closes.insert(o, j);
                    }
                }
                _ => {}
            }
            j += 1;
        }
        Parens {
            from,
            line_end,
            closes,
        }
    }

    /// `[label]: target "title"` on a line of its own.
    fn reference_definition(&mut self, start: usize) -> usize {
        let line_end = self.bytes[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |p| start + p);
        let line = &self.bytes[start..line_end];
        match find(line, b"]:") {
            Some(p) if !line[1..p].contains(&b'[') && !line[1..p].starts_with(b"@") => {
                self.record_link(start + p + 2..line_end);
                self.blank(start + p + 2..line_end);
                line_end
            }
            _ => start + 1,
        }
    }

    fn record_link(&mut self, inner: Range<usize>) {
        let text = &self.body[inner.clone()];
        let lead = text.len() - text.trim_start().len();
        let word = text.split_whitespace().next().unwrap_or("");
        let target = word.trim_start_matches('<').trim_end_matches('>');
        if !target.is_empty() {
            let start = inner.start + lead;
            self.links.push(Link {
                target: target.to_string(),
                span: start..start + word.len(),
            });
        }
    }

    /// `http://`, `https://` and `ftp://` addresses in running text, up to
    /// the first space or bracket.
    fn mask_bare_urls(&mut self) {
        let mut i = 0;
        while let Some(p) = find(&self.bytes[i..], b"://") {
            let colon = i + p;
            let scheme_start = ["https", "http", "ftp"]
                .iter()
                .find(|s| self.bytes[..colon].ends_with(s.as_bytes()))
                .map(|s| colon - s.len())
                .filter(|&st| st == 0 || !self.bytes[st - 1].is_ascii_alphanumeric());
            let end = colon
                + 3
                + self.bytes[colon + 3..]
                    .iter()
                    .take_while(|&&b| !b.is_ascii_whitespace() && !b"<>()[]".contains(&b))
                    .count();
            if let Some(start) = scheme_start {
                self.blank(start..end);
            }
            i = end.max(colon + 3);
        }
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// Pandoc citations: `[@id]`, `[see @a, p. 4; @b]`, `[-@id]`. A key
/// starts with a letter, digit or `_` after `[`, a space, `;` or `-`, and
/// runs over letters, digits and `_:.#$%&+?<>~/-`, less trailing
/// punctuation.
fn find_citations(masked: &str) -> Vec<Citation> {
    let bytes = masked.as_bytes();
    let key_char = |b: u8| b.is_ascii_alphanumeric() || b"_:.#$%&+?<>~/-".contains(&b);
    let mut citations = Vec::new();
    let mut i = 0;
    while let Some(open) = memchr::memchr(b'[', &bytes[i..]).map(|p| i + p) {
        // A citation may wrap onto the next line, not past a blank line.
        let close = (open + 1..bytes.len()).find(|&c| {
            matches!(bytes[c], b'[' | b']')
                || bytes[c..].starts_with(b"\n\n")
                || bytes[c..].starts_with(b"\n\r\n")
        });
        let Some(close) = close.filter(|&c| bytes[c] == b']') else {
            i = open + 1;
            continue;
        };
        // `[@team](https://…)` and `[@team][ref]` are links whose text
        // starts with `@`, not citations.
        if matches!(bytes.get(close + 1), Some(b'(' | b'[')) {
            i = close + 1;
            continue;
        }
        for at in open + 1..close {
            let after_boundary =
                at == open + 1 || matches!(bytes[at - 1], b' ' | b'\t' | b'\n' | b';' | b'-');
            let starts_key = bytes
                .get(at + 1)
                .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_');
            if bytes[at] != b'@' || !after_boundary || !starts_key {
                continue;
            }
            let len = bytes[at + 1..close]
                .iter()
                .take_while(|&&b| key_char(b))
                .count();
            let id = masked[at + 1..at + 1 + len].trim_end_matches(['.', ',', ':', ';', '?']);
            citations.push(Citation {
                id: id.to_string(),
                span: at..at + 1 + id.len(),
            });
        }
        i = close + 1;
    }
    citations
}

/// Whether a line starts a block: a heading, a list item, a quote or a
/// table row.
fn starts_block(line: &str) -> bool {
    let line = line.trim_start();
    let bytes = line.as_bytes();
    let hashes = bytes.iter().take_while(|&&b| b == b'#').count();
    let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    let space_at = |i: usize| bytes.get(i).is_some_and(|b| b.is_ascii_whitespace());
    (1..=6).contains(&hashes) && space_at(hashes)
        || matches!(bytes.first(), Some(b'-' | b'*' | b'+')) && space_at(1)
        || digits > 0 && matches!(bytes.get(digits), Some(b'.' | b')')) && space_at(digits + 1)
        || matches!(bytes.first(), Some(b'>' | b'|'))
}

/// Where sentences start: after `.`, `!` or `?` and a space, at a blank
/// line, and at every block start (heading, list item, quote, table row).
fn sentence_starts(masked: &str) -> Vec<usize> {
    let mut starts = vec![0];
    let bytes = masked.as_bytes();
    let mut offset = 0;
    let mut previous_blank = false;
    for line in crate::text::lines_inclusive(masked) {
        let blank = line.trim().is_empty();
        if starts_block(line) || (previous_blank && !blank) {
            starts.push(offset);
        }
        previous_blank = blank;
        offset += line.len();
    }
    for i in memchr::memchr3_iter(b'.', b'!', b'?', bytes) {
        if bytes.get(i + 1).is_some_and(|n| n.is_ascii_whitespace()) {
            starts.push(i + 1);
        }
    }
    starts.sort_unstable();
    starts.dedup();
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_comments_and_link_targets_are_masked_in_place() {
        let body = "Say `10x faster` here.\n```\n10x faster\n```\n<!-- 10x faster -->[a](https://x.org/10x-faster) ok\n";
        let p = Prose::new(body);
        assert_eq!(p.masked.len(), body.len());
        assert!(!p.masked.contains("10x"), "{}", p.masked);
        assert!(p.masked.contains("ok"));
        assert_eq!(p.links[0].target, "https://x.org/10x-faster");
        assert_eq!(&body[p.links[0].span.clone()], "https://x.org/10x-faster");
    }

    #[test]
    fn indented_code_is_masked_outside_lists_only() {
        let masked = |body: &str| Prose::new(body).masked.contains("10x");
        // After a blank line, a heading or a fence: code.
        assert!(!masked("Text.\n\n    10x faster\n\n    more\nAfter.\n"));
        assert!(!masked("# Heading\n    10x faster\n"));
        assert!(!masked("\t10x faster\n"));
        // A paragraph's indented next line continues it: prose.
        assert!(masked("Text goes on\n    10x faster\n"));
        // The code ends at the first line indented less.
        assert!(masked("Text.\n\n    code\n10x faster\n"));
        // In a list, indented lines may be the item's paragraphs: prose.
        assert!(masked("- item\n\n    10x faster\n"));
        assert!(masked("1. item\n\n    10x faster\n"));
        // After the list, code again.
        assert!(!masked("- item\n\nText.\n\n    10x faster\n"));
        // A fence inside indented code does not open one.
        assert!(masked("Text.\n\n    ```\nAfter 10x faster.\n"));
    }

    #[test]
    fn citations_are_found_with_their_spans() {
        let body =
            "A claim [@onnx-spec; see @tvm-paper, p. 3]. Mail me@x.org [not a cite]. `[@in-code]`";
        let p = Prose::new(body);
        let ids: Vec<_> = p.citations.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["onnx-spec", "tvm-paper"]);
        assert_eq!(&body[p.citations[0].span.clone()], "@onnx-spec");
    }

    #[test]
    fn a_sentence_ends_at_a_full_stop_a_blank_line_or_a_block() {
        let body = "One is 10x faster [@a].\nTwo is 3x faster. Three [@b]\n\n- Four\n";
        let p = Prose::new(body);
        let at = |word: &str| {
            let start = body.find(word).unwrap();
            start..start + word.len()
        };
        assert!(p.cited_after(&at("10x")));
        assert!(!p.cited_after(&at("3x")));
        assert!(!p.cited_after(&at("Four")));
    }

    #[test]
    fn a_citation_supports_what_comes_before_it_in_its_sentence() {
        let body =
            "Serving uses ONNX [@onnx] and will be 3x faster. It is 3x faster [@bench] here.";
        let p = Prose::new(body);
        let first = body.find("3x").unwrap();
        let second = body.rfind("3x").unwrap();
        assert!(
            !p.cited_after(&(first..first + 2)),
            "the citation supports an earlier clause"
        );
        assert!(p.cited_after(&(second..second + 2)));
    }

    #[test]
    fn a_link_whose_text_starts_with_at_is_not_a_citation() {
        let body = "Thanks to [@gov-uk-team](https://github.com/orgs/alphagov) and [@x][ref]. A claim [@onnx].";
        let ids: Vec<_> = Prose::new(body)
            .citations
            .into_iter()
            .map(|c| c.id)
            .collect();
        assert_eq!(ids, ["onnx"]);
    }
}
