//! `folio check` over a whole site: what each state demands, sources,
//! links, reviewers, the registry, the output formats and exit codes.

mod common;
use common::{PROMOTED, REVIEWED, Sandbox, texts};

fn json(s: &Sandbox) -> serde_json::Value {
    let run = s.folio(&["check", "--format", "json"]);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run:?}"))
}

/// The messages of the findings about content/page.md.
fn page_messages(s: &Sandbox) -> Vec<String> {
    page_findings(s, "message")
}

/// The codes of the findings about content/page.md.
fn page_codes(s: &Sandbox) -> Vec<String> {
    page_findings(s, "code")
}

/// One field of each finding about content/page.md.
fn page_findings(s: &Sandbox, field: &str) -> Vec<String> {
    json(s)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == "content/page.md")
        .map(|f| f[field].as_str().expect("a text field").to_string())
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
    let messages = page_messages(&s);
    assert_eq!(
        messages,
        ["summary", "audience", "owner"].map(|k| format!("a research page needs `{k}`"))
    );
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
    assert_eq!(page_codes(&s), ["unknown-source", "unknown-source"]);
    let hints = page_findings(&s, "hint");
    assert!(
        hints[0].starts_with("did you mean `onnx-spec`?"),
        "{hints:?}"
    );
    assert!(
        hints[1].starts_with("add an entry with `id: nowhere`"),
        "{hints:?}"
    );
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
    // Only the typo and the missing reference: the page, the root-relative
    // page, a web address and an image are fine.
    assert_eq!(
        page_messages(&s),
        [
            "the link `guides/otehr.md` leads to content/guides/otehr.md, which is not a page",
            "the link `guides/missing.md` leads to content/guides/missing.md, which is not a page",
        ]
    );
    assert_eq!(
        page_findings(&s, "hint")[0],
        "did you mean content/guides/other.md?"
    );
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
    assert_eq!(
        page_messages(&s),
        [
            "`mara` owns the page and cannot sign its review",
            "`mara` is not on the policy's reviewer roster",
            "`anna` is not on the policy's reviewer roster",
        ]
    );
    assert!(page_findings(&s, "hint")[2].starts_with("did you mean `ana`?"));
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
    let registry: Vec<(String, u64)> = json(&s)["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == "content/sources.yaml")
        .map(|f| {
            (
                f["code"].as_str().expect("code").to_string(),
                f["line"].as_u64().expect("line"),
            )
        })
        .collect();
    let expected = [
        ("duplicate-source", 6),
        ("bad-source", 13),
        ("bad-source", 14),
        ("bad-source", 15),
        ("bad-source", 16),
        ("unused-source", 11),
        ("bad-source", 17),
    ];
    let mut expected: Vec<(String, u64)> =
        expected.iter().map(|(c, l)| (c.to_string(), *l)).collect();
    expected.sort_by_key(|(_, line)| *line);
    assert_eq!(registry, expected);
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
    let run = s.folio(&["check"]);
    insta::assert_snapshot!(run.transcript());
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.starts_with(
            "folio: error: review/policy.yaml:2:1: `reveiw_interval_days` is not a policy key\n  = hint: did you mean `review_interval_days`?"
        ),
        "{run:?}"
    );
}

