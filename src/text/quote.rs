//! Writing YAML: every quoting and style choice folio makes when it puts a
//! value into a file, a template or a hint. folio never re-serialises a
//! document: a YAML serializer drops comments, quoting, flow style and
//! anchors, and writes `no`, `on`, `1.10` or `12:30` in ways a YAML 1.1
//! reader (PyYAML, Ruby's Psych) reads as booleans and numbers. It writes
//! scalars with these functions and changes only the lines it owns.

/// A YAML double-quoted scalar: read as the same string by every YAML
/// reader, 1.1 or 1.2.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether a string reads back as the same string when written plain, in
/// YAML 1.1 and 1.2 alike.
pub fn plain_ok(s: &str) -> bool {
    let reserved = [
        "y", "n", "yes", "no", "on", "off", "true", "false", "null", "~",
    ];
    let numeric = s.parse::<f64>().is_ok()
        || s.chars()
            .all(|c| c.is_ascii_digit() || c == '_' || c == ':');
    !s.is_empty()
        && s.chars().next().is_some_and(char::is_alphanumeric)
        && !s.ends_with(' ')
        && s.chars()
            .all(|c| c.is_alphanumeric() || " -_./+".contains(c))
        && !reserved.contains(&s.to_ascii_lowercase().as_str())
        && !numeric
}

/// A value of folio's choosing: plain when that reads back the same,
/// double-quoted otherwise.
pub fn scalar(s: &str) -> String {
    if plain_ok(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// A value written in the quoting of `old`, the value it replaces:
/// single-quoted, double-quoted, or plain when `old` was plain and the
/// value reads back the same that way.
pub fn scalar_like(s: &str, old: &str) -> String {
    match old.chars().next() {
        Some('\'') => format!("'{}'", s.replace('\'', "''")),
        Some('"') => double_quoted(s),
        _ => scalar(s),
    }
}

/// A one-line value quoted as a person would type it, for a hint:
/// double quotes, or single quotes around a value that holds a double
/// quote or a backslash.
pub fn by_hand(value: &str) -> String {
    if value.contains(['"', '\\']) {
        format!("'{}'", value.replace('\'', "''"))
    } else {
        format!("\"{value}\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_yaml_1_1_reader_would_misread_is_quoted() {
        for word in ["no", "On", "y", "1.10", "12:30", "~", "-x", "a: b", ""] {
            assert_eq!(scalar(word), double_quoted(word), "{word}");
        }
        assert_eq!(scalar("guides/kv-cache"), "guides/kv-cache");
        assert_eq!(
            double_quoted("a\"b\\c\nd\u{7}"),
            "\"a\\\"b\\\\c\\nd\\u0007\""
        );
        assert_eq!(scalar_like("it's", "'old'"), "'it''s'");
        assert_eq!(scalar_like("ana", "\"jon\""), "\"ana\"");
        assert_eq!(by_hand("A: b"), "\"A: b\"");
        assert_eq!(by_hand("say \"x\""), "'say \"x\"'");
    }
}
