//! The pre-commit hook and `--range`, with the real hook installed and the
//! real `git commit`: each test asserts that a commit is accepted or
//! rejected, and what folio said.

mod common;
use common::{Run, Sandbox, ok, texts};

/// A page that meets everything `state` demands, with a body long enough
/// for git's rename detection to recognise it after an edit.
fn page(state: &str, extra: &str) -> String {
    let mut body = String::from("# A page\n\n");
    for n in 1..=12 {
        body.push_str(&format!(
            "Paragraph {n} describes how runtimes schedule work [@onnx-spec].\n"
        ));
    }
    body.push_str(extra);
    format!(
        "---\ntitle: A page\nsummary: What it is for.\naudience: Engineers\nstatus: {state}\nowner: mara\nreviewers: [ana]\nlast_reviewed: 2026-11-20\n---\n{body}"
    )
}

/// A site with the hook installed and one committed draft page, `content/p.md`.
fn repo_with_hook() -> Sandbox {
    let s = Sandbox::site();
    let run = s.folio(&["hook", "install"]);
    assert_eq!(run.code, 0, "{run:?}");
    s.write("content/p.md", page("draft", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "add p as draft"]));
    s
}

impl Sandbox {
    fn commit(&self, args: &[&str]) -> Run {
        let mut all = vec!["commit", "-q"];
        all.extend_from_slice(args);
        self.run_in(self.root(), "git", &all, &[])
    }

    fn head(&self) -> String {
        self.git(&["rev-parse", "HEAD"]).stdout.trim().to_string()
    }
}

fn accepted(run: &Run) {
    assert_eq!(
        run.code, 0,
        "the commit should have been accepted:\n{run:?}"
    );
}

/// Asserts git refused the commit and returns folio's words (git shows a
/// hook's output on its own stderr).
fn rejected(run: &Run) -> String {
    assert_ne!(
        run.code, 0,
        "the commit should have been rejected:\n{run:?}"
    );
    assert!(
        run.stderr.contains("folio: checked"),
        "folio did not run:\n{run:?}"
    );
    run.stderr.clone()
}

#[test]
fn a_legal_move_is_accepted_and_a_skipped_state_is_rejected_with_the_fix() {
    let s = repo_with_hook();
    s.write("content/p.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "skip research"]));
    insta::assert_snapshot!(out);
    assert!(
        out.contains("`status` moves from draft to reviewed, which is not a legal move")
            && out.contains("from draft a page may move to research"),
        "{out}"
    );
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "to research"]));
}

#[test]
fn a_new_page_starts_as_a_draft() {
    let s = repo_with_hook();
    s.write("content/q.md", page("research", ""));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "new research page"]));
    assert!(
        out.contains("error[new-page-state]: a new page starts as draft, not research"),
        "{out}"
    );
    assert!(out.contains("--> content/q.md:5:9"), "{out}");
}

#[test]
fn only_the_staged_half_of_a_page_is_judged() {
    let s = repo_with_hook();
    // Staged: a legal move. Working tree afterwards: a broken page.
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "content/p.md"]);
    s.write("content/p.md", "---\ntitle: [broken\n---\n");
    accepted(&s.commit(&["-m", "to research"]));
    // Staged: a skipped state. Working tree afterwards: a legal page.
    s.write("content/p.md", page("promoted", ""));
    s.git(&["add", "content/p.md"]);
    s.write("content/p.md", page("reviewed", ""));
    let out = rejected(&s.commit(&["-m", "skip"]));
    assert!(out.contains("moves from research to promoted"), "{out}");
}

#[test]
fn commit_all_judges_the_temporary_index() {
    let s = repo_with_hook();
    s.write("content/p.md", page("promoted", ""));
    let out = rejected(&s.commit(&["-a", "-m", "all"]));
    assert!(out.contains("moves from draft to promoted"), "{out}");
    s.write("content/p.md", page("research", ""));
    accepted(&s.commit(&["-a", "-m", "all"]));
}

