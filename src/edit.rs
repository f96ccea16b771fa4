//! Surgical frontmatter edits: set the value of a few keys and leave every
//! other byte of the page as it was: comments, key order, quoting style,
//! flow lists, folded scalars, anchors, line endings, a BOM, the body.
//!
//! A key's value is replaced in place, in the style it was written in; a
//! key that is absent is added as the last line of the frontmatter. The
//! edited text is parsed again before it is returned, and if any other key
//! would read differently the edit is refused: folio never writes a page it
//! cannot prove it changed only where it meant to.

use crate::finding::Finding;
use crate::site::page::{self, Key, KeyLine, Page};
use crate::text::quote;
use crate::text::yaml::Node;
use std::ops::Range;

/// A new value for a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Scalar(String),
    List(Vec<String>),
}

impl Value {
    fn node(&self) -> Node {
        match self {
            Value::Scalar(s) => Node::String(s.clone()),
            Value::List(items) => {
                Node::Seq(items.iter().map(|i| Node::String(i.clone())).collect())
            }
        }
    }
}

/// Findings made on `edited` (the page as an edit would write it) pointed
/// at `page` as it is on disk: a line the edit leaves alone is named by its
/// line in the file (body lines shift by the lines the edit added); a line
/// the edit writes is named by the line it replaces (or, for a line it
/// adds, the closing `---`), its text shown in the message as the edit
/// would write it, and no snippet of the file is shown for it.
pub fn as_on_disk(findings: Vec<Finding>, page: &Page, edited: &Page) -> Vec<Finding> {
    let head = |p: &Page| p.text.as_str()[..p.body_start].to_string();
    let (old_head, new_head) = (head(page), head(edited));
    let old_lines = old_head.matches('\n').count();
    let new_lines = new_head.matches('\n').count();
    // For each frontmatter line of `edited` (0-based): its line in the
    // file, and whether the edit wrote it.
    let mut lines: Vec<(usize, bool)> = vec![(0, true); new_lines + 1];
    let diff = similar::TextDiff::from_lines(old_head.as_str(), new_head.as_str());
    for op in diff.ops() {
        let (old, new) = (op.old_range(), op.new_range());
        for (i, line) in new.clone().enumerate() {
            let written = !matches!(op, similar::DiffOp::Equal { .. });
            let at = if written {
                (old.start + i)
                    .min(old.end.saturating_sub(1))
                    .max(old.start)
            } else {
                old.start + i
            };
            if let Some(slot) = lines.get_mut(line) {
                *slot = (at, written);
            }
        }
    }
    findings
        .into_iter()
        .map(|mut f| {
            if f.path != page.path {
                return f;
            }
            if f.line > new_lines {
                f.line = f.line - new_lines + old_lines;
                return f;
            }
            let (at, written) = lines[f.line - 1];
            if written {
                let shown = edited.text.line_text(f.line).to_string();
                f.message = format!(
                    "{} (line {} as folio would write it: `{shown}`)",
                    f.message,
                    at + 1
                );
                f.column = 1;
                f.end_column = 1;
                f.byte_columns = (1, 1);
                f.source_line = None;
            }
            f.line = at + 1;
            f
        })
        .collect()
}

/// The page's whole file with `edits` applied, or why not.
pub fn apply(page: &Page, edits: &[(Key, Value)]) -> Result<String, String> {
    let text = page.text.as_str();
    let newline = if text[page.frontmatter_start..page.frontmatter_end].contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let mut replacements: Vec<(Range<usize>, String)> = Vec::new();
    let mut appended = String::new();
    for (key, value) in edits {
        match page.key(*key) {
            Some(line) => replacements.push(replace_value(page, line, value, newline)?),
            None => {
                let name = page.name(*key);
                appended.push_str(&format!("{name}: {}{newline}", inline(value, "")));
            }
        }
    }
    if !appended.is_empty() {
        replacements.push((page.frontmatter_end..page.frontmatter_end, appended));
    }
    replacements.sort_by_key(|(range, _)| std::cmp::Reverse(range.start));
    let mut edited = text.to_string();
    for (range, new) in replacements {
        edited.replace_range(range, &new);
    }
    if page.text.had_bom() {
        edited.insert(0, '\u{feff}');
    }
    verify(page, &edited, edits)?;
    Ok(edited)
}

