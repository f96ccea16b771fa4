//! Hostile and broken input: each test here reproduces a way folio once
//! hung, ran out of memory, panicked, wrote where it should not, lost an
//! edit or let a control character through, and shows that it no longer
//! does. Long-running cases run folio under `timeout` and `ulimit -v`, so
//! a regression fails the test instead of hanging CI.

mod common;
use common::{Run, Sandbox};

/// A site with the hook's usual fixture: a policy and one draft, committed.
fn site() -> Sandbox {
    let s = Sandbox::site();
    s.git(&["config", "user.name", "Mara Editor"]);
    s.page("p", "title: T\nstatus: draft\n", "Body.\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "fixture"]);
    s
}

/// folio ended on its own, with one of its exit codes and no panic.
#[track_caller]
fn ended(run: &Run) {
    assert!(matches!(run.code, 0..=2), "{run:?}");
    assert!(!run.stderr.contains("panicked"), "{run:?}");
}

/// A character no printer may pass through raw: a control character other
/// than the newline, a bidirectional control or a zero-width character.
fn raw_hidden(text: &str) -> Option<char> {
    text.chars().find(|&c| {
        c != '\n'
            && (c.is_control()
                || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}'))
    })
}

#[test]
fn a_review_interval_past_any_calendar_is_a_policy_error_not_a_panic() {
    let s = Sandbox::site();
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nreview_interval_days: 100000000\n",
    );
    s.page(
        "p",
        "title: T\nstatus: draft\nlast_reviewed: 2026-11-20\n",
        "Body.\n",
    );
    for args in [&["check"][..], &["status"]] {
        let run = s.folio(args);
        ended(&run);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr
                .contains("review/policy.yaml:2:1: review_interval_days is 100000000 days"),
            "{run:?}"
        );
    }
}

#[test]
fn a_declined_claim_matches_whole_words_only() {
    let s = site();
    let declined = s.folio(&[
        "decline",
        "p",
        "--claim",
        "It is fast.",
        "--reason",
        "other",
    ]);
    assert_eq!(declined.code, 0, "{declined:?}");
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        "It is fastidious. It is fasting. A cat is fast asleep.\n",
    );
    let clean = s.folio(&["check"]);
    assert_eq!(clean.code, 0, "{clean:?}");
    assert!(!clean.stdout.contains("declined-claim"), "{clean:?}");
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        "They say it is fast, now.\n",
    );
    let caught = s.folio(&["check"]);
    assert_eq!(caught.code, 1, "{caught:?}");
    assert_eq!(
        caught.stdout.matches("[declined-claim]").count(),
        1,
        "{caught:?}"
    );
}

#[test]
fn no_printer_passes_control_bidi_or_zero_width_characters_raw() {
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        "Body \u{1b}]0;title\u{7} \u{202e}desrever \u{200b}hidden [x](nope\u{1b}[31m\u{9b}\u{200d}\u{feff}.md)\n",
    );
    for format in ["human", "github", "json"] {
        let run = s.folio(&["check", "--format", format]);
        assert_eq!(run.code, 0, "{run:?}");
        assert!(run.stdout.contains("broken-link"), "{run:?}");
        assert_eq!(raw_hidden(&run.stdout), None, "{format}: {run:?}");
    }
    // JSON keeps the text whole, escaped.
    let findings = s.folio(&["check", "--format", "json"]).findings();
    let message = findings[0]["message"].as_str().expect("a message");
    assert!(
        message.contains("nope\u{1b}[31m\u{9b}\u{200d}\u{feff}.md"),
        "{message}"
    );
    // Errors, ours and clap's, echo arguments and rule ids made printable.
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: \"bad\\e]0;x\\a\"\n    pattern: x\n    message: m\n    hint: h\n",
    );
    let rule = s.folio(&["check"]);
    assert_eq!(rule.code, 2, "{rule:?}");
    assert!(rule.stderr.contains("bad\\u{1b}]0;x\\u{7}"), "{rule:?}");
    s.write("review/policy.yaml", "reviewers: [ana]\n");
    for args in [
        &["bad\u{1b}]0;x\u{7}\u{202e}"][..],
        &["move", "p\u{1b}\u{202e}", "reviewed"],
        &["log", "p", "--change", "ed\u{7}\u{200b}", "x"],
        &["check", "--format", "x\u{202e}\n"],
    ] {
        let run = s.folio(args);
        assert_eq!(run.code, 2, "{run:?}");
        assert_eq!(raw_hidden(&run.stderr), None, "{run:?}");
    }
}

#[test]
fn output_that_cannot_be_written_fails_the_command() {
    let s = site();
    let run = s.run_in(
        s.root(),
        "sh",
        &[
            "-c",
            "exec \"$0\" check --format json > /dev/full",
            env!("CARGO_BIN_EXE_folio"),
        ],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("cannot write standard output"),
        "{run:?}"
    );
    // A reader that stops early is not an error.
    let head = s.run_in(
        s.root(),
        "sh",
        &[
            "-c",
            "\"$0\" --help | head -c 1 >/dev/null",
            env!("CARGO_BIN_EXE_folio"),
        ],
        &[],
    );
    assert_eq!(head.code, 0, "{head:?}");
}

