//! `folio summary`: what a reviewer reads on a pull request. Each case
//! builds a site on `main` and a pull request on `pr`, snapshots the
//! Markdown and the JSON, and asserts its claim. The Markdown is also
//! rendered as GitHub-flavoured Markdown (comrak) to check what reaches a
//! reader: no HTML, mention, issue link or autolink from contributor text.

mod common;
use common::{REVIEWED, Run, Sandbox, ok, texts};

/// A site with reviewers and two sources, git's user.name set, on `main`.
fn site() -> Sandbox {
    let s = Sandbox::site();
    s.git(&["config", "user.name", "Ana Editor"]);
    s
}

impl Sandbox {
    /// Commits everything, without the hook: fixtures may start anywhere.
    fn commit_all(&self, message: &str) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", message]);
    }

    fn summary(&self) -> (Run, Run) {
        let markdown = self.folio(&["summary", "main..pr"]);
        assert_eq!(markdown.code, 0, "{markdown:?}");
        let json = self.folio(&["summary", "main..pr", "--format", "json"]);
        assert_eq!(json.code, 0, "{json:?}");
        (markdown, json)
    }
}

fn doc(run: &Run) -> serde_json::Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run:?}"))
}

/// The Markdown as GitHub-flavoured Markdown renders it, raw HTML passed
/// through (GitHub keeps some), so a test sees what could reach a reader.
fn rendered(markdown: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(markdown, &options)
}

