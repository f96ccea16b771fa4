//! An existing site adopts folio as it is: its own file names, its own
//! frontmatter keys, its own review schedule, and pages without a status.

mod common;

use chrono::NaiveDate;
use common::{Run, Sandbox, TODAY};

fn codes_at(findings: &[serde_json::Value], path: &str) -> Vec<String> {
    findings
        .iter()
        .filter(|f| f["path"] == path)
        .map(|f| f["code"].as_str().unwrap_or("").to_string())
        .collect()
}

fn check_json(s: &Sandbox) -> (Run, Vec<serde_json::Value>) {
    let run = s.folio(&["check", "--format", "json"]);
    let findings = run.findings();
    (run, findings)
}

#[test]
fn the_sites_files_and_keys_are_read_as_the_site_has_them() {
    let s = Sandbox::adopted();
    let (run, findings) = check_json(&s);
    assert_eq!(run.json()["summary"]["pages"], 7, "{run:?}");
    // No page is refused for its name, its missing status or its own keys.
    for code in [
        "bad-page-id",
        "missing-status",
        "unknown-key",
        "no-frontmatter",
    ] {
        assert!(
            findings.iter().all(|f| f["code"] != code),
            "{code}: {run:?}"
        );
    }
    // The partial and the README are not pages.
    assert!(
        !run.stdout.contains("partials/") && !run.stdout.contains("README"),
        "{run:?}"
    );
    // An interval that cannot be read is one finding, on its line.
    let soon: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["path"] == "source/manual/soon.html.md" && f["code"] == "bad-duration")
        .collect();
    assert_eq!(soon.len(), 1, "{run:?}");
    assert_eq!(
        (soon[0]["line"].as_u64(), soon[0]["column"].as_u64()),
        (Some(5), Some(12))
    );
    assert!(
        soon[0]["message"]
            .as_str()
            .unwrap()
            .contains("`review_in` is `soon`"),
        "{run:?}"
    );
    // Each page is stale on its own schedule, in the site's words.
    let stale = |path: &str| {
        findings
            .iter()
            .find(|f| f["path"] == path && f["code"] == "stale")
            .map(|f| f["message"].as_str().unwrap().to_string())
    };
    assert_eq!(
        stale("source/manual/old.html.md").as_deref(),
        Some("last reviewed on 2019-06-24, more than 6 months ago (due 2019-12-24)")
    );
    assert_eq!(
        stale("source/manual/quick.html.md").as_deref(),
        Some("last reviewed on 2026-08-01, more than 81 days ago (due 2026-10-21)")
    );
    assert_eq!(
        stale("source/manual/plain.html.md").as_deref(),
        Some("last reviewed on 2026-01-01, more than 180 days ago (due 2026-06-30)")
    );
    for fresh in [
        "source/manual/current.html.md",
        "source/index.html.md.erb",
        "source/manual/soon.html.md",
    ] {
        assert_eq!(stale(fresh), None, "{fresh}: {run:?}");
    }
    // A status-less page is promoted, so what promoted demands is asked in
    // the site's key names; the site's word `wip` is a draft.
    let missing: Vec<&str> = findings
        .iter()
        .filter(|f| f["path"] == "source/manual/current.html.md" && f["code"] == "missing-field")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        missing.contains(&"a promoted page needs `summary`"),
        "{missing:?}"
    );
    assert!(
        codes_at(&findings, "source/manual/wip.html.md").is_empty(),
        "{run:?}"
    );
    // A site's own key is left alone, a typo of a mapped key is still one.
    s.write(
        "source/manual/typo.html.md",
        "---\ntitle: T\nstatus: wip\nlast_reviewed_onn: 2026-01-01\nparent: x\n---\n",
    );
    let (run, findings) = check_json(&s);
    let typo: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["path"] == "source/manual/typo.html.md")
        .collect();
    assert_eq!(typo.len(), 1, "{run:?}");
    assert_eq!(
        typo[0]["message"],
        "unknown key `last_reviewed_onn`; did you mean `last_reviewed_on`?"
    );
}