#[test]
fn a_failed_write_says_write_and_what_stands_in_the_way() {
    let s = site();
    s.write(
        "review/records/p",
        "a file where the page's records folder goes\n",
    );
    let run = s.folio(&["log", "p", "--change", "editorial", "Tidied."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains("cannot write review/records/p/"),
        "{run:?}"
    );
    assert!(
        run.stderr
            .contains("a file stands where a folder on its path should be"),
        "{run:?}"
    );
    assert!(!run.stderr.contains("cannot read"), "{run:?}");
    // Nothing half-done: the page is as it was and nothing is staged.
    assert_eq!(
        s.git(&["status", "--porcelain"]).stdout,
        "?? review/records/\n"
    );

    let long = "a".repeat(300);
    let run = s.folio(&["new", &long, "--title", "T"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("at most 200 characters"), "{run:?}");
    assert!(
        run.stderr.len() < 400,
        "the id is not echoed whole: {run:?}"
    );
    assert!(!run.stderr.contains("File name too long"), "{run:?}");
}

/// The JSON findings of `folio check` on page `p`, run bounded.
fn bounded_findings(s: &Sandbox, seconds: u32, megabytes: u32) -> Vec<serde_json::Value> {
    let run = s.folio_bounded(&["check", "--format", "json"], seconds, megabytes);
    ended(&run);
    let mut findings = run.findings();
    findings.retain(|f| f["path"] == "content/p.md");
    findings
}

#[test]
fn many_findings_on_one_long_line_cost_the_memory_of_a_few() {
    // Once 5 GB: every finding kept a copy of its whole line.
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        &format!("{}\n", "[l](nope.md) ".repeat(20_000)),
    );
    let findings = bounded_findings(&s, 20, 300);
    let codes: Vec<&str> = findings.iter().filter_map(|f| f["code"].as_str()).collect();
    assert_eq!(codes.len(), 11, "{codes:?}");
    assert!(codes[..10].iter().all(|&c| c == "broken-link"), "{codes:?}");
    let note = &findings[10];
    assert_eq!(note["code"], "more-findings");
    assert_eq!(note["severity"], "warning");
    let message = note["message"].as_str().expect("message");
    assert!(
        message.starts_with("19990 more findings on this line"),
        "{message}"
    );
    // The same on a reviewed page with a rule that fires on every phrase:
    // errors, so the note is an error too and the exit code stays 1.
    s.page(
        "p",
        common::REVIEWED,
        &format!("{}\n", "word 10x faster ".repeat(16_000)),
    );
    let findings = bounded_findings(&s, 20, 300);
    let last = findings.last().expect("a note");
    assert_eq!(last["code"], "more-findings", "{findings:?}");
    assert_eq!(last["severity"], "error");
    assert_eq!(s.folio(&["check"]).code, 1);
}

#[test]
fn a_page_with_many_lines_of_findings_is_capped_with_a_count() {
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        &"[l](nope.md)\n".repeat(300),
    );
    let findings = bounded_findings(&s, 20, 300);
    assert_eq!(findings.len(), 201, "{findings:?}");
    let note = &findings[200];
    assert_eq!(note["code"], "more-findings");
    assert!(
        note["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("100 more findings in this page")),
        "{note}"
    );
    // The note is placed at the first finding it counts.
    assert_eq!(note["line"], 205);
}

#[test]
fn the_markdown_scan_is_linear_on_brackets_links_citations_and_backticks() {
    // Each took more than 20 s at 300 KB, growing with the square.
    let s = site();
    for piece in ["[", "[a](", "[@", "[@spec-a; ", "](((", "``a`", "<a"] {
        s.page(
            "p",
            common::REVIEWED,
            &format!("{}\n", piece.repeat(300_000)),
        );
        let run = s.folio_bounded(&["check", "--format", "json"], 20, 400);
        ended(&run);
        assert!(run.stdout.contains("\"findings\""), "{piece}: {run:?}");
    }
}

#[test]
fn a_page_past_the_size_limit_is_one_finding_and_is_not_read() {
    let s = site();
    s.write(
        "review/policy.yaml",
        "reviewers: [ana, jon]\nmax_page_bytes: 1000\n",
    );
    s.page(
        "big",
        "title: T\nstatus: draft\n",
        &"Words 10x faster. ".repeat(100),
    );
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout.matches("error[").count(), 1, "{run:?}");
    assert!(
        run.stdout.contains("error[page-too-large]: the page is larger than the policy's max_page_bytes (1000 bytes), so it was not read"),
        "{run:?}"
    );
    // By default, 5 MB.
    s.write("review/policy.yaml", "reviewers: [ana, jon]\n");
    s.page("big", "title: T\nstatus: draft\n", &"a".repeat(6_000_000));
    let run = s.folio_bounded(&["check"], 20, 400);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("[page-too-large]"), "{run:?}");
    // A page far past the limit is not read whole: a sparse 2 GB file,
    // within 400 MB of memory.
    {
        use std::io::Write;
        let mut huge = std::fs::File::create(s.path("content/huge.md")).expect("create");
        huge.write_all(b"---\ntitle: T\nstatus: draft\n---\n")
            .expect("write");
        huge.set_len(2 << 30).expect("a sparse file");
    }
    let run = s.folio_bounded(&["check"], 20, 400);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("content/huge.md:1:1"), "{run:?}");
    std::fs::remove_file(s.path("content/huge.md")).expect("rm");
    // The hook reads the staged page the same way.
    s.git(&["add", "-A"]);
    let run = s.folio_bounded(&["check", "--staged"], 20, 400);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("[page-too-large]"), "{run:?}");
}

