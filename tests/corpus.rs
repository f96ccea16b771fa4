//! The bad-input corpus: every file in `tests/corpus/`, and the cases made
//! here that are too big or too odd to keep as files, checked as a page of
//! a fresh site by `folio check` and by the hook's `folio check --staged`.
//! Each must give exactly its expected finding codes (the hook may add
//! `new-page-state` for a page added past draft), within a time and
//! memory bound (`folio_bounded`), with folio's own exit code and no panic.

mod common;
use common::Sandbox;
use std::collections::BTreeSet;

/// The corpus files and their expected codes, from `tests/corpus/EXPECTED`.
fn expected() -> Vec<(String, BTreeSet<String>)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let text = std::fs::read_to_string(format!("{dir}/EXPECTED")).expect("EXPECTED");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let (file, codes) = l.split_once(": ").expect("`file: codes`");
            let codes = codes
                .split_whitespace()
                .filter(|c| *c != "-")
                .map(str::to_string)
                .collect();
            (file.to_string(), codes)
        })
        .collect()
}

/// The codes folio reports for `path`, checked both ways; asserts that
/// both runs end well and agree.
fn codes_for(s: &Sandbox, path: &str, case: &str) -> BTreeSet<String> {
    let of = |args: &[&str]| -> BTreeSet<String> {
        let run = s.folio_bounded(args, 30, 600);
        assert!(matches!(run.code, 0 | 1), "{case}: {run:?}");
        assert!(!run.stderr.contains("panicked"), "{case}: {run:?}");
        let findings = run.findings();
        let errors = findings.iter().any(|f| f["severity"] == "error");
        assert_eq!(run.code, i32::from(errors), "{case}: {run:?}");
        findings
            .iter()
            .filter(|f| f["path"] == path)
            .filter_map(|f| f["code"].as_str().map(str::to_string))
            .collect()
    };
    let worktree = of(&["check", "--format", "json"]);
    s.git(&["add", "-A"]);
    let staged = of(&["check", "--staged", "--format", "json"]);
    // The hook also judges the change: a page added in a state past
    // draft is one more finding there.
    let mut judged = worktree.clone();
    judged.extend(staged.iter().filter(|c| *c == "new-page-state").cloned());
    assert_eq!(judged, staged, "{case}: the hook and a check disagree");
    worktree
}

#[test]
fn every_file_of_the_corpus_gives_its_expected_findings() {
    let cases = expected();
    assert!(cases.len() >= 40, "{} cases", cases.len());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/corpus");
    let mut wrong = Vec::new();
    for (file, want) in &cases {
        let s = Sandbox::site();
        let bytes = std::fs::read(format!("{dir}/{file}")).expect("a corpus file");
        s.write("content/page.md", bytes);
        let got = codes_for(&s, "content/page.md", file);
        if &got != want {
            wrong.push(format!("{file}: expected {want:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every file is listed, and every listed file is there.
    let files: BTreeSet<String> = std::fs::read_dir(dir)
        .expect("corpus")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n != "EXPECTED")
        .collect();
    let listed: BTreeSet<String> = cases.into_iter().map(|(f, _)| f).collect();
    assert_eq!(files, listed);
}

/// One made case: a name, what to put in the site, the path its findings
/// are about, and the codes expected there.
struct Made {
    name: &'static str,
    setup: fn(&Sandbox),
    path: &'static str,
    codes: &'static [&'static str],
}

const DRAFT: &str = "---\ntitle: T\nstatus: draft\n---\n";

#[test]
fn the_made_cases_give_their_expected_findings() {
    let made = [
        Made {
            name: "a 10 MB page",
            setup: |s| {
                s.write(
                    "content/page.md",
                    format!("{DRAFT}{}", "Words and more words.\n".repeat(480_000)),
                );
            },
            path: "content/page.md",
            codes: &["page-too-large"],
        },
        Made {
            name: "a line of 1 MB",
            setup: |s| {
                s.write(
                    "content/page.md",
                    format!("{DRAFT}{}\n", "word ".repeat(200_000)),
                );
            },
            path: "content/page.md",
            codes: &[],
        },
        Made {
            name: "20,000 broken links on one line",
            setup: |s| {
                s.write(
                    "content/page.md",
                    format!("{DRAFT}{}\n", "[l](nope.md) ".repeat(20_000)),
                );
            },
            path: "content/page.md",
            codes: &["broken-link", "more-findings"],
        },
        Made {
            name: "300,000 brackets and citation openers",
            setup: |s| {
                s.write(
                    "content/page.md",
                    format!("{DRAFT}{}\n", "[[@[a](".repeat(100_000)),
                );
            },
            path: "content/page.md",
            codes: &[],
        },
        Made {
            name: "a page that is a folder",
            setup: |s| {
                std::fs::create_dir_all(s.path("content/page.md")).expect("mkdir");
                s.write("content/other.md", DRAFT);
            },
            path: "content/page.md",
            codes: &[],
        },
        Made {
            name: "a symbolic link loop",
            setup: |s| {
                std::fs::create_dir_all(s.path("content")).expect("mkdir");
                std::os::unix::fs::symlink("page.md", s.path("content/page.md")).expect("symlink");
            },
            path: "content/page.md",
            codes: &["symlink"],
        },
        Made {
            name: "a path with a newline",
            setup: |s| {
                s.write("content/new\nline.md", DRAFT);
            },
            path: "content/new\nline.md",
            codes: &["bad-page-id"],
        },
    ];
    for case in made {
        let s = Sandbox::site();
        (case.setup)(&s);
        let got = codes_for(&s, case.path, case.name);
        let want: BTreeSet<String> = case.codes.iter().map(|c| c.to_string()).collect();
        assert_eq!(got, want, "{}", case.name);
    }
}