#[test]
fn commit_with_paths_judges_only_those_paths() {
    let s = repo_with_hook();
    s.write("content/q.md", page("draft", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "add q"]));
    // p is broken in the working tree but not part of `git commit content/q.md`.
    s.write("content/p.md", page("promoted", ""));
    s.write("content/q.md", page("research", ""));
    accepted(&s.commit(&["-m", "only q", "content/q.md"]));
    // `-i` adds p to what is committed, so its skipped state is judged.
    s.write("content/q.md", page("research", "An edit of q.\n"));
    let out = rejected(&s.commit(&["-m", "q and p", "-i", "content/q.md", "content/p.md"]));
    assert!(out.contains("content/p.md"), "{out}");
    assert!(!out.contains("content/q.md:"), "q's edit is fine: {out}");
    // Whatever was rejected, the index still holds what was staged before.
    let staged = s.git(&["diff", "--cached", "--name-only"]);
    assert_eq!(staged.stdout, "", "{staged:?}");
}

#[test]
fn amend_is_judged_against_the_parent_of_the_commit_it_replaces() {
    let s = repo_with_hook();
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "to research"]));
    // Rewording keeps draft -> research: legal.
    accepted(&s.commit(&["--amend", "-m", "move p to research"]));
    // Amending it to reviewed makes the commit draft -> reviewed.
    s.write("content/p.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["--amend", "-m", "to reviewed"]));
    assert!(out.contains("moves from draft to reviewed"), "{out}");
    assert!(
        out.contains(
            "(compared with the parent of the commit being amended, as --amend replaces HEAD)"
        ),
        "the message says why the move starts from draft: {out}"
    );
    // The same content as a new commit on top is research -> reviewed: legal.
    accepted(&s.commit(&["-m", "to reviewed"]));
}

#[test]
fn the_first_commit_of_a_repository_without_a_default_branch_setting() {
    let s = Sandbox::bare_folder();
    s.git(&["init", "-q"]);
    s.write("review/policy.yaml", "reviewers: [ana]\n");
    s.write("content/sources.yaml", "[]\n");
    let run = s.folio(&["hook", "install"]);
    assert_eq!(run.code, 0, "{run:?}");
    s.write(
        "content/p.md",
        "---\ntitle: P\nstatus: research\n---\nBody\n",
    );
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "first"]));
    assert!(
        out.contains("a new page starts as draft, not research"),
        "{out}"
    );
    s.write("content/p.md", "---\ntitle: P\nstatus: draft\n---\nBody\n");
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "first"]));
}

#[test]
fn a_conflicted_merge_does_not_judge_pages_that_come_from_the_other_side() {
    let s = repo_with_hook();
    s.write("content/q.md", page("draft", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "add q"]));
    s.git(&["checkout", "-q", "-b", "topic"]);
    s.write("content/p.md", page("research", "Topic's line.\n"));
    s.write("content/q.md", page("research", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "topic moves p and q"]));
    s.git(&["checkout", "-q", "main"]);
    s.write("content/p.md", page("draft", "Main's line.\n"));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "main edits p"]));
    let merge = s.run_in(s.root(), "git", &["merge", "-q", "topic"], &[]);
    assert_ne!(merge.code, 0, "the merge should conflict: {merge:?}");
    // Resolve p with both lines, in topic's state; q came unchanged from topic.
    s.write(
        "content/p.md",
        page("research", "Topic's line.\nMain's line.\n"),
    );
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-edit"]));
    assert_eq!(
        s.git(&["rev-list", "--parents", "-1", "HEAD"])
            .stdout
            .split(' ')
            .count(),
        3
    );
}

