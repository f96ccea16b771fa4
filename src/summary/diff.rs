//! What changed in a page's text, for a reviewer: the sections changed (by
//! heading), the changed paragraphs as word-level diffs, and the claims a
//! published page lost. Every comparison is bounded per page, so a huge or
//! hostile page costs at most a fixed amount of work, and the summary says
//! where it stopped.

use crate::text::markdown::Prose;
use crate::text::{folded_text, lines_inclusive};
use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp};
use std::cell::OnceCell;
use std::collections::BTreeSet;

/// A side larger than this is not diffed at all.
const MAX_BODY: usize = 256 * 1024;
/// Paragraphs (or sections) per side compared.
const MAX_BLOCKS: usize = 2_000;
/// Changed paragraphs shown per page.
const MAX_SHOWN: usize = 12;
/// A paragraph longer than this (either side) is shown whole, not by word.
const MAX_WORD_DIFF: usize = 4_000;
/// Unchanged text kept on either side of a change within a paragraph.
const CONTEXT: usize = 80;
/// Claims per side compared.
const MAX_CLAIMS: usize = 500;

/// What changed in a page's body.
#[derive(Debug, Clone, Default, Serialize)]
pub struct TextChange {
    pub sections: Vec<SectionChange>,
    pub paragraphs: Vec<ParagraphDiff>,
    /// Why not every change is shown, when it is not.
    pub cut: Option<String>,
}

/// A section (the text under a heading) added, removed or edited.
#[derive(Debug, Clone, Serialize)]
pub struct SectionChange {
    pub heading: String,
    /// `added`, `removed` or `edited`.
    pub change: &'static str,
}

/// One changed paragraph: what it says now, with what was deleted and
/// inserted marked.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphDiff {
    /// The heading of the section it is in.
    pub section: String,
    pub ops: Vec<Op>,
    /// The same as plain text, as `git diff --word-diff=plain` marks it:
    /// `[-deleted-]{+inserted+}`, after a line naming the section.
    pub marked: String,
}

impl ParagraphDiff {
    fn new(section: &str, ops: Vec<Op>) -> ParagraphDiff {
        let mut marked = format!("§ {section}\n");
        for op in &ops {
            match op.op {
                "delete" => marked.push_str(&format!("[-{}-]", op.text)),
                "insert" => marked.push_str(&format!("{{+{}+}}", op.text)),
                _ => marked.push_str(&op.text),
            }
        }
        ParagraphDiff {
            section: section.to_string(),
            ops,
            marked,
        }
    }
}

/// A run of text the same on both sides, deleted, or inserted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Op {
    /// `equal`, `delete` or `insert`.
    pub op: &'static str,
    pub text: String,
}

/// The heading folio gives the text before a page's first heading.
const INTRODUCTION: &str = "(introduction)";

/// A body as blocks: paragraphs (separated by blank lines) or sections
/// (separated by headings), each with its text and its section's heading.
struct Block<'a> {
    heading: &'a str,
    text: &'a str,
}

/// The body's sections: the text under each heading (headings inside code
/// are not headings).
fn sections<'a>(body: &'a str, prose: &Prose) -> Vec<Block<'a>> {
    let masked = &prose.masked;
    let mut out = Vec::new();
    let mut heading = INTRODUCTION;
    let mut start = 0;
    let mut offset = 0;
    for (line, masked_line) in lines_inclusive(body).zip(lines_inclusive(masked)) {
        if let Some(text) = heading_text(masked_line).map(|_| heading_text(line).unwrap_or("")) {
            if offset > start || heading != INTRODUCTION {
                out.push(Block {
                    heading,
                    text: &body[start..offset],
                });
            }
            heading = text;
            start = offset + line.len();
        }
        offset += line.len();
    }
    out.push(Block {
        heading,
        text: &body[start..],
    });
    out
}

