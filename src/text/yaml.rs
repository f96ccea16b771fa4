//! The one owner of `serde_yaml` (archived upstream): swapping it for a
//! maintained fork is a change to this file alone. Everything else sees
//! `Node`, `YamlError` and `from_str`.
//!
//! Parsing goes through `serde_yaml::Value` first because that target
//! rejects duplicate keys; a map target would silently keep the last one.

use serde::de::DeserializeOwned;

/// A parsed YAML value, in document order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// How a message names the kind of value a user wrote.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Node::Null => "nothing",
            Node::Bool(_) => "true/false",
            Node::Number(_) => "a number",
            Node::String(_) => "text",
            Node::Seq(_) => "a list",
            Node::Map(_) => "a mapping",
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    /// The value under a string key of a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries
                .iter()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }
}

/// A YAML syntax or shape error. `line` and `column` are 1-based and
/// relative to the text that was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for YamlError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// The 1-based line that starts a second YAML document in `text`: a `---`
/// marker at column 0 after content or after another marker, or the first
/// content after a `...` end marker. A marker at column 0 can only be a
/// marker (YAML forbids one inside a scalar), so no parse is needed.
fn second_document(text: &str) -> Option<usize> {
    let marker = |line: &str, m: &str| {
        line.strip_prefix(m)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r']))
    };
    let (mut started, mut content, mut ended) = (false, false, false);
    for (i, line) in text.lines().enumerate() {
        let blank = {
            let t = line.trim();
            t.is_empty() || t.starts_with('#')
        };
        if marker(line, "---") {
            if started || content || ended {
                return Some(i + 1);
            }
            started = true;
        } else if marker(line, "...") {
            ended = true;
        } else if !blank {
            if ended {
                return Some(i + 1);
            }
            content = true;
        }
    }
    None
}

/// The line that starts a second document with no marker (`[]` and then
/// `- id: ...` below it): the first line whose leading lines already hold
/// two documents. Found by parsing prefixes, within a budget of bytes
/// parsed, so a large file costs a bounded time and gets the parser's own
/// position instead.
fn implicit_second_document(text: &str) -> Option<usize> {
    const BUDGET: usize = 4 << 20;
    let mut parsed = 0;
    for (n, (end, _)) in text.match_indices('\n').enumerate() {
        parsed += end;
        if parsed > BUDGET {
            return None;
        }
        let two = serde_yaml::from_str::<serde_yaml::Value>(&text[..end]).is_err_and(|e| {
            e.location().is_none() && e.to_string().contains("more than one document")
        });
        if two {
            // The prefix ends at the newline after line n + 1, which holds
            // the second document's first content.
            return Some(n + 1);
        }
    }
    None
}

impl YamlError {
    /// As `new`, and where the parser gives no position for a second
    /// document (`[]` and then `- id: ...` below it, say), finds the line
    /// that starts it, in one pass over the lines (see `second_document`).
    fn of(e: &serde_yaml::Error, text: &str, first_line: usize) -> YamlError {
        let mut error = YamlError::new(e, first_line);
        if e.location().is_some() || !error.message.contains("more than one document") {
            return error;
        }
        if let Some(line) = second_document(text).or_else(|| implicit_second_document(text)) {
            error.line = line + first_line - 1;
            error.column = 1;
            error.message =
                "this line starts a second YAML document after a complete one; the file holds one"
                    .to_string();
        }
        error
    }

    /// Converts a parser error for text that starts on line `first_line` of
    /// its file, so both the position and any position named in the message
    /// ("while parsing a flow sequence at line 2 column 8") are file lines.
    fn new(e: &serde_yaml::Error, first_line: usize) -> YamlError {
        let (line, column) = e
            .location()
            .map_or((1, 1), |l| (l.line().max(1), l.column().max(1)));
        let mut message = String::new();
        let mut rest = e.to_string();
        const AT: &str = " at line ";
        while let Some(i) = rest.find(AT) {
            message.push_str(&rest[..i]);
            let tail = &rest[i + AT.len()..];
            let numbers = tail.split_once(" column ").and_then(|(l, after)| {
                let digits = after.bytes().take_while(u8::is_ascii_digit).count();
                Some((
                    l.parse::<usize>().ok()?,
                    after[..digits].parse::<usize>().ok()?,
                    &after[digits..],
                ))
            });
            let Some((l, c, after)) = numbers else {
                message.push_str(AT);
                rest = tail.to_string();
                continue;
            };
            if (l, c) != (line, column) {
                message.push_str(&format!("{AT}{} column {c}", l + first_line - 1));
            }
            rest = after.to_string();
        }
        message.push_str(&rest);
        YamlError {
            line: line + first_line - 1,
            column,
            message,
        }
    }
}