#[test]
fn a_conflicted_merge_resolved_into_an_illegal_state_is_rejected() {
    let s = repo_with_hook();
    s.git(&["checkout", "-q", "-b", "topic"]);
    s.write("content/p.md", page("research", "Topic's line.\n"));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "topic"]));
    s.git(&["checkout", "-q", "main"]);
    s.write("content/p.md", page("draft", "Main's line.\n"));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "main"]));
    assert_ne!(
        s.run_in(s.root(), "git", &["merge", "-q", "topic"], &[])
            .code,
        0
    );
    s.write("content/p.md", page("promoted", "Both lines.\n"));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["--no-edit"]));
    assert!(out.contains("moves from draft to promoted"), "{out}");
}

#[test]
fn intent_to_add_pages_are_not_part_of_the_commit() {
    let s = repo_with_hook();
    s.write("content/later.md", "not a page yet\n");
    s.git(&["add", "-N", "content/later.md"]);
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "content/p.md"]);
    accepted(&s.commit(&["-m", "p only"]));
    // With -a the intent-to-add file is committed, and judged.
    let out = rejected(&s.commit(&["-a", "-m", "everything"]));
    assert!(out.contains("content/later.md:1:1"), "{out}");
}

#[test]
fn a_renamed_page_keeps_its_state_whatever_diff_renames_says() {
    let s = repo_with_hook();
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "to research"]));
    s.git(&["config", "diff.renames", "false"]);
    s.git(&["mv", "content/p.md", "content/renamed.md"]);
    s.write(
        "content/renamed.md",
        page("research", "An edit after the move.\n"),
    );
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "rename p"]));
    // And the rename carries its history: a skip is still a skip.
    s.git(&["mv", "content/renamed.md", "content/again.md"]);
    s.write("content/again.md", page("promoted", "Another edit.\n"));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "rename and skip"]));
    assert!(out.contains("moves from research to promoted"), "{out}");
}

#[test]
fn a_symlinked_page_is_a_finding_and_its_target_is_never_read() {
    let s = repo_with_hook();
    s.write(
        "secret.txt",
        "---\ntitle: SECRET CONTENT\nstatus: draft\n---\n",
    );
    std::os::unix::fs::symlink("../secret.txt", s.path("content/link.md")).expect("symlink");
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "link"]));
    assert!(out.contains("error[symlink]"), "{out}");
    assert!(!out.contains("SECRET"), "{out}");
    let check = s.folio(&["check"]);
    assert!(
        check.stdout.contains("error[symlink]") && !check.stdout.contains("SECRET"),
        "{check:?}"
    );
}

#[test]
fn odd_file_names_are_printed_safely() {
    let s = repo_with_hook();
    let odd = [
        "content/with space.md",
        "content/quote\"s.md",
        "content/new\nline.md",
    ];
    for name in odd {
        s.write(name, "---\ntitle: T\nstatus: draf\n---\n");
    }
    s.write_bytes_name(
        b"content/caf\xe9.md",
        b"---\ntitle: T\nstatus: draft\n---\n",
    );
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "odd names"]));
    insta::assert_snapshot!(out);
    // The newline is shown escaped, the byte that is not UTF-8 as `\xNN`.
    assert!(
        out.contains(" --> content/new\\nline.md:1:1")
            && out.contains(" --> content/caf\\xe9.md:1:1")
            && !out.contains("new\nline"),
        "{out}"
    );
    let json = s.folio(&["check", "--staged", "--format", "json"]);
    let doc: serde_json::Value =
        serde_json::from_str(&json.stdout).unwrap_or_else(|e| panic!("{e}\n{json:?}"));
    assert_eq!(
        doc["findings"].as_array().map(Vec::len),
        Some(5),
        "{json:?}"
    );
}

#[test]
fn a_missing_blob_is_an_error_naming_the_path() {
    let s = repo_with_hook();
    s.write(
        "content/p.md",
        page("research", "Unique text for a new blob.\n"),
    );
    s.git(&["add", "-A"]);
    let id = remove_object(&s, ":content/p.md");
    assert_names_missing(&s.folio(&["check", "--staged"]), &id, "content/p.md");
}