/// The headings of a body's sections, in order (headings inside code are
/// not headings).
pub fn headings<'a>(body: &'a str, prose: &Prose) -> Vec<&'a str> {
    sections(body, prose)
        .into_iter()
        .map(|b| b.heading)
        .filter(|h| *h != INTRODUCTION && !h.is_empty())
        .collect()
}

/// The text of an ATX heading line (`## Key takeaways`), if the line is one.
fn heading_text(line: &str) -> Option<&str> {
    let trimmed = line.trim_start_matches(' ');
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let hashes = trimmed.bytes().take_while(|&b| b == b'#').count();
    let rest = &trimmed[hashes..];
    if !(1..=6).contains(&hashes) || !(rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
    {
        return None;
    }
    Some(rest.trim().trim_end_matches('#').trim_end())
}

/// The body's paragraphs, each with the heading of its section.
fn paragraphs<'a>(body: &'a str, sections: &[Block<'a>]) -> Vec<Block<'a>> {
    let mut out = Vec::new();
    for section in sections {
        let mut start = None;
        let mut offset = section.text.as_ptr() as usize - body.as_ptr() as usize;
        for line in lines_inclusive(section.text) {
            if line.trim().is_empty() {
                if let Some(s) = start.take() {
                    out.push(Block {
                        heading: section.heading,
                        text: body[s..offset].trim_end(),
                    });
                }
            } else if start.is_none() {
                start = Some(offset);
            }
            offset += line.len();
        }
        if let Some(s) = start {
            out.push(Block {
                heading: section.heading,
                text: body[s..offset].trim_end(),
            });
        }
    }
    out
}

/// Text compared with CRLF read as LF and trailing spaces ignored.
fn comparable(text: &str) -> std::borrow::Cow<'_, str> {
    // A carriage return, or a line that ends in a space or a tab.
    let bytes = text.as_bytes();
    let spaced = |end: usize| end > 0 && matches!(bytes[end - 1], b' ' | b'\t');
    let untidy = memchr::memchr(b'\r', bytes).is_some()
        || memchr::memchr_iter(b'\n', bytes).any(spaced)
        || spaced(bytes.len());
    if untidy {
        text.lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .into()
    } else {
        text.into()
    }
}

/// What changed between two bodies of a page.
pub fn text_change(
    (before, old_prose): (&str, &Prose),
    (after, new_prose): (&str, &Prose),
) -> TextChange {
    if before.len() > MAX_BODY || after.len() > MAX_BODY {
        return TextChange {
            cut: Some(format!(
                "the page is larger than {} KiB, which folio does not diff; see the files changed",
                MAX_BODY / 1024
            )),
            ..TextChange::default()
        };
    }
    let (old_sections, new_sections) = (sections(before, old_prose), sections(after, new_prose));
    let mut change = TextChange {
        sections: section_changes(&old_sections, &new_sections),
        ..TextChange::default()
    };
    let (old, new) = (
        paragraphs(before, &old_sections),
        paragraphs(after, &new_sections),
    );
    if old.len() > MAX_BLOCKS || new.len() > MAX_BLOCKS {
        change.cut = Some(format!(
            "the page has more than {MAX_BLOCKS} paragraphs, which folio does not diff one by one; see the files changed"
        ));
        return change;
    }
    fn keys<'a>(blocks: &[Block<'a>]) -> Vec<std::borrow::Cow<'a, str>> {
        blocks.iter().map(|b| comparable(b.text)).collect()
    }
    let (old_keys, new_keys) = (keys(&old), keys(&new));
    let mut shown = Vec::new();
    let mut hidden = 0;
    let mut show = |diff: ParagraphDiff| {
        if shown.len() < MAX_SHOWN {
            shown.push(diff);
        } else {
            hidden += 1;
        }
    };
    for op in similar::capture_diff_slices(Algorithm::Myers, &old_keys, &new_keys) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for b in &old[old_index..old_index + old_len] {
                    show(whole(b, "delete"));
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for b in &new[new_index..new_index + new_len] {
                    show(whole(b, "insert"));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let olds = &old[old_index..old_index + old_len];
                let news = &new[new_index..new_index + new_len];
                for (o, n) in olds.iter().zip(news) {
                    if o.heading == n.heading {
                        show(words(o, n));
                    } else {
                        show(whole(o, "delete"));
                        show(whole(n, "insert"));
                    }
                }
                for b in &olds[olds.len().min(news.len())..] {
                    show(whole(b, "delete"));
                }
                for b in &news[olds.len().min(news.len())..] {
                    show(whole(b, "insert"));
                }
            }
        }
    }
    change.paragraphs = shown;
    if hidden > 0 {
        change.cut = Some(format!(
            "{hidden} more changed paragraph{} not shown; see the files changed",
            if hidden == 1 { "" } else { "s" }
        ));
    }
    change
}