#[test]
fn a_second_yaml_document_far_down_is_found_at_once_and_at_its_line() {
    // Once a hang: the locator re-parsed up to 2,000 prefixes of the file.
    let s = site();
    let comments =
        "# a comment line that goes on for a while to make the file big\n".repeat(32_000);
    s.write(
        "content/sources.yaml",
        format!("- id: a\n  title: A\n  url: https://a.example\n  kind: secondary\n  accessed: 2026-11-01\n{comments}---\n- id: b\n"),
    );
    let run = s.folio_bounded(&["check"], 20, 400);
    ended(&run);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr.contains(&format!(
            "content/sources.yaml:{}:1: the registry is not valid YAML: this line starts a second YAML document",
            32_000 + 6
        )),
        "{run:?}"
    );
    // In a record too (records are YAML files of their own).
    s.write("content/sources.yaml", "[]\n");
    s.write(
        "review/records/p/2026-11-20-maintenance-1.yaml",
        format!("kind: maintenance\n{comments}...\nkind: other\n"),
    );
    let run = s.folio_bounded(&["check"], 20, 400);
    ended(&run);
    assert!(
        run.stdout
            .contains(&format!("2026-11-20-maintenance-1.yaml:{}:1", 32_000 + 3)),
        "{run:?}"
    );
}

/// Cuts the loose file of object `id` to 60 bytes, as a crash or a bad
/// copy might.
fn truncate_object(s: &Sandbox, id: &str) {
    let path = s.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..]));
    let mut perms = std::fs::metadata(&path)
        .expect("a loose object")
        .permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&path, perms).expect("chmod");
    let bytes = std::fs::read(&path).expect("read");
    std::fs::write(&path, &bytes[..60.min(bytes.len() - 1)]).expect("truncate");
}

#[test]
fn a_truncated_loose_object_is_an_error_not_a_hang() {
    // libgit2 1.9 loops forever inflating a loose object cut short.
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        &"A longer body, so the object is long enough to cut.\n".repeat(20),
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "second"]);
    let head = s.git(&["rev-parse", "HEAD"]).stdout.trim().to_string();
    truncate_object(&s, &head);
    s.page("p", "title: T\nstatus: draft\n", "Edited.\n");
    s.git(&["add", "content/p.md"]);
    for args in [
        &["check", "--staged"][..],
        &["history", "p"],
        &["check", "--range", "HEAD~1..HEAD"],
        &["summary", "HEAD~1..HEAD"],
    ] {
        let run = s.folio_bounded(args, 20, 400);
        ended(&run);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr
                .contains(&format!("the object {head} is corrupt")),
            "{run:?}"
        );
        assert!(run.stderr.contains("git fsck"), "{run:?}");
    }
    // A staged blob cut short: the hook names it too.
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        &"Staged, then damaged on disk.\n".repeat(20),
    );
    s.git(&["add", "content/p.md"]);
    let blob = s
        .git(&["rev-parse", ":content/p.md"])
        .stdout
        .trim()
        .to_string();
    truncate_object(&s, &blob);
    let run = s.folio_bounded(&["check", "--staged"], 20, 400);
    ended(&run);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("the object {blob} is corrupt")),
        "{run:?}"
    );
}

