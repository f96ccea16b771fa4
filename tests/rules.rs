//! The policy's lint rules: the four default kinds of claim, the citation
//! excuse, what is skipped (code, comments, link targets), which states a
//! rule applies to, and rules added in review/policy.yaml without code.

mod common;
use common::{REVIEWED, Sandbox};

/// The codes of the findings on a reviewed page with `body`.
fn codes_for(body: &str) -> Vec<String> {
    codes_for_page(REVIEWED, body)
}

fn codes_for_page(frontmatter: &str, body: &str) -> Vec<String> {
    let s = Sandbox::site();
    s.page(
        "page",
        frontmatter,
        &format!("Cites [@onnx-spec] and [@blog].\n\n{body}"),
    );
    codes(&s)
}

fn codes(s: &Sandbox) -> Vec<String> {
    let run = s.folio(&["check", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{run:?}"));
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["code"].as_str().expect("code").to_string())
        .collect()
}

#[test]
fn each_default_rule_reports_its_exact_span() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] and [@blog].\n\n\
         Paged caches are 10x faster than contiguous ones.\n\
         It is production-ready and battle-tested.\n\
         Engine A outperforms all rivals.\n\
         Version 3 ships in March 2027.\n",
    );
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
    assert_eq!(
        spans(&s),
        [
            ("universal-multiplier", 12, 18, 28),
            ("unsourced-maturity", 13, 7, 23),
            ("unsourced-maturity", 13, 28, 41),
            ("broad-comparison", 14, 10, 25),
            ("future-date", 15, 17, 30),
        ]
        .map(|(code, line, column, end)| (code.to_string(), line, column, end))
    );
}

/// Each finding's code, line, column and end column.
fn spans(s: &Sandbox) -> Vec<(String, u64, u64, u64)> {
    let run = s.folio(&["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["path"] == "content/page.md")
        .map(|f| {
            let n = |key: &str| f[key].as_u64().expect("a number");
            (
                f["code"].as_str().expect("code").to_string(),
                n("line"),
                n("column"),
                n("end_column"),
            )
        })
        .collect()
}

#[test]
fn the_title_and_summary_are_read_too() {
    let s = Sandbox::site();
    let frontmatter = REVIEWED
        .replace("title: T", "title: \"Why engine A is the fastest\"")
        .replace(
            "summary: S",
            "summary: >-\n  A folded summary: it is\n  10x faster.",
        );
    s.page("page", &frontmatter, "Cites [@onnx-spec] and [@blog].\n");
    insta::assert_snapshot!(s.folio(&["check"]).transcript());
    // In the title where it is quoted; in the folded summary on the line
    // that holds the words.
    assert_eq!(
        spans(&s),
        [
            ("broad-comparison", 2, 25, 36),
            ("universal-multiplier", 5, 3, 13)
        ]
        .map(|(code, line, column, end)| (code.to_string(), line, column, end))
    );
    // A citation in the summary excuses what a citation excuses.
    let cited = REVIEWED.replace("summary: S", "summary: It is 10x faster [@onnx-spec].");
    assert!(codes_for_page(&cited, "").is_empty());
    // A draft's title is its own business.
    let draft = "title: The fastest engine\nstatus: draft\n";
    assert!(codes_for_page(draft, "").is_empty());
}

#[test]
fn multipliers_in_their_usual_spellings() {
    for claim in [
        "It is 10x faster.",
        "It gives 3× the throughput.",
        "It is 2.5 x cheaper.",
        "A tenfold gain, 4-fold less memory.",
    ] {
        assert_eq!(codes_for(claim), ["universal-multiplier"], "{claim}");
    }
    assert_eq!(codes_for("It runs on 4x A100 nodes."), Vec::<String>::new());
}

#[test]
fn a_citation_in_the_same_sentence_excuses_a_multiplier_and_a_maturity_label() {
    assert!(codes_for("On this workload it was 10x faster [@onnx-spec].").is_empty());
    assert!(
        codes_for("It is production-ready according to its maintainers [@onnx-spec].").is_empty()
    );
    // The next sentence's citation does not count.
    assert_eq!(
        codes_for("It is 10x faster. The spec is here [@onnx-spec]."),
        ["universal-multiplier"]
    );
    // Nor does one in another paragraph.
    assert_eq!(
        codes_for("It is 10x faster\n\n[@onnx-spec] says other things."),
        ["universal-multiplier"]
    );
}

#[test]
fn a_citation_does_not_excuse_a_future_date_or_a_broad_comparison() {
    assert_eq!(
        codes_for("It will ship by Q3 2027 [@onnx-spec]."),
        ["future-date"]
    );
    assert_eq!(
        codes_for("It is the fastest runtime [@onnx-spec]."),
        ["broad-comparison"]
    );
}

#[test]
fn future_dates_fire_only_after_today() {
    assert_eq!(codes_for("Released in 2025."), Vec::<String>::new());
    assert_eq!(codes_for("Released on 2026-11-20."), Vec::<String>::new());
    assert_eq!(codes_for("Due on 2026-12-01."), ["future-date"]);
    assert_eq!(codes_for("Expected by H2 2027."), ["future-date"]);
    // The same page a year later: the date has arrived.
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] and [@blog]. Expected in 2027.\n",
    );
    let run = s.folio_env(&["check"], &[("FOLIO_TODAY", "2027-01-02")]);
    assert_eq!(run.code, 0, "{run:?}");
}

