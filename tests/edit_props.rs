//! Property: for generated frontmatter in many styles, the edit `folio
//! move` makes changes only the lines of the keys it owns, and the result
//! reads the same as before apart from them.

use folio::edit::{self, Value};
use folio::site::page::Key;
use folio::text::yaml::Node;
use proptest::prelude::*;

const OWNED: [&str; 3] = ["status", "last_reviewed", "reviewers"];

/// A value in one of the styles editors write.
fn value() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        "[a-z][a-z ]{0,12}[a-z]".prop_map(|v| vec![v]),
        "[a-z]{1,8}".prop_map(|v| vec![format!("\"{v}: with a colon\"")]),
        "[a-z]{1,8}".prop_map(|v| vec![format!("'{v} # not a comment'")]),
        "[a-z]{1,8}".prop_map(|v| vec![format!("{v}   # a comment")]),
        ("[a-z]{1,5}", "[a-z]{1,5}").prop_map(|(a, b)| vec![format!("[{a}, {b}]")]),
        ("[a-z]{1,5}", "[a-z]{1,5}").prop_map(|(a, b)| vec![
            String::new(),
            format!("  - {a}"),
            format!("  - {b}")
        ]),
        "[a-z]{1,8}".prop_map(|v| vec![">-".to_string(), format!("  {v}"), "  more".to_string()]),
        "[a-z]{1,8}".prop_map(|v| vec![format!("&anchor{} {v}", v.len())]),
        Just(vec!["2026-01-02".to_string()]),
        Just(vec!["{a: 1, b: [x, y]}".to_string()]),
    ]
}

/// The owned keys in their possible styles (or absent).
fn owned(key: &'static str) -> impl Strategy<Value = Option<Vec<String>>> {
    let values: BoxedStrategy<Vec<String>> = match key {
        "status" => prop_oneof![
            Just(vec!["research".to_string()]),
            Just(vec!["'research'".to_string()]),
            Just(vec!["\"research\"  # state".to_string()])
        ]
        .boxed(),
        "last_reviewed" => prop_oneof![
            Just(vec!["2026-01-02".to_string()]),
            Just(vec!["\"2026-01-02\"".to_string()]),
            Just(vec![String::new()])
        ]
        .boxed(),
        _ => prop_oneof![
            Just(vec!["[jon]".to_string()]),
            Just(vec!["jon".to_string()]),
            Just(vec![
                String::new(),
                "  - jon".to_string(),
                "  - ed".to_string()
            ]),
            Just(vec!["[ 'jon', ed ]".to_string()])
        ]
        .boxed(),
    };
    proptest::option::of(values)
}

fn render(entries: &[(String, Vec<String>)], newline: &str, bom: bool) -> String {
    let mut out = String::from(if bom { "\u{feff}---" } else { "---" });
    out.push_str(newline);
    for (key, lines) in entries {
        let first = lines.first().map(String::as_str).unwrap_or("");
        out.push_str(&format!(
            "{key}:{}{first}{newline}",
            if first.is_empty() { "" } else { " " }
        ));
        for line in &lines[1..] {
            out.push_str(line);
            out.push_str(newline);
        }
    }
    out.push_str(&format!("---{newline}Body [@a] text.{newline}"));
    out
}

/// The text without the owned keys' lines.
fn without_owned(text: &str) -> Vec<&str> {
    let mut kept = Vec::new();
    let mut skipping = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_start_matches('\u{feff}');
        if OWNED.iter().any(|k| bare.starts_with(&format!("{k}:"))) {
            skipping = true;
            continue;
        }
        if skipping && (line.starts_with(' ') || line.starts_with("- ") || line.trim_end() == "-") {
            continue;
        }
        skipping = false;
        kept.push(line);
    }
    kept
}

fn others(data: &Node) -> Vec<(Node, Node)> {
    match data {
        Node::Map(entries) => entries
            .iter()
            .filter(|(k, _)| !OWNED.iter().any(|o| k.as_str() == Some(o)))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn move_changes_only_its_own_lines(
        extra in proptest::collection::vec(value(), 0..6),
        status in owned("status"),
        reviewed in owned("last_reviewed"),
        reviewers in owned("reviewers"),
        order in any::<u64>(),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let mut entries: Vec<(String, Vec<String>)> = extra.into_iter().enumerate().map(|(i, v)| (format!("key{i}"), v)).collect();
        entries.insert(0, ("title".to_string(), vec!["A page".to_string()]));
        for (key, value) in [("status", status), ("last_reviewed", reviewed), ("reviewers", reviewers)] {
            if let Some(value) = value {
                let at = (order as usize).wrapping_add(key.len()) % (entries.len() + 1);
                entries.insert(at, (key.to_string(), value));
            }
        }
        let text = render(&entries, if crlf { "\r\n" } else { "\n" }, bom);
        let (page, findings) = folio::site::page::parse("p.md", "p", text.as_bytes());
        prop_assume!(findings.is_empty());
        let page = page.expect("parses");
        let edits = [
            (Key::Status, Value::Scalar("reviewed".into())),
            (Key::LastReviewed, Value::Scalar("2026-11-27".into())),
            (Key::Reviewers, Value::List(vec!["ana".into()])),
        ];
        let edited = edit::apply(&page, &edits).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(without_owned(&text), without_owned(&edited), "{}\n---- became ----\n{}", text, edited);
        let (after, findings) = folio::site::page::parse("p.md", "p", edited.as_bytes());
        prop_assert!(findings.is_empty(), "{:?}", findings);
        let after = after.expect("parses");
        prop_assert_eq!(others(&page.data), others(&after.data));
        prop_assert_eq!(after.fields.status, Some(folio::site::workflow::State::Reviewed));
        prop_assert_eq!(&after.fields.reviewers, &vec!["ana".to_string()]);
        prop_assert_eq!(after.body(), page.body());
    }
}