/// Removes the loose object `rev` names; returns its id.
fn remove_object(s: &Sandbox, rev: &str) -> String {
    let id = s.git(&["rev-parse", rev]).stdout.trim().to_string();
    std::fs::remove_file(s.path(&format!(".git/objects/{}/{}", &id[..2], &id[2..])))
        .expect("remove the object");
    id
}

/// `run` failed on the missing object `id`, naming the file it was.
#[track_caller]
fn assert_names_missing(run: &Run, id: &str, path: &str) {
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .contains(&format!("the object {id} for {path} is missing")),
        "{run:?}"
    );
}

#[test]
fn history_names_the_page_a_missing_version_was() {
    let s = repo_with_hook();
    s.write("content/p.md", page("draft", "The first version.\n"));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "first"]);
    s.write("content/p.md", page("draft", "The second version.\n"));
    s.git(&["commit", "-qam", "second"]);
    let id = remove_object(&s, "HEAD~1:content/p.md");
    assert_names_missing(&s.folio(&["history", "p"]), &id, "content/p.md");
}

#[test]
fn a_long_history_is_read_by_git_or_without_it_and_names_a_missing_version() {
    // Past a few hundred versions, `history` reads them with `git
    // cat-file`; where git cannot be started it reads them through libgit2.
    let s = Sandbox::site();
    s.write(".gitignore", "scratch/\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "site"]);
    let versions: Vec<String> = (1..=300)
        .map(|n| {
            page(
                if n < 200 { "draft" } else { "research" },
                &format!("Edit {n}.\n"),
            )
        })
        .collect();
    let commits = s.commit_versions("content/p.md", &versions, true);
    let events = |run: Run| texts(&ok(run).json(), &["commit"]);
    let told = events(s.folio(&["history", "p", "--format", "json"]));
    assert_eq!(told, [[commits[0].as_str()], [commits[199].as_str()]]);
    let without_git = s.folio_env(
        &["history", "p", "--format", "json"],
        &[("PATH", "/nonexistent")],
    );
    assert_eq!(events(without_git), told);
    // A version git does not have: named with its page, git or not.
    let id = remove_object(&s, &format!("{}:content/p.md", commits[150]));
    assert_names_missing(&s.folio(&["history", "p"]), &id, "content/p.md");
    let without_git = s.folio_env(&["history", "p"], &[("PATH", "/nonexistent")]);
    assert_names_missing(&without_git, &id, "content/p.md");
}

#[test]
fn the_hook_never_writes_the_index() {
    let s = repo_with_hook();
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "-A"]);
    let before = s.read(".git/index");
    let run = s.folio(&["check", "--staged"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(s.read(".git/index"), before);
}

#[test]
fn range_catches_what_no_verify_let_through_and_names_the_commit() {
    let s = repo_with_hook();
    // On main already: a research page with a broken link (a warning),
    // and one whose broken link the range will fix.
    let broken = "See [the missing page](missing.md).\n";
    s.write("content/q.md", page("research", broken));
    s.write("content/r.md", page("research", broken));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "q and r"]));
    s.git(&["checkout", "-q", "-b", "topic"]);
    s.write("content/p.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "skip research"]));
    let skipped = s.head();
    s.write("content/p.md", page("promoted", ""));
    s.write(
        "content/q.md",
        page("research", &format!("{broken}More.\n")),
    );
    s.write("content/r.md", page("research", "See [the page](p.md).\n"));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "promote, edit q, fix r"]));
    let run = s.folio(&["check", "--range", "main..topic"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.contains(&format!(
            "in commit {} (\"skip research\"): `status` moves from draft to reviewed",
            &skipped[..7]
        )),
        "{run:?}"
    );
    // Only what the range introduced is listed; q's warning was there.
    assert!(!run.stdout.contains("content/q.md"), "{run:?}");
    assert!(
        run.stdout.ends_with(
            "folio: checked 2 commits and the 3 pages they touch: 1 error, 0 warnings introduced; 1 finding already there at the merge-base, 1 fixed\n"
        ),
        "{run:?}"
    );
    let json = s.folio(&["check", "--range", "main..topic", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(doc["findings"][0]["commit"], skipped.as_str(), "{json:?}");
    assert_eq!(
        doc["findings"].as_array().map(Vec::len),
        Some(1),
        "{json:?}"
    );
    assert_eq!(
        (&doc["summary"]["already_there"], &doc["summary"]["fixed"]),
        (&1.into(), &1.into()),
        "{json:?}"
    );
    // The clean path passes.
    let clean = s.folio(&["check", "--range", "topic..topic"]);
    assert_eq!(clean.code, 0, "{clean:?}");
}

#[test]
fn each_commit_of_a_range_is_judged_whether_or_not_a_later_one_touches_the_page() {
    let s = repo_with_hook();
    s.write("content/r.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "r, reviewed"]));
    s.git(&["checkout", "-q", "-b", "topic"]);
    // Each page is touched by one commit only, so the commit's blobs are
    // the ends of the range: judged from what the review read of them.
    s.write("content/p.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "skip research"]));
    let skipped = s.head();
    s.write(
        "content/r.md",
        page("reviewed", "An edit, with no record.\n"),
    );
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "edit r"]));
    let edited = s.head();
    let run = s.folio(&["check", "--range", "main..topic", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let found: Vec<(String, String, u64, u64, String)> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["code"].as_str().unwrap().to_string(),
                f["path"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
                f["column"].as_u64().unwrap(),
                f["commit"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (
                "illegal-transition".to_string(),
                "content/p.md".to_string(),
                5,
                9,
                skipped
            ),
            (
                "unrecorded-change".to_string(),
                "content/r.md".to_string(),
                5,
                9,
                edited
            ),
        ],
        "{run:?}"
    );
    let human = s.folio(&["check", "--range", "main..topic"]);
    assert!(
        human
            .stdout
            .contains(" --> content/r.md:5:9\n  |\n5 | status: reviewed\n"),
        "the snippet of the line, as if the page had been read: {human:?}"
    );
}

#[test]
fn a_range_annotates_only_the_files_it_touches() {
    let s = repo_with_hook();
    s.write(
        "content/gone.md",
        "---\ntitle: G\nstatus: draft\n---\nGoing.\n",
    );
    s.write(
        "content/u.md",
        "---\ntitle: U\nstatus: draft\n---\nSee [the other page](gone.md). Cites [@nowhere].\n",
    );
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "gone and u"]));
    s.git(&["checkout", "-q", "-b", "topic"]);
    s.git(&["rm", "-q", "content/gone.md"]);
    accepted(&s.commit(&["-m", "remove gone"]));
    let run = s.folio(&["check", "--range", "main..topic", "--format", "github"]);
    // A broken link on a draft is a warning: the range passes, and says so
    // on the page it did not touch in a log line, not an annotation.
    assert_eq!(run.code, 0, "{run:?}");
    assert!(!run.stdout.contains("::"), "{run:?}");
    assert!(
        run.stdout.contains(
            "folio: warning content/u.md:5:22 [broken-link] the link `gone.md` leads to content/gone.md, which is not a page"
        ),
        "{run:?}"
    );
    assert!(
        run.stdout.ends_with(
            "folio: checked 1 commit and 2 pages: 0 errors, 1 warning introduced; 2 findings already there at the merge-base, 0 fixed\n"
        ),
        "removing a page checks the whole site on both sides: {run:?}"
    );
}