/// Sections added, removed or edited, matched by heading in order.
fn section_changes(old: &[Block], new: &[Block]) -> Vec<SectionChange> {
    let old = &old[..old.len().min(MAX_BLOCKS)];
    let new = &new[..new.len().min(MAX_BLOCKS)];
    let headings = |s: &[Block]| s.iter().map(|b| b.heading.to_string()).collect::<Vec<_>>();
    let mut out = Vec::new();
    let change = |heading: &str, change| SectionChange {
        heading: heading.to_string(),
        change,
    };
    for op in similar::capture_diff_slices(Algorithm::Myers, &headings(old), &headings(new)) {
        match op {
            DiffOp::Equal {
                old_index,
                new_index,
                len,
            } => {
                for i in 0..len {
                    let (o, n) = (&old[old_index + i], &new[new_index + i]);
                    if comparable(o.text) != comparable(n.text) {
                        out.push(change(n.heading, "edited"));
                    }
                }
            }
            op => {
                let (o, n) = (op.old_range(), op.new_range());
                out.extend(old[o].iter().map(|b| change(b.heading, "removed")));
                out.extend(new[n].iter().map(|b| change(b.heading, "added")));
            }
        }
    }
    out
}

/// A paragraph deleted or inserted whole.
fn whole(block: &Block, op: &'static str) -> ParagraphDiff {
    ParagraphDiff::new(
        block.heading,
        vec![Op {
            op,
            text: block.text.to_string(),
        }],
    )
}

/// A paragraph changed: word by word, with long unchanged stretches cut
/// to their ends.
fn words(old: &Block, new: &Block) -> ParagraphDiff {
    if old.text.len() > MAX_WORD_DIFF || new.text.len() > MAX_WORD_DIFF {
        return ParagraphDiff::new(
            new.heading,
            vec![
                Op {
                    op: "delete",
                    text: old.text.to_string(),
                },
                Op {
                    op: "insert",
                    text: new.text.to_string(),
                },
            ],
        );
    }
    let mut ops: Vec<Op> = Vec::new();
    for (tag, text) in similar::utils::diff_words(Algorithm::Myers, old.text, new.text) {
        let op = match tag {
            ChangeTag::Equal => "equal",
            ChangeTag::Delete => "delete",
            ChangeTag::Insert => "insert",
        };
        match ops.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => ops.push(Op {
                op,
                text: text.to_string(),
            }),
        }
    }
    let last = ops.len().saturating_sub(1);
    for (i, op) in ops.iter_mut().enumerate() {
        if op.op == "equal" {
            op.text = shortened(&op.text, i > 0, i < last);
        }
    }
    ParagraphDiff::new(new.heading, ops)
}

/// Unchanged text with only `CONTEXT` characters kept next to a change:
/// at its start when something changed before it, at its end when
/// something changes after it.
fn shortened(text: &str, keep_start: bool, keep_end: bool) -> String {
    let chars: Vec<char> = text.chars().collect();
    let keep = |n: bool| if n { CONTEXT } else { 0 };
    if chars.len() <= keep(keep_start) + keep(keep_end) + 3 {
        return text.to_string();
    }
    let head: String = chars[..keep(keep_start)].iter().collect();
    let tail: String = chars[chars.len() - keep(keep_end)..].iter().collect();
    format!("{head}…{tail}")
}