/// Everything under `dir`, as sorted relative paths.
fn tree(dir: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            out.push(
                path.strip_prefix(dir)
                    .expect("under dir")
                    .display()
                    .to_string(),
            );
            if entry.file_type().expect("type").is_dir() {
                stack.push(path);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn no_command_writes_through_a_symlinked_folder() {
    // A symbolic link can arrive in a commit; writing through it could
    // put files anywhere the editor may write.
    for (link, target_inside) in [
        ("review/records", "records"),
        ("review", "review"),
        ("content/guides", "guides"),
        ("content", "content"),
    ] {
        let s = site();
        let ready =
            "title: G\nsummary: S\naudience: A\nowner: mara\nstatus: draft\nsources: [onnx-spec]\n";
        s.page("p", ready, "Body [@onnx-spec].\n");
        s.page("guides/g", ready, "Body [@onnx-spec].\n");
        s.write("review/records/.keep", "");
        s.git(&["add", "-A"]);
        s.git(&["commit", "-qm", "more"]);
        let elsewhere = tempfile::tempdir().expect("temp dir");
        let outside = elsewhere.path().join(target_inside);
        // Move the folder out and leave a link in its place.
        std::fs::rename(s.path(link), &outside).expect("move out");
        std::os::unix::fs::symlink(&outside, s.path(link)).expect("symlink");
        let before = tree(elsewhere.path());
        let page = "p";
        let mut refused = Vec::new();
        for args in [
            &["log", page, "--change", "editorial", "Tidied."][..],
            &[
                "decline",
                page,
                "--claim",
                "It is fast.",
                "--reason",
                "other",
            ],
            &["move", page, "research"],
            &["new", "guides/fresh", "--title", "Fresh"],
            &["rename", page, "guides/renamed"],
        ] {
            // A command that writes nothing under the link may go ahead.
            let run = s.folio(args);
            if run.code != 0 {
                assert_eq!(run.code, 2, "{link}: {run:?}");
                assert!(
                    run.stderr.contains(&format!(
                        "{link} is a symbolic link, and folio does not write through one"
                    )),
                    "{link}: {run:?}"
                );
                refused.push(args[0]);
            }
        }
        let expected: &[&str] = match link {
            "content/guides" => &["new", "rename"],
            "content" => &["move", "new", "rename"],
            _ => &["log", "decline", "move"],
        };
        assert_eq!(refused, expected, "{link}");
        assert_eq!(
            tree(elsewhere.path()),
            before,
            "{link}: something was written outside"
        );
    }
    // init, on a fresh repository whose content folder is a link.
    let s = Sandbox::new();
    let elsewhere = tempfile::tempdir().expect("temp dir");
    std::os::unix::fs::symlink(elsewhere.path(), s.path("content")).expect("symlink");
    let run = s.folio(&["init"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("content is a symbolic link"), "{run:?}");
    assert!(tree(elsewhere.path()).is_empty());
}

#[test]
fn the_content_folder_may_not_be_inside_dot_git() {
    let s = site();
    for dir in [".git", ".git/pages", "docs/../.git", ".GIT"] {
        s.write("review/policy.yaml", format!("content_dir: {dir}\n"));
        for args in [&["check"][..], &["new", "p2", "--title", "T"]] {
            let run = s.folio(args);
            assert_eq!(run.code, 2, "{dir}: {run:?}");
            assert!(
                run.stderr.contains("is not a folder of the working tree"),
                "{run:?}"
            );
        }
    }
    assert!(!s.path(".git/p2.md").exists());
}

/// A site whose page `p` is ready to move to research, committed.
fn ready_site() -> Sandbox {
    let s = site();
    s.page(
        "p",
        "title: T\nsummary: S\naudience: A\nowner: mara\nstatus: draft\nsources: [onnx-spec]\n",
        "Body [@onnx-spec].\n",
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "ready"]);
    s
}

#[test]
fn a_read_only_page_is_left_alone_and_an_owner_is_kept() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let s = ready_site();
    let page = s.path("content/p.md");
    let before = s.read("content/p.md");
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let run = s.folio(&["move", "p", "research"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("content/p.md is read-only"), "{run:?}");
    assert_eq!(s.read("content/p.md"), before);
    assert_eq!(s.git(&["status", "--porcelain"]).stdout, "");

    // A page that belongs to another user (when this test may give it one).
    std::fs::set_permissions(&page, std::fs::Permissions::from_mode(0o664)).expect("chmod");
    let other = (54_321, 54_322);
    if std::os::unix::fs::chown(&page, Some(other.0), Some(other.1)).is_err() {
        return; // not root: cannot set up another user's file
    }
    let run = s.folio(&["move", "p", "research"]);
    assert_eq!(run.code, 0, "{run:?}");
    let meta = std::fs::metadata(&page).expect("page");
    assert_eq!((meta.uid(), meta.gid()), other);
    assert_eq!(meta.permissions().mode() & 0o777, 0o664);
    assert!(String::from_utf8_lossy(&s.read("content/p.md")).contains("status: research"));
}

/// The page's state and its records, as the editor would see them.
fn page_and_records(s: &Sandbox) -> (String, Vec<String>) {
    let page = String::from_utf8_lossy(&s.read("content/p.md")).into_owned();
    let state = page
        .lines()
        .find_map(|l| l.strip_prefix("status: "))
        .unwrap_or("?")
        .to_string();
    let records = std::fs::read_dir(s.path("review/records/p"))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    (state, records)
}

#[test]
fn a_move_killed_part_way_is_undone_by_the_next_command() {
    // The plan of a move: create its record, then edit the page. Killed
    // after the first, there is a record of a move that did not happen;
    // after both, before the journal is removed, the move is done but not
    // known to be. Either way the next command undoes it.
    for (crash_after, next) in [(1, "status"), (1, "log"), (2, "check")] {
        let s = ready_site();
        let run = s.folio_env(
            &["move", "p", "research"],
            &[("FOLIO_TEST_CRASH_AFTER", &crash_after.to_string())],
        );
        assert_eq!(run.code, -1, "killed by a signal: {run:?}");
        assert!(s.path(".git/folio-journal").exists());
        let args: &[&str] = match next {
            "log" => &["log", "p", "--change", "editorial", "Tidied."],
            other => &[other],
        };
        let after = s.folio(args);
        assert!(matches!(after.code, 0 | 1), "{after:?}");
        let (state, records) = page_and_records(&s);
        // Whatever the next command was, the half-made move is gone whole:
        // the old page, and no transition record.
        assert_eq!(state, "draft", "after {crash_after} then {next}");
        let transitions = records
            .iter()
            .filter(|r| r.contains("-maintenance-"))
            .count();
        assert_eq!(transitions, usize::from(next == "log"), "{records:?}");
        assert!(!s.path(".git/folio-journal").exists());
        assert!(!s.path(".git/folio.lock").exists());
        // Nothing of folio's is left in the working tree.
        let status = s
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .stdout;
        assert!(!status.contains(".folio-"), "{status}");
        // And the move can be made again.
        let again = s.folio(&["move", "p", "research"]);
        assert_eq!(again.code, 0, "{again:?}");
        assert_eq!(page_and_records(&s).0, "research");
    }
}

#[test]
fn a_move_killed_at_any_moment_leaves_the_old_page_or_the_whole_move() {
    // A 4 MB page, so the write takes a while, killed after a range of
    // delays; the next command sees either no move or a whole one.
    let s = ready_site();
    s.page(
        "p",
        "title: T\nsummary: S\naudience: A\nowner: mara\nstatus: draft\nsources: [onnx-spec]\n",
        &"Body [@onnx-spec].\n".repeat(200_000),
    );
    s.git(&["commit", "-qam", "big"]);
    for delay_ms in [0, 2, 5, 10, 20, 40, 80, 160] {
        s.git(&["reset", "-q", "--hard"]);
        s.git(&["clean", "-qfdx"]);
        let mut cmd = common::sealed(env!("CARGO_BIN_EXE_folio"), s.root());
        cmd.current_dir(s.root()).args(["move", "p", "research"]);
        cmd.stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let after = s.folio(&["status"]);
        assert_eq!(after.code, 0, "{after:?}");
        let (state, records) = page_and_records(&s);
        match state.as_str() {
            "draft" => assert!(records.is_empty(), "{delay_ms} ms: {records:?}"),
            "research" => assert_eq!(records.len(), 1, "{delay_ms} ms: {records:?}"),
            other => panic!("{delay_ms} ms: the page reads `{other}`"),
        }
        let status = s
            .git(&["status", "--porcelain", "--untracked-files=all"])
            .stdout;
        assert!(!status.contains(".folio-"), "{delay_ms} ms: {status}");
    }
}

#[test]
fn two_editors_moving_one_page_at_once_never_lose_an_edit() {
    // Once both succeeded from the same starting state in 42 of 50 rounds:
    // one edit lost, and two transition records.
    let s = ready_site();
    s.folio(&["move", "p", "research"]);
    s.git(&["commit", "-qam", "research"]);
    let spawn = |args: &[&str]| {
        let mut cmd = common::sealed(env!("CARGO_BIN_EXE_folio"), s.root());
        cmd.env_remove("FOLIO_RECORD_SEED")
            .current_dir(s.root())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        cmd.spawn().expect("spawn")
    };
    for round in 0..25 {
        s.git(&["reset", "-q", "--hard"]);
        s.git(&["clean", "-qfdx"]);
        let up = spawn(&["move", "p", "reviewed", "--reviewer", "ana"]);
        let back = spawn(&["move", "p", "draft", "--note", "back"]);
        let up = up.wait_with_output().expect("wait");
        let back = back.wait_with_output().expect("wait");
        let (state, records) = page_and_records(&s);
        let won: Vec<&str> = [("reviewed", &up), ("draft", &back)]
            .iter()
            .filter(|(_, out)| out.status.success())
            .map(|(state, _)| *state)
            .collect();
        // Both may not succeed from one starting state. Both succeed only
        // one after the other: up to reviewed, then back to draft (draft
        // to reviewed is no legal move). The page holds the last move that
        // succeeded, and each success has exactly its record.
        match won.as_slice() {
            [one] => assert_eq!(&state, one, "round {round}"),
            [_, _] => assert_eq!(state, "draft", "round {round}: both, one after the other"),
            _ => panic!("round {round}: neither move succeeded"),
        }
        assert_eq!(
            records.len(),
            1 + won.len(),
            "round {round}: the research move's record and one per move: {records:?}"
        );
        for out in [&up, &back] {
            if !out.status.success() {
                // Stopped by the other's edit (exit 2), or, run after it,
                // refused as a move the page's new state does not allow.
                let err = String::from_utf8_lossy(&out.stderr);
                let said = String::from_utf8_lossy(&out.stdout);
                assert!(
                    err.contains(
                        "content/p.md changed while folio was working: nothing was written"
                    ) || (out.status.code() == Some(1) && said.contains("nothing was written")),
                    "round {round}: {err}{said}"
                );
            }
        }
    }
}

#[test]
fn two_file_names_that_are_not_utf8_stay_two() {
    let s = site();
    s.write_bytes_name(
        b"content/bad\xff.md",
        b"---\ntitle: T\nstatus: draft\n---\nA.\n",
    );
    s.write_bytes_name(
        b"content/bad\xfe.md",
        b"---\ntitle: T\nstatus: draft\n---\nB.\n",
    );
    let run = s.folio(&["check", "--format", "json"]);
    let findings = run.findings();
    let paths: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter(|f| f["code"] == "bad-page-id")
        .filter_map(|f| f["path"].as_str())
        .collect();
    assert_eq!(
        paths.into_iter().collect::<Vec<_>>(),
        ["content/bad\\xfe.md", "content/bad\\xff.md"],
        "{run:?}"
    );
    assert_eq!(run.json()["summary"]["pages"], 3, "{run:?}");
    // Staged, the hook tells them apart too.
    s.git(&["add", "-A"]);
    let staged = s.folio(&["check", "--staged", "--format", "json"]);
    assert!(
        staged.stdout.contains("content/bad\\\\xfe.md"),
        "{staged:?}"
    );
    assert!(
        staged.stdout.contains("content/bad\\\\xff.md"),
        "{staged:?}"
    );
}

#[test]
fn folio_finds_the_repository_where_git_does() {
    // GIT_DIR and GIT_WORK_TREE, as a script or a bare-repository setup
    // uses them; then core.worktree.
    let s = Sandbox::bare_folder();
    let store = s.path("store.git");
    let work = s.path("work");
    std::fs::create_dir_all(&work).expect("mkdir");
    s.run_in(s.root(), "git", &["init", "-q", "--bare", "store.git"], &[]);
    let (dir, tree) = (store.to_str().expect("utf8"), work.to_str().expect("utf8"));
    let env = [("GIT_DIR", dir), ("GIT_WORK_TREE", tree)];
    let init = s.run_in(&work, env!("CARGO_BIN_EXE_folio"), &["init"], &env);
    assert_eq!(init.code, 0, "{init:?}");
    assert!(work.join("review/policy.yaml").exists());
    s.run_in(
        s.root(),
        "git",
        &["--git-dir", dir, "config", "core.bare", "false"],
        &[],
    );
    s.run_in(
        s.root(),
        "git",
        &["--git-dir", dir, "config", "core.worktree", tree],
        &[],
    );
    let status = s.run_in(
        &work.join("content"),
        env!("CARGO_BIN_EXE_folio"),
        &["status"],
        &[("GIT_DIR", dir)],
    );
    assert_eq!(status.code, 0, "{status:?}");
}

#[test]
fn a_submodule_under_content_is_not_read_as_pages() {
    let s = site();
    let nested = s.path("content/vendored");
    std::fs::create_dir_all(&nested).expect("mkdir");
    s.run_in(&nested, "git", &["init", "-q"], &[]);
    s.write("content/vendored/page.md", "not a page of this site\n");
    let run = s.folio(&["check", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("vendored"), "{run:?}");
    // The same as a range sees it: git records a submodule, not its files.
    let history = s.folio(&["history", "content//p.md"]);
    assert_eq!(history.code, 0, "{history:?}");
    assert!(history.stdout.contains("created as draft"), "{history:?}");
}

#[test]
fn unclear_messages_now_say_what_is_wrong() {
    let s = site();
    s.page(
        "p",
        "title: T\nstatus: draft\nlast_reviewed: 99999-01-01\n",
        "Body.\n",
    );
    let run = s.folio(&["check"]);
    assert!(
        run.stdout
            .contains("hint: the year has four digits, such as 2026"),
        "{run:?}"
    );
    assert!(!run.stdout.contains("write it as 99999-01-01"), "{run:?}");

    s.page("p", "title: T\nstatus: !draft\n", "Body.\n");
    let run = s.folio(&["check"]);
    assert!(
        run.stdout
            .contains("error[unknown-state]: unknown state `!draft`"),
        "{run:?}"
    );
    assert!(run.stdout.contains("did you mean `draft`?"), "{run:?}");
    assert!(!run.stdout.contains("has no `status`"), "{run:?}");

    s.page("p", "title: T\nstatus: draft\n", "Body.\n");
    for (rule, said) in [
        (
            "  - id: empty\n    pattern: ''\n    message: m\n",
            "review/policy.yaml:4:5: rule `empty` has a pattern that matches only empty text",
        ),
        (
            "  - id: broken-link\n    pattern: x\n    message: m\n",
            "review/policy.yaml:3:5: rule id `broken-link` is the code of one of folio's own findings",
        ),
        (
            "  - id: huge\n    pattern: '\\w{3000}'\n    message: m\n",
            "review/policy.yaml:4:5: rule `huge` has a pattern too large to compile",
        ),
    ] {
        s.write(
            "review/policy.yaml",
            format!("reviewers: [ana]\nrules:\n{rule}"),
        );
        // Exit 2 as README promises for a policy folio cannot use, on a
        // draft too (which no rule reads).
        for args in [&["check"][..], &["rules"]] {
            let run = s.folio(args);
            assert_eq!(run.code, 2, "{run:?}");
            assert!(run.stderr.contains(said), "{run:?}");
        }
    }
    // A pattern that may match empty text but also words is fine.
    s.write(
        "review/policy.yaml",
        "reviewers: [ana]\nrules:\n  - id: fast\n    pattern: '(?:blazing )?(fast)?'\n    message: m\n    states: [draft]\n",
    );
    s.page("p", "title: T\nstatus: draft\n", "It is fast.\n");
    let run = s.folio(&["check"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.stdout.matches("error[fast]").count(), 1, "{run:?}");
}

#[test]
fn the_readme_lists_every_code_folio_reports_and_no_other() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).expect("README");
    let list = readme
        .split_once("Codes: ")
        .and_then(|(_, rest)| rest.split_once(" and the ids of the policy's rules"))
        .expect("the README's list of codes")
        .0;
    // The quoted pieces of a text: every other piece between `quote`s.
    let quoted = |text: &str, quote: char| -> std::collections::BTreeSet<String> {
        text.split(quote)
            .skip(1)
            .step_by(2)
            .map(str::to_string)
            .collect()
    };
    let listed = quoted(list, '`');
    let mut sources = String::new();
    let mut stack = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).expect("src").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                sources.push_str(&std::fs::read_to_string(&path).expect("read"));
            }
        }
    }
    for code in &listed {
        // Each listed code is one folio writes somewhere (the const list
        // aside, which this test also keeps honest).
        assert!(
            sources.matches(&format!("\"{code}\"")).count() >= 2,
            "`{code}` is in the README but folio never reports it"
        );
    }
    let consts = sources
        .split_once("pub const CODES: &[&str] = &[")
        .and_then(|(_, rest)| rest.split_once("];"))
        .expect("CODES")
        .0;
    assert_eq!(listed, quoted(consts, '"'));
}