#[test]
fn a_base_a_shallow_clone_lacks_is_said_to_be_beyond_its_history() {
    let s = repo_with_hook();
    s.write("content/p.md", page("draft", "Edited.\n"));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "edit"]));
    let run = s
        .shallow_clone()
        .folio(&["check", "--range", "HEAD~1..HEAD"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(
        run.stderr
            .starts_with("folio: error: `HEAD~1` is not in this clone, which is shallow")
            && run.stderr.contains("fetch-depth: 0")
            && !run.stderr.contains("not a revision"),
        "{run:?}"
    );
}

#[test]
fn a_shallow_clone_that_misses_the_merge_base_is_told_to_fetch_history() {
    let s = repo_with_hook();
    for n in 0..3 {
        s.write("content/p.md", page("draft", &format!("Edit {n}.\n")));
        s.git(&["add", "-A"]);
        accepted(&s.commit(&["-m", &format!("edit {n}")]));
    }
    let base = s.git(&["rev-parse", "HEAD~2"]).stdout.trim().to_string();
    let clone = Sandbox::bare_folder();
    let url = format!("file://{}", s.root().display());
    let target = clone.root().join("clone");
    let target = target.to_str().expect("utf-8 temp path");
    clone.run_in(
        clone.root(),
        "git",
        &["clone", "-q", "--depth", "1", &url, target],
        &[],
    );
    s.git(&["branch", "base", &base]);
    let cloned = clone.run_in(
        &clone.root().join("clone"),
        "git",
        &["fetch", "-q", "--depth", "1", "origin", "base"],
        &[],
    );
    assert_eq!(cloned.code, 0, "{cloned:?}");
    let run = clone.run_in(
        &clone.root().join("clone"),
        env!("CARGO_BIN_EXE_folio"),
        &["check", "--range", "FETCH_HEAD..HEAD"],
        &[],
    );
    assert_eq!(run.code, 2, "{run:?}");
    insta::assert_snapshot!(run.stderr);
    assert!(
        run.stderr.contains("the clone is shallow") && run.stderr.contains("fetch-depth: 0"),
        "{run:?}"
    );
}

#[test]
fn hook_install_is_idempotent_and_respects_other_hooks() {
    let s = Sandbox::site();
    let first = s.folio(&["hook", "install"]);
    assert_eq!(first.code, 0, "{first:?}");
    let hook = s.read(".git/hooks/pre-commit");
    let again = s.folio(&["hook", "install"]);
    assert!(again.stdout.contains("already installed"), "{again:?}");
    assert_eq!(s.read(".git/hooks/pre-commit"), hook);
    // Someone else's hook is not replaced without --force, then kept.
    s.write(".git/hooks/pre-commit", "#!/bin/sh\necho mine\n");
    let refused = s.folio(&["hook", "install"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(refused.stderr.contains("--force"), "{refused:?}");
    assert_eq!(s.read(".git/hooks/pre-commit"), b"#!/bin/sh\necho mine\n");
    let forced = s.folio(&["hook", "install", "--force"]);
    assert_eq!(forced.code, 0, "{forced:?}");
    assert_eq!(
        s.read(".git/hooks/pre-commit.before-folio"),
        b"#!/bin/sh\necho mine\n"
    );
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(s.path(".git/hooks/pre-commit"))
            .expect("hook")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o755);
    assert!(
        forced.stdout.contains("it still runs before folio's check"),
        "{forced:?}"
    );
    // The kept hook still runs, first: what it refuses is refused, and
    // folio's check runs after it.
    let executable = |path: &str| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(s.path(path), std::fs::Permissions::from_mode(0o755)).unwrap();
    };
    s.write(
        ".git/hooks/pre-commit.before-folio",
        "#!/bin/sh
echo mine >&2
exit 1
",
    );
    executable(".git/hooks/pre-commit.before-folio");
    s.write("content/p.md", page("draft", ""));
    s.git(&["add", "-A"]);
    let refused = s.run_in(s.root(), "git", &["commit", "-q", "-m", "p"], &[]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(
        refused.stderr.contains("mine") && !refused.stderr.contains("folio: checked"),
        "{refused:?}"
    );
    s.write(
        ".git/hooks/pre-commit.before-folio",
        "#!/bin/sh
echo mine >&2
",
    );
    let accepted = s.run_in(s.root(), "git", &["commit", "-q", "-m", "p"], &[]);
    assert_eq!(accepted.code, 0, "{accepted:?}");
    assert!(
        accepted
            .stderr
            .contains("mine\nfolio: checked 1 staged page"),
        "{accepted:?}"
    );
    s.write(
        ".git/hooks/pre-commit.before-folio",
        "#!/bin/sh
echo mine
",
    );
    let removed = s.folio(&["hook", "uninstall"]);
    assert_eq!(removed.code, 0, "{removed:?}");
    assert_eq!(s.read(".git/hooks/pre-commit"), b"#!/bin/sh\necho mine\n");
}

#[test]
fn hook_install_honours_core_hooks_path_and_worktrees() {
    let s = Sandbox::site();
    s.git(&["config", "core.hooksPath", "githooks"]);
    let run = s.folio(&["hook", "install"]);
    assert!(run.stdout.contains("githooks/pre-commit"), "{run:?}");
    assert!(s.path("githooks/pre-commit").exists());
    s.git(&["config", "--unset", "core.hooksPath"]);
    s.write("content/p.md", page("draft", ""));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "base"]);
    let tree = s.root().join("wt");
    s.git(&[
        "worktree",
        "add",
        "-q",
        tree.to_str().expect("utf-8"),
        "-b",
        "wt",
    ]);
    let run = s.run_in(
        &tree,
        env!("CARGO_BIN_EXE_folio"),
        &["hook", "install"],
        &[],
    );
    assert_eq!(run.code, 0, "{run:?}");
    // Worktrees share the main repository's hooks.
    assert!(s.path(".git/hooks/pre-commit").exists(), "{run:?}");
    std::fs::write(tree.join("content/p.md"), page("promoted", "")).expect("write");
    let commit = s.run_in(&tree, "git", &["commit", "-q", "-a", "-m", "skip"], &[]);
    assert_ne!(commit.code, 0, "{commit:?}");
    assert!(
        commit.stderr.contains("moves from draft to promoted"),
        "{commit:?}"
    );
}