/// The claims of a body: its sentences that cite a source, as written
/// and with whitespace folded, with the ids they cite. Sentences and
/// citations are both in the body's order, so one pass pairs them.
fn claims<'a>(body: &'a str, prose: &Prose) -> Vec<(&'a str, String, BTreeSet<String>)> {
    let mut citations = prose.citations.iter().peekable();
    let mut out = Vec::new();
    for range in prose.sentences() {
        let mut ids = BTreeSet::new();
        while let Some(c) = citations.next_if(|c| c.span.start < range.end) {
            ids.insert(c.id.clone());
        }
        if ids.is_empty() {
            continue;
        }
        let raw = &body[range];
        out.push((
            raw,
            raw.split_whitespace().collect::<Vec<_>>().join(" "),
            ids,
        ));
        if out.len() == MAX_CLAIMS {
            break;
        }
    }
    out
}

/// The claims of `before` that `after` no longer makes: sentences citing a
/// source that are neither in the new body (case, punctuation and wrapping
/// aside) nor reworded there (a sentence citing one of the same sources
/// and sharing at least half their words).
pub fn removed_claims(
    (before, old_prose): (&str, &Prose),
    (after, new_prose): (&str, &Prose),
) -> Vec<String> {
    let mut after_folded: Option<String> = None;
    // The claims neither kept as written nor found again once folded.
    let mut missing = Vec::new();
    for (raw, text, ids) in claims(before, old_prose) {
        // Most claims are kept as they were written.
        if after.contains(raw.trim()) {
            continue;
        }
        let folded = folded_text(&text);
        let after_folded = after_folded.get_or_insert_with(|| folded_text(after));
        if memchr::memmem::find(after_folded.as_bytes(), folded.trim().as_bytes()).is_none() {
            missing.push((text, folded, ids));
        }
    }
    if missing.is_empty() {
        return Vec::new();
    }
    // A missing claim may be reworded. The words of a new claim are read
    // only when it cites one of the same sources, and then once.
    let after_claims: Vec<(String, BTreeSet<String>)> = claims(after, new_prose)
        .into_iter()
        .map(|(_, text, ids)| (folded_text(&text), ids))
        .collect();
    let after_words: Vec<OnceCell<BTreeSet<&str>>> =
        after_claims.iter().map(|_| OnceCell::new()).collect();
    missing
        .into_iter()
        .filter(|(_, folded, ids)| {
            let words = word_set(folded);
            !after_claims
                .iter()
                .zip(&after_words)
                .any(|((other, other_ids), other_words)| {
                    !ids.is_disjoint(other_ids)
                        && words
                            .intersection(other_words.get_or_init(|| word_set(other)))
                            .count()
                            * 2
                            >= words.len().max(1)
                })
        })
        .map(|(text, ..)| text)
        .collect()
}