#[test]
fn status_lists_what_is_overdue_as_a_person_would_compute_it() {
    let s = Sandbox::adopted();
    let run = s.folio(&["status", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    let today: NaiveDate = TODAY.parse().unwrap();
    // By hand: each review date plus the page's own interval, or the
    // policy's 180 days, on the calendar.
    let expected = [
        ("manual/old.html", "2019-12-24", "review_in", "6 months"),
        ("manual/plain.html", "2026-06-30", "", "180 days"),
        ("manual/quick.html", "2026-10-21", "review_in", "81 days"),
    ];
    let overdue = run.json()["overdue"].as_array().unwrap().clone();
    assert_eq!(overdue.len(), expected.len(), "{run:?}");
    for (o, (id, due, key, interval)) in overdue.iter().zip(expected) {
        assert_eq!(o["id"], id);
        assert_eq!(o["due"], due);
        assert_eq!(o["interval"], interval);
        assert_eq!(o["last_reviewed_key"], "last_reviewed_on");
        assert_eq!(o["interval_key"].as_str().unwrap_or(""), key);
        let days = (today - due.parse::<NaiveDate>().unwrap()).num_days();
        assert_eq!(o["days_overdue"], days, "{o}");
    }
    let human = s.folio(&["status"]);
    let section: Vec<&str> = human
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("overdue"))
        .take(4)
        .collect();
    assert_eq!(
        section[0], "overdue: the review is past due, longest first (3)",
        "{human:?}"
    );
    assert!(
        section[1].contains("manual/old.html")
            && section[1].contains(
                "due 2019-12-24, 2530 days ago (last_reviewed_on 2019-06-24 + review_in 6 months)"
            ),
        "{human:?}"
    );
    assert!(section[2].contains("180 days by the policy"), "{human:?}");
    // The ids are the site's paths without the ending; states by default.
    let pages = run.json()["pages"].as_array().unwrap().clone();
    let ids: Vec<&str> = pages.iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert!(
        ids.contains(&"index.html") && ids.contains(&"manual/wip.html"),
        "{ids:?}"
    );
    let state = |id: &str| pages.iter().find(|p| p["id"] == id).unwrap()["state"].clone();
    assert_eq!(state("manual/old.html"), "promoted");
    assert_eq!(state("manual/wip.html"), "draft");
}

#[test]
fn commands_write_the_sites_own_keys_and_words() {
    let s = Sandbox::adopted();
    for page in ["current", "wip"] {
        let path = format!("source/manual/{page}.html.md");
        let text = String::from_utf8(s.read(&path)).unwrap();
        s.write(
            &path,
            text.replacen("title:", "summary: S\naudience: A\ntitle:", 1),
        );
    }
    let baseline = s.folio(&["baseline"]);
    assert_eq!(baseline.code, 0, "{baseline:?}");
    s.git(&["commit", "-qm", "the site as it was, and its baseline"]);
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "the rest"]);
    // From here on, each step is committed through the hook, as an editor
    // would.
    assert_eq!(s.folio(&["hook", "install"]).code, 0);
    let commit = |message: &str| {
        let run = s.run_in(s.root(), "git", &["commit", "-qm", message], &[]);
        assert_eq!(run.code, 0, "{run:?}");
        let left = s.git(&["status", "--porcelain"]);
        assert_eq!(left.stdout, "", "{message}: {left:?}");
    };
    // A review signs with the site's date key; what the site accepted does
    // not stop it.
    let review = s.folio(&[
        "review",
        "manual/old.html",
        "--reviewer",
        "ana",
        "--by",
        "mara",
    ]);
    assert_eq!(review.code, 0, "{review:?}");
    let old = String::from_utf8(s.read("source/manual/old.html.md")).unwrap();
    assert!(old.contains("last_reviewed_on: 2026-11-27\n"), "{old}");
    assert!(
        old.contains("review_in: 6 months\n") && !old.contains("last_reviewed:"),
        "{old}"
    );
    commit("review the old page");
    let status = s.folio(&["status", "--format", "json"]);
    let overdue = status.json()["overdue"].as_array().unwrap().clone();
    assert!(
        overdue.iter().all(|o| o["id"] != "manual/old.html"),
        "{status:?}"
    );
    // A page without a status moves from its default state: the status is
    // added in the site's key.
    let back = s.folio(&[
        "move",
        "source/manual/current.html.md",
        "research",
        "--note",
        "rechecking",
        "--by",
        "mara",
    ]);
    assert_eq!(back.code, 0, "{back:?}");
    let current = String::from_utf8(s.read("source/manual/current.html.md")).unwrap();
    assert!(current.contains("status: research\n---\n"), "{current}");
    commit("back to research");
    // A move writes the site's word for the state, and takes it as input.
    let forward = s.folio(&["move", "manual/wip.html", "research", "--by", "mara"]);
    assert_eq!(forward.code, 0, "{forward:?}");
    commit("wip to research");
    let back = s.folio(&[
        "move",
        "manual/wip.html",
        "wip",
        "--note",
        "not yet",
        "--by",
        "mara",
    ]);
    assert_eq!(back.code, 0, "{back:?}");
    let wip = String::from_utf8(s.read("source/manual/wip.html.md")).unwrap();
    assert!(wip.contains("status: wip\n"), "{wip}");
    commit("and back");
    // The id of an .html.md.erb page names it.
    let history = s.folio(&["history", "index.html", "--format", "json"]);
    assert_eq!(history.code, 0, "{history:?}");
    assert!(
        history.stdout.contains("source/index.html.md.erb"),
        "{history:?}"
    );
    // A page folio creates is named like the site's pages.
    let wrong = s.folio(&["new", "manual/fresh", "--title", "Fresh"]);
    assert_eq!(wrong.code, 2, "{wrong:?}");
    assert!(
        wrong
            .stderr
            .contains("source/manual/fresh.md would not be one of the site's pages"),
        "{wrong:?}"
    );
    let right = s.folio(&[
        "new",
        "manual/fresh.html",
        "--title",
        "Fresh",
        "--owner",
        "#docs",
    ]);
    assert_eq!(right.code, 0, "{right:?}");
    // In the site's keys and its word for a draft, and it commits.
    let fresh = String::from_utf8(s.read("source/manual/fresh.html.md")).unwrap();
    assert!(
        fresh.contains("owner_slack: \"#docs\"\n") && fresh.contains("status: wip\n"),
        "{fresh}"
    );
    assert!(!fresh.contains("\nowner:"), "{fresh}");
    commit("a new page");
    let check = s.folio(&["check", "manual/fresh.html", "--format", "json"]);
    assert_eq!(check.findings().len(), 0, "{check:?}");
}