/// The pre-commit framework builds folio from this repository's
/// `.pre-commit-hooks.yaml` (language: rust) and runs it on a real commit.
/// It compiles folio from scratch, so it is run on its own by `.ci/run`:
/// `cargo test --test hook -- --ignored pre_commit_framework`.
#[test]
#[ignore = "builds folio through pre-commit (minutes); run by .ci/run"]
fn pre_commit_framework_runs_the_manifest() {
    let folio_repo = env!("CARGO_MANIFEST_DIR");
    let s = Sandbox::site();
    let rev = s.run_in(
        std::path::Path::new(folio_repo),
        "git",
        &["rev-parse", "HEAD"],
        &[],
    );
    assert_eq!(rev.code, 0, "{rev:?}");
    s.write(
        ".pre-commit-config.yaml",
        format!(
            "repos:\n  - repo: {folio_repo}\n    rev: {}\n    hooks:\n      - id: folio\n",
            rev.stdout.trim()
        ),
    );
    // pre-commit needs cargo's and rustup's own homes, which the sealed
    // environment would otherwise hide behind the temporary HOME.
    let real_home = std::env::var("HOME").unwrap_or_default();
    let cargo_home = std::env::var("CARGO_HOME").unwrap_or(format!("{real_home}/.cargo"));
    let rustup_home = std::env::var("RUSTUP_HOME").unwrap_or(format!("{real_home}/.rustup"));
    let env = [
        ("CARGO_HOME", cargo_home.as_str()),
        ("RUSTUP_HOME", rustup_home.as_str()),
    ];
    let install = s.run_in(s.root(), "pre-commit", &["install"], &env);
    assert_eq!(install.code, 0, "{install:?}");
    s.write("content/p.md", page("draft", ""));
    s.git(&["add", "-A"]);
    let first = s.run_in(s.root(), "git", &["commit", "-q", "-m", "draft"], &env);
    assert_eq!(first.code, 0, "{first:?}");
    s.write("content/p.md", page("promoted", ""));
    s.git(&["add", "-A"]);
    let skipped = s.run_in(s.root(), "git", &["commit", "-q", "-m", "skip"], &env);
    assert_ne!(skipped.code, 0, "{skipped:?}");
    let said = format!("{}{}", skipped.stdout, skipped.stderr);
    assert!(said.contains("moves from draft to promoted"), "{skipped:?}");
}

