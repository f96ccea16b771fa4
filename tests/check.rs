//! `folio check` over a whole site: what each state demands, sources,
//! links, reviewers, the registry, the output formats and exit codes.

mod common;
use common::{PROMOTED, REVIEWED, Sandbox};

fn json(s: &Sandbox) -> serde_json::Value {
    let run = s.folio(&["check", "--format", "json"]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run:?}"))
}

/// The codes of the findings about content/page.md.
fn page_codes(s: &Sandbox) -> Vec<String> {
    json(s)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == "content/page.md")
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

const CITES_BOTH: &str = "Cites [@onnx-spec] and [@blog].\n";

#[test]
fn each_state_demands_more_than_the_last() {
    let s = Sandbox::site();
    s.page("page", "status: draft\n", CITES_BOTH);
    assert_eq!(page_codes(&s), ["missing-field"]);
    s.page("page", "title: T\nstatus: research\n", CITES_BOTH);
    assert_eq!(page_codes(&s), ["missing-field"; 3]);
    s.page(
        "page",
        "title: T\nsummary: S\naudience: A\nowner: mara\nstatus: reviewed\n",
        "No citations.\n",
    );
    assert_eq!(
        page_codes(&s),
        ["missing-field", "missing-reviewer", "no-sources"]
    );
    s.page("page", REVIEWED, CITES_BOTH);
    assert_eq!(page_codes(&s), Vec::<String>::new());
    s.page("page", PROMOTED, CITES_BOTH);
    assert_eq!(page_codes(&s), ["unpromotable-source"]);
    s.page("page", PROMOTED, "Cites [@onnx-spec].\n");
    assert_eq!(page_codes(&s), Vec::<String>::new());
}

#[test]
fn a_research_page_missing_fields_names_each_one() {
    let s = Sandbox::site();
    s.page("page", "title: T\nstatus: research\n", CITES_BOTH);
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn citations_resolve_against_the_registry() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spce] and [@blog; @nowhere, p. 3].\n",
    );
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
    // On a draft the same problem is a warning and the check passes.
    s.page(
        "page",
        "title: T\nstatus: draft\n",
        "Cites [@onnx-spec] and [@blog] and [@nowhere].\n",
    );
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(page_codes(&s), ["unknown-source"]);
}

#[test]
fn frontmatter_sources_count_and_must_resolve() {
    let s = Sandbox::site();
    s.page(
        "page",
        &format!("{REVIEWED}sources: [onnx-spec, blog]\n"),
        "No inline citations.\n",
    );
    assert_eq!(page_codes(&s), Vec::<String>::new());
    s.page(
        "page",
        &format!("{REVIEWED}sources: [onnx-spec, blog, gone]\n"),
        "Body.\n",
    );
    assert_eq!(page_codes(&s), ["unknown-source"]);
}

#[test]
fn internal_links_must_reach_a_page() {
    let s = Sandbox::site();
    s.page("guides/other", "title: O\nstatus: draft\n", "Body.\n");
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] [@blog]. See [other](guides/other.md#part), [root](/guides/other.md), \
         [typo](guides/otehr.md), [site](https://example.org/x.md) and [image](pic.png).\n\n[ref]: guides/missing.md\n",
    );
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn review_dates_are_not_in_the_future_and_promoted_pages_go_stale() {
    let s = Sandbox::site();
    s.page(
        "page",
        &REVIEWED.replace("2026-11-20", "2026-11-28"),
        CITES_BOTH,
    );
    assert_eq!(page_codes(&s), ["future-review"]);
    s.page(
        "page",
        &PROMOTED.replace("2026-11-20", "2026-05-31"),
        "Cites [@onnx-spec].\n",
    );
    assert_eq!(
        page_codes(&s),
        Vec::<String>::new(),
        "180 days after the review is still within the interval"
    );
    s.page(
        "page",
        &PROMOTED.replace("2026-11-20", "2026-05-30"),
        "Cites [@onnx-spec].\n",
    );
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 0, "stale is a warning: {run:?}");
    assert_eq!(page_codes(&s), ["stale"]);
}

#[test]
fn reviewers_come_from_the_roster_and_never_sign_their_own_page() {
    let s = Sandbox::site();
    s.page(
        "page",
        &REVIEWED.replace("reviewers: [ana]", "reviewers: [mara, anna]"),
        CITES_BOTH,
    );
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn the_registry_reports_duplicates_bad_entries_and_unused_sources() {
    let s = Sandbox::new();
    s.write(
        "content/sources.yaml",
        "- id: a\n  title: A\n  url: https://a.example\n  kind: specification\n  accessed: 2026-01-01\n\
         - id: a\n  title: A again\n  url: https://a.example/2\n  kind: specification\n  accessed: 2026-01-01\n\
         - id: b\n  title: B\n  url: ftp.example\n  kind: oficial-docs\n  accessed: 2026-02-30\n  edition: 2\n\
         - title: no id\n",
    );
    s.page("page", "title: T\nstatus: draft\n", "Cites [@a].\n");
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn a_malformed_registry_or_policy_stops_the_command() {
    let s = Sandbox::new();
    s.page("page", "title: T\nstatus: draft\n", "Body.\n");
    s.write("content/sources.yaml", "- id: a\n  title: [unclosed\n");
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("folio: error: content/sources.yaml:3:1: the registry is not valid YAML"),
        "{run:?}"
    );
    s.write("content/sources.yaml", "id: a\n");
    assert_eq!(s.folio(&["check"]).code, 2);
    // Entries added below an empty list: the parser names no line, folio
    // finds it.
    s.write(
        "content/sources.yaml",
        "# sources\n[]\n- id: a\n  title: A\n",
    );
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with(
            "folio: error: content/sources.yaml:3:1: the registry is not valid YAML: this line starts a second YAML document"
        ),
        "{run:?}"
    );
    s.write("content/sources.yaml", "[]\n");
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nreveiw_interval_days: 30\n",
    );
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn symlinked_pages_and_bad_page_ids_are_findings() {
    let s = Sandbox::site();
    s.page("page", REVIEWED, CITES_BOTH);
    s.write("outside.md", "---\ntitle: secret\nstatus: draft\n---\n");
    std::os::unix::fs::symlink("../outside.md", s.path("content/link.md")).expect("symlink");
    std::os::unix::fs::symlink("..", s.path("content/loop")).expect("symlink");
    s.page("Guides/KV Cache", "title: T\nstatus: draft\n", "Body.\n");
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
}