pub fn parse(text: &str) -> Result<Node, YamlError> {
    parse_at(text, 1)
}

/// Parses YAML that starts on line `first_line` of its file; error
/// positions are file positions.
pub fn parse_at(text: &str, first_line: usize) -> Result<Node, YamlError> {
    if let Some(node) = simple(text) {
        return Ok(node);
    }
    let mut value: serde_yaml::Value =
        serde_yaml::from_str(text).map_err(|e| YamlError::of(&e, text, first_line))?;
    // Merge keys (`<<: *base`), as most YAML readers of site generators
    // apply them.
    value
        .apply_merge()
        .map_err(|e| YamlError::of(&e, text, first_line))?;
    Ok(convert(value))
}

/// Deserialises a typed document (the policy), with serde's messages for
/// unknown fields and wrong types. Derived structs refuse duplicate fields;
/// give such a target no map-typed fields, which would not.
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(|e| YamlError::of(&e, text, 1))
}

fn convert(value: serde_yaml::Value) -> Node {
    use serde_yaml::Value;
    match value {
        Value::Null => Node::Null,
        Value::Bool(b) => Node::Bool(b),
        Value::Number(n) => Node::Number(n.to_string()),
        Value::String(s) => Node::String(s),
        Value::Sequence(items) => Node::Seq(items.into_iter().map(convert).collect()),
        Value::Mapping(map) => Node::Map(
            map.into_iter()
                .map(|(k, v)| (convert(k), convert(v)))
                .collect(),
        ),
        // `status: !draft` is a tag with nothing tagged: read as the text
        // it looks like, so it is reported as an odd value, not a missing one.
        Value::Tagged(tagged) if tagged.value.is_null() => Node::String(tagged.tag.to_string()),
        Value::Tagged(tagged) => convert(tagged.value),
    }
}

/// The YAML most pages and registries hold, read without the YAML parser:
/// a mapping of `key: value` lines at the left margin, or a list of such
/// mappings (`- key: value`, then `  key: value`), with blank lines
/// between; each value empty, a plain scalar that YAML reads as text, a
/// quoted string with nothing to unescape, or a flow list of plain words.
/// Anything else (comments, deeper nesting, numbers, booleans, anchors, a
/// repeated key) is `None`, and the parser reads it. A test holds this to
/// the parser's reading of every document it takes.
fn simple(text: &str) -> Option<Node> {
    let lines = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .filter(|line| !line.trim_matches(' ').is_empty());
    let mut items: Vec<Vec<(Node, Node)>> = Vec::new();
    let mut map: Vec<(Node, Node)> = Vec::new();
    // The keys of `map`: looked through while it is short, as most are;
    // hashed once it is long, so a repeated key is found in one look.
    let mut names: Vec<&str> = Vec::new();
    let mut keys: Option<std::collections::HashSet<&str>> = None;
    let mut list = None;
    for line in lines {
        let (entry, starts_item) = match (line.strip_prefix("- "), line.strip_prefix("  ")) {
            (Some(rest), _) => (rest, true),
            (None, Some(rest)) => (rest, false),
            (None, None) => (line, false),
        };
        let in_list = *list.get_or_insert(starts_item);
        if in_list != (starts_item || line.starts_with("  ")) || entry.starts_with(' ') {
            return None;
        }
        if starts_item {
            items.push(std::mem::take(&mut map));
            names.clear();
            keys = None;
        }
        let (key, node) = simple_entry(entry)?;
        let repeated = match &mut keys {
            Some(keys) => !keys.insert(key),
            None if names.contains(&key) => true,
            None => {
                names.push(key);
                if names.len() > LOOKED_THROUGH {
                    keys = Some(names.iter().copied().collect());
                }
                false
            }
        };
        if repeated {
            return None;
        }
        map.push((Node::String(key.to_string()), node));
    }
    if list == Some(true) {
        items.push(map);
        // The first push was the empty map before the first item.
        Some(Node::Seq(
            items.into_iter().skip(1).map(Node::Map).collect(),
        ))
    } else {
        Some(Node::Map(map))
    }
}

