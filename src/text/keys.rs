//! Where a YAML key sits on its line. The YAML parser gives values, not
//! places; findings and edits need the byte range of a key and of the
//! value written after it. So lines are read the way a person reads them:
//! `key: value # comment`, `- key: value` inside a list, `"quoted key": v`.
//! The page's frontmatter, the registry and the policy all find their keys
//! here.

use std::ops::Range;

/// A key on one line, with byte ranges into that line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineKey {
    pub name: String,
    /// The key as written, quotes included.
    pub key: Range<usize>,
    /// The value written on the same line, without a trailing comment or
    /// spaces, quotes kept; empty when the value is on the lines below.
    pub value: Range<usize>,
    /// Whether a `- ` list marker comes before the key.
    pub in_item: bool,
}

impl LineKey {
    /// The value's range with a pair of surrounding quotes left out.
    pub fn unquoted(&self, line: &str) -> Range<usize> {
        let value = &line[self.value.clone()];
        let quoted = value.len() >= 2
            && (value.starts_with('"') && value.ends_with('"')
                || value.starts_with('\'') && value.ends_with('\''));
        if quoted {
            self.value.start + 1..self.value.end - 1
        } else {
            self.value.clone()
        }
    }
}

/// The key a line sets, if it sets one: after any indentation and list
/// markers, a plain or quoted key followed by `:` and a space or the end of
/// the line. Comments, flow collections, block scalars, anchors, aliases,
/// tags and complex keys (`? `) are not keys.
pub fn key_on_line(line: &str) -> Option<LineKey> {
    let mut at = line.len() - line.trim_start_matches(' ').len();
    let mut in_item = false;
    while let Some(rest) = line[at..].strip_prefix('-') {
        if !rest.starts_with(' ') {
            break;
        }
        in_item = true;
        at += 1 + rest.len() - rest.trim_start_matches(' ').len();
    }
    let rest = &line[at..];
    let first = rest.chars().next()?;
    if first.is_whitespace()
        || matches!(
            first,
            '#' | '-' | '[' | '{' | '?' | '&' | '*' | '!' | '|' | '>'
        )
    {
        return None;
    }
    let (name, len) = if first == '"' || first == '\'' {
        let close = rest[1..].find(first)? + 1;
        (rest[1..close].to_string(), close + 1)
    } else {
        let colon = rest
            .match_indices(':')
            .map(|(i, _)| i)
            .find(|&i| rest[i + 1..].is_empty() || rest[i + 1..].starts_with([' ', '\t']))?;
        (rest[..colon].trim_end().to_string(), colon)
    };
    if !rest[len..].starts_with(':') {
        return None;
    }
    let after = &rest[len + 1..];
    let value_at = at + len + 1 + (after.len() - after.trim_start().len());
    let value = value_text(&line[value_at..]);
    Some(LineKey {
        name,
        key: at..at + len,
        value: value_at..value_at + value.len(),
        in_item,
    })
}

/// A single-line value without its trailing comment and spaces.
fn value_text(rest: &str) -> &str {
    let quoted_end = match rest.chars().next() {
        Some(q @ ('"' | '\'')) => rest[1..].find(q).map_or(rest.len(), |i| i + 2),
        _ => 0,
    };
    let end = rest[quoted_end..]
        .find(" #")
        .or_else(|| rest[quoted_end..].find("\t#"))
        .map_or(rest.len(), |i| quoted_end + i);
    rest[..end].trim_end()
}

/// Line and column (1-based) of the `n`-th (0-based) line of `text` that
/// sets `key`, at any depth; 1:1 when there is none.
pub fn key_position(text: &str, key: &str, n: usize) -> (usize, usize) {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let found = key_on_line(line).filter(|k| k.name == key)?;
            Some((i + 1, found.key.start + 1))
        })
        .nth(n)
        .unwrap_or((1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_with_their_values() {
        let line = "title: \"A: b\" # c";
        let k = key_on_line(line).unwrap();
        assert_eq!((k.name.as_str(), &line[k.key.clone()]), ("title", "title"));
        assert_eq!(&line[k.value.clone()], "\"A: b\"");
        assert_eq!(&line[k.unquoted(line)], "A: b");
        let item = "  - - 'id': x";
        let k = key_on_line(item).unwrap();
        assert!(k.in_item);
        assert_eq!((k.name.as_str(), k.key.start), ("id", 6));
        assert_eq!(&item[k.value.clone()], "x");
        assert!(key_on_line("bare:").is_some_and(|k| k.value.is_empty()));
        for not_a_key in [
            "# c: d",
            "url: https://x",
            "- plain",
            "[a: b]",
            "a:b",
            "\ta: b",
        ] {
            assert!(
                key_on_line(not_a_key).is_none_or(|k| k.name != "a" && k.name != "c"),
                "{not_a_key}"
            );
        }
        assert_eq!(
            key_position("a: 1\nrules:\n  - id: x\n  - id: y\n", "id", 1),
            (4, 5)
        );
    }
}