#[test]
fn long_work_shows_progress_on_a_terminal_and_nowhere_else() {
    // Issue 13 asks for it; a range of many commits is the long work.
    let s = site();
    for n in 0..12 {
        s.page(
            "p",
            "title: T\nstatus: draft\n",
            &format!("Body, edit {n}.\n"),
        );
        s.git(&["commit", "-qam", &format!("edit {n}")]);
    }
    let range = "HEAD~12..HEAD";
    // Through a pseudo-terminal (`script`), with no delay before it shows.
    let folio = env!("CARGO_BIN_EXE_folio");
    let tty = s.run_in(
        s.root(),
        "script",
        &[
            "-qec",
            &format!("{folio} check --range {range}"),
            "/dev/null",
        ],
        &[("FOLIO_PROGRESS_AFTER_MS", "0")],
    );
    assert_eq!(tty.code, 0, "{tty:?}");
    assert!(tty.stdout.contains("folio: judging commits"), "{tty:?}");
    // The line is cleared before the report.
    let cleared = tty.stdout.rfind("\r\u{1b}[K").expect("cleared");
    assert!(tty.stdout[cleared..].contains("checked"), "{tty:?}");
    // Not a terminal: nothing but the report.
    let piped = s.folio_env(
        &["check", "--range", range],
        &[("FOLIO_PROGRESS_AFTER_MS", "0")],
    );
    assert_eq!(piped.code, 0, "{piped:?}");
    assert_eq!(piped.stderr, "", "{piped:?}");
    assert!(!piped.stdout.contains("judging"), "{piped:?}");
}