/// The replacement for one key's value: in place on its line when the value
/// is written there, else the key's whole block (a block list, say).
fn replace_value(
    page: &Page,
    line: &KeyLine,
    value: &Value,
    newline: &str,
) -> Result<(Range<usize>, String), String> {
    let text = page.text.as_str();
    let old = &text[line.value.clone()];
    let block_end = block_end(page, line);
    let line_end = line_end(text, line.key.start);
    let own_line_only = block_end == line_end;
    if !old.is_empty() && own_line_only && !old.starts_with(['|', '>']) {
        let (prefix, rest) = split_properties(old);
        return Ok((
            line.value.clone(),
            format!("{prefix}{}", styled(value, rest)),
        ));
    }
    // A block: rewrite the key and the lines under it.
    let (key_text, items_indent) = (
        &text[line.key.clone()],
        block_item_prefix(text, line_end, block_end),
    );
    let rendered = match (value, items_indent) {
        (Value::List(items), Some(prefix)) => {
            let mut out = format!("{key_text}:");
            for item in items {
                out.push_str(newline);
                out.push_str(&format!("{prefix}{}", quote::scalar(item)));
            }
            out
        }
        (value, _) => format!("{key_text}: {}", inline(value, "")),
    };
    Ok((line.key.start..block_end, rendered))
}

/// Where the lines that belong to a key end: its own line, plus the lines
/// under it (indented, or block list items).
fn block_end(page: &Page, line: &KeyLine) -> usize {
    let text = page.text.as_str();
    let mut end = line_end(text, line.key.start);
    while end < page.frontmatter_end {
        let next_start = end + newline_len(&text[end..]);
        if next_start >= page.frontmatter_end {
            break;
        }
        let next_end = line_end(text, next_start);
        let next = &text[next_start..next_end];
        let belongs = next.starts_with([' ', '\t']) && !next.trim().is_empty()
            || next.trim_end() == "-"
            || next.starts_with("- ");
        if !belongs {
            break;
        }
        end = next_end;
    }
    end
}

/// The indentation and dash of a block list's first item (`"  - "`).
fn block_item_prefix(text: &str, key_line_end: usize, block_end: usize) -> Option<String> {
    if key_line_end == block_end {
        return None;
    }
    let first = text[key_line_end..block_end].trim_start_matches(['\r', '\n']);
    let first = first.lines().next()?;
    let indent = first.len() - first.trim_start().len();
    let rest = first.trim_start().strip_prefix('-')?;
    let gap = rest.len() - rest.trim_start().len();
    Some(format!("{}-{}", &first[..indent], " ".repeat(gap.max(1))))
}

fn line_end(text: &str, from: usize) -> usize {
    let end = text[from..].find('\n').map_or(text.len(), |i| from + i);
    if text[..end].ends_with('\r') {
        end - 1
    } else {
        end
    }
}

fn newline_len(rest: &str) -> usize {
    if rest.starts_with("\r\n") {
        2
    } else {
        usize::from(rest.starts_with('\n'))
    }
}

/// An anchor or tag before a value (`&a `, `!!str `), kept as it was.
fn split_properties(value: &str) -> (&str, &str) {
    let mut at = 0;
    while value[at..].starts_with(['&', '!']) {
        match value[at..].find(' ') {
            Some(space) => {
                at += space + 1 + value[at + space + 1..].len()
                    - value[at + space + 1..].trim_start().len()
            }
            None => break,
        }
    }
    value.split_at(at)
}

/// `value` written in the style of `old`: its quotes, or its flow list.
fn styled(value: &Value, old: &str) -> String {
    match value {
        Value::Scalar(s) => quote::scalar_like(s, old),
        Value::List(_) => inline(value, old),
    }
}