#[test]
fn after_the_baseline_only_what_is_new_is_reported() {
    let s = Sandbox::adopted();
    // The site as it was, its pages committed before folio came.
    s.git(&["rm", "-q", "--cached", "-r", "--ignore-unmatch", "."]);
    let policy = s.read("review/policy.yaml");
    std::fs::remove_file(s.path("review/policy.yaml")).unwrap();
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "the site as it was"]);
    s.write("review/policy.yaml", policy);
    s.git(&["add", "-A"]);
    assert_eq!(s.folio(&["hook", "install"]).code, 0);
    let before = s.folio(&["check", "--format", "json"]);
    let accepted = before.findings().len();
    assert!(accepted > 10, "{before:?}");
    let baseline = s.folio(&["baseline"]);
    assert_eq!(baseline.code, 0, "{baseline:?}");
    assert!(
        baseline.stdout.starts_with(&format!(
            "wrote review/baseline.json: {accepted} findings accepted (0 kept, 0 dropped as fixed, {accepted} added)"
        )) && baseline.stdout.contains("next: git commit"),
        "{baseline:?}"
    );
    // Staged by the command; the hook passes the commit that adopts.
    let adopt = s.git(&["commit", "-qm", "adopt folio"]);
    assert_eq!(adopt.code, 0, "{adopt:?}");
    let check = s.folio(&["check"]);
    assert_eq!(check.code, 0, "{check:?}");
    assert!(
        check.stdout.ends_with(&format!(
            "no findings; {accepted} findings in the baseline left out\n"
        )),
        "{check:?}"
    );
    // Lines shift above every finding and another key changes: still
    // silent.
    let path = "source/manual/old.html.md";
    let old = String::from_utf8(s.read(path)).unwrap();
    let shifted = old
        .replacen("---\n", "---\nextra: 1\nmore: 2\n", 1)
        .replace("layout: core", "layout: wide");
    s.write(path, &shifted);
    s.git(&["add", path]);
    let staged = s.folio(&["check", "--staged"]);
    assert_eq!(staged.code, 0, "{staged:?}");
    assert!(
        staged.stdout.contains("in the baseline left out"),
        "{staged:?}"
    );
    let commit = s.git(&["commit", "-qm", "edit an old page"]);
    assert_eq!(commit.code, 0, "{commit:?}");
    // A new finding fails the hook; the accepted ones stay silent.
    s.write(
        path,
        shifted.replace("Text.", "It is 10x faster than before."),
    );
    let hook = s.run_in(s.root(), "git", &["commit", "-qam", "a claim"], &[]);
    assert_ne!(hook.code, 0, "{hook:?}");
    assert!(
        hook.stderr.contains("error[universal-multiplier]"),
        "{hook:?}"
    );
    assert!(!hook.stderr.contains("missing-field"), "{hook:?}");
    // The pull request that adopted folio and edited a page introduces
    // nothing new, in CI's check and in the reviewer's summary.
    let range = s.folio(&["check", "--range", "HEAD~2..HEAD", "--format", "json"]);
    assert_eq!(range.code, 0, "{range:?}");
    assert_eq!(
        range.json()["summary"]["baseline"]["silenced"],
        accepted,
        "{range:?}"
    );
    let summary = s.folio(&["summary", "HEAD~2..HEAD", "--format", "json"]);
    assert_eq!(summary.code, 0, "{summary:?}");
    let findings = &summary.json()["findings"];
    assert_eq!(
        findings["introduced"].as_array().map(Vec::len),
        Some(0),
        "{summary:?}"
    );
    assert_eq!(findings["in_baseline"], accepted, "{summary:?}");
    let markdown = s.folio(&["summary", "HEAD~2..HEAD"]);
    assert!(
        markdown.stdout.contains(&format!(
            "{accepted} findings the site accepted in review/baseline.json are not listed."
        )),
        "{markdown:?}"
    );
    s.git(&["checkout", "--", path]);
    // A fixed finding is counted, and drops out at the next baseline.
    let fixed = shifted.replace(
        "review_in: 6 months\n",
        "review_in: 6 months\nsummary: Now it has one.\n",
    );
    s.write(path, fixed);
    let check = s.folio(&["check"]);
    assert!(
        check.stdout.contains("folio: 1 finding in the baseline no longer found (fixed): run `folio baseline` to drop it"),
        "{check:?}"
    );
    let renewed = s.folio(&["baseline"]);
    assert!(
        renewed.stdout.starts_with(&format!(
            "wrote review/baseline.json: {} findings accepted ({} kept, 1 dropped as fixed, 0 added)",
            accepted - 1,
            accepted - 1
        )),
        "{renewed:?}"
    );
    let diff = s.git(&["diff", "--cached", "--stat"]);
    assert!(diff.stdout.contains("review/baseline.json"), "{diff:?}");
    // A baseline folio cannot read stops the check, saying where.
    s.write("review/baseline.json", "{ not json");
    let broken = s.folio(&["check"]);
    assert_eq!(broken.code, 2, "{broken:?}");
    assert!(
        broken
            .stderr
            .contains("review/baseline.json:1:3: the baseline cannot be read"),
        "{broken:?}"
    );
}