/// The rendered page without what is inside code, where GitHub links
/// nothing: what a mention, an issue reference or an address could become
/// a link in.
fn outside_code(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(at) = rest.find("<code") {
        out.push_str(&rest[..at]);
        rest = rest[at..]
            .split_once("</code>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

/// What every summary must be: one marker, no HTML but folio's own, no link.
fn renders_safely(markdown: &str) -> String {
    let html = rendered(markdown);
    assert_eq!(
        html.matches("<!--").count(),
        1,
        "only folio's marker: {html}"
    );
    assert!(html.contains("<!-- folio-summary -->"), "{html}");
    assert!(!html.contains("<a "), "no link folio did not write: {html}");
    for tag in html.match_indices('<').map(|(at, _)| &html[at..]) {
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect();
        let allowed = [
            "p",
            "/p",
            "h3",
            "/h3",
            "h4",
            "/h4",
            "h5",
            "/h5",
            "strong",
            "/strong",
            "em",
            "/em",
            "code",
            "/code",
            "pre",
            "/pre",
            "ul",
            "/ul",
            "li",
            "/li",
            "table",
            "/table",
            "thead",
            "/thead",
            "tbody",
            "/tbody",
            "tr",
            "/tr",
            "th",
            "/th",
            "td",
            "/td",
            "details",
            "/details",
            "summary",
            "/summary",
            "blockquote",
            "/blockquote",
            "",
        ];
        assert!(allowed.contains(&name.as_str()), "<{name}> in {html}");
    }
    html
}

/// A published page: promoted, three cited claims in two sections.
fn promoted_page() -> String {
    format!(
        "---\n{}---\n# KV cache\n\nPaged caches reduce waste [@onnx-spec]. Pages hold sixteen tokens [@onnx-spec].\n\n## Key takeaways\n\nEngines batch requests together [@onnx-spec].\n",
        REVIEWED.replace("status: reviewed", "status: promoted")
    )
}

#[test]
fn a_promotion_a_decline_and_an_edit_fit_one_screen() {
    let s = site();
    s.write(
        "content/kv.md",
        promoted_page().replace("status: promoted", "status: reviewed"),
    );
    s.page(
        "intro",
        "title: Intro\nsummary: An introduction.\naudience: Everyone\nstatus: research\nowner: mara\nsources: [onnx-spec]\n",
        "# Intro\n\nRuntimes differ [@onnx-spec].\n",
    );
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    ok(s.folio(&["move", "kv", "promoted"]));
    s.commit_all("promote kv");
    ok(s.folio(&[
        "decline",
        "intro",
        "--claim",
        "Runtime X is 10x faster.",
        "--reason",
        "universal-multiplier",
        "--rewrite",
        "Under which workloads?",
    ]));
    s.write(
        "content/intro.md",
        String::from_utf8(s.read("content/intro.md"))
            .unwrap()
            .replace(
                "Runtimes differ",
                "Runtimes differ in how they schedule work",
            ),
    );
    s.commit_all("decline a claim, edit intro");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("promotion_markdown", markdown.stdout);
    insta::assert_snapshot!("promotion_json", json.stdout);
    let text = &markdown.stdout;
    assert!(text.lines().count() <= 50, "one screen: {text}");
    assert!(
        text.contains("| kv | reviewed → promoted | yes | Test Author ("),
        "the promotion, who made it: {text}"
    );
    assert!(
        text.contains("not promoted, 2026\\-11\\-27, Ana Editor: Runtime X is 10x faster\\. (universal\\-multiplier); instead: Under which workloads?"),
        "the decision: {text}"
    );
    assert!(
        text.contains("Runtimes differ {+in how they schedule work +}[@onnx-spec]."),
        "the edit, word by word: {text}"
    );
    renders_safely(text);
    let doc = doc(&json);
    assert_eq!(doc["format_version"], 1);
    assert_eq!(doc["transitions"][0]["signed_by"][0], "ana");
    assert_eq!(doc["headline"]["records_added"], 2);
}

#[test]
fn a_correction_with_its_maintenance_entry() {
    let s = site();
    s.write("content/kv.md", promoted_page());
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    s.write(
        "content/kv.md",
        promoted_page().replace(
            "Pages hold sixteen tokens",
            "Pages hold sixteen tokens by default",
        ),
    );
    ok(s.folio(&[
        "log",
        "kv",
        "--change",
        "correction",
        "Block size is a default, not fixed",
        "--source",
        "onnx-spec",
    ]));
    s.commit_all("correct the block size");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("correction_markdown", markdown.stdout);
    insta::assert_snapshot!("correction_json", json.stdout);
    assert!(
        markdown.stdout.contains(
            "maintenance, 2026\\-11\\-27, Ana Editor, correction: Block size is a default, not fixed"
        ),
        "{markdown:?}"
    );
    assert!(
        markdown
            .stdout
            .contains("Pages hold sixteen tokens {+by default +}[@onnx-spec]."),
        "{markdown:?}"
    );
    let doc = doc(&json);
    assert_eq!(
        doc["warnings"],
        serde_json::json!([]),
        "a reworded claim is not removed"
    );
    assert_eq!(doc["pages"][0]["sections"][0]["heading"], "KV cache");
    renders_safely(&markdown.stdout);
}

#[test]
fn a_claim_removed_without_a_decision_is_a_warning_and_with_one_is_not() {
    for declined in [false, true] {
        let s = site();
        s.write("content/kv.md", promoted_page());
        s.commit_all("site");
        s.git(&["checkout", "-q", "-b", "pr"]);
        s.write(
            "content/kv.md",
            promoted_page().replace(" Pages hold sixteen tokens [@onnx-spec].", ""),
        );
        if declined {
            ok(s.folio(&[
                "decline",
                "kv",
                "--claim",
                "Pages hold sixteen tokens.",
                "--reason",
                "no-primary-source",
            ]));
        }
        ok(s.folio(&["log", "kv", "--change", "editorial", "Shorter"]));
        s.commit_all("drop a claim");
        let (markdown, json) = s.summary();
        let name = if declined { "declined" } else { "undeclined" };
        insta::assert_snapshot!(format!("claim_removed_{name}_markdown"), markdown.stdout);
        insta::assert_snapshot!(format!("claim_removed_{name}_json"), json.stdout);
        let doc = doc(&json);
        let claim = &doc["pages"][0]["claims_removed"][0];
        assert_eq!(claim["text"], "Pages hold sixteen tokens [@onnx-spec].");
        if declined {
            assert_eq!(doc["warnings"], serde_json::json!([]));
            assert!(
                claim["accounted_by"]
                    .as_str()
                    .unwrap()
                    .contains("-not-promoted-")
            );
            assert!(!markdown.stdout.contains("**Check:**"), "{markdown:?}");
        } else {
            assert_eq!(doc["warnings"][0]["claim"], claim["text"]);
            assert!(claim["accounted_by"].is_null());
            assert!(
                markdown
                    .stdout
                    .contains("> **Check:** 1 claim removed from a reviewed or promoted page"),
                "{markdown:?}"
            );
        }
        renders_safely(&markdown.stdout);
    }
}

#[test]
fn a_rename_with_an_edit_is_a_rename() {
    let s = site();
    s.write("content/old-name.md", promoted_page());
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    s.git(&["mv", "content/old-name.md", "content/new-name.md"]);
    s.write(
        "content/new-name.md",
        promoted_page().replace("Engines batch requests together", "Engines batch requests"),
    );
    s.commit_all("rename and edit");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("rename_markdown", markdown.stdout);
    insta::assert_snapshot!("rename_json", json.stdout);
    let doc = doc(&json);
    assert_eq!(
        doc["pages"].as_array().map(Vec::len),
        Some(1),
        "one page, renamed"
    );
    assert_eq!(doc["pages"][0]["change"], "renamed");
    assert_eq!(doc["pages"][0]["renamed_from"], "content/old-name.md");
    assert_eq!(doc["headline"]["pages_renamed"], 1);
    assert!(
        markdown
            .stdout
            .contains("##### `new-name`: renamed from `content/old-name.md`"),
        "{markdown:?}"
    );
    renders_safely(&markdown.stdout);
}

#[test]
fn a_policy_change_is_called_out() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    s.write(
        "review/policy.yaml",
        "reviewers: [ana, kim]\nreview_interval_days: 90\nrules:\n  - id: no-soon\n    pattern: '(?i)coming soon'\n    message: a promise without a date\n",
    );
    s.commit_all("tighten the policy");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("policy_markdown", markdown.stdout);
    insta::assert_snapshot!("policy_json", json.stdout);
    let policy = &doc(&json)["policy"];
    assert_eq!(policy["rules_added"], serde_json::json!(["no-soon"]));
    assert_eq!(
        policy["rules_removed"],
        serde_json::json!([
            "broad-comparison",
            "future-date",
            "universal-multiplier",
            "unsourced-maturity"
        ])
    );
    assert_eq!(policy["reviewers_added"], serde_json::json!(["kim"]));
    assert_eq!(policy["reviewers_removed"], serde_json::json!(["jon"]));
    assert_eq!(
        policy["settings"],
        serde_json::json!(["review_interval_days: 180 → 90"])
    );
    assert!(
        markdown
            .stdout
            .contains("#### Policy: what every page is judged by"),
        "{markdown:?}"
    );
    renders_safely(&markdown.stdout);
}

#[test]
fn a_change_that_touches_no_page_is_one_line() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.write("src/build.sh", "echo one\n");
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    s.write("src/build.sh", "echo two\n");
    s.commit_all("tooling");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("quiet_markdown", markdown.stdout);
    insta::assert_snapshot!("quiet_json", json.stdout);
    assert_eq!(
        markdown.stdout,
        "<!-- folio-summary -->\n**folio:** no editorial change (1 commit, touching no page, record, source or policy).\n"
    );
    assert_eq!(doc(&json)["quiet"], true);
    renders_safely(&markdown.stdout);
}

#[test]
fn a_change_of_1200_pages_stays_within_a_comment() {
    let s = site();
    for n in 0..1200 {
        s.page(
            &format!("many/p{n}"),
            "title: P\nstatus: draft\n",
            &format!("Page {n}.\n\nSame.\n"),
        );
    }
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    for n in 0..1200 {
        s.page(
            &format!("many/p{n}"),
            "title: P\nstatus: research\n",
            &format!(
                "Page number {n}, rewritten at length to take room in the summary.\n\nSame.\n"
            ),
        );
    }
    s.commit_all("everything");
    let (markdown, json) = s.summary();
    let chars = markdown.stdout.chars().count();
    assert!(chars <= 60_000, "{chars} characters");
    let doc = doc(&json);
    assert_eq!(
        doc["pages"].as_array().map(Vec::len),
        Some(1200),
        "the JSON is whole"
    );
    assert_eq!(
        doc["omitted"],
        serde_json::json!([]),
        "the JSON leaves nothing out"
    );
    assert!(
        markdown.stdout.contains(
            "Left out to fit a comment: 1150 more pages; 1150 more state transitions; 3550 more findings introduced. "
        ),
        "{}",
        &markdown.stdout[markdown.stdout.len().saturating_sub(2000)..]
    );
    insta::assert_snapshot!("many_pages_markdown_ending", {
        let lines: Vec<&str> = markdown.stdout.lines().collect();
        lines[lines.len() - 6..].join("\n")
    });
    renders_safely(&markdown.stdout);
}

#[test]
fn a_hostile_page_produces_nothing_but_text() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    let title = "<img src=x onerror=alert(1)> @octocat fixes #1 <!-- x -->";
    s.write(
        "content/p.md",
        format!(
            "---\ntitle: '{title}'\nstatus: draft\n---\n# <script>alert(1)</script>\n\nBody. @everyone closes #2 see www.evil.example and https://evil.example/x\n"
        ),
    );
    s.write(
        "content/we`ird.md",
        "---\ntitle: '`` ``` @team/all [x](javascript:alert(1))'\nstatus: research\n---\n```\ninside a fence\n```\n",
    );
    s.commit_all("hostile");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("hostile_markdown", markdown.stdout);
    insta::assert_snapshot!("hostile_json", json.stdout);
    let html = renders_safely(&markdown.stdout);
    for raw in ["<img", "<script"] {
        assert!(!html.contains(raw), "{raw} reached the page: {html}");
    }
    let text = outside_code(&html);
    for raw in [
        "@octocat",
        "@everyone",
        "@team",
        "#1",
        "#2",
        "www.evil",
        "https://evil",
        "javascript:alert",
    ] {
        assert!(
            !text.contains(raw),
            "{raw} reached the page outside code: {text}"
        );
    }
    // The words are all there, as text.
    for shown in [
        "&lt;img src=x onerror=alert(1)&gt;",
        "octocat",
        "everyone",
        "evil.example",
    ] {
        assert!(html.contains(shown), "{shown} missing: {html}");
    }
    // The JSON keeps the text as it was: escaping is the template's.
    assert!(
        json.stdout
            .contains("<img src=x onerror=alert(1)> @octocat fixes #1 <!-- x -->")
    );
}

