//! The editor's commands through the real binary: `new`, `move`, `log`,
//! `decline`, `status` and `history`, with the hook installed, and what
//! records make folio check.

mod common;
use common::{Run, Sandbox, ok};

/// A site with reviewers, a primary source, the hook, and git's user.name.
fn site() -> Sandbox {
    let s = Sandbox::site();
    s.git(&["config", "user.name", "Mara Editor"]);
    let run = s.folio(&["hook", "install"]);
    assert_eq!(run.code, 0, "{run:?}");
    s
}

impl Sandbox {
    /// Commits `draft()` as the page `id`, then moves it to research with
    /// `folio move` and commits that, the hook judging both commits.
    fn commit_as_research(&self, id: &str, added: &str, moved: &str) {
        self.write(&format!("content/{id}.md"), draft());
        assert_eq!(self.commit_all(added).code, 0);
        ok(self.folio(&["move", id, "research"]));
        assert_eq!(self.commit_all(moved).code, 0);
    }

    fn commit_all(&self, message: &str) -> Run {
        self.git(&["add", "-A"]);
        self.run_in(self.root(), "git", &["commit", "-q", "-m", message], &[])
    }

    /// Commits a fixture without the hook (a page that starts beyond draft).
    fn commit_fixture(&self) {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--no-verify", "-m", "fixture"]);
    }