#[test]
fn a_hugo_site_keeps_its_sections_names_and_partials() {
    let s = Sandbox::new();
    s.write(
        "review/policy.yaml",
        "pages:\n  include: [\"**/*.md\"]\n  exclude: [\"_common/**\"]\nstates: {default: promoted}\nreviewers: [ana]\n",
    );
    let page = |path: &str, front: &str| {
        s.write(
            &format!("content/{path}"),
            format!("---\ntitle: T\n{front}---\nText.\n"),
        );
    };
    page("en/docs/_index.md", "status: draft\n");
    page("en/docs/bundle/index.md", "status: draft\n");
    page(
        "en/Where.md",
        "status: draft\nreview_in: 6 months\nweight: 10\n",
    );
    s.write(
        "content/_common/partial.md",
        "{{< partial >}} no frontmatter\n",
    );
    s.write("content/en/toml.md", "+++\ntitle = \"T\"\n+++\nText.\n");
    let (run, findings) = check_json(&s);
    // One finding for the TOML page, with what to do; nothing else.
    assert_eq!(findings.len(), 1, "{run:?}");
    assert_eq!(findings[0]["code"], "toml-frontmatter");
    assert_eq!(findings[0]["path"], "content/en/toml.md");
    assert_eq!(run.json()["summary"]["pages"], 4, "{run:?}");
    let status = s.folio(&["status", "--format", "json"]);
    let ids: Vec<String> = status.json()["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    for id in ["en/docs/_index", "en/docs/bundle/index", "en/Where"] {
        assert!(ids.contains(&id.to_string()), "{id}: {ids:?}");
    }
    // After a rename, the history follows the page by its new id.
    s.git(&["add", "-A"]);
    s.git(&["commit", "-qm", "site"]);
    s.git(&["mv", "content/en/Where.md", "content/en/Here.md"]);
    s.git(&["commit", "-qm", "rename"]);
    let history = s.folio(&["history", "en/Here", "--format", "json"]);
    assert_eq!(history.code, 0, "{history:?}");
    assert!(
        history.stdout.contains("content/en/Where.md"),
        "{history:?}"
    );
}