#[test]
fn a_registry_of_many_sources_is_read_in_linear_time_and_its_findings_capped() {
    // Duplicate ids were looked for among all earlier entries: 100,000
    // sources took 33 s.
    let s = site();
    let mut registry = String::new();
    for i in 0..60_000 {
        registry.push_str(&format!(
            "- id: s{i}\n  title: S\n  url: https://e.org/{i}\n  kind: secondary\n  accessed: 2026-11-01\n"
        ));
    }
    registry.push_str("- id: s7\n  title: S\n  url: https://e.org/again\n  kind: secondary\n  accessed: 2026-11-01\n");
    s.write("content/sources.yaml", registry);
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 800);
    ended(&run);
    let findings = run.findings();
    let codes = |code: &str| findings.iter().filter(|f| f["code"] == code).count();
    assert_eq!(codes("duplicate-source"), 1, "{run:?}");
    // 60,000 unused sources: a few hundred shown, the rest counted.
    assert_eq!(codes("unused-source"), 200);
    assert_eq!(codes("more-findings"), 1);
}

#[test]
fn many_declined_claims_are_looked_for_in_one_pass_over_a_page() {
    // Each claim was looked for on its own: claims × page.
    let s = site();
    for i in 0..10_000 {
        s.write(
            &format!("review/records/p/2026-11-20-not-promoted-{i:08}.yaml"),
            format!("kind: not-promoted\npage: p\ndate: 2026-11-20\nby: ana\nclaim: claim number {i} is here\nreason: other\n"),
        );
    }
    s.page(
        "p",
        "title: T\nstatus: draft\n",
        &format!(
            "{}\nAnd claim number 9999 is here.\n",
            "claim number claim number is not here. ".repeat(25_000)
        ),
    );
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 800);
    ended(&run);
    let findings = run.findings();
    let declined: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["code"] == "declined-claim")
        .collect();
    assert_eq!(declined.len(), 1, "{run:?}");
    assert!(
        declined[0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("claim number 9999 is here"))
    );
}