fn inline(value: &Value, old: &str) -> String {
    match value {
        Value::Scalar(s) => quote::scalar_like(s, old),
        Value::List(items) => {
            let spaced = old.starts_with("[ ");
            let first_item = old.trim_start_matches('[').trim_start();
            let items: Vec<String> = items
                .iter()
                .map(|i| quote::scalar_like(i, first_item))
                .collect();
            if spaced {
                format!("[ {} ]", items.join(", "))
            } else {
                format!("[{}]", items.join(", "))
            }
        }
    }
}

/// Parses the edited text and insists that the edited keys read as set and
/// every other key reads exactly as before.
fn verify(page: &Page, edited: &str, edits: &[(Key, Value)]) -> Result<(), String> {
    let refuse = |why: String| {
        format!("folio could not edit the frontmatter safely ({why}); edit it by hand")
    };
    let (Some(after), _) = page::parse_in(&page.path, &page.id, edited.as_bytes(), &page.dialect)
    else {
        return Err(refuse("the result does not parse".into()));
    };
    let (Node::Map(before_map), Node::Map(after_map)) = (&page.data, &after.data) else {
        return Err(refuse("the frontmatter is not a mapping".into()));
    };
    for (key, value) in edits {
        let name = page.name(*key);
        if after.data.get(name) != Some(&value.node()) {
            return Err(refuse(format!("`{name}` would not read as intended")));
        }
    }
    let edited = |k: &Node| {
        edits
            .iter()
            .any(|(key, _)| k.as_str() == Some(page.name(*key)))
    };
    let others = |map: &Vec<(Node, Node)>| {
        map.iter()
            .filter(|(k, _)| !edited(k))
            .cloned()
            .collect::<Vec<_>>()
    };
    if others(before_map) != others(after_map) {
        return Err(refuse("another key would read differently".into()));
    }
    if page.body() != after.body() {
        return Err(refuse("the body would change".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit(text: &str, edits: &[(Key, Value)]) -> String {
        let (page, findings) = page::parse("p.md", "p", text.as_bytes());
        assert!(findings.is_empty(), "{findings:?}");
        apply(&page.unwrap(), edits).unwrap()
    }

    #[test]
    fn values_change_in_their_own_style() {
        let s = |v: &str| Value::Scalar(v.to_string());
        assert_eq!(
            edit(
                "---\nstatus: draft # note\n---\nB\n",
                &[(Key::Status, s("research"))]
            ),
            "---\nstatus: research # note\n---\nB\n"
        );
        assert_eq!(
            edit(
                "---\nstatus: 'draft'\n---\n",
                &[(Key::Status, s("research"))]
            ),
            "---\nstatus: 'research'\n---\n"
        );
        assert_eq!(
            edit(
                "---\nstatus: &st \"draft\"\n---\n",
                &[(Key::Status, s("research"))]
            ),
            "---\nstatus: &st \"research\"\n---\n"
        );
        assert_eq!(
            edit(
                "---\nreviewers: [ jon ]\n---\n",
                &[(Key::Reviewers, Value::List(vec!["ana".into()]))]
            ),
            "---\nreviewers: [ ana ]\n---\n"
        );
        assert_eq!(
            edit(
                "---\nreviewers:\n  - jon\n  - ed\nx: 1\n---\n",
                &[(Key::Reviewers, Value::List(vec!["ana".into()]))]
            ),
            "---\nreviewers:\n  - ana\nx: 1\n---\n"
        );
        assert_eq!(
            edit(
                "\u{feff}---\r\ntitle: T\r\n---\r\n",
                &[(Key::Status, s("draft"))]
            ),
            "\u{feff}---\r\ntitle: T\r\nstatus: draft\r\n---\r\n"
        );
        assert_eq!(
            edit(
                "---\nstatus: >-\n  draft\n---\n",
                &[(Key::Status, s("research"))]
            ),
            "---\nstatus: research\n---\n"
        );
    }

    #[test]
    fn a_value_that_would_change_another_key_is_refused() {
        // `*st` aliases the status: changing the anchor changes `mirror`.
        let (page, _) = page::parse("p.md", "p", b"---\nstatus: &st draft\nmirror: *st\n---\n");
        let err = apply(
            &page.unwrap(),
            &[(Key::Status, Value::Scalar("research".into()))],
        )
        .unwrap_err();
        assert!(err.contains("another key would read differently"), "{err}");
    }
}