/// The words of folded text.
fn word_set(folded: &str) -> BTreeSet<&str> {
    folded.split(' ').filter(|w| !w.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_change(before: &str, after: &str) -> TextChange {
        super::text_change((before, &Prose::new(before)), (after, &Prose::new(after)))
    }

    fn removed_claims(before: &str, after: &str) -> Vec<String> {
        super::removed_claims((before, &Prose::new(before)), (after, &Prose::new(after)))
    }

    fn rendered(diff: &ParagraphDiff) -> String {
        let (section, text) = diff.marked.split_once('\n').expect("a section line");
        assert_eq!(section, format!("§ {}", diff.section));
        text.to_string()
    }

    #[test]
    fn text_compares_without_crlf_or_trailing_spaces() {
        for (text, compared) in [
            ("a\nb", None),
            ("a\nb\n", None),
            ("", None),
            ("a \nb", Some("a\nb")),
            ("a\nb\t", Some("a\nb")),
            ("a\r\nb\r\n", Some("a\nb")),
            (" \n", Some("")),
            ("\n \n\n", Some("\n\n")),
            ("é \nü", Some("é\nü")),
        ] {
            let got = comparable(text);
            match compared {
                None => assert!(
                    matches!(got, std::borrow::Cow::Borrowed(t) if t == text),
                    "{text:?}"
                ),
                Some(c) => assert_eq!(got, c, "{text:?}"),
            }
        }
    }

    #[test]
    fn sections_and_paragraphs_show_what_changed_and_where() {
        let before = "Intro.\n\n## Key takeaways\n\nPaged caches reduce waste.\n\nKept.\n\n```\n# not a heading\n```\n\n## Gone\n\nBye.\n";
        let after = "Intro.\n\n## Key takeaways\n\nPaged caches reduce memory waste.\n\nKept.\n\n```\n# not a heading\n```\n\n## New\n\nHello.\n";
        let change = text_change(before, after);
        let sections: Vec<(&str, &str)> = change
            .sections
            .iter()
            .map(|s| (s.heading.as_str(), s.change))
            .collect();
        assert_eq!(
            sections,
            [
                ("Key takeaways", "edited"),
                ("Gone", "removed"),
                ("New", "added")
            ]
        );
        let shown: Vec<(String, String)> = change
            .paragraphs
            .iter()
            .map(|p| (p.section.clone(), rendered(p)))
            .collect();
        assert_eq!(
            shown,
            [
                (
                    "Key takeaways".to_string(),
                    "Paged caches reduce {+memory +}waste.".to_string()
                ),
                ("Gone".to_string(), "[-Bye.-]".to_string()),
                ("New".to_string(), "{+Hello.+}".to_string()),
            ]
        );
        assert!(change.cut.is_none());
    }

    #[test]
    fn the_work_per_page_is_bounded_and_says_where_it_stopped() {
        let many: String = (0..40).map(|i| format!("Paragraph {i}.\n\n")).collect();
        let changed = many.replace("Paragraph", "Para");
        let change = text_change(&many, &changed);
        assert_eq!(change.paragraphs.len(), MAX_SHOWN);
        assert_eq!(
            change.cut.as_deref(),
            Some("28 more changed paragraphs not shown; see the files changed")
        );
        let huge = "word ".repeat(MAX_BODY);
        assert!(
            text_change(&huge, "x")
                .cut
                .unwrap()
                .contains("does not diff")
        );
        let long = format!("{}end.", "same ".repeat(100));
        let diff = text_change(&long, &long.replace("end.", "finish."));
        let text = rendered(&diff.paragraphs[0]);
        assert!(
            text.starts_with('…') && text.ends_with("[-end.-]{+finish.+}"),
            "{text}"
        );
    }

    #[test]
    fn a_claim_is_removed_only_when_neither_kept_nor_reworded() {
        let before = "Paged caches reduce waste [@vllm]. Pages are 16 tokens [@vllm]. Engines batch requests [@orca].";
        let after = "Paged caches reduce\nWASTE [@vllm]. Pages hold 16 tokens each [@vllm].";
        assert_eq!(
            removed_claims(before, after),
            ["Engines batch requests [@orca]."]
        );
        // A rewording cites one of the same sources and keeps half the
        // words: the same words under another source, or the same source
        // with other words, is not one.
        let before = "Engines batch requests well [@orca]. Caches hold pages [@vllm] [@orca].";
        let after = "Engines batch requests well [@other]. Caches keep blocks of tokens [@vllm].";
        assert_eq!(
            removed_claims(before, after),
            [
                "Engines batch requests well [@orca].",
                "Caches hold pages [@vllm] [@orca]."
            ]
        );
    }
}