#[test]
fn the_registry_is_judged_when_it_is_staged_and_read_only_when_needed() {
    let s = repo_with_hook();
    s.write("content/sources.yaml", "- id: onnx-spec\n  title: ONNX\n  url: onnx.ai\n  kind: specification\n  accessed: 2026-11-01\n");
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "bad url"]));
    assert!(
        out.contains("error[bad-source]: source `onnx-spec` has a url that is not http(s)"),
        "{out}"
    );
    // A registry that is not even YAML, committed past the hook, does not
    // stop a commit that stages no page: the hook has nothing to check it for.
    s.write("content/sources.yaml", "- id: [unclosed\n");
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["--no-verify", "-m", "broken registry"]));
    s.write("notes.txt", "not a page\n");
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "no page staged"]));
    // A staged page needs it, and gets the error with its position.
    s.write("content/p.md", page("draft", "An edit.\n"));
    s.git(&["add", "-A"]);
    let refused = s.commit(&["-m", "page"]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("content/sources.yaml:2:1: the registry is not valid YAML"),
        "{refused:?}"
    );
}

#[test]
fn a_finding_on_a_page_whose_working_tree_differs_says_it_is_as_staged() {
    let s = repo_with_hook();
    // Staged: draft -> reviewed (illegal). Then the editor fixes the file
    // but does not stage the fix.
    s.write("content/p.md", page("reviewed", ""));
    s.git(&["add", "-A"]);
    s.write("content/p.md", page("research", ""));
    let out = rejected(&s.commit(&["-m", "skip a state"]));
    assert!(
        out.contains("(as staged: the file in your working tree differs; `git add` it if that is what you mean to commit)"),
        "{out}"
    );
    // Doing what it says clears it.
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "to research"]));
    // With nothing unstaged, the note is not there.
    s.write("content/p.md", page("promoted", ""));
    s.git(&["add", "-A"]);
    let out = rejected(&s.commit(&["-m", "skip again"]));
    assert!(!out.contains("as staged"), "{out}");
}