#[test]
fn a_finding_fixed_and_one_introduced() {
    let s = site();
    s.page(
        "a",
        "title: A\nstatus: draft\n",
        "See [the missing page](missing.md).\n",
    );
    s.page("b", "title: B\nstatus: draft\n", "Cites [@onnx-spec].\n");
    s.commit_all("site");
    s.git(&["checkout", "-q", "-b", "pr"]);
    s.page("a", "title: A\nstatus: draft\n", "See [page b](b.md).\n");
    s.page(
        "b",
        "title: B\nstatus: draft\n",
        "Cites [@onnx-spec]. And [broken](nowhere.md).\n",
    );
    s.commit_all("fix a, break b");
    let (markdown, json) = s.summary();
    insta::assert_snapshot!("findings_markdown", markdown.stdout);
    insta::assert_snapshot!("findings_json", json.stdout);
    let doc = doc(&json);
    let code_at = |list: &str| texts(&doc["findings"][list], &["code", "path"]);
    assert_eq!(code_at("introduced"), [["broken-link", "content/b.md"]]);
    assert_eq!(code_at("fixed"), [["broken-link", "content/a.md"]]);
    assert!(
        markdown.stdout.contains("#### Findings introduced"),
        "{markdown:?}"
    );
    assert!(
        markdown.stdout.contains("#### Findings fixed"),
        "{markdown:?}"
    );
    renders_safely(&markdown.stdout);
}