#[test]
fn code_comments_and_link_targets_are_skipped() {
    let body = "Inline `10x faster` code.\n\n\
                ```text\nthe fastest runtime, production-ready\n```\n\n\
                ~~~\nby 2030\n~~~\n\n\
                <!-- 10x faster, in a comment -->\n\
                A [link](https://example.org/the-fastest-10x-faster) and <https://example.org/10x-faster>.\n\
                [ref]: https://example.org/production-ready\n";
    assert_eq!(codes_for(body), Vec::<String>::new());
    // The same words outside code are caught, so the skip is what passes.
    assert_eq!(
        codes_for("Plain 10x faster text."),
        ["universal-multiplier"]
    );
}

#[test]
fn rules_apply_to_reviewed_and_promoted_pages_only_by_default() {
    let draft = "title: T\nstatus: draft\n";
    let research = "title: T\nsummary: S\naudience: A\nstatus: research\nowner: mara\n";
    assert!(codes_for_page(draft, "It is 10x faster.").is_empty());
    assert!(codes_for_page(research, "It is 10x faster.").is_empty());
    assert_eq!(codes_for("It is 10x faster."), ["universal-multiplier"]);
}

#[test]
fn a_rule_added_in_the_policy_needs_no_code() {
    let s = Sandbox::site();
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: no-soon\n    pattern: '(?i)\\bcoming soon\\b'\n    message: a promise without a date\n    hint: say what exists today\n    states: [draft, research, reviewed, promoted]\n    excused_by_citation: false\n    severity: warning\n",
    );
    s.page(
        "page",
        "title: T\nstatus: draft\n",
        "Cites [@onnx-spec] [@blog]. Support is Coming Soon. It is 10x faster.\n",
    );
    let run = s.folio(&["check"]);
    // The listed rules replace the defaults, so the multiplier is not reported.
    insta::assert_snapshot!(run.transcript());
    assert_eq!(run.code, 0, "a warning does not fail: {run:?}");
    assert_eq!(codes(&s), ["no-soon"]);
}

#[test]
fn a_bad_rule_stops_the_command_with_its_position() {
    let s = Sandbox::site();
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: broken\n    pattern: '(unclosed'\n    message: m\n",
    );
    s.page("page", "title: T\nstatus: draft\n", "Body\n");
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!(run.transcript());
    assert!(
        run.stderr.starts_with(
            "folio: error: review/policy.yaml:4:5: rule `broken` has a pattern that is not a valid regular expression"
        ),
        "{run:?}"
    );
}

#[test]
fn a_rule_matching_into_masked_text_never_splits_a_character() {
    let s = Sandbox::site();
    // `\s` matches every byte the mask turned into a space, including the
    // second byte of an `é` inside fenced code.
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: space\n    pattern: '\\s'\n    message: m\n    states: [draft]\n    severity: warning\n",
    );
    s.page("page", "title: T\nstatus: draft\n", "```\né€\n```\n");
    let run = s.folio(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert!(
        doc["summary"]["warnings"].as_u64().unwrap_or(0) > 5,
        "{run:?}"
    );
}

#[test]
fn a_citation_excuses_the_claim_it_follows_not_one_after_it() {
    // The citation supports an earlier clause, so the multiplier stands unsupported.
    assert_eq!(
        codes_for("Serving uses ONNX [@onnx-spec] and will be 3x faster on every model.\n"),
        ["universal-multiplier"]
    );
    // The citation follows the claim in its sentence: excused.
    assert!(codes_for("Serving will be 3x faster on this model [@onnx-spec].\n").is_empty());
    // A citation in the next sentence excuses nothing.
    assert_eq!(
        codes_for("Serving will be 3x faster. The method is in [@onnx-spec].\n"),
        ["universal-multiplier"]
    );
}