#[test]
fn the_hook_says_it_judged_with_the_staged_policy_when_the_working_tree_s_differs() {
    let s = repo_with_hook();
    s.write("content/p.md", page("research", ""));
    s.git(&["add", "-A"]);
    accepted(&s.commit(&["-m", "to research"]));
    // Zoe is added to the roster in the working tree, but not staged.
    s.write("review/policy.yaml", "reviewers: [ana, jon, zoe]\n");
    s.write(
        "content/p.md",
        page("reviewed", "").replace("reviewers: [ana]", "reviewers: [zoe]"),
    );
    s.git(&["add", "content/p.md"]);
    let out = rejected(&s.commit(&["-m", "zoe signs"]));
    assert!(
        out.contains("`zoe` is not on the policy's reviewer roster"),
        "{out}"
    );
    assert!(
        out.contains("warning[unstaged-ground]: this commit is judged with the staged policy; review/policy.yaml in your working tree differs and is not staged"),
        "{out}"
    );
    assert!(
        out.contains("`git add review/policy.yaml` and commit again"),
        "{out}"
    );
    // Doing what it says clears both.
    s.git(&["add", "review/policy.yaml"]);
    let run = s.commit(&["-m", "zoe signs"]);
    accepted(&run);
    assert!(!run.stderr.contains("unstaged-ground"), "{run:?}");
}