#[test]
fn a_staged_change_is_summarised_before_it_is_committed() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.commit_all("site");
    s.page("p", "title: P\nstatus: draft\n", "Body, longer.\n");
    s.git(&["add", "-A"]);
    let run = ok(s.folio(&["summary", "--staged"]));
    assert!(run.stdout.contains("staged, not yet committed"), "{run:?}");
    assert!(run.stdout.contains("[-Body.-]{+Body, longer.+}"), "{run:?}");
    let json = ok(s.folio(&["summary", "--staged", "--format", "json"]));
    assert_eq!(doc(&json)["scope"], "staged");
}

#[test]
fn a_template_error_names_the_file_and_line() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.commit_all("site");
    s.write(
        "review/templates/summary.md.j2",
        "line one\n{{ nothing_here }}\n",
    );
    s.git(&["add", "-A"]);
    let run = s.folio(&["summary", "--staged"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("folio: error: the template review/templates/summary.md.j2:2 failed: "),
        "{run:?}"
    );
    // A template that would never finish runs out of its budget.
    s.write(
        "review/templates/summary.md.j2",
        "{% for a in range(100000) %}{% for b in range(100000) %}x{% endfor %}{% endfor %}",
    );
    let run = s.run_in(
        s.root(),
        "timeout",
        &["60", env!("CARGO_BIN_EXE_folio"), "summary", "--staged"],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("fuel"), "{run:?}");
}