#[test]
fn a_link_whose_text_starts_with_at_is_a_link_not_a_citation() {
    let found = codes_for(
        "Thanks to [@gov-uk-team](https://github.com/orgs/alphagov/teams/gov-uk) for the layout.\n",
    );
    assert!(found.is_empty(), "no unknown source: {found:?}");
}

#[test]
fn folio_rules_lists_each_rule_with_its_example_tried() {
    let s = Sandbox::site();
    let listed = s.folio(&["rules"]);
    assert_eq!(listed.code, 0, "{listed:?}");
    for line in [
        "universal-multiplier (error, on reviewed and promoted pages; a citation after it in the sentence excuses it)",
        "  example  Paged caches are 10x faster than contiguous ones. (flags \"10x faster\")",
        "broad-comparison (error, on reviewed and promoted pages; a citation does not excuse it)",
        "folio: 4 rules",
    ] {
        assert!(
            listed.stdout.lines().any(|l| l == line),
            "{line}\n{listed:?}"
        );
    }
    // A policy's own rule: one whose example it does not flag fails, so CI
    // can test a policy; one without an example says how to add one.
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: hype\n    pattern: '(?i)\\bgame[- ]changer\\b'\n    message: hype\n    states: [research, reviewed]\n    example: It is a total gamechanger.\n  - id: soon\n    pattern: '\\bsoon\\b'\n    message: vague timing\n",
    );
    let failing = s.folio(&["rules"]);
    assert_eq!(failing.code, 1, "{failing:?}");
    assert!(
        failing.stdout.contains(
            "  example  It is a total gamechanger. -- NOT flagged: fix the pattern or the example"
        ),
        "{failing:?}"
    );
    assert!(
        failing
            .stdout
            .contains("hype (error, on research and reviewed pages;"),
        "{failing:?}"
    );
    assert!(
        failing
            .stdout
            .contains("  example  none: add `example:` to the rule in review/policy.yaml"),
        "{failing:?}"
    );
    assert!(
        failing
            .stdout
            .ends_with("folio: 2 rules, 1 not flagging its example\n"),
        "{failing:?}"
    );
    let json = s.folio(&["rules", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc[0]["id"], "hype");
    assert_eq!(
        doc[0]["states"],
        serde_json::json!(["research", "reviewed"])
    );
    assert_eq!(doc[0]["flagged"], serde_json::Value::Null);
    assert_eq!(doc[1]["excused_by_citation"], true);
}

/// The rules' compiled form is kept in `.git/folio-rules/`; what the rules
/// report is the same whether the cache is empty, filled, damaged or
/// cannot be written, and whether the hook or `check` asks.
#[test]
fn the_compiled_rule_cache_never_changes_what_is_reported() {
    let s = Sandbox::site();
    s.page(
        "page",
        REVIEWED,
        "Cites [@onnx-spec] and [@blog].\n\nIt is production-ready and ships in March 2099.\n",
    );
    let cache = s.path(".git/folio-rules");
    let expected = s.folio(&["check", "--format", "json"]);
    assert_eq!(expected.code, 1, "{expected:?}");
    let entries = || {
        let mut names: Vec<String> = std::fs::read_dir(&cache)
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    assert_eq!(entries().len(), 4, "one entry per default rule");
    let same = |why: &str| {
        let run = s.folio(&["check", "--format", "json"]);
        assert_eq!(
            (run.code, &run.stdout),
            (1, &expected.stdout),
            "{why}: {run:?}"
        );
    };
    same("read from the cache");
    for name in entries() {
        std::fs::write(cache.join(&name), b"folio-rule-dfa1\nnot a DFA at all").unwrap();
    }
    same("damaged entries");
    assert!(
        entries()
            .iter()
            .all(|n| std::fs::metadata(cache.join(n)).unwrap().len() > 1000),
        "damaged entries are replaced"
    );
    std::fs::remove_dir_all(&cache).unwrap();
    std::fs::write(&cache, "a file where the folder would be").unwrap();
    same("a cache that cannot be made");
    std::fs::remove_file(&cache).unwrap();

    // The real hook refuses the same claims, with the cache made by it.
    assert_eq!(s.folio(&["hook", "install"]).code, 0);
    s.git(&["add", "-A"]);
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-m", "page"], &[]);
    assert_ne!(commit.code, 0, "{commit:?}");
    assert!(
        commit.stderr.contains("future-date") && commit.stderr.contains("unsourced-maturity"),
        "{commit:?}"
    );
    assert_eq!(entries().len(), 4);
}
