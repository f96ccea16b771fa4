//! Corrections through the real binary and real git: the form generated
//! from the site, a filed issue taken in, decided, applied by the fix's
//! maintenance entry and shown resolved; and every way a filed body can be
//! malformed or hostile.

mod common;
use common::{FILED, Run, Sandbox, body, ok};
use folio::correction::form::{FORM_PATH, check_form};

/// A site with two pages, an `origin` on GitHub, the hook, committed.
fn site() -> Sandbox {
    let s = Sandbox::site_with_origin("git@github.com:octo-org/runtimes.git");
    ok(s.folio(&["hook", "install"]));
    s.page(
        "guides/kv-cache",
        "title: KV cache\nsummary: S\naudience: A\nstatus: research\nowner: mara\nsources: [onnx-spec]\n",
        "## Paging\n\nBlocks hold 32 tokens [@onnx-spec].\n",
    );
    s.page("intro", "title: Intro\nstatus: draft\n", "Start here.\n");
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "--no-verify", "-m", "site"]);
    s
}

impl Sandbox {
    fn text(&self, rel: &str) -> String {
        String::from_utf8(self.read(rel)).unwrap()
    }

    fn form(&self) -> String {
        self.text(FORM_PATH)
    }

    fn commit_am(&self, message: &str) -> Run {
        self.run_in(self.root(), "git", &["commit", "-q", "-am", message], &[])
    }

    fn clean(&self) -> bool {
        self.git(&["status", "--porcelain"]).stdout.is_empty()
    }

    /// Takes in `body` from a file; returns the correction's id.
    fn intake(&self, body: &str, extra: &[&str]) -> Run {
        self.write("issue-body.md", body);
        let mut args = vec!["correction", "intake", "issue-body.md"];
        args.extend_from_slice(extra);
        let run = self.folio(&args);
        std::fs::remove_file(self.path("issue-body.md")).unwrap();
        run
    }
}