#[test]
fn symlinked_pages_are_findings_and_a_sites_own_names_are_ids() {
    let s = Sandbox::site();
    s.page("page", REVIEWED, CITES_BOTH);
    // A target that would be a finding if read, and one that would hang.
    s.write("outside.md", "---\ntitle: secret\nstatus: unread\n---\n");
    let fifo = s.run_in(s.root(), "mkfifo", &["outside-pipe.md"], &[]);
    assert_eq!(fifo.code, 0, "{fifo:?}");
    std::os::unix::fs::symlink("../outside.md", s.path("content/link.md")).expect("symlink");
    std::os::unix::fs::symlink("../outside-pipe.md", s.path("content/pipe-link.md"))
        .expect("symlink");
    std::os::unix::fs::symlink("..", s.path("content/loop")).expect("symlink");
    s.page("Guides/KV Cache", "title: T\nstatus: draft\n", "Body.\n");
    let exe = env!("CARGO_BIN_EXE_folio");
    let run = s.run_in(s.root(), "timeout", &["20", exe, "check"], &[]);
    insta::assert_snapshot!(
        run.transcript()
            .replacen(&format!("timeout 20 {exe}"), "folio", 1)
    );
    assert_eq!(run.code, 1, "{run:?}");
    for link in ["content/link.md", "content/loop", "content/pipe-link.md"] {
        assert!(
            run.stdout.contains(&format!("error[symlink]: this is a symbolic link; folio does not follow links\n --> {link}:1:1")),
            "{link}: {run:?}"
        );
    }
    // Neither target was read: no finding about `unread`, no hang.
    assert!(!run.stdout.contains("unread"), "{run:?}");
    // A name folio would not create is the site's own: no finding, and
    // no rename proposed that would change the page's address.
    assert!(!run.stdout.contains("bad-page-id"), "{run:?}");
    let status = s.folio(&["status", "--format", "json"]);
    assert!(
        status.stdout.contains("\"id\": \"Guides/KV Cache\""),
        "{status:?}"
    );
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
    // Exactly the fields of the example in README.md's "The JSON format".
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let section = readme
        .split("### The JSON format")
        .nth(1)
        .expect("README.md has a section on the JSON format");
    let example = section
        .split("```json\n")
        .nth(1)
        .and_then(|rest| rest.split("\n```").next())
        .expect("the section opens with a JSON example");
    let documented: serde_json::Value = serde_json::from_str(example).expect("the example is JSON");
    let doc = json(&s);
    let keys = |v: &serde_json::Value| -> Vec<String> {
        v.as_object().expect("an object").keys().cloned().collect()
    };
    assert_eq!(keys(&doc), keys(&documented));
    assert_eq!(keys(&doc["summary"]), keys(&documented["summary"]));
    let findings = doc["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 1, "{doc}");
    assert_eq!(keys(&findings[0]), keys(&documented["findings"][0]));
    assert_eq!(doc["format_version"], 1);
    assert_eq!(
        (
            &findings[0]["code"],
            &findings[0]["line"],
            &findings[0]["column"],
            &findings[0]["end_column"]
        ),
        (
            &"universal-multiplier".into(),
            &10.into(),
            &35.into(),
            &45.into()
        )
    );
}

#[test]
fn github_output_is_escaped_workflow_commands() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] [@blog]. It is 10x faster, 100% of the time.\n",
    );
    s.page("a,b:c", "title: T\nstatus: draf\n", "Body.\n");
    let run = s.folio(&["check", "--format", "github"]);
    insta::assert_snapshot!(run.transcript());
    assert!(
        run.stdout
            .contains("::error file=content/a%2Cb%3Ac.md,line=3,col=9,endColumn=12,title=folio unknown-state::")
            && run.stdout.contains("%0Ahint: "),
        "{run:?}"
    );
    assert!(
        run.stdout
            .lines()
            .all(|l| l.starts_with("::") || l.starts_with("folio: checked")),
        "one line per annotation: {run:?}"
    );
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
    // What init created is staged, so the next commit carries it.
    let staged = s.git(&["diff", "--cached", "--name-only"]).stdout;
    assert_eq!(
        staged,
        "content/sources.yaml\nreview/policy.yaml\nreview/templates/README.md\n"
    );
    // Its next step works as printed: commit, install the hook, a first page.
    let commit = s.git(&["commit", "-q", "-m", "Set up folio"]);
    assert_eq!(commit.code, 0, "{commit:?}");
    assert_eq!(s.folio(&["hook", "install"]).code, 0);
    assert_eq!(s.folio(&["new", "first", "--title", "First"]).code, 0);
    let first = s.run_in(
        s.root(),
        "git",
        &["commit", "-q", "-m", "a first page"],
        &[],
    );
    assert_eq!(first.code, 0, "the hook passes the new draft: {first:?}");
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
    // Its correction form is as the site makes it.
    let form = s.run_in(
        root,
        env!("CARGO_BIN_EXE_folio"),
        &["templates", "--check"],
        &[],
    );
    assert_eq!(form.code, 0, "{form:?}");
}

#[test]
fn check_named_pages_checks_only_those_with_the_site_s_registry_and_policy() {
    let s = Sandbox::site();
    let broken = |cite: &str| {
        format!(
            "title: T\nstatus: research\nsummary: S\naudience: A\nowner: mara\n---\nText [@{cite}].\n"
        )
    };
    s.page("guides/a", &broken("nope-a"), "");
    s.page("guides/b", &broken("nope-b"), "");
    s.page(
        "intro",
        &broken("onnx-spec"),
        "See [a](guides/a.md) and [gone](gone.md).\n",
    );
    let run = |args: &[&str]| s.folio(args);
    // One page: its findings only, checked against the whole site's
    // registry and pages (the link to a reaches a page; gone does not).
    let one = run(&["check", "intro", "--format", "json"]);
    assert_eq!(one.code, 0, "warnings only: {one:?}");
    let doc: serde_json::Value = serde_json::from_str(&one.stdout).unwrap();
    let found = texts(&doc["findings"], &["path", "code"]);
    assert_eq!(found, [["content/intro.md", "broken-link"]], "{one:?}");
    // A folder, and a path relative to a subfolder.
    let folder = run(&["check", "content/guides"]);
    assert!(
        folder.stdout.contains("nope-a")
            && folder.stdout.contains("nope-b")
            && !folder.stdout.contains("intro.md"),
        "{folder:?}"
    );
    assert!(
        folder
            .stdout
            .ends_with("folio: checked 2 pages: 0 errors, 2 warnings\n"),
        "{folder:?}"
    );
    let sub = s.run_in(
        &s.path("content/guides"),
        env!("CARGO_BIN_EXE_folio"),
        &["check", "./b.md"],
        &[],
    );
    assert!(
        sub.stdout.contains("nope-b") && !sub.stdout.contains("nope-a"),
        "{sub:?}"
    );
    // A name that is no page is an error, not an empty report.
    let missing = run(&["check", "guides/c"]);
    assert_eq!(missing.code, 2, "{missing:?}");
    assert!(
        missing.stderr.contains("there is no page `guides/c`"),
        "{missing:?}"
    );
    let both = run(&["check", "intro", "--staged"]);
    assert_eq!(both.code, 2, "{both:?}");
}
