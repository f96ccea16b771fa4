//! Every kind of bad page gives exactly one finding at the right line with a
//! fix, never a panic. Each case snapshots the whole human output and checks
//! the JSON holds one finding with the expected code.

mod common;
use common::Sandbox;

/// Checks a site whose only file is the page `bytes`; returns the human
/// transcript.
fn check_one(bytes: &[u8], code: &str) -> String {
    let s = Sandbox::new();
    s.write("content/page.md", bytes);
    let json = s.folio(&["check", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}\n{json:?}"));
    let findings = doc["findings"].as_array().expect("findings array");
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes, [code], "{json:?}");
    let run = s.folio(&["check"]);
    let expected_exit = if findings[0]["severity"] == "error" {
        1
    } else {
        0
    };
    assert_eq!(run.code, expected_exit, "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
    run.transcript()
}

macro_rules! bad_page {
    ($name:ident, $bytes:expr, $code:expr) => {
        #[test]
        fn $name() {
            insta::assert_snapshot!(check_one($bytes, $code));
        }
    };
}

bad_page!(
    cr_only_line_endings,
    b"---\rtitle: T\rstatus: draft\r---\rBody\r",
    "cr-line-endings"
);
bad_page!(
    unclosed_frontmatter,
    b"---\ntitle: T\nstatus: draft\n\nBody\n",
    "unclosed-frontmatter"
);
bad_page!(
    malformed_yaml,
    b"---\ntitle: [T\nstatus: draft\n---\nBody\n",
    "yaml-syntax"
);
bad_page!(
    unquoted_colon_in_title,
    b"---\ntitle: Runtimes: a guide\nstatus: draft\n---\nBody\n",
    "unquoted-colon"
);
bad_page!(
    tab_indentation,
    b"---\ntitle: T\nstatus: draft\nextra:\n\tkey: v\n---\nBody\n",
    "tab-indent"
);
bad_page!(
    duplicate_key,
    b"---\ntitle: T\nstatus: draft\ntitle: U\n---\nBody\n",
    "duplicate-key"
);
bad_page!(
    nested_duplicate_key,
    b"---\ntitle: T\nstatus: draft\nextra:\n  a: 1\n  a: 2\n---\nBody\n",
    "duplicate-key"
);
bad_page!(
    unknown_state,
    b"---\ntitle: T\nstatus: reveiwed\n---\nBody\n",
    "unknown-state"
);
bad_page!(
    unknown_state_crlf_bom,
    "\u{feff}---\r\ntitle: T\r\nstatus: Draft\r\n---\r\nBody\r\n".as_bytes(),
    "unknown-state"
);
bad_page!(
    impossible_date,
    b"---\ntitle: T\nstatus: draft\nlast_reviewed: 2018-04-31\n---\nBody\n",
    "bad-date"
);
bad_page!(
    unpadded_date,
    b"---\ntitle: T\nstatus: draft\nlast_reviewed: 2019-5-13\n---\nBody\n",
    "bad-date"
);
bad_page!(
    date_of_wrong_type,
    b"---\ntitle: T\nstatus: draft\nlast_reviewed: 20191305\n---\nBody\n",
    "wrong-type"
);
bad_page!(
    title_of_wrong_type,
    b"---\ntitle: 2026\nstatus: draft\n---\nBody\n",
    "wrong-type"
);
bad_page!(
    list_of_wrong_type,
    b"---\ntitle: T\nstatus: draft\nsources: {a: b}\n---\nBody\n",
    "wrong-type"
);
bad_page!(
    not_utf8,
    b"---\ntitle: caf\xe9\nstatus: draft\n---\nBody\n",
    "not-utf8"
);
bad_page!(
    nul_bytes,
    b"---\ntitle: T\nstatus: draft\n---\nBo\x00dy\n",
    "binary-file"
);
bad_page!(
    toml_frontmatter,
    b"+++\ntitle = \"T\"\nstatus = \"draft\"\n+++\nBody\n",
    "toml-frontmatter"
);
bad_page!(
    json_frontmatter,
    b"{\n  \"title\": \"T\",\n  \"status\": \"draft\"\n}\nBody\n",
    "json-frontmatter"
);
bad_page!(no_frontmatter, b"# A heading\n\nBody\n", "no-frontmatter");
bad_page!(empty_file, b"", "no-frontmatter");
bad_page!(
    frontmatter_after_blank_lines,
    b"\n\n---\ntitle: T\nstatus: draft\n---\nBody\n",
    "no-frontmatter"
);
bad_page!(
    frontmatter_is_a_list,
    b"---\n- title\n- draft\n---\nBody\n",
    "frontmatter-shape"
);
bad_page!(
    near_miss_key_is_a_warning,
    b"---\ntitle: T\nstatus: draft\nlast_reveiwed: 2026-11-20\n---\nBody\n",
    "unknown-key"
);
bad_page!(
    missing_status,
    b"---\ntitle: T\n---\nBody\n",
    "missing-status"
);
bad_page!(
    missing_title,
    b"---\nstatus: draft\n---\nBody\n",
    "missing-field"
);

#[test]
fn crlf_bom_and_trailing_spaces_on_the_delimiters_are_accepted() {
    let s = Sandbox::site();
    s.write("content/page.md", "\u{feff}---  \r\ntitle: T\r\nstatus: draft\r\nlayout: wide\r\n--- \t\r\nBody [@onnx-spec] [@blog]\r\n");
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(
        run.stdout, "folio: checked 1 page: no findings\n",
        "{run:?}"
    );
}

#[test]
fn unknown_keys_pass_through_without_a_word() {
    let s = Sandbox::site();
    s.page(
        "page",
        "title: T\nstatus: draft\nlayout: wide\nreading_time: 4 minutes\n",
        "Body [@onnx-spec] [@blog]\n",
    );
    let run = s.folio(&["check"]);
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "folio: checked 1 page: no findings\n"),
        "{run:?}"
    );
}