#[test]
fn without_a_range_the_base_is_the_upstream() {
    let s = site();
    s.page("p", "title: P\nstatus: draft\n", "Body.\n");
    s.commit_all("site");
    let clone = Sandbox::bare_folder();
    let url = format!("file://{}", s.root().display());
    let made = clone.run_in(clone.root(), "git", &["clone", "-q", &url, "c"], &[]);
    assert_eq!(made.code, 0, "{made:?}");
    let dir = clone.root().join("c");
    let git = |args: &[&str]| {
        let run = clone.run_in(&dir, "git", args, &[]);
        assert_eq!(run.code, 0, "{run:?}");
    };
    git(&["checkout", "-q", "-b", "pr", "--track", "origin/main"]);
    std::fs::write(
        dir.join("content/p.md"),
        "---\ntitle: P\nstatus: draft\n---\nBody, edited.\n",
    )
    .unwrap();
    git(&["commit", "-q", "--no-verify", "-am", "edit"]);
    let run = clone.run_in(
        &dir,
        env!("CARGO_BIN_EXE_folio"),
        &["summary", "--format", "json"],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    let doc = doc(&run);
    assert_eq!(doc["headline"]["commits"], 1, "{run:?}");
    assert_eq!(doc["pages"][0]["path"], "content/p.md");
    // Without an upstream, origin/HEAD; without either, say what to do.
    git(&["branch", "-q", "--unset-upstream"]);
    let run = clone.run_in(
        &dir,
        env!("CARGO_BIN_EXE_folio"),
        &["summary", "--format", "json"],
        &[],
    );
    assert_eq!(run.code, 0, "origin/HEAD is the base: {run:?}");
    let run = s.folio(&["summary"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains("no upstream, nor is there an origin/HEAD"),
        "{run:?}"
    );
}