/// How many keys of a `simple` mapping are looked through before they
/// are hashed.
const LOOKED_THROUGH: usize = 16;

/// One `key: value` line of a `simple` document.
fn simple_entry(line: &str) -> Option<(&str, Node)> {
    let (key, rest) = line.split_once(':')?;
    let key_ok = key
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if !key_ok || !(rest.is_empty() || rest.starts_with(' ')) {
        return None;
    }
    let value = rest.trim_matches(' ');
    let node = if value.is_empty() {
        Node::Null
    } else if let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        if inner.contains(['"', '\\']) || inner.chars().any(crate::text::hidden) {
            return None;
        }
        Node::String(inner.to_string())
    } else if let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\'')) {
        if inner.contains('\'') || inner.chars().any(crate::text::hidden) {
            return None;
        }
        Node::String(inner.to_string())
    } else if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        let mut items = Vec::new();
        if !inner.trim_matches(' ').is_empty() {
            for item in inner.split(',') {
                items.push(Node::String(
                    plain(item.trim_matches(' '), true)?.to_string(),
                ));
            }
        }
        Node::Seq(items)
    } else {
        Node::String(plain(value, false)?.to_string())
    };
    Some((key, node))
}

/// A plain scalar YAML reads as text: it starts with a letter, holds
/// printable characters (no `, [ ] { }` in a flow list), has no `: ` or
/// ` #` in it and does not end with `:`, and is not a null or a boolean;
/// or it is a `YYYY-MM-DD` date, which this YAML reader keeps as text.
fn plain(value: &str, in_flow: bool) -> Option<&str> {
    let date = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if date {
        return Some(value);
    }
    let first = value.chars().next()?;
    let fits = |c: char| {
        (c.is_ascii_graphic() || c == ' ' || (!c.is_ascii() && c.is_alphabetic()))
            && !(in_flow && matches!(c, ',' | '[' | ']' | '{' | '}'))
    };
    let word = matches!(
        value,
        "null" | "Null" | "NULL" | "true" | "True" | "TRUE" | "false" | "False" | "FALSE"
    );
    // `: ` and ` #` looked for in one pass over the bytes.
    let marks = value
        .as_bytes()
        .windows(2)
        .any(|pair| matches!(pair, b": " | b" #"));
    let fine = first.is_alphabetic()
        && !word
        && !value.ends_with([' ', ':'])
        && !marks
        && value.chars().all(fits);
    fine.then_some(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_reading_agrees_with_the_parser() {
        let slow = |text: &str| {
            let value: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
            convert(value)
        };
        let values = [
            "",
            "draft",
            "A title (with) parts",
            "yes",
            "no",
            "on",
            "off",
            "y",
            "n",
            "Yes",
            "null",
            "Null",
            "~",
            "true",
            "False",
            "2026-11-20",
            "2026-1-2",
            "12",
            "1e3",
            "0x1f",
            ".inf",
            "v1.2",
            "it's fine",
            "\"quoted: text\"",
            "'single'",
            "'it''s'",
            "\"a\\nb\"",
            "[a, b]",
            "[]",
            "[ana]",
            "[a,b , c]",
            "[yes, no]",
            "[1, 2]",
            "[a, [b]]",
            "[a: b]",
            "a #comment",
            "a: b",
            "a:b",
            "a#b",
            "a # b",
            "at 10:30 am",
            "ends with #",
            "a :b",
            "Café au lait",
            "x - y",
            "- item",
            "*alias",
            "&anchor x",
            "!tag",
            "%x",
            "@user",
            "`tick`",
            "|",
            ">",
            "6 months",
            "81 days",
            "[\"a\", b]",
            "a/b.c_d",
            "one, two",
            "[one, two]",
            "NaN",
            "nan",
            "Infinity",
            "0o17",
            "+1",
            "-1",
            "1_000",
            "TRUE",
        ];
        for value in values {
            for text in [
                format!("key: {value}\n"),
                format!("title: T\nkey: {value}\r\nstatus: draft\n"),
                format!("key:   {value}   \n\n"),
            ] {
                let Some(fast) = simple(&text) else { continue };
                let Ok(parsed) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
                    panic!("the fast reading took {text:?}, which YAML refuses");
                };
                assert_eq!(fast, convert(parsed), "{text:?}");
            }
        }
        // Registries: a list of mappings.
        for text in [
            "- id: a\n  title: A\n  url: https://x.org/a\n  kind: specification\n  accessed: 2026-11-01\n- id: b\n  title: \"B: two\"\n",
            "\n- id: a\n\n  url: https://x.org\n",
            "- id: a\n  - x\n",
            "- id: a\n   title: deeper\n",
            "- id: a\ntitle: out\n",
            "- id: a\n  id: b\n",
            "-  id: a\n",
            "- id: a\n  tags: [x, y]\n  note:\n",
        ] {
            if let Some(fast) = simple(text) {
                assert_eq!(fast, slow(text), "{text:?}");
            }
        }
        assert!(simple("- id: a\n  id: b\n").is_none());
        assert!(matches!(simple("- id: a\n- id: b\n"), Some(Node::Seq(items)) if items.len() == 2));
        // What it must leave to the parser.
        for text in [
            "a: 1\na: 2\n",
            "a:\n  b: 1\n",
            "# c\na: b\n",
            "a: b # c\n",
            "<<: *x\n",
            "a: yes\n",
        ] {
            assert!(
                simple(text).is_none() || simple(text) == Some(slow(text)),
                "{text:?}"
            );
        }
        assert!(simple("a: 1\na: 2\n").is_none());
        // A long mapping: a key repeated once its keys are hashed, or among
        // the keys looked through; and items of many keys, each its own.
        let long: String = (0..40).map(|i| format!("k{i}: v\n")).collect();
        assert_eq!(simple(&long), Some(slow(&long)));
        assert!(simple(&format!("{long}k3: again\n")).is_none());
        assert!(simple(&format!("{long}k39: again\n")).is_none());
        assert!(simple("k0: v\nk1: v\nk0: again\n").is_none());
        let item: String = (0..20).map(|i| format!("  k{i}: v\n")).collect();
        let items = format!("-{}", &item[1..]).repeat(3);
        assert!(matches!(simple(&items), Some(Node::Seq(i)) if i.len() == 3));
        assert_eq!(simple(&items), Some(slow(&items)));
        assert_eq!(
            simple("title: \"A\"\nreviewers: [ana, jon]\nlast_reviewed: 2026-11-20\n"),
            Some(slow(
                "title: \"A\"\nreviewers: [ana, jon]\nlast_reviewed: 2026-11-20\n"
            ))
        );
    }

    #[test]
    fn a_second_document_is_found_by_its_markers() {
        assert_eq!(second_document("a: 1\n---\nb: 2\n"), Some(2));
        assert_eq!(second_document("---\na: 1\n# c\n--- \nb: 2\n"), Some(4));
        assert_eq!(second_document("---\n---\n"), Some(2));
        assert_eq!(second_document("a: 1\n...\n# c\n\nb: 2\n"), Some(5));
        assert_eq!(second_document("a: |\n  ---\n---x: 1\n"), None);
    }

    #[test]
    fn duplicate_keys_are_refused_with_a_position() {
        let e = parse("a:\n  b: 1\n  b: 2\n").unwrap_err();
        assert_eq!((e.line, e.column), (2, 3));
        assert_eq!(e.message, "a: duplicate entry with key \"b\"");
    }

    #[test]
    fn yaml_1_2_keeps_yes_as_text() {
        assert_eq!(
            parse("x: yes").unwrap().get("x"),
            Some(&Node::String("yes".into()))
        );
    }
}