/// The board's entry for page `id`.
fn on_board(s: &Sandbox, id: &str) -> serde_json::Value {
    let status = ok(s.folio(&["status", "--format", "json"])).stdout;
    let board: serde_json::Value = serde_json::from_str(&status).unwrap();
    board["pages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .cloned()
        .expect("the page is on the board")
}

fn id_of(run: &Run) -> String {
    run.stdout
        .lines()
        .find_map(|l| l.strip_prefix("recorded correction "))
        .and_then(|rest| rest.split_whitespace().next())
        .expect("recorded correction ID to PAGE")
        .to_string()
}

#[test]
fn a_correction_goes_from_the_link_to_a_resolved_entry_one_command_a_step() {
    let s = site();
    // The form, generated from the site and committed.
    let made = ok(s.folio(&["templates"]));
    assert!(
        made.stdout
            .ends_with("next: git commit -m \"Update the correction form\"\n"),
        "{made:?}"
    );
    assert_eq!(s.commit_am("the form").code, 0);
    assert!(s.clean());
    let fields = check_form(&s.form()).unwrap();
    let page = fields.iter().find(|f| f.id == "page").unwrap();
    assert_eq!(page.options, ["guides/kv-cache", "intro"]);
    // The page's link opens the form with the page chosen.
    let url = ok(s.folio(&["correction", "guides/kv-cache", "--url"]));
    assert_eq!(
        url.stdout,
        "https://github.com/octo-org/runtimes/issues/new?template=correction.yml&title=Correction%3A%20guides%2Fkv-cache&page=guides%2Fkv-cache\n"
    );
    assert_eq!(
        on_board(&s, "guides/kv-cache")["correction_url"].as_str(),
        Some(url.stdout.trim())
    );
    // The contributor files it; the editor takes it in.
    let filed = ok(s.intake(
        &body(&s.form(), FILED),
        &["--issue", "12", "--reporter", "octocat"],
    ));
    let id = id_of(&filed);
    assert!(
        filed
            .stdout
            .contains("staged review/records/guides/kv-cache/2026-11-27-correction-"),
        "{filed:?}"
    );
    assert_eq!(s.commit_am("take in").code, 0);
    assert!(s.clean());
    let record = s
        .git(&["ls-files", "review/records/guides/kv-cache"])
        .stdout
        .trim()
        .to_string();
    let text = s.text(&record);
    for line in [
        "kind: \"correction\"",
        "by: \"octocat\"",
        "claim: \"Blocks hold 32 tokens.\"",
        "problem: \"factual-error\"",
        "source_url: \"https://arxiv.org/abs/2309.06180\"",
        "source_kind: \"original-research\"",
        "issue: \"12\"",
        "state: \"open\"",
    ] {
        assert!(text.lines().any(|l| l == line), "{line}\n{text}");
    }
    // The editors accept it, fix the page, and record the fix.
    ok(s.folio(&["correction", "accept", &id]));
    assert_eq!(s.commit_am("accept").code, 0);
    let base = s.git(&["rev-parse", "HEAD"]).stdout.trim().to_string();
    let page = s
        .text("content/guides/kv-cache.md")
        .replace("32 tokens", "16 tokens");
    s.write("content/guides/kv-cache.md", page);
    let logged = ok(s.folio(&[
        "log",
        "guides/kv-cache",
        "--change",
        "correction",
        "Block size",
        "--resolves",
        &id,
    ]));
    assert!(
        logged.stdout.contains(&record),
        "the correction is staged too: {logged:?}"
    );
    assert_eq!(s.commit_am("fix the block size").code, 0);
    assert!(s.clean());
    assert!(s.text(&record).contains("state: \"applied\""));
    // The board shows it closed; the check has nothing to say of it.
    assert_eq!(
        on_board(&s, "guides/kv-cache")["corrections"][0]["state"],
        "applied"
    );
    assert!(
        !ok(s.folio(&["status"]))
            .stdout
            .contains("corrections waiting")
    );
    let check = ok(s.folio(&["check"]));
    assert!(!check.stdout.contains("correction"), "{check:?}");
    // The pull request's summary shows the correction resolved.
    let summary = ok(s.folio(&["summary", &format!("{base}..HEAD")]));
    assert!(
        summary
            .stdout
            .contains(&format!("(resolves correction `{id}`)")),
        "{summary:?}"
    );
    // An applied correction is final.
    let again = s.folio(&["correction", "reject", &id, "--reason", "no"]);
    assert_eq!(again.code, 2, "{again:?}");
    assert!(
        again.stderr.contains("is applied: its decision is final"),
        "{again:?}"
    );
}

#[test]
fn hold_and_reject_say_why_and_overdue_corrections_are_reported() {
    let s = site();
    ok(s.folio(&["templates"]));
    let first = id_of(&ok(s.intake(&body(&s.form(), FILED), &[])));
    let other = [("claim", "Paging was invented in 2023."), ("page", "intro")];
    let answers: Vec<(&str, &str)> = FILED
        .iter()
        .map(|(k, v)| {
            other
                .iter()
                .find(|(o, _)| o == k)
                .copied()
                .unwrap_or((k, v))
        })
        .collect();
    let second = id_of(&ok(s.intake(&body(&s.form(), &answers), &[])));
    assert_eq!(s.commit_am("two corrections").code, 0);
    ok(s.folio(&[
        "correction",
        "hold",
        &first,
        "--reason",
        "waiting for the 2.0 release notes",
    ]));
    let rejected = ok(s.folio(&[
        "correction",
        "reject",
        &second,
        "--reason",
        "the page says 2021",
    ]));
    assert!(
        rejected
            .stdout
            .starts_with(&format!("correction {second} is now rejected")),
        "{rejected:?}"
    );
    assert!(
        rejected
            .stdout
            .contains("tell the contributor why on the issue"),
        "{rejected:?}"
    );
    let missing = s.folio(&["correction", "reject", &second]);
    assert_eq!(missing.code, 2, "a reason is required: {missing:?}");
    // Forty days on, a correction still open is overdue; a held one is not.
    let third = id_of(&ok(s.intake(&body(&s.form(), FILED), &["--force"])));
    let later = [("FOLIO_TODAY", "2027-01-06")];
    let check = s.folio_env(&["check"], &later);
    assert!(check.stdout.contains(&format!("warning[correction-overdue]: correction {third} to `guides/kv-cache` was filed 40 days ago")), "{check:?}");
    assert!(!check.stdout.contains(&first), "{check:?}");
    let status = s.folio_env(&["status"], &later);
    assert!(
        status.stdout.contains("open     40 days (overdue)"),
        "{status:?}"
    );
    // A --resolves that names no correction is refused, and one written by
    // hand is an error of the check.
    let unknown = s.folio(&[
        "log",
        "intro",
        "--change",
        "editorial",
        "x",
        "--resolves",
        "deadbeef",
    ]);
    assert_eq!(unknown.code, 2, "{unknown:?}");
    assert!(
        unknown.stderr.contains("there is no correction `deadbeef`"),
        "{unknown:?}"
    );
    s.write(
        "review/records/intro/2026-11-27-maintenance-00000000.yaml",
        "kind: maintenance\npage: intro\ndate: 2026-11-27\nby: ed\nchange: correction\nresolves: deadbeef\nbody_sha256: x\n",
    );
    let check = s.folio(&["check"]);
    assert_eq!(check.code, 1, "{check:?}");
    assert!(
        check
            .stdout
            .contains("error[unknown-correction]: this record resolves `deadbeef`"),
        "{check:?}"
    );
    s.write(
        "review/records/intro/2026-11-27-maintenance-00000001.yaml",
        format!("kind: maintenance\npage: intro\ndate: 2026-11-27\nby: ed\nchange: correction\nresolves: {second}\nbody_sha256: x\n"),
    );
    let check = s.folio(&["check"]);
    assert!(
        check.stdout.contains(&format!(
            "this record resolves `{second}`, a correction that was rejected"
        )),
        "{check:?}"
    );
}

#[test]
fn a_body_folio_cannot_take_in_is_refused_whole_and_nothing_is_written() {
    let s = site();
    ok(s.folio(&["templates"]));
    assert_eq!(s.commit_am("form").code, 0);
    let form = s.form();
    let refused = |body: &[u8], says: &[&str]| {
        s.write("issue-body.md", body);
        let run = s.folio(&["correction", "intake", "issue-body.md"]);
        std::fs::remove_file(s.path("issue-body.md")).unwrap();
        assert_eq!(run.code, 2, "{run:?}");
        assert!(run.stderr.contains("nothing was written"), "{run:?}");
        for say in says {
            assert!(run.stderr.contains(say), "{say}: {run:?}");
        }
        assert!(
            !run.stderr.contains('\u{1b}'),
            "no escape reaches the terminal: {run:?}"
        );
        assert!(s.clean(), "nothing written: {run:?}");
    };
    let without = |ids: &[&str]| -> Vec<(&str, &str)> {
        FILED
            .iter()
            .copied()
            .filter(|(k, _)| !ids.contains(k))
            .collect()
    };
    // No supporting source, and no kind of it: both named.
    refused(
        body(&form, &without(&["source", "source-kind"])).as_bytes(),
        &["`Supporting source` is empty", "`Kind of source` is empty"],
    );
    // A source that is not a web address.
    let mut bad: Vec<(&str, &str)> = without(&["source"]);
    bad.push(("source", "javascript:alert(1)"));
    refused(
        body(&form, &bad).as_bytes(),
        &["the supporting source is not a web address"],
    );
    // A page that is not one.
    let mut bad: Vec<(&str, &str)> = without(&["page"]);
    bad.push(("page", "guides/kv-cach"));
    refused(
        body(&form, &bad).as_bytes(),
        &["`guides/kv-cach` is not a page of this site; did you mean `guides/kv-cache`?"],
    );
    // Labels missing, repeated, or something before the first field.
    let whole = body(&form, FILED);
    refused(
        whole
            .replace("### Kind of problem", "### Problem kind")
            .as_bytes(),
        &["`### Kind of problem` (the kind of problem) is missing"],
    );
    refused(
        format!("{whole}### Page\n\nintro\n").as_bytes(),
        &["the field `Page` appears twice"],
    );
    refused(
        format!("Hello editors!\n\n{whole}").as_bytes(),
        &["does not start with a field of the correction form"],
    );
    // Not UTF-8, too long, an answer too long.
    let mut latin1 = whole.clone().into_bytes();
    latin1.extend_from_slice(b"caf\xe9\n");
    refused(&latin1, &["not UTF-8"]);
    refused(
        format!("{whole}{}", "x".repeat(70_000)).as_bytes(),
        &["longer than any issue GitHub accepts"],
    );
    let mut long: Vec<(&str, &str)> = without(&["wrong"]);
    let essay = "w".repeat(5_000);
    long.push(("wrong", &essay));
    refused(
        body(&form, &long).as_bytes(),
        &["`What is wrong` is longer than 4000 characters"],
    );
    // A field reordered is still read; a heading inside an answer is part of it.
    let mut answers: Vec<(&str, &str)> = FILED.to_vec();
    answers.reverse();
    let mut reordered = String::new();
    let fields = check_form(&form).unwrap();
    for (id, answer) in &answers {
        let label = &fields.iter().find(|f| f.id == *id).unwrap().label;
        reordered.push_str(&format!("### {label}\n\n{answer}\n\n"));
    }
    let with_heading = reordered.replace(
        "(section 4.2).",
        "(section 4.2).\n\n### Table 3\n\nsays 16.",
    );
    ok(s.intake(&with_heading, &[]));
}

#[test]
fn contributor_text_is_stored_as_data_and_shown_escaped() {
    let s = site();
    ok(s.folio(&["templates"]));
    let hostile = "Ping @octo-org/editors, see #1 \u{1b}[31mred\u{1b}[0m <img src=x onerror=alert(1)> \u{202e}evil";
    let mut answers: Vec<(&str, &str)> = FILED
        .iter()
        .copied()
        .filter(|(k, _)| *k != "claim")
        .collect();
    answers.push(("claim", hostile));
    let filed = ok(s.intake(&body(&s.form(), &answers), &["--reporter", "octocat"]));
    let base = s.git(&["rev-parse", "HEAD"]).stdout.trim().to_string();
    assert_eq!(s.commit_am("hostile").code, 0);
    // Stored as data: the record reads back as exactly what was filed.
    let id = id_of(&filed);
    let page = on_board(&s, "guides/kv-cache");
    assert_eq!(page["corrections"][0]["claim"].as_str(), Some(hostile));
    assert_eq!(page["corrections"][0]["id"].as_str(), Some(id.as_str()));
    // The terminal sees no escape sequence and no bidirectional override.
    let human = ok(s.folio(&["status"])).stdout;
    assert!(
        !human.contains('\u{1b}') && !human.contains('\u{202e}'),
        "{human}"
    );
    // The summary neither mentions, links nor renders HTML.
    let summary = ok(s.folio(&["summary", &format!("{base}..HEAD")])).stdout;
    let line = summary
        .lines()
        .find(|l| l.starts_with("- correction `"))
        .unwrap_or_else(|| panic!("{summary}"));
    assert!(
        !line.contains("@octo-org/editors") && !line.contains(" #1 "),
        "{line}"
    );
    let unescaped_angle = line
        .char_indices()
        .any(|(i, c)| c == '<' && !line[..i].ends_with('\\'));
    assert!(!unescaped_angle, "HTML stays text: {line}");
    assert!(
        !summary.contains('\u{1b}') && !summary.contains('\u{202e}'),
        "{summary}"
    );
}

#[test]
fn the_form_is_checked_for_drift_when_the_pages_change() {
    let s = site();
    ok(s.folio(&["templates"]));
    assert_eq!(s.commit_am("form").code, 0);
    ok(s.folio(&["templates", "--check"]));
    let same = ok(s.folio(&["templates"]));
    assert!(
        same.stdout.contains("are up to date: nothing was written"),
        "{same:?}"
    );
    ok(s.folio(&["new", "guides/paging", "--title", "Paging"]));
    ok(s.folio(&["rename", "intro", "start"]));
    let drift = s.folio(&["templates", "--check"]);
    assert_eq!(drift.code, 1, "{drift:?}");
    assert!(drift.stdout.contains("stale: .github/ISSUE_TEMPLATE/correction.yml: pages not offered: guides/paging, start; offered but no longer pages: intro"), "{drift:?}");
    let check = ok(s.folio(&["check"]));
    assert!(
        check
            .stdout
            .contains("warning[stale-form]: the correction form is out of date"),
        "{check:?}"
    );
    ok(s.folio(&["templates"]));
    ok(s.folio(&["templates", "--check"]));
    assert!(!ok(s.folio(&["check"])).stdout.contains("stale-form"));
}

#[test]
fn a_site_larger_than_a_dropdown_gets_a_page_field_and_the_link_stays_short() {
    let s = site();
    for n in 0..=folio::correction::form::MAX_DROPDOWN {
        s.page(
            &format!("many/p{n}"),
            "title: T\nstatus: draft\n",
            "Text.\n",
        );
    }
    ok(s.folio(&["templates"]));
    let fields = check_form(&s.form()).unwrap();
    let page = fields.iter().find(|f| f.id == "page").unwrap();
    assert!(page.options.is_empty(), "a text field, not a dropdown");
    assert!(s.form().contains("type: input\n    id: page"));
    let mut answers: Vec<(&str, &str)> = FILED
        .iter()
        .copied()
        .filter(|(k, _)| *k != "page")
        .collect();
    answers.push(("page", "many/p42"));
    ok(s.intake(&body(&s.form(), &answers), &[]));
    // A prefilled claim is cut to keep the link under GitHub's limit.
    let claim = "word ".repeat(3_000);
    let url = ok(s.folio(&[
        "correction",
        "many/p42",
        "--url",
        "--repo",
        "octo-org/runtimes",
        "--claim",
        &claim,
    ]));
    let link = url.stdout.lines().next().unwrap();
    assert!(
        link.len() <= folio::correction::link::MAX_URL,
        "{}",
        link.len()
    );
    assert!(
        link.starts_with("https://github.com/octo-org/runtimes/issues/new?template=correction.yml")
    );
    assert!(
        url.stdout
            .contains("note: the claim was cut to keep the link under 8000 characters"),
        "{url:?}"
    );
    let bad = s.folio(&["correction", "many/p42", "--url", "--repo", "not a repo"]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

#[test]
fn the_request_lists_what_was_left_out_on_purpose() {
    let s = site();
    ok(s.folio(&[
        "decline",
        "guides/kv-cache",
        "--claim",
        "Paging is 10x faster.",
        "--reason",
        "universal-multiplier",
        "--rewrite",
        "When does paging pay off?",
    ]));
    let request = ok(s.folio(&["correction", "guides/kv-cache"])).stdout;
    assert!(request.starts_with("# Correction request: KV cache\n\n- Page: `guides/kv-cache` (research)\n- Sections: Paging\n"), "{request}");
    assert!(request.contains("- \"Paging is 10x faster.\" (universal-multiplier; asked instead: \"When does paging pay off?\")"), "{request}");
    // Filing the declined claim as a correction is reported, and written only with --force.
    ok(s.folio(&["templates"]));
    let mut answers: Vec<(&str, &str)> = FILED
        .iter()
        .copied()
        .filter(|(k, _)| *k != "claim")
        .collect();
    answers.push(("claim", "Paging is 10x faster."));
    let refused = s.intake(&body(&s.form(), &answers), &[]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("the claim was already left out on purpose"),
        "{refused:?}"
    );
    let forced = ok(s.intake(&body(&s.form(), &answers), &["--force"]));
    assert!(
        forced
            .stdout
            .starts_with("note: the claim was already left out on purpose"),
        "{forced:?}"
    );
}