#[test]
fn a_policy_that_cannot_be_used_says_where() {
    let s = Sandbox::adopted();
    let refused = |policy: &str, line: &str, says: &str| {
        s.write("review/policy.yaml", policy);
        let run = s.folio(&["check"]);
        assert_eq!(run.code, 2, "{run:?}");
        assert!(
            run.stderr.contains(line) && run.stderr.contains(says),
            "{says}: {run:?}"
        );
    };
    refused(
        "pages:\n  include:\n    - \"**/*.md\"\n    - \"**/*.{md\"\n",
        "policy.yaml:4:",
        "glob folio cannot read",
    );
    refused(
        "pages:\n  include: [\"**/*.md\", \"**/*.{md\"]\n",
        "policy.yaml:2:",
        "glob folio cannot read",
    );
    refused("pages:\n  include: []\n", "policy.yaml:2:", "no pages");
    refused(
        "fields:\n  last_review: x\n",
        "policy.yaml:2:",
        "did you mean `last_reviewed`?",
    );
    refused(
        "fields:\n  owner: title\n",
        "policy.yaml:1:",
        "`title` and `owner` would both be read from `title`",
    );
    refused(
        "states:\n  words: {draft: promoted}\n",
        "policy.yaml:2:",
        "would name both draft and promoted",
    );
    refused(
        "states:\n  default: live\n",
        "policy.yaml:2:",
        "`live` is not one of",
    );
}