#[test]
fn a_did_you_mean_is_looked_for_only_for_findings_that_are_shown() {
    // Each unknown citation and broken link was compared with every
    // source id or page: 100,000 citations against 5,000 sources took
    // three minutes.
    let s = site();
    let mut registry = String::new();
    for i in 0..3_000 {
        registry.push_str(&format!(
            "- id: source-{i}\n  title: S\n  url: https://e.org/{i}\n  kind: secondary\n  accessed: 2026-11-01\n"
        ));
    }
    s.write("content/sources.yaml", registry);
    let citations: String = (0..30_000).map(|i| format!("[@sourc-{i}] ")).collect();
    s.page("p", "title: T\nstatus: draft\n", &format!("{citations}\n"));
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 800);
    ended(&run);
    let findings = run.findings();
    let on_page: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["path"] == "content/p.md")
        .collect();
    // The ten shown still say what was meant.
    assert_eq!(on_page.len(), 11, "{run:?}");
    assert!(
        on_page[0]["hint"]
            .as_str()
            .is_some_and(|h| h.starts_with("did you mean `source-0`?")),
        "{:?}",
        on_page[0]
    );
}

#[test]
fn a_very_long_link_target_is_compared_with_page_paths_in_bounded_time() {
    // "Did you mean" filled a whole table per pair: a link target of
    // thousands of characters against every page path took seconds each.
    let s = site();
    for i in 0..500 {
        s.page(&format!("many/p{i}"), "title: T\nstatus: draft\n", "x\n");
    }
    let long = "a".repeat(3_000);
    let links: String = (0..200)
        .map(|i| format!("[x](many/{long}{i}.md)\n"))
        .collect();
    s.page("p", "title: T\nstatus: draft\n", &links);
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 800);
    ended(&run);
    assert!(run.stdout.contains("\"broken-link\""), "{run:?}");
}

