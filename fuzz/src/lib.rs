//! What each fuzz target checks, as plain functions: `cargo fuzz` runs them
//! on generated input (`fuzz_targets/`), and folio's own tests run them on
//! every input kept in `regressions/<target>/` (`tests/fuzz_regressions.rs`
//! includes this file), so a crash once found stays fixed.
//!
//! Each function panics when folio panics or breaks a property; otherwise
//! it returns whether the input got as far as the property checks (a page
//! that parsed, an edit made, an issue read), so the tests can show the
//! kept inputs reach them.

use folio::edit::{self, Value};
use folio::site::page::{self, Key};
use folio::text::markdown::Prose;
use folio::text::yaml::Node;
use std::sync::OnceLock;

/// Splitting and parsing a page's frontmatter: never a panic; a parsed
/// page's frontmatter and body lie inside its text, and every finding is at
/// a line of the file.
pub fn frontmatter(data: &[u8]) -> bool {
    let (page, findings) = page::parse("content/p.md", "p", data);
    let lines = data.split(|&b| b == b'\n').count() + 1;
    for f in &findings {
        assert!(
            f.line >= 1 && f.line <= lines,
            "{f:?} is past the file's {lines} lines"
        );
        assert!(f.column >= 1 && f.end_column >= f.column, "{f:?}");
    }
    if let Some(page) = page {
        let text = page.text.as_str();
        assert!(page.frontmatter_start <= page.frontmatter_end);
        assert!(page.frontmatter_end <= page.body_start);
        assert!(page.body_start <= text.len());
        assert!(text.is_char_boundary(page.body_start));
        let _ = page.body();
        return true;
    }
    false
}

/// The Markdown scan (code, comments, links, citations, sentences): never a
/// panic; the masked text keeps every byte offset and line break of the
/// body; every link and citation lies inside it, in order.
pub fn markdown(data: &[u8]) -> bool {
    let Ok(body) = std::str::from_utf8(data) else {
        return false;
    };
    let prose = Prose::new(body);
    assert_eq!(prose.masked.len(), body.len());
    for (a, b) in prose.masked.bytes().zip(body.bytes()) {
        assert!(a == b || a == b' ', "masking only writes spaces");
        assert_eq!(a == b'\n', b == b'\n', "line breaks stay");
    }
    let mut last = 0;
    for c in &prose.citations {
        assert!(c.span.start >= last && c.span.end <= body.len(), "{c:?}");
        assert_eq!(&body[c.span.start..c.span.start + 1], "@");
        last = c.span.start;
    }
    for l in &prose.links {
        assert!(
            l.span.end <= body.len() && body.is_char_boundary(l.span.start),
            "{l:?}"
        );
    }
    for s in prose.sentences() {
        assert!(s.start <= s.end && s.end <= body.len());
    }
    let _ = prose.cited_after(&(0..body.len().min(1)));
    true
}

/// The surgical frontmatter edit `folio move` makes: on any page that
/// parses, it either refuses or writes a page that parses again, with the
/// same body, the new values, and every other key as it was.
pub fn edit(data: &[u8]) -> bool {
    let (Some(page), _) = page::parse("content/p.md", "p", data) else {
        return false;
    };
    let edits = [
        (Key::Status, Value::Scalar("reviewed".into())),
        (Key::LastReviewed, Value::Scalar("2026-11-27".into())),
        (Key::Reviewers, Value::List(vec!["ana".into()])),
    ];
    let Ok(edited) = edit::apply(&page, &edits) else {
        return false;
    };
    let (after, findings) = page::parse("content/p.md", "p", edited.as_bytes());
    let after = after.unwrap_or_else(|| panic!("the edit does not parse: {findings:?}\n{edited}"));
    assert_eq!(after.body(), page.body(), "the body changed");
    assert_eq!(
        after.fields.status,
        Some(folio::site::workflow::State::Reviewed)
    );
    assert_eq!(after.fields.reviewers, ["ana"]);
    let others = |data: &Node| -> Vec<(Node, Node)> {
        match data {
            Node::Map(entries) => entries
                .iter()
                .filter(|(k, _)| {
                    !matches!(k.as_str(), Some("status" | "last_reviewed" | "reviewers"))
                })
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    };
    assert_eq!(
        others(&page.data),
        others(&after.data),
        "another key changed"
    );
    true
}

/// The summary's diff of two bodies (the input split at its first 0xff
/// byte): never a panic; a body compared with itself changes nothing.
pub fn summary(data: &[u8]) -> bool {
    let (a, b) = match data.iter().position(|&x| x == 0xff) {
        Some(at) => (&data[..at], &data[at + 1..]),
        None => (data, data),
    };
    let (Ok(before), Ok(after)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return false;
    };
    let (old, new) = (Prose::new(before), Prose::new(after));
    let _ = folio::summary::diff::text_change((before, &old), (after, &new));
    let _ = folio::summary::diff::removed_claims((before, &old), (after, &new));
    let _ = folio::summary::diff::headings(after, &new);
    let same = folio::summary::diff::removed_claims((before, &old), (before, &old));
    assert!(same.is_empty(), "a body compared with itself lost {same:?}");
    true
}

/// Reading a filed correction issue: never a panic, and what is read back
/// is bounded by what GitHub accepts.
pub fn intake(data: &[u8]) -> bool {
    static FIELDS: OnceLock<Vec<folio::correction::form::Field>> = OnceLock::new();
    let fields = FIELDS.get_or_init(|| {
        // The default form, as `folio templates` writes it for a site with
        // two pages (no templates folder: the built-in ones).
        let files = folio::site::files::Worktree {
            root: std::path::Path::new("/nonexistent/folio-fuzz"),
        };
        let pages = ["guides/kv-cache".to_string(), "intro".to_string()];
        let made = folio::correction::form::generate(&files, &pages).expect("the default form");
        folio::correction::form::check_form(&made.form).expect("a valid form")
    });
    let is_page = |id: &str| match id {
        "guides/kv-cache" | "intro" => Ok(()),
        _ => Err(None),
    };
    if let Ok(filed) = folio::correction::intake::read(data, fields, is_page) {
        assert!(
            filed.page == "guides/kv-cache" || filed.page == "intro",
            "{}",
            filed.page
        );
        for answer in [&filed.claim, &filed.wrong, &filed.source_url] {
            assert!(answer.chars().count() <= 4000, "an answer past the limit");
        }
        return true;
    }
    false
}