    fn text(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).expect("utf-8")
    }

    fn records(&self, id: &str) -> Vec<String> {
        let dir = self.path(&format!("review/records/{id}"));
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map(|d| {
                d.filter_map(|e| e.ok())
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    }
}

/// `RESEARCH` as a draft.
fn draft() -> String {
    RESEARCH.replace("status: research", "status: draft")
}

/// A research page that meets what reviewed demands once it is signed.
const RESEARCH: &str = "---\ntitle: \"KV cache: paging\"   # the title\nsummary: 'How engines keep the cache.'\naudience: Engineers\nstatus: research # draft | research | reviewed | promoted\nowner: mara\nsources: [onnx-spec]\n---\nPaged caches reduce waste [@onnx-spec].\n";

#[test]
fn an_editor_takes_a_page_from_draft_to_promoted_and_history_tells_it_back() {
    let s = site();
    ok(s.folio(&["new", "guides/kv-cache", "--title", "KV cache: paging"]));
    let created = s.text("content/guides/kv-cache.md");
    assert!(
        created.starts_with("---\ntitle: \"KV cache: paging\"\n"),
        "{created}"
    );
    assert_eq!(s.commit_all("new page").code, 0);
    s.commit_as_research("guides/kv-cache", "write it", "to research");
    ok(s.folio(&[
        "move",
        "content/guides/kv-cache.md",
        "reviewed",
        "--reviewer",
        "ana",
    ]));
    let diff = s.git(&["diff", "HEAD", "-U0", "--", "content"]).stdout;
    insta::assert_snapshot!("move_to_reviewed_diff", diff);
    let changed = |sign: char| {
        diff.lines()
            .filter(|l| l.starts_with(sign) && !l.starts_with(&sign.to_string().repeat(3)))
            .count()
    };
    assert_eq!(
        (changed('-'), changed('+')),
        (1, 3),
        "status changes and two keys are added, nothing else: {diff}"
    );
    assert_eq!(s.commit_all("to reviewed").code, 0);
    ok(s.folio(&["move", "guides/kv-cache", "promoted"]));
    assert_eq!(s.commit_all("to promoted").code, 0);
    assert_eq!(s.records("guides/kv-cache").len(), 3);
    let history = ok(s.folio(&["history", "guides/kv-cache"]));
    let lines: Vec<&str> = history
        .stdout
        .lines()
        .map(|l| l.get(21..).unwrap_or("").trim_end())
        .collect();
    assert_eq!(
        lines,
        [
            "Test Author created as draft      new page",
            "Test Author draft -> research     to research",
            "Test Author research -> reviewed  to reviewed",
            "Test Author reviewed -> promoted  to promoted",
        ],
        "{history:?}"
    );
    let status = ok(s.folio(&["status"]));
    assert!(
        status.stdout.starts_with("promoted (1)\n  guides/kv-cache"),
        "{status:?}"
    );
    let json = ok(s.folio(&["status", "--format", "json"]));
    let board: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(board["pages"][0]["state"], "promoted");
    assert_eq!(
        board["pages"][0]["maintenance"].as_array().map(Vec::len),
        Some(3)
    );
    let check = ok(s.folio(&["check"]));
    assert!(
        check
            .stdout
            .ends_with("folio: checked 1 page: 0 errors, 1 warning\n"),
        "only the unused `blog` source: {check:?}"
    );
}

#[test]
fn move_changes_only_the_lines_it_owns_in_every_style() {
    let cases = [
        ("comments_and_quotes", RESEARCH.to_string()),
        ("crlf_and_bom", format!("\u{feff}{}", RESEARCH.replace('\n', "\r\n"))),
        (
            "flow_folded_anchor_block_list",
            "---\ntitle: >-\n  KV cache:\n  paging\nsummary: &s 'How engines keep the cache.'\naudience: Engineers\nstatus: \"research\"\nowner: mara\nsources:\n  - onnx-spec\nreviewers:\n  - jon\nlast_reviewed: 2026-01-02   # old\nnotes: {a: [1, 2], b: \"x\"}\n---\nPaged caches reduce waste [@onnx-spec].\n".to_string(),
        ),
    ];
    for (name, page) in cases {
        let s = site();
        s.write("content/p.md", &page);
        s.commit_fixture();
        ok(s.folio(&["move", "p", "reviewed", "--reviewer", "ana"]));
        let after = s.text("content/p.md");
        insta::assert_snapshot!(format!("move_{name}"), after);
        if page.contains("\r\n") {
            assert!(
                after.contains("last_reviewed: 2026-11-27\r\nreviewers: [ana]\r\n---\r\n"),
                "{after:?}"
            );
            assert!(after.starts_with('\u{feff}'), "the BOM stays");
        }
        // Every line that is not status, last_reviewed or reviewers is byte-identical.
        let owned = |l: &&str| {
            [
                "status:",
                "last_reviewed:",
                "reviewers:",
                "  - jon",
                "  - ana",
            ]
            .iter()
            .any(|k| l.trim_start_matches('\u{feff}').starts_with(k))
        };
        let before_lines: Vec<&str> = page.split_inclusive('\n').filter(|l| !owned(l)).collect();
        let after_lines: Vec<&str> = after.split_inclusive('\n').filter(|l| !owned(l)).collect();
        assert_eq!(before_lines, after_lines, "{name}");
    }
}

#[test]
fn a_refused_move_changes_nothing_and_says_what_is_missing() {
    let s = site();
    let page = RESEARCH.replace("summary: 'How engines keep the cache.'\n", "");
    s.write("content/p.md", &page);
    std::fs::set_permissions(
        s.path("content/p.md"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .expect("chmod");
    s.commit_fixture();
    let refused = s.folio(&["move", "p", "reviewed", "--reviewer", "ana"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    insta::assert_snapshot!(refused.transcript());
    assert!(
        refused
            .stdout
            .contains("error[missing-field]: a reviewed page needs `summary`")
            && refused.stdout.ends_with(
                "folio: content/p.md stays research: the move to reviewed is refused and nothing was written\n"
            ),
        "{refused:?}"
    );
    assert_eq!(s.text("content/p.md"), page);
    assert!(s.records("p").is_empty());
    // Skipping a state is refused too; a backward move needs a reason.
    assert_eq!(s.folio(&["move", "p", "promoted"]).code, 1);
    let no_note = s.folio(&["move", "p", "draft"]);
    assert_eq!(no_note.code, 2, "{no_note:?}");
    assert!(no_note.stderr.contains("--note"), "{no_note:?}");
    // A move that goes through keeps the file's permissions.
    ok(s.folio(&["move", "p", "draft", "--note", "not ready"]));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(s.path("content/p.md"))
            .expect("page")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    assert_eq!(
        s.commit_all("back to draft").code,
        0,
        "the move's record satisfies the hook"
    );
}

#[test]
fn a_fresh_page_moved_too_early_is_pointed_at_its_empty_keys() {
    let s = site();
    ok(s.folio(&["new", "guides/x", "--title", "X"]));
    let before = s.read("content/guides/x.md");
    let refused = s.folio(&["move", "guides/x", "research"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    insta::assert_snapshot!(refused.transcript());
    // The template leaves `summary:` on line 3 and `audience:` on line 4.
    for (key, line) in [("summary", 3), ("audience", 4)] {
        assert!(
            refused
                .stdout
                .contains(&format!("needs `{key}`\n --> content/guides/x.md:{line}:1"))
                && refused.stdout.contains(&format!("fill it in: `{key}: ")),
            "{key}: {refused:?}"
        );
    }
    assert_eq!(s.read("content/guides/x.md"), before);
}

#[test]
fn new_refuses_an_existing_or_malformed_id() {
    let s = site();
    ok(s.folio(&["new", "a", "--title", "A"]));
    let again = s.folio(&["new", "a", "--title", "A again"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(
        again.stderr.contains("content/a.md already exists"),
        "{again:?}"
    );
    let bad = s.folio(&["new", "Guides/KV Cache", "--title", "x"]);
    assert_eq!(bad.code, 2, "{bad:?}");
    // A title that YAML would misread stays a string.
    ok(s.folio(&["new", "b", "--title", "yes: no # not a comment"]));
    assert!(
        s.text("content/b.md")
            .contains("title: \"yes: no # not a comment\"\n")
    );
    assert_eq!(s.commit_all("two drafts").code, 0);
}

#[test]
fn blank_text_is_refused_and_nothing_is_written() {
    let s = site();
    ok(s.folio(&["new", "a", "--title", "A"]));
    let before = s.read("content/a.md");
    for args in [
        &["new", "b", "--title", "  "][..],
        &["log", "a", "--change", "editorial", ""],
        &["decline", "a", "--claim", " ", "--reason", "other"],
        &[
            "decline",
            "a",
            "--claim",
            "C",
            "--reason",
            "other",
            "--rewrite",
            "",
        ],
        &["move", "a", "research", "--by", ""],
    ] {
        let run = s.folio(args);
        assert_eq!(run.code, 2, "{args:?}: {run:?}");
        assert!(
            run.stderr.contains("it may not be empty"),
            "{args:?}: {run:?}"
        );
    }
    assert!(!s.path("content/b.md").exists());
    assert!(s.records("a").is_empty());
    assert_eq!(s.read("content/a.md"), before);
}

#[test]
fn an_edit_of_a_published_page_needs_a_record_and_check_catches_what_slipped_through() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("draft").code, 0);
    ok(s.folio(&["move", "p", "research"]));
    assert_eq!(s.commit_all("research").code, 0);
    ok(s.folio(&["move", "p", "reviewed", "--reviewer", "ana"]));
    assert_eq!(s.commit_all("reviewed").code, 0);
    let body = s
        .text("content/p.md")
        .replace("reduce waste", "reduce memory waste");
    s.write("content/p.md", &body);
    let refused = s.commit_all("edit");
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(refused.stderr.contains("error[unrecorded-change]: the body of this reviewed page changed without a maintenance record"), "{refused:?}");
    // Slipped past the hook: the whole-site check still sees it.
    assert_eq!(
        s.run_in(
            s.root(),
            "git",
            &["commit", "-q", "--no-verify", "-m", "edit"],
            &[]
        )
        .code,
        0
    );
    let check = s.folio(&["check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check
            .stdout
            .contains("error[unrecorded-edit]: the body has changed since its latest record"),
        "{check:?}"
    );
    // Recording it makes both clean.
    ok(s.folio(&[
        "log",
        "p",
        "--change",
        "editorial",
        "Said which waste",
        "--source",
        "onnx-spec",
    ]));
    assert_eq!(s.folio(&["check"]).code, 0);
    assert_eq!(s.commit_all("record the edit").code, 0);
    let unknown = s.folio(&["log", "p", "--change", "editorial", "x", "--source", "nope"]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
}

#[test]
fn the_ledger_catches_a_declined_claim_however_it_is_wrapped() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("draft").code, 0);
    let declined = ok(s.folio(&[
        "decline",
        "p",
        "--claim",
        "Paged caches are ten times faster than contiguous ones.",
        "--reason",
        "universal-multiplier",
        "--rewrite",
        "Under which workloads does paging reduce waste?",
    ]));
    assert!(
        declined.stdout.starts_with("recorded review/records/p/"),
        "{declined:?}"
    );
    s.write(
        "content/p.md",
        draft()
            + "\nPAGED caches are ten\ntimes faster -- than contiguous ones!\n\nQuoted in code it is fine: `paged caches are ten times faster than contiguous ones`.\n",
    );
    let check = s.folio(&["check"]);
    assert_eq!(check.code, 1, "{check:?}");
    insta::assert_snapshot!(check.stdout);
    // Once, where the prose wraps it, and not where code quotes it; the
    // hint names the decision.
    let record = &s.records("p")[0];
    assert_eq!(check.stdout.matches("error[declined-claim]").count(), 1);
    assert!(check.stdout.contains("--> content/p.md:11:1"), "{check:?}");
    assert!(
        check.stdout.contains(&format!(
            "the decision (review/records/p/{record}) rewrote it as"
        )),
        "{check:?}"
    );
    let bad_reason = s.folio(&[
        "decline",
        "p",
        "--claim",
        "x",
        "--reason",
        "universal-multiplyer",
    ]);
    assert!(
        bad_reason
            .stderr
            .contains("did you mean `universal-multiplier`?"),
        "{bad_reason:?}"
    );
}

#[test]
fn records_from_two_branches_merge_without_conflict() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("draft").code, 0);
    s.git(&["checkout", "-q", "-b", "one"]);
    // The same record, made on each branch the same day, with its name
    // from the clock as an editor's folio names it.
    let log = [
        "log",
        "p",
        "--change",
        "source-recheck",
        "Rechecked the spec",
        "--source",
        "onnx-spec",
    ];
    ok(s.folio_with_clock(&log));
    assert_eq!(s.commit_all("one").code, 0);
    s.git(&["checkout", "-q", "main"]);
    ok(s.folio_with_clock(&log));
    assert_eq!(s.commit_all("two").code, 0);
    let merge = s.run_in(s.root(), "git", &["merge", "-q", "--no-edit", "one"], &[]);
    assert_eq!(merge.code, 0, "{merge:?}");
    assert_eq!(s.records("p").len(), 2);
}

#[test]
fn records_read_back_the_same_in_a_yaml_1_1_reader() {
    let s = site();
    s.write("content/p.md", draft());
    ok(s.folio(&[
        "decline",
        "p",
        "--claim",
        "yes",
        "--reason",
        "other",
        "--rewrite",
        "1.10",
        "--by",
        "no",
    ]));
    ok(s.folio(&["log", "p", "--change", "editorial", "12:30", "--by", "on"]));
    let script = "import sys, yaml, json\nfor f in sys.argv[1:]:\n    print(json.dumps(yaml.safe_load(open(f)), sort_keys=True))\n";
    let files: Vec<String> = s
        .records("p")
        .iter()
        .map(|n| format!("review/records/p/{n}"))
        .collect();
    let mut args = vec!["-c", script];
    args.extend(files.iter().map(String::as_str));
    let read = s.run_in(s.root(), "python3", &args, &[]);
    assert_eq!(
        read.code, 0,
        "PyYAML (installed by .ci/run) must read the records: {read:?}"
    );
    for value in [
        "\"by\": \"no\"",
        "\"claim\": \"yes\"",
        "\"rewrite\": \"1.10\"",
        "\"by\": \"on\"",
        "\"summary\": \"12:30\"",
        "\"date\": \"2026-11-27\"",
    ] {
        assert!(read.stdout.contains(value), "{value} in {read:?}");
    }
}

#[test]
fn orphan_records_are_a_warning_whose_hint_clears_it() {
    let s = site();
    s.write("content/p.md", draft());
    ok(s.folio(&["log", "p", "--change", "editorial", "First words"]));
    s.git(&["add", "-A"]);
    s.git(&["mv", "content/p.md", "content/q.md"]);
    let check = s.folio(&["check"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert!(
        check.stdout.contains(
            "warning[orphan-record]: this record is in the folder of `p`, which is not a page"
        ),
        "{check:?}"
    );
    assert!(
        check
            .stdout
            .contains("`git mv review/records/p review/records/NEW-ID` (with the page's new id)"),
        "{check:?}"
    );
    // Doing what the hint says clears it: the folder says whose records
    // they are, whatever page they named when they were made.
    s.git(&["mv", "review/records/p", "review/records/q"]);
    let check = ok(s.folio(&["check"]));
    assert!(!check.stdout.contains("orphan-record"), "{check:?}");
    let status = ok(s.folio(&["status", "--format", "json"])).stdout;
    let board: serde_json::Value = serde_json::from_str(&status).unwrap();
    let q = board["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "q")
        .expect("q on the board");
    assert_eq!(q["maintenance"].as_array().map(Vec::len), Some(1), "{q}");
}

#[test]
fn history_follows_a_renamed_page_and_ignores_records() {
    let s = site();
    s.commit_as_research("old", "add old", "research");
    s.git(&["mv", "content/old.md", "content/new.md"]);
    s.git(&["mv", "review/records/old", "review/records/new"]);
    assert_eq!(s.commit_all("rename").code, 0);
    ok(s.folio(&["move", "new", "draft", "--note", "rewriting it"]));
    assert_eq!(s.commit_all("back to draft").code, 0);
    // Editing a record cannot change the story git tells.
    let record = s.records("new")[0].clone();
    let path = format!("review/records/new/{record}");
    s.write(&path, s.text(&path).replace("\"research\"", "\"promoted\""));
    let history = ok(s.folio(&["history", "content/new.md", "--format", "json"]));
    let events: serde_json::Value = serde_json::from_str(&history.stdout).expect("json");
    let moves: Vec<(String, String, String)> = events
        .as_array()
        .expect("events")
        .iter()
        .map(|e| {
            (
                e["from"].as_str().unwrap_or("-").to_string(),
                e["to"].as_str().unwrap_or("-").to_string(),
                e["path"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            (
                "-".to_string(),
                "draft".to_string(),
                "content/old.md".to_string()
            ),
            (
                "draft".to_string(),
                "research".to_string(),
                "content/old.md".to_string()
            ),
            (
                "research".to_string(),
                "draft".to_string(),
                "content/new.md".to_string()
            ),
        ],
        "{history:?}"
    );
    // A commit-graph with changed-path filters (as `git gc` or `git
    // maintenance` leave one) tells the same story.
    s.git(&["commit-graph", "write", "--reachable", "--changed-paths"]);
    assert!(s.root().join(".git/objects/info/commit-graph").exists());
    let with_graph = ok(s.folio(&["history", "content/new.md", "--format", "json"]));
    assert_eq!(with_graph.stdout, history.stdout);
    // The old name is no page now: an error, not an empty story.
    let old = s.folio(&["history", "old"]);
    assert_eq!(old.code, 2, "{old:?}");
    assert!(
        old.stderr
            .contains("content/old.md is neither in the working tree nor in HEAD"),
        "{old:?}"
    );
}

#[test]
fn history_in_a_shallow_clone_says_what_is_missing() {
    let s = site();
    s.commit_as_research("p", "add p", "research");
    let run = s.shallow_clone().folio(&["history", "content/p.md"]);
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!(run.stderr);
    let head = s.git(&["rev-parse", "--short=7", "HEAD"]).stdout;
    assert!(
        run.stderr.contains(&format!(
            "the history of content/p.md before commit {} is not in this clone",
            head.trim()
        )) && run.stderr.contains("git fetch --unshallow"),
        "{run:?}"
    );
}

#[test]
fn a_page_is_named_the_way_a_shell_names_it() {
    let s = site();
    s.commit_as_research("intro", "add intro", "intro to research");
    s.write("content/guides/kv-cache.md", draft());
    assert_eq!(s.commit_all("add kv-cache").code, 0);
    let guides = s.path("content/guides");
    let folio = |args: &[&str]| s.run_in(&guides, env!("CARGO_BIN_EXE_folio"), args, &[]);
    // From a subfolder, a path relative to it: `..` and `./` included.
    let history = ok(folio(&["history", "../intro.md"]));
    assert!(history.stdout.contains("draft -> research"), "{history:?}");
    ok(folio(&["move", "./kv-cache.md", "research"]));
    assert!(
        s.text("content/guides/kv-cache.md")
            .contains("status: research")
    );
    // `new` takes the path the page is to have, from anywhere.
    ok(folio(&["new", "paging.md", "--title", "Paging"]));
    assert!(s.path("content/guides/paging.md").exists());
    ok(s.folio(&["new", "content/guides/batching.md", "--title", "Batching"]));
    assert!(s.path("content/guides/batching.md").exists());
    // A bad id's hint suggests a name made from it, not a fixed example.
    let bad = s.folio(&["new", "Guides/KV Cache", "--title", "x"]);
    assert!(bad.stderr.contains("such as `guides/kv-cache`"), "{bad:?}");
    // A name that is no page is an error, never an empty answer.
    for args in [
        &["history", "../nope.md"][..],
        &["history", "../../README.md"][..],
        &["move", "nope.md", "research"][..],
        &[
            "log",
            "../../../../outside.md",
            "--change",
            "editorial",
            "x",
        ][..],
    ] {
        let run = folio(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("there is no page"), "{run:?}");
    }
}

#[test]
fn what_folio_writes_is_committed_by_the_editor_s_next_commit() {
    let s = site();
    s.write("content/guides/kv-cache.md", draft());
    assert_eq!(s.commit_all("a draft").code, 0);
    let commit_am =
        |message: &str| s.run_in(s.root(), "git", &["commit", "-q", "-am", message], &[]);
    let committed = |path: &str| !s.git(&["ls-files", "--", path]).stdout.trim().is_empty();
    // A move stages its record and the page it edited, and says what next.
    let moved = ok(s.folio(&["move", "guides/kv-cache", "research"]));
    let record = format!(
        "review/records/guides/kv-cache/{}",
        s.records("guides/kv-cache")[0]
    );
    assert!(
        moved
            .stdout
            .contains(&format!("staged {record} content/guides/kv-cache.md\n")),
        "{moved:?}"
    );
    assert!(
        moved
            .stdout
            .ends_with("next: git commit -m \"Move guides/kv-cache to research\"\n"),
        "{moved:?}"
    );
    assert_eq!(commit_am("to research").code, 0);
    assert!(
        committed(&record),
        "the record went in with `git commit -am`"
    );
    // Back to draft: the record that says why goes in too.
    ok(s.folio(&["move", "guides/kv-cache", "draft", "--note", "not ready"]));
    let back = commit_am("back to draft");
    assert_eq!(back.code, 0, "{back:?}");
    // A page with a change of the editor's own is written, not staged.
    s.write("content/guides/kv-cache.md", draft() + "\nMore text.\n");
    let moved = ok(s.folio(&["move", "guides/kv-cache", "research"]));
    assert!(
        moved.stdout.contains(
            "not staged: content/guides/kv-cache.md, since it had other changes that are not staged; stage it yourself with `git add content/guides/kv-cache.md`"
        ),
        "{moved:?}"
    );
    assert!(
        moved
            .stdout
            .contains("next: git add content/guides/kv-cache.md, then git commit"),
        "{moved:?}"
    );
    assert_eq!(commit_am("research, with more text").code, 0);
    // `log` and `decline` stage their records.
    let logged = ok(s.folio(&["log", "guides/kv-cache", "--change", "editorial", "Wording"]));
    assert!(
        logged
            .stdout
            .contains("staged review/records/guides/kv-cache/"),
        "{logged:?}"
    );
    assert!(
        logged
            .stdout
            .ends_with("next: commit it with the change it records: git commit -a\n"),
        "{logged:?}"
    );
    // The same state again is a no-op, said plainly, exit 0.
    let same = ok(s.folio(&["move", "guides/kv-cache", "research"]));
    assert_eq!(
        same.stdout,
        "content/guides/kv-cache.md is already research: nothing was written\nnext: nothing to do\n"
    );
}

#[test]
fn the_hook_names_a_record_that_is_written_but_not_staged() {
    let s = site();
    s.write("content/p.md", RESEARCH);
    s.commit_fixture();
    ok(s.folio(&["move", "p", "reviewed", "--reviewer", "ana"]));
    assert_eq!(s.commit_all("reviewed").code, 0);
    // An edit of the reviewed page, its record written, then unstaged.
    s.write(
        "content/p.md",
        s.text("content/p.md") + "\nAn edit [@onnx-spec].\n",
    );
    let logged = ok(s.folio(&["log", "p", "--change", "editorial", "An edit"]));
    let record = logged
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("recorded "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("log names its record")
        .to_string();
    s.git(&["reset", "-q", "--", &record]);
    let refused = s.run_in(s.root(), "git", &["commit", "-q", "-am", "edit"], &[]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(
        refused.stderr.contains(&format!(
            "a record for it is in the working tree but not staged: `git add {record}`"
        )),
        "{refused:?}"
    );
    s.git(&["add", &record]);
    let accepted = s.run_in(s.root(), "git", &["commit", "-q", "-am", "edit"], &[]);
    assert_eq!(
        accepted.code, 0,
        "doing what the hint said clears it: {accepted:?}"
    );
}

#[test]
fn a_dry_run_shows_the_diff_it_would_write_and_writes_nothing() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("a draft").code, 0);
    let status = |s: &Sandbox| {
        s.git(&["status", "--porcelain", "--untracked-files=all"])
            .stdout
    };
    let before = status(&s);
    let runs = [
        (
            vec!["new", "guides/x", "--title", "X"],
            vec![
                "--- /dev/null",
                "+++ b/content/guides/x.md",
                "+title: X",
                "+status: draft",
            ],
        ),
        (
            vec!["move", "p", "research"],
            vec![
                "--- a/content/p.md",
                "-status: draft # draft | research | reviewed | promoted",
                "+status: research # draft | research | reviewed | promoted",
                "+++ b/review/records/p/2026-11-27-maintenance-",
                "+to: \"research\"",
            ],
        ),
        (
            vec!["log", "p", "--change", "editorial", "Wording"],
            vec!["+summary: \"Wording\""],
        ),
        (
            vec![
                "decline",
                "p",
                "--claim",
                "It is 10x faster.",
                "--reason",
                "universal-multiplier",
            ],
            vec!["+claim: \"It is 10x faster.\""],
        ),
    ];
    for (args, lines) in runs {
        let mut args = args;
        args.push("--dry-run");
        let run = ok(s.folio(&args));
        for line in lines {
            assert!(
                run.stdout.lines().any(|l| l.starts_with(line)),
                "{line}: {run:?}"
            );
        }
        assert!(
            run.stdout.ends_with(
                "dry run: nothing was written\nnext: run it again without --dry-run to write it\n"
            ),
            "{run:?}"
        );
        assert_eq!(status(&s), before, "{args:?} wrote nothing");
    }
    // What the dry run showed is what the move then writes.
    let shown = ok(s.folio(&["move", "p", "research", "--dry-run"])).stdout;
    ok(s.folio(&["move", "p", "research"]));
    let written = s
        .git(&["diff", "--cached", "-U3", "--", "content/p.md"])
        .stdout;
    let hunk = |diff: &str| {
        diff.lines()
            .skip_while(|l| *l != "+++ b/content/p.md")
            .skip(1)
            .take_while(|l| !l.starts_with("---") && !l.starts_with("dry run"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert!(!hunk(&shown).is_empty(), "{shown}");
    assert_eq!(hunk(&shown), hunk(&written));
    // A refused move is refused the same way in a dry run.
    let refused = s.folio(&["move", "p", "promoted", "--dry-run"]);
    assert_eq!(refused.code, 1, "{refused:?}");
}

#[test]
fn a_writing_command_waits_then_changes_nothing_while_another_holds_the_lock() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("a draft").code, 0);
    let lock = s.path(".git/folio.lock");
    std::fs::write(&lock, "").unwrap();
    let held = s.folio(&["move", "p", "research"]);
    assert_eq!(held.code, 2, "{held:?}");
    assert!(
        held.stderr
            .contains("another folio command is writing in this repository"),
        "{held:?}"
    );
    assert!(
        held.stderr
            .contains("if no folio command is running, remove"),
        "{held:?}"
    );
    assert_eq!(s.text("content/p.md"), draft());
    assert!(s.records("p").is_empty());
    // The lock is someone else's: a command that gave up leaves it.
    assert!(lock.exists());
    std::fs::remove_file(&lock).unwrap();
    ok(s.folio(&["move", "p", "research"]));
    assert!(!lock.exists(), "the lock goes with the command");
}

#[test]
fn moves_racing_on_one_page_move_it_once() {
    let s = site();
    s.write("content/p.md", draft());
    assert_eq!(s.commit_all("a draft").code, 0);
    for round in 0..4 {
        let racers: Vec<_> = (0..4)
            .map(|_| {
                let mut cmd = common::sealed(env!("CARGO_BIN_EXE_folio"), s.root());
                cmd.env_remove("FOLIO_RECORD_SEED");
                cmd.current_dir(s.root()).args(["move", "p", "research"]);
                cmd.stdout(std::process::Stdio::piped())
                    .stderr(std::process::Stdio::piped());
                cmd.spawn().unwrap()
            })
            .collect();
        let outs: Vec<_> = racers
            .into_iter()
            .map(|c| c.wait_with_output().unwrap())
            .collect();
        let moved = outs
            .iter()
            .filter(|o| String::from_utf8_lossy(&o.stdout).starts_with("moved "))
            .count();
        assert_eq!(moved, 1, "round {round}: exactly one racer moves the page");
        for o in &outs {
            let text = String::from_utf8_lossy(&o.stdout).to_string()
                + &String::from_utf8_lossy(&o.stderr);
            assert!(
                text.starts_with("moved ")
                    || text.contains("is already research")
                    || text.contains("another folio command is writing")
                    || text.contains("changed while folio was working"),
                "{text}"
            );
        }
        assert_eq!(s.records("p").len(), 2 * round + 1, "one record per move");
        ok(s.folio(&["move", "p", "draft", "--note", "again"]));
    }
}

#[test]
fn records_keep_the_order_they_were_made_in_through_a_merge() {
    let s = site();
    s.write("content/p.md", RESEARCH);
    s.commit_fixture();
    let made = ["first", "second", "third", "fourth", "fifth"];
    for summary in made {
        ok(s.folio(&["log", "p", "--change", "editorial", summary]));
    }
    assert_eq!(s.commit_all("five records made one day").code, 0);
    let order = |s: &Sandbox| -> Vec<String> {
        let status = ok(s.folio(&["status", "--format", "json"])).stdout;
        let board: serde_json::Value = serde_json::from_str(&status).unwrap();
        board["pages"][0]["maintenance"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["summary"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(order(&s), made);
    // The file names alone would not give that order.
    let by_name: Vec<String> = s
        .records("p")
        .iter()
        .map(|name| {
            let text = s.text(&format!("review/records/p/{name}"));
            let line = text.lines().find(|l| l.starts_with("summary: ")).unwrap();
            line.trim_start_matches("summary: ")
                .trim_matches('"')
                .to_string()
        })
        .collect();
    assert_ne!(
        by_name, made,
        "names sort another way, so the test can fail"
    );
    // A record made on a branch, then one made later on main: after the
    // merge they come in the order they were made, whichever is merged.
    s.git(&["checkout", "-q", "-b", "one"]);
    ok(s.folio_with_clock(&["log", "p", "--change", "editorial", "on the branch"]));
    assert_eq!(s.commit_all("branch").code, 0);
    s.git(&["checkout", "-q", "main"]);
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ok(s.folio_with_clock(&["log", "p", "--change", "editorial", "on main, later"]));
    assert_eq!(s.commit_all("main").code, 0);
    let merge = s.run_in(s.root(), "git", &["merge", "-q", "--no-edit", "one"], &[]);
    assert_eq!(merge.code, 0, "{merge:?}");
    let mut expected: Vec<&str> = made.to_vec();
    expected.extend(["on the branch", "on main, later"]);
    assert_eq!(order(&s), expected);
    // The latest record is the one an unrecorded edit is measured from.
    s.write(
        "content/p.md",
        RESEARCH.replace("research", "reviewed").replace(
            "owner: mara\n",
            "owner: mara\nreviewers: [ana]\nlast_reviewed: 2026-11-20\n",
        ) + "More.\n",
    );
    s.commit_fixture();
    let check = s.folio(&["check"]);
    let latest = s
        .records("p")
        .into_iter()
        .find(|name| {
            s.text(&format!("review/records/p/{name}"))
                .contains("on main, later")
        })
        .unwrap();
    assert!(
        check.stdout.contains(&format!(
            "since its latest record (review/records/p/{latest}"
        )),
        "{check:?}"
    );
}

#[test]
fn hugo_and_gov_uk_layouts_are_pages_with_ids() {
    let s = site();
    s.write("content/guides/_index.md", draft());
    s.write("content/guides/kv-cache.html.md", draft());
    assert_eq!(s.commit_all("two layouts").code, 0);
    let check = ok(s.folio(&["check"]));
    assert!(!check.stdout.contains("bad-page-id"), "{check:?}");
    ok(s.folio(&["move", "guides/_index", "research"]));
    ok(s.folio(&["move", "content/guides/kv-cache.html.md", "research"]));
    assert_eq!(s.git(&["commit", "-q", "-am", "both to research"]).code, 0);
    ok(s.folio(&["new", "guides/paging.html", "--title", "Paging"]));
    assert!(s.path("content/guides/paging.html.md").exists());
}

#[test]
fn a_page_is_renamed_with_its_records_and_the_links_to_it() {
    let s = site();
    let promoted =
        |body: &str| format!("---\n{}sources: [onnx-spec]\n---\n{body}", common::PROMOTED);
    s.write(
        "content/guides/kv-cache.md",
        promoted(
            "Paged caches [@onnx-spec]. See [the intro](../intro.md) and ![a figure](img/a.png).\n",
        ),
    );
    s.write(
        "content/intro.md",
        promoted("Read [paging](guides/kv-cache.md#paging) first [@onnx-spec].\n"),
    );
    s.write(
        "content/guides/index.md",
        draft() + "\nSee [the cache](kv-cache.md) and [it again](/guides/kv-cache.md).\n",
    );
    s.commit_fixture();
    ok(s.folio(&[
        "log",
        "guides/kv-cache",
        "--change",
        "source-recheck",
        "Rechecked",
    ]));
    assert_eq!(s.git(&["commit", "-q", "-am", "recheck"]).code, 0);
    // A dry run shows the whole rename and writes nothing.
    let preview = ok(s.folio(&["rename", "guides/kv-cache", "runtime/kv-cache", "--dry-run"]));
    for line in [
        "rename from content/guides/kv-cache.md",
        "rename to content/runtime/kv-cache.md",
        "-Read [paging](guides/kv-cache.md#paging) first [@onnx-spec].",
        "+Read [paging](runtime/kv-cache.md#paging) first [@onnx-spec].",
        "+See [the cache](../runtime/kv-cache.md) and [it again](/runtime/kv-cache.md).",
        "+Paged caches [@onnx-spec]. See [the intro](../intro.md) and ![a figure](../guides/img/a.png).",
        "rename to review/records/runtime/kv-cache/",
    ] {
        assert!(
            preview.stdout.lines().any(|l| l.starts_with(line)),
            "{line}\n{preview:?}"
        );
    }
    assert!(
        s.git(&["status", "--porcelain"]).stdout.is_empty(),
        "a dry run writes nothing"
    );
    // The rename itself, then the editor's next commit, judged by the hook.
    let renamed = ok(s.folio(&["rename", "guides/kv-cache", "runtime/kv-cache"]));
    assert!(renamed.stdout.starts_with("renamed content/guides/kv-cache.md -> content/runtime/kv-cache.md\nmoved its 1 record with it\nrewrote the links to it in content/guides/index.md, content/intro.md\n"), "{renamed:?}");
    assert!(
        renamed
            .stdout
            .ends_with("next: git commit -m \"Rename guides/kv-cache to runtime/kv-cache\"\n"),
        "{renamed:?}"
    );
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-am", "rename"], &[]);
    assert_eq!(commit.code, 0, "{commit:?}");
    assert!(
        s.git(&["status", "--porcelain"]).stdout.is_empty(),
        "everything was committed"
    );
    // Nothing to clear afterwards: no orphan, no broken link, no unrecorded edit.
    let check = ok(s.folio(&["check"]));
    for code in ["orphan-record", "broken-link", "unrecorded-edit"] {
        assert!(!check.stdout.contains(code), "{code}: {check:?}");
    }
    // The page keeps its records (and gains one saying it was renamed),
    // and its history follows it across the rename.
    let status = ok(s.folio(&["status", "--format", "json"])).stdout;
    let board: serde_json::Value = serde_json::from_str(&status).unwrap();
    let page = board["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "runtime/kv-cache")
        .unwrap();
    let summaries: Vec<&str> = page["maintenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries,
        [
            "Rechecked",
            "renamed from `guides/kv-cache` to `runtime/kv-cache`"
        ]
    );
    let history = ok(s.folio(&["history", "runtime/kv-cache"]));
    assert!(history.stdout.contains("promoted"), "{history:?}");
    // Renaming to the name it has is a no-op; to a taken name, an error.
    let same = ok(s.folio(&["rename", "runtime/kv-cache", "content/runtime/kv-cache.md"]));
    assert_eq!(
        same.stdout,
        "content/runtime/kv-cache.md is already named `runtime/kv-cache`: nothing was written\nnext: nothing to do\n"
    );
    let taken = s.folio(&["rename", "runtime/kv-cache", "intro"]);
    assert_eq!(taken.code, 2, "{taken:?}");
    assert!(
        taken.stderr.contains("content/intro.md already exists"),
        "{taken:?}"
    );
}

#[test]
fn a_page_renamed_by_hand_is_told_where_its_records_are() {
    let s = site();
    s.write("content/p.md", RESEARCH);
    s.commit_fixture();
    ok(s.folio(&["log", "p", "--change", "editorial", "Words"]));
    assert_eq!(s.git(&["commit", "-q", "-am", "words"]).code, 0);
    s.git(&["mv", "content/p.md", "content/q.md"]);
    let commit = s.run_in(
        s.root(),
        "git",
        &["commit", "-q", "-m", "rename by hand"],
        &[],
    );
    assert_eq!(
        commit.code, 0,
        "a warning does not stop the commit: {commit:?}"
    );
    assert!(
        commit.stderr.contains("content/q.md was renamed from `p` to `q`, but its records (1) stayed in review/records/p"),
        "{commit:?}"
    );
    assert!(
        commit
            .stderr
            .contains("`git mv review/records/p review/records/q`"),
        "{commit:?}"
    );
    // Doing what it said clears it.
    s.git(&["mv", "review/records/p", "review/records/q"]);
    let commit = s.run_in(
        s.root(),
        "git",
        &["commit", "-q", "-m", "records follow"],
        &[],
    );
    assert_eq!(commit.code, 0, "{commit:?}");
    assert!(!ok(s.folio(&["check"])).stdout.contains("orphan-record"));
}

#[test]
fn a_refused_move_points_at_the_file_as_it_is_on_disk() {
    let s = site();
    // No `reviewers` or `last_reviewed` yet: the move adds two lines, so
    // the body's lines would shift if findings were read off its result.
    let page = "---\ntitle: T\nsummary: S\naudience: A\nstatus: research\nowner: mara\nsources: [onnx-spec]\n---\nIntro [@onnx-spec].\n\nIt is always 10x faster.\n";
    s.write("content/p.md", page);
    s.commit_fixture();
    let refused = s.folio(&["move", "p", "reviewed", "--reviewer", "mara"]);
    assert_eq!(refused.code, 1, "{refused:?}");
    let line_of = |needle: &str| page.lines().position(|l| l.contains(needle)).unwrap() + 1;
    assert!(
        refused
            .stdout
            .contains(&format!(" --> content/p.md:{}:14", line_of("10x faster"))),
        "the body finding names the line in the file: {refused:?}"
    );
    assert!(
        refused.stdout.contains(&format!(
            "{} | It is always 10x faster.",
            line_of("10x faster")
        )),
        "{refused:?}"
    );
    // The reviewer is not in the file: the finding says the line is what
    // folio would write, and shows no line of the file for it.
    assert!(
        refused
            .stdout
            .contains("as folio would write it: `reviewers: [mara]`"),
        "{refused:?}"
    );
    assert!(
        !refused.stdout.contains("| reviewers: [mara]"),
        "{refused:?}"
    );
    assert_eq!(s.text("content/p.md"), page, "nothing was written");
}

#[test]
fn a_stale_review_is_renewed_in_one_step_and_committed() {
    let s = site();
    let stale = format!(
        "---\n{}sources: [onnx-spec]\n---\nPaged caches [@onnx-spec].\n",
        common::PROMOTED.replace("2026-11-20", "2025-01-10")
    );
    s.write("content/p.md", &stale);
    s.commit_fixture();
    let board = ok(s.folio(&["status", "--format", "json"])).stdout;
    assert!(board.contains("\"stale\": [\n    \"p\""), "{board}");
    // Refusals write nothing and say why.
    let own = s.folio(&["review", "p", "--reviewer", "mara"]);
    assert_eq!(own.code, 1, "{own:?}");
    assert!(own.stdout.contains("self-review"), "{own:?}");
    assert!(own.stdout.ends_with("folio: content/p.md stays promoted: the renewed review is refused and nothing was written\n"), "{own:?}");
    assert_eq!(s.text("content/p.md"), stale);
    // A dry run shows the two lines it would write and the record.
    let preview = ok(s.folio(&["review", "p", "--reviewer", "jon", "--dry-run"]));
    for line in [
        "-last_reviewed: 2025-01-10",
        "+last_reviewed: 2026-11-27",
        "-reviewers: [ana]",
        "+reviewers: [jon]",
        "+change: \"review\"",
    ] {
        assert!(
            preview.stdout.lines().any(|l| l == line),
            "{line}: {preview:?}"
        );
    }
    // The renewal, then the editor's commit through the hook.
    let renewed = ok(s.folio(&["review", "p", "--reviewer", "jon"]));
    assert!(renewed.stdout.starts_with("renewed the review of content/p.md: signed by jon on 2026-11-27\nrecorded review/records/p/"), "{renewed:?}");
    assert!(
        renewed
            .stdout
            .ends_with("next: git commit -m \"Renew the review of p\"\n"),
        "{renewed:?}"
    );
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-am", "renew"], &[]);
    assert_eq!(commit.code, 0, "{commit:?}");
    assert!(s.git(&["status", "--porcelain"]).stdout.is_empty());
    let board = ok(s.folio(&["status", "--format", "json"])).stdout;
    assert!(board.contains("\"stale\": []"), "{board}");
    // Again today by the same reviewer: nothing to do.
    let again = ok(s.folio(&["review", "p", "--reviewer", "jon"]));
    assert_eq!(
        again.stdout,
        "content/p.md was already reviewed by jon today: nothing was written\nnext: nothing to do\n"
    );
    // A draft has no review to renew.
    s.write("content/d.md", draft());
    let d = s.folio(&["review", "d", "--reviewer", "jon"]);
    assert_eq!(d.code, 2, "{d:?}");
    assert!(
        d.stderr
            .contains("only a reviewed or promoted page has a review to renew"),
        "{d:?}"
    );
}

#[test]
fn hints_name_the_answer() {
    let s = site();
    s.write("content/p.md", RESEARCH);
    s.commit_fixture();
    // A state typed wrong.
    let typo = s.folio(&["move", "p", "reveiwed", "--reviewer", "ana"]);
    assert_eq!(typo.code, 2, "{typo:?}");
    assert!(
        typo.stderr
            .contains("`reveiwed` is not a state\n  = hint: did you mean `reviewed`?"),
        "{typo:?}"
    );
    // No reviewer named: the roster is in the hint.
    let unsigned = s.folio(&["move", "p", "reviewed"]);
    assert!(
        unsigned.stderr.contains(
            "add --reviewer NAME. The reviewers on the roster (review/policy.yaml) are ana, jon"
        ),
        "{unsigned:?}"
    );
    // A reviewer not on the roster: who is.
    let stranger = s.folio(&["move", "p", "reviewed", "--reviewer", "zed"]);
    assert_eq!(stranger.code, 1, "{stranger:?}");
    assert!(
        stranger
            .stdout
            .contains("The reviewers on the roster (review/policy.yaml) are ana, jon"),
        "{stranger:?}"
    );
    // An empty roster says so and where to fill it in.
    s.write("review/policy.yaml", "reviewers: []\n");
    let empty = s.folio(&["move", "p", "reviewed"]);
    assert!(
        empty.stderr.contains("The policy's reviewer roster is empty: add who may sign to review/policy.yaml, such as `reviewers: [ana, jon]`"),
        "{empty:?}"
    );
    // A policy key typed wrong, and a value of the wrong type.
    s.write("review/policy.yaml", "reviewer: [ana]\n");
    let key = s.folio(&["check"]);
    assert!(
        key.stderr
            .contains("`reviewer` is not a policy key\n  = hint: did you mean `reviewers`?"),
        "{key:?}"
    );
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nreview_interval_days: half a year\n",
    );
    let value = s.folio(&["check"]);
    assert!(
        value.stderr.contains(
            "review_interval_days: the text \"half a year\" is not a whole number, such as 180"
        ),
        "{value:?}"
    );
}

#[test]
fn history_says_created_without_a_status_and_keeps_its_columns_for_any_name() {
    let s = site();
    s.write("content/p.md", "---\ntitle: T\n---\nText.\n");
    s.commit_fixture();
    let by = |name: &str, message: &str| {
        let env = [("GIT_AUTHOR_NAME", name)];
        s.git(&["add", "-A"]);
        let run = s.run_in(
            s.root(),
            "git",
            &["commit", "-q", "--no-verify", "-m", message],
            &env,
        );
        assert_eq!(run.code, 0, "{run:?}");
    };
    s.write("content/p.md", draft());
    by("山田太郎", "a status at last");
    s.write("content/p.md", RESEARCH);
    by(
        "Maximiliane Wilhelmina von Hohenzollern-Sigmaringen",
        "to research",
    );
    let history = ok(s.folio(&["history", "p"]));
    assert!(
        history.stdout.contains("created without a status"),
        "{history:?}"
    );
    assert!(history.stdout.contains("no status -> draft"), "{history:?}");
    assert!(!history.stdout.contains("unreadable"), "{history:?}");
    // Every line puts its change in the same terminal column.
    let column_of = |line: &str| {
        let at = ["created", "draft", "no status"]
            .iter()
            .filter_map(|w| line.find(w))
            .min()
            .unwrap();
        unicode_width::UnicodeWidthStr::width(&line[..at])
    };
    let columns: Vec<usize> = history.stdout.lines().map(column_of).collect();
    assert_eq!(columns.len(), 3, "{history:?}");
    assert!(
        columns.windows(2).all(|w| w[0] == w[1]),
        "{columns:?}\n{}",
        history.stdout
    );
}

/// The whole loop an editor lives in, committing with `git commit -am`
/// after every step through the hook: nothing is left uncommitted, no
/// commit is refused, and the site has no finding at any step.
#[test]
fn a_new_editor_s_whole_loop_commits_cleanly_after_every_step() {
    let s = site();
    s.commit_fixture();
    let step = |what: &str, args: &[&str]| {
        let run = ok(s.folio(args));
        assert!(
            run.stdout
                .lines()
                .last()
                .unwrap_or("")
                .starts_with("next: "),
            "{what}: {run:?}"
        );
        let commit = s.run_in(s.root(), "git", &["commit", "-q", "-am", what], &[]);
        assert_eq!(commit.code, 0, "{what}: {commit:?}");
        assert!(
            s.git(&["status", "--porcelain"]).stdout.is_empty(),
            "{what}: all committed"
        );
        let check = ok(s.folio(&["check"]));
        assert!(
            check.stdout.ends_with("no findings\n") || check.stdout.contains(": 0 errors"),
            "{what}: {check:?}"
        );
        assert!(!check.stdout.contains("error["), "{what}: {check:?}");
    };
    step("new", &["new", "guides/kv-cache", "--title", "KV cache"]);
    // The editor writes the page.
    let written = s
        .text("content/guides/kv-cache.md")
        .replace("summary:", "summary: How engines keep the cache.")
        .replace("audience:", "audience: Engineers")
        .replace("sources: []", "sources: [onnx-spec]")
        + "\nPaged caches reduce waste [@onnx-spec]. They are 10x faster.\n";
    s.write("content/guides/kv-cache.md", written);
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-am", "write it"], &[]);
    assert_eq!(commit.code, 0, "{commit:?}");
    step("research", &["move", "guides/kv-cache", "research"]);
    // The multiplier is declined and rewritten before review.
    let text = s.text("content/guides/kv-cache.md").replace(
        "They are 10x faster.",
        "Under which workloads does paging pay off?",
    );
    s.write("content/guides/kv-cache.md", text);
    step(
        "decline",
        &[
            "decline",
            "guides/kv-cache",
            "--claim",
            "They are 10x faster.",
            "--reason",
            "universal-multiplier",
            "--rewrite",
            "Under which workloads does paging pay off?",
        ],
    );
    step(
        "reviewed",
        &["move", "guides/kv-cache", "reviewed", "--reviewer", "ana"],
    );
    // An edit of the reviewed page, with its maintenance entry.
    let text =
        s.text("content/guides/kv-cache.md") + "\nBlocks hold sixteen tokens [@onnx-spec].\n";
    s.write("content/guides/kv-cache.md", text);
    step(
        "log",
        &[
            "log",
            "guides/kv-cache",
            "--change",
            "capability-update",
            "Block size",
            "--source",
            "onnx-spec",
        ],
    );
    step("promoted", &["move", "guides/kv-cache", "promoted"]);
    step("rename", &["rename", "guides/kv-cache", "runtime/kv-cache"]);
    step(
        "renew",
        &["review", "runtime/kv-cache", "--reviewer", "jon"],
    );
    // CI's view of the whole story agrees.
    let first = s
        .git(&["rev-list", "--max-parents=0", "HEAD"])
        .stdout
        .trim()
        .to_string();
    let range = s.folio(&["check", "--range", &format!("{first}..HEAD")]);
    assert!(!range.stdout.contains("error["), "{range:?}");
    let history = ok(s.folio(&["history", "runtime/kv-cache"]));
    assert_eq!(history.stdout.lines().count(), 4, "{history:?}");
}

#[test]
fn a_successful_move_prints_the_warnings_the_page_still_has() {
    let s = site();
    s.write("content/p.md", draft() + "\nSee [@not-listed].\n");
    assert_eq!(s.commit_all("a draft").code, 0);
    let moved = ok(s.folio(&["move", "p", "research"]));
    assert!(
        moved.stdout.starts_with("warning[unknown-source]"),
        "{moved:?}"
    );
    assert!(
        moved
            .stdout
            .contains("\nmoved content/p.md from draft to research\n"),
        "{moved:?}"
    );
    assert!(
        moved
            .stdout
            .contains("note: the page still has 1 warning; see above\n"),
        "{moved:?}"
    );
    // A clean page says nothing of warnings.
    s.write("content/q.md", draft());
    assert_eq!(s.commit_all("another").code, 0);
    let clean = ok(s.folio(&["move", "q", "research"]));
    assert!(clean.stdout.starts_with("moved content/q.md"), "{clean:?}");
    assert!(!clean.stdout.contains("note:"), "{clean:?}");
}