#[test]
fn a_policy_with_many_status_words_and_site_keys_is_read_in_linear_time() {
    // Each word was checked against every word before it, and each page's
    // status and keys against every word and site key.
    let s = Sandbox::site();
    let n = 60_000;
    let words: String = (0..n).map(|i| format!("w{i}: draft, ")).collect();
    let keys: String = (0..n).map(|i| format!("k{i}, ")).collect();
    s.write(
        "review/policy.yaml",
        format!(
            "reviewers: [ana]\nsite_keys: [{keys}layout]\nstates:\n  words: {{{words}live: promoted}}\n"
        ),
    );
    for p in 0..300 {
        s.page(
            &format!("p{p}"),
            &format!(
                "title: T\nstatus: w{}\nk{}: x\nstatuz: y\n",
                n - 1 - p,
                n - 1 - p
            ),
            "Body.\n",
        );
    }
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 2048);
    assert_eq!(run.code, 0, "{run:?}");
    // `statuz` is a slip from `status`: one warning a page, the rest silent.
    let slips = run
        .findings()
        .iter()
        .filter(|f| f["code"] == "unknown-key")
        .count();
    assert_eq!(slips, 300, "{run:?}");
    let unknown = Sandbox::site();
    unknown.write(
        "review/policy.yaml",
        format!("states:\n  words: {{{words}live: promoted}}\n"),
    );
    unknown.page("p", "title: T\nstatus: nope\n", "Body.\n");
    let said = unknown.folio(&["check", "--format", "json"]);
    let hint = said.findings()[0]["hint"].as_str().unwrap().to_string();
    assert!(hint.len() < 200 && hint.ends_with(", …"), "{hint}");
}

#[test]
fn a_frontmatter_of_many_keys_is_read_in_linear_time() {
    // Each key was compared with every key before it to find a repeat.
    let s = Sandbox::site();
    let keys: String = (0..150_000).map(|i| format!("key{i}: v\n")).collect();
    s.page("p", &format!("title: T\nstatus: draft\n{keys}"), "Body.\n");
    let run = s.folio_bounded(&["check", "--format", "json"], 20, 2048);
    assert_eq!(run.code, 0, "{run:?}");
    s.page(
        "p",
        &format!("title: T\nstatus: draft\n{keys}key7: again\n"),
        "Body.\n",
    );
    let repeated = s.folio_bounded(&["check", "--format", "json"], 20, 2048);
    let findings = repeated.findings();
    assert_eq!(findings[0]["code"], "duplicate-key", "{repeated:?}");
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("first on line 11)"),
        "{repeated:?}"
    );
}