#[test]
fn a_named_pipe_is_a_finding_not_a_hang() {
    let s = Sandbox::site();
    s.page("page", REVIEWED, CITES_BOTH);
    let fifo = |rel: &str| {
        let made = s.run_in(s.root(), "mkfifo", &[rel], &[]);
        assert_eq!(made.code, 0, "{made:?}");
    };
    // Run under `timeout`, so that reading a pipe fails the test instead of
    // hanging it.
    let check = || {
        let exe = env!("CARGO_BIN_EXE_folio");
        s.run_in(s.root(), "timeout", &["20", exe, "check"], &[])
    };
    fifo("content/pipe.md");
    let run = check();
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains("error[unreadable]: this is not a regular file (a named pipe, socket or device)\n --> content/pipe.md"),
        "{run:?}"
    );
    std::fs::remove_file(s.path("content/pipe.md")).expect("remove");
    std::fs::remove_file(s.path("review/policy.yaml")).expect("remove");
    fifo("review/policy.yaml");
    let run = check();
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("review/policy.yaml is not a regular file"),
        "{run:?}"
    );
}

#[test]
fn json_output_is_the_documented_document() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] [@blog]. It is 10x faster.\n",
    );
    insta::assert_snapshot!(s.folio(&["check", "--format", "json"]).transcript());
}

#[test]
fn github_output_is_escaped_workflow_commands() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] [@blog]. It is 10x faster, 100% of the time.\n",
    );
    s.page("a,b:c", "title: T\nstatus: draft\n", "Body.\n");
    insta::assert_snapshot!(s.folio(&["check", "--format", "github"]).transcript());
}

#[test]
fn colour_only_when_asked_and_never_with_no_color() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] [@blog]. It is 10x faster.\n",
    );
    let plain = s.folio(&["check"]);
    assert!(
        !plain.stdout.contains('\x1b'),
        "piped output has no colour: {plain:?}"
    );
    let forced = s.folio(&["check", "--color", "always"]);
    assert!(
        forced.stdout.contains("\x1b[1;31merror\x1b[0m"),
        "{forced:?}"
    );
    let never = s.folio_env(&["check", "--color", "never"], &[("NO_COLOR", "1")]);
    assert_eq!(never.stdout, plain.stdout);
}

#[test]
fn exit_codes_tell_clean_findings_and_failure_apart() {
    let s = Sandbox::site();
    s.page("page", REVIEWED, CITES_BOTH);
    assert_eq!(s.folio(&["check"]).code, 0);
    s.page("page", REVIEWED, "It is 10x faster.\n");
    assert_eq!(s.folio(&["check"]).code, 1);
    let outside = Sandbox::bare_folder();
    let run = outside.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("not inside a git repository"),
        "{run:?}"
    );
    let run = s.folio_env(&["check"], &[("FOLIO_TODAY", "2026-13-01")]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(s.folio(&["check", "--format", "xml"]).code, 2);
    let empty = Sandbox::new();
    let run = empty.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("folio init"), "{run:?}");
    // A repository in a format folio cannot read is the user's to know
    // about, not a bug to report.
    let sha256 = Sandbox::bare_folder();
    sha256.run_in(
        sha256.root(),
        "git",
        &["init", "-q", "--object-format=sha256"],
        &[],
    );
    let run = sha256.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("folio cannot open this repository")
            && run.stderr.contains("--object-format=sha256")
            && !run.stderr.contains("please report"),
        "{run:?}"
    );
}

#[test]
fn check_runs_from_a_subfolder_of_a_repository_without_commits() {
    let s = Sandbox::site();
    s.page("guides/page", REVIEWED, CITES_BOTH);
    let run = s.run_in(
        &s.path("content/guides"),
        env!("CARGO_BIN_EXE_folio"),
        &["check"],
        &[],
    );
    assert_eq!(
        (run.code, run.stdout.as_str()),
        (0, "folio: checked 1 page: no findings\n"),
        "{run:?}"
    );
}

#[test]
fn init_scaffolds_and_never_overwrites() {
    let s = Sandbox::new();
    let first = s.folio(&["init"]);
    insta::assert_snapshot!(first.transcript());
    assert_eq!(
        s.read("review/policy.yaml"),
        folio::site::policy::DEFAULT_POLICY.as_bytes()
    );
    s.write("review/policy.yaml", "reviewers: [me]\n");
    let second = s.folio(&["init"]);
    assert_eq!(second.code, 0, "{second:?}");
    assert!(
        second
            .stdout
            .contains("kept     review/policy.yaml (already there)"),
        "{second:?}"
    );
    assert_eq!(s.read("review/policy.yaml"), b"reviewers: [me]\n");
    s.page("page", "title: T\nstatus: draft\n", "Body.\n");
    assert_eq!(s.folio(&["check"]).code, 0);
}

#[test]
fn this_repository_s_own_site_is_clean() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Sandbox::bare_folder();
    let run = s.run_in(root, env!("CARGO_BIN_EXE_folio"), &["check"], &[]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.ends_with("no findings\n"), "{run:?}");
}
