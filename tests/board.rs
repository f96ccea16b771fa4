//! `folio board --html` through the real binary, and the page it writes as
//! a browser shows it: headless Chromium reads the file, its DOM is
//! compared with `folio status --format json`, and screenshots are taken
//! at a desktop's and a phone's width. The browser test needs Chromium
//! (`apt-get install chromium`, or `FOLIO_CHROMIUM=/path/to/chrome`), so it
//! is ignored by `cargo test` and run by `.ci/run`:
//! `cargo test --test board -- --ignored`. Screenshots go to
//! `FOLIO_SCREENSHOTS` (default `target/board-screenshots`).

mod common;
use common::{PROMOTED, REVIEWED, Sandbox, ok, texts};
use std::path::{Path, PathBuf};

/// A title that would run a script, load an image and turn text around if
/// it reached the page as markup.
const HOSTILE: &str = "<img src=https://example.invalid/x.png onerror=alert(1)><script>document.title='pwned'</script>\u{202e}txet";

/// A site with pages in every state, one overdue and one hostile.
fn site() -> Sandbox {
    let s = Sandbox::site();
    s.page("intro", "title: Intro\nstatus: draft\n", "Start here.\n");
    s.page(
        "guides/hostile",
        &format!(
            "title: \"{}\"\nstatus: research\nowner: jon\n",
            HOSTILE.replace('"', "\\\"").replace('\u{202e}', "\\u202E")
        ),
        "Text.\n",
    );
    s.page(
        "guides/signed",
        REVIEWED,
        "Cites [@onnx-spec] and [@blog].\n",
    );
    s.page(
        "guides/old",
        &PROMOTED.replace("last_reviewed: 2026-11-20", "last_reviewed: 2025-01-10"),
        "Cites [@onnx-spec].\n",
    );
    s
}

#[test]
fn the_board_is_one_escaped_self_contained_page() {
    let s = site();
    let run = ok(s.folio(&["board", "--html", "public"]));
    assert_eq!(
        run.stdout,
        "wrote the board of 4 pages to public/index.html\n\
         next: open public/index.html in a browser, or publish public (README: \"The board as a web page\")\n"
    );
    let html = String::from_utf8(s.read("public/index.html")).unwrap();
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(
        html.contains("&lt;script&gt;"),
        "the title is shown as text"
    );
    assert!(
        html.contains("\\u{202e}txet"),
        "the override is shown, not applied"
    );
    assert!(html.contains("default-src 'none'"));
    // Writes only index.html, and only over its own.
    s.write("public/CNAME", "board.example.org");
    ok(s.folio(&["board", "--html", "public"]));
    assert_eq!(s.read("public/CNAME"), b"board.example.org");
    s.write("site/index.html", "<h1>mine</h1>");
    let refused = s.folio(&["board", "--html", "site"]);
    assert_eq!(refused.code, 2, "{refused:?}");
    assert!(
        refused
            .stderr
            .contains("its index.html is not a board folio wrote"),
        "{refused:?}"
    );
    assert_eq!(s.read("site/index.html"), b"<h1>mine</h1>");
    for out in ["content", ".git/board", "."] {
        assert_eq!(s.folio(&["board", "--html", out]).code, 2, "{out}");
    }
    // Committed through the hook (a site that publishes from the
    // repository); the same board again changes nothing git sees.
    ok(s.folio(&["hook", "install"]));
    s.git(&["add", "public"]);
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-m", "board"], &[]);
    assert_eq!(commit.code, 0, "{commit:?}");
    ok(s.folio(&["board", "--html", "public"]));
    assert_eq!(s.git(&["status", "--porcelain", "public"]).stdout, "");
}

/// Chromium, where `FOLIO_CHROMIUM` or the usual names find it.
fn chromium() -> PathBuf {
    std::env::var_os("FOLIO_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            [
                "/usr/bin/chromium",
                "/usr/bin/chromium-browser",
                "/usr/bin/google-chrome",
            ]
            .iter()
            .map(PathBuf::from)
            .find(|p| p.exists())
        })
        .expect("Chromium: `apt-get install chromium`, or set FOLIO_CHROMIUM")
}

/// Chromium, headless, on `page` with `args`; its stdout and stderr. Flags
/// keep it from reaching the network on its own (updates, sync).
fn headless(profile: &Path, page: &Path, args: &[&str]) -> (String, String) {
    let out = std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("Chromium runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every attribute or style in `html` that would make a browser fetch
/// something: `src`, `href` (but an in-page `#anchor`), `srcset`, `action`,
/// `poster`, `data`, and CSS `url(` and `@import`.
fn loads(html: &str) -> Vec<String> {
    let mut found = Vec::new();
    // Text is escaped, so every `<` opens a tag: look inside tags only.
    let tags = html
        .split('<')
        .skip(1)
        .map(|t| t.split('>').next().unwrap_or(t));
    for tag in tags {
        for attr in [
            " src=", " href=", " srcset=", " action=", " poster=", " data=",
        ] {
            for (at, _) in tag.match_indices(attr) {
                if !tag[at + attr.len()..].starts_with("\"#") {
                    found.push(format!("<{tag}>"));
                }
            }
        }
    }
    for css in ["url(", "@import"] {
        if html.contains(css) {
            found.push(css.to_string());
        }
    }
    found
}

#[test]
fn loads_finds_what_a_browser_would_fetch() {
    assert_eq!(
        loads("<p><a href=\"#x\">in page</a></p>"),
        Vec::<String>::new()
    );
    assert_eq!(loads("<img src=\"x.png\">").len(), 1);
    assert_eq!(loads("<a href=\"https://e.invalid\">").len(), 1);
    assert_eq!(
        loads("<style>b { background: url(x.png) }</style>"),
        ["url("]
    );
    assert!(
        loads("<td>&lt;img src=x&gt;</td>").is_empty(),
        "text is not a tag"
    );
}

/// The width and height a PNG says it has.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    let be = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
#[ignore = "needs Chromium; .ci/run runs it"]
fn a_browser_shows_the_board_as_status_counts_it() {
    let s = site();
    s.write(".gitignore", "public/\n");
    commit_on(&s, 20, "<img src=x onerror=alert(2)> the site");
    ok(s.folio(&["board", "--html", "public"]));
    let page = s.path("public/index.html");
    let profile = tempfile::tempdir().unwrap();
    let (dom, log) = headless(profile.path(), &page, &["--dump-dom"]);
    // No element came from page text, no script ran, nothing was loaded.
    assert!(
        dom.contains("<title>Editorial board, 2026-11-27</title>"),
        "{dom}"
    );
    assert!(!dom.contains("<script") && !dom.contains("<img"), "{dom}");
    assert!(
        dom.contains("&lt;script&gt;document.title='pwned'&lt;/script&gt;"),
        "{dom}"
    );
    // Nothing can be requested: the policy the browser read forbids every
    // load, and no element or style names anything to load.
    assert!(
        dom.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""),
        "{dom}"
    );
    assert_eq!(loads(&dom), Vec::<String>::new(), "{log}");
    // The counts the browser shows are the ones `folio status` gives.
    let status: serde_json::Value =
        serde_json::from_str(&ok(s.folio(&["status", "--format", "json"])).stdout).unwrap();
    for state in ["draft", "research", "reviewed", "promoted"] {
        let expected = status["pages"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["state"] == state)
            .count();
        let shown = format!("<li data-state=\"{state}\"><span class=\"n\">{expected}</span>");
        assert!(dom.contains(&shown), "{state}: {expected} expected\n{dom}");
    }
    assert!(
        dom.contains("<table id=\"overdue\">"),
        "the old page is overdue"
    );
    // Each page's timeline is there, folded, its commit subject as text.
    assert_eq!(
        dom.matches("<details class=\"timeline\">").count(),
        4,
        "{dom}"
    );
    assert!(
        dom.contains("&lt;img src=x onerror=alert(2)&gt; the site"),
        "{dom}"
    );
    // Screenshots, as CI keeps them.
    let shots = std::env::var_os("FOLIO_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/board-screenshots"));
    std::fs::create_dir_all(&shots).unwrap();
    for (name, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        let png = shots.join(format!("board-{name}.png"));
        let _ = std::fs::remove_file(&png);
        headless(
            profile.path(),
            &page,
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={width},{height}"),
            ],
        );
        assert_eq!(png_size(&png), (width, height), "{}", png.display());
    }
}

/// A page the board calls ready for its next state is one `folio move`
/// takes there, and a page it does not call ready is one the move refuses.
#[test]
fn ready_means_the_move_would_be_accepted() {
    let s = site();
    s.git(&["config", "user.name", "Mara Editor"]);
    s.page(
        "guides/complete",
        "title: T\nsummary: S\naudience: A\nstatus: research\nowner: mara\n",
        "Cites [@onnx-spec].\n",
    );
    s.page("guides/promotable", REVIEWED, "Cites [@onnx-spec] only.\n");
    s.page(
        "guides/claims",
        "title: T\nsummary: S\naudience: A\nstatus: research\nowner: mara\n",
        "Cites [@onnx-spec]. It is production-ready.\n",
    );
    let status: serde_json::Value =
        serde_json::from_str(&ok(s.folio(&["status", "--format", "json"])).stdout).unwrap();
    let mut ready = Vec::new();
    for page in status["pages"].as_array().unwrap() {
        let id = page["id"].as_str().unwrap();
        let next = match (page["state"].as_str(), page["ready_for"].as_str()) {
            (_, Some(next)) => next,
            (Some("draft"), None) => "research",
            (Some("research"), None) => "reviewed",
            (Some("reviewed"), None) => "promoted",
            _ => continue,
        };
        let run = s.folio(&["move", id, next, "--reviewer", "ana", "--dry-run"]);
        let accepted = !run.stdout.contains("is refused") && run.code == 0;
        assert_eq!(
            accepted,
            page["ready_for"].is_string(),
            "{id} to {next}: {run:?}"
        );
        if accepted {
            ready.push(format!("{id} -> {next}"));
        }
    }
    // The terminal board says the same.
    let human = ok(s.folio(&["status"])).stdout;
    assert!(
        human.contains("ready: `folio move` would take them to their next state now (2)"),
        "{human}"
    );
    assert!(
        human.contains("  guides/complete   research -> reviewed\n"),
        "{human}"
    );
    // `signed` cites a secondary source, `claims` makes an unsourced
    // maturity claim, `intro` lacks what research demands.
    assert_eq!(
        ready,
        [
            "guides/complete -> reviewed",
            "guides/promotable -> promoted"
        ]
    );
}

/// Runs git as of `day` of November 2026 (author and committer date), so
/// that commits sort by date as they would in a real history.
fn git_on(s: &Sandbox, day: u32, args: &[&str], env: &[(&str, &str)]) {
    let date = format!("2026-11-{day:02}T10:00:00Z");
    let mut env = env.to_vec();
    env.extend([
        ("GIT_AUTHOR_DATE", date.as_str()),
        ("GIT_COMMITTER_DATE", date.as_str()),
    ]);
    let run = s.run_in(s.root(), "git", args, &env);
    assert_eq!(run.code, 0, "{run:?}");
}

/// Commits everything as of `day` of November 2026.
fn commit_on(s: &Sandbox, day: u32, message: &str) {
    s.git(&["add", "-A"]);
    git_on(s, day, &["commit", "-q", "-m", message], &[]);
}

/// The `<li>` items of the timeline in the row of page `id`.
fn timeline_of(html: &str, id: &str) -> Vec<String> {
    let row = html
        .split("<tr>")
        .find(|row| {
            // minijinja escapes `/` too.
            row.starts_with(&format!(
                "<td class=\"id\">{}</td><td>",
                id.replace('/', "&#x2f;")
            ))
        })
        .unwrap_or_else(|| panic!("no row for {id}"));
    row.split("<li>")
        .skip(1)
        .map(|li| li.split("</li>").next().unwrap().to_string())
        .collect()
}

#[test]
fn a_recheck_record_brings_its_own_sources_up_to_date_and_no_other() {
    let s = Sandbox::site();
    s.git(&["config", "user.name", "Mara Editor"]);
    s.write(
        "content/sources.yaml",
        "- id: onnx-spec\n  title: ONNX\n  url: https://onnx.ai/onnx/\n  kind: specification\n  accessed: 2025-01-01\n\
         - id: blog\n  title: A blog post\n  url: https://example.org/post\n  kind: secondary\n  accessed: 2025-01-01\n",
    );
    s.page("p", "title: P\nstatus: draft\n", "Text [@onnx-spec].\n");
    let due = |s: &Sandbox| {
        let status = ok(s.folio(&["status", "--format", "json"])).json();
        texts(&status["sources_due"], &["id", "checked"])
    };
    assert_eq!(
        due(&s),
        [["onnx-spec", "2025-01-01"], ["blog", "2025-01-01"]]
    );
    // An older recheck of the blog moves its date, not enough to leave
    // the list; today's recheck of the spec takes the spec off it.
    s.write(
        "review/records/p/2025-03-01-maintenance-older.yaml",
        "kind: maintenance\npage: p\ndate: 2025-03-01\nchange: source-recheck\nsummary: Read again\nsources: [blog, onnx-spec]\n",
    );
    ok(s.folio(&[
        "log",
        "p",
        "--change",
        "source-recheck",
        "Rechecked",
        "--source",
        "onnx-spec",
    ]));
    assert_eq!(
        due(&s),
        [["blog", "2025-03-01"]],
        "the latest recheck of each source counts"
    );
}

#[test]
fn a_date_a_page_mentions_is_due_once_it_arrives_after_the_review() {
    let s = Sandbox::site();
    let reviewed_in_january = REVIEWED.replace("2026-11-20", "2026-01-10");
    s.page(
        "arrived",
        &reviewed_in_january,
        "Cites [@onnx-spec]. Paging ships in June 2026 with the cache.\n",
    );
    s.page("to-come", REVIEWED, "Paging ships by 2099 [@onnx-spec].\n");
    s.page(
        "before",
        &reviewed_in_january,
        "It shipped in 2025 [@onnx-spec].\n",
    );
    s.page("undated", REVIEWED, "Paging holds blocks [@onnx-spec].\n");
    s.page("draft", "title: D\nstatus: draft\n", "Due in June 2026.\n");
    let status = ok(s.folio(&["status", "--format", "json"])).json();
    let due = texts(&status["due"], &["page", "date", "phrase"]);
    assert_eq!(due, [["arrived", "2026-06-01", "in June 2026"]]);
    let shown = ok(s.folio(&["status"])).stdout;
    assert!(
        shown.contains("due: a date they mention has arrived since their review"),
        "{shown}"
    );
}

/// Asserts that the timeline of page `id` on the board `html` begins each
/// item as `folio history` tells its events; returns how many there are.
fn assert_timeline_tells_history(s: &Sandbox, html: &str, id: &str) -> usize {
    let history = ok(s.folio(&["history", id, "--format", "json"])).json();
    let told: Vec<String> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let (date, commit) = (e["date"].as_str().unwrap(), e["commit"].as_str().unwrap());
            let to = e["to"].as_str().unwrap();
            let change = match e["from"].as_str() {
                Some(from) if e["created"] == false => format!("{from} → {to}"),
                _ => format!("made as {to}"),
            };
            format!("<time>{date}</time> {change}, ")
                + &e["author"]
                    .as_str()
                    .unwrap()
                    .replace('&', "&amp;")
                    .replace('"', "&quot;")
                + &format!(", <code>{}</code>", &commit[..7])
        })
        .collect();
    let timeline = timeline_of(html, id);
    assert_eq!(timeline.len(), told.len(), "{id}: {timeline:#?}\n{told:#?}");
    for (li, event) in timeline.iter().zip(&told) {
        assert!(li.starts_with(event.as_str()), "{id}:\n{li}\n{event}");
    }
    told.len()
}

#[test]
fn a_page_of_hundreds_of_versions_has_the_story_history_tells_on_the_board() {
    // Past a few hundred versions they are read by one `git cat-file` while
    // the walk goes on, rather than one at a time afterwards: a page edited
    // by 300 commits, moved to research by the 100th and back to draft by
    // the 250th, made with `git fast-import`.
    let s = Sandbox::site();
    s.write(".gitignore", "scratch/\npublic/\n");
    commit_on(&s, 1, "add the site");
    let versions: Vec<String> = (1..=300)
        .map(|n| {
            let state = if (100..250).contains(&n) {
                "research"
            } else {
                "draft"
            };
            format!("---\ntitle: Long\nstatus: {state}\n---\nEdit {n}.\n")
        })
        .collect();
    let commits = s.commit_versions("content/guides/long.md", &versions, false);
    assert_eq!(commits.len(), 300);
    let history = ok(s.folio(&["history", "guides/long", "--format", "json"])).json();
    assert_eq!(
        texts(&history, &["commit", "to"]),
        [
            [commits[0].as_str(), "draft"],
            [commits[99].as_str(), "research"],
            [commits[249].as_str(), "draft"]
        ]
    );
    let html = board_from_scratch(&s);
    assert_eq!(assert_timeline_tells_history(&s, &html, "guides/long"), 3);
    // Read again from what the board kept: the same.
    assert_eq!(
        timeline_of(&board_html(&s, "public"), "guides/long"),
        timeline_of(&html, "guides/long")
    );
}

/// A site with a history: a branch moves a page while main renames
/// another, then a merge, and a commit whose subject and author would be
/// markup; and a page not committed yet.
fn site_with_history() -> Sandbox {
    let s = Sandbox::site();
    let page =
        |id: &str, state: &str| s.page(id, &format!("title: {id}\nstatus: {state}\n"), "Text.\n");
    page("intro", "draft");
    page("guides/a", "draft");
    page("guides/b", "research");
    s.write(".gitignore", "public/\nscratch/\n");
    commit_on(&s, 1, "add the site");
    // A branch moves a page while main renames another; then a merge,
    // and a commit whose subject and author would be markup.
    s.git(&["checkout", "-q", "-b", "side"]);
    page("guides/a", "research");
    commit_on(&s, 2, "a to research");
    s.git(&["checkout", "-q", "main"]);
    s.git(&["mv", "content/guides/b.md", "content/guides/c.md"]);
    commit_on(&s, 3, "rename b to c");
    page("guides/c", "draft");
    commit_on(&s, 4, "c back to draft");
    git_on(
        &s,
        5,
        &["merge", "-q", "--no-ff", "-m", "merge side", "side"],
        &[],
    );
    page("intro", "research");
    s.git(&["add", "-A"]);
    git_on(
        &s,
        6,
        &[
            "commit",
            "-q",
            "-m",
            "<script>alert(1)</script> @everyone #1 \u{202e}txet",
        ],
        &[("GIT_AUTHOR_NAME", "Mallory \"Co\" & Sons")],
    );
    page("later", "draft");

    s
}

#[test]
fn each_page_shows_the_timeline_folio_history_tells() {
    let s = site_with_history();
    ok(s.folio(&["board", "--html", "public"]));
    let html = String::from_utf8(s.read("public/index.html")).unwrap();
    let mut shown = 0;
    for id in ["intro", "guides/a", "guides/c"] {
        shown += assert_timeline_tells_history(&s, &html, id);
    }
    assert_eq!(
        shown, 6,
        "intro: 2, a: 2 (the branch's move), c: 2 (through the rename)"
    );
    // An event made under the page's old name says so.
    assert!(timeline_of(&html, "guides/c")[0].contains("(as content&#x2f;guides&#x2f;b.md)"));
    assert!(!timeline_of(&html, "guides/c")[1].contains("(as "));
    assert!(html.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt; @everyone #1 \\u{202e}txet"));
    // git drops `<` and `>` from a name itself; what it keeps is escaped.
    assert!(
        timeline_of(&html, "intro")[1].contains(", Mallory &quot;Co&quot; &amp; Sons, "),
        "{:?}",
        timeline_of(&html, "intro")
    );
    assert!(!html.contains("<script") && !html.contains("<b>"));
    assert!(timeline_of(&html, "later").is_empty());
    assert!(html.contains("<span class=\"none\">not committed</span>"));

    // A shallow clone (a CI checkout's default) still gets its board, and
    // is told why the timelines are missing.
    let clone = s.shallow_clone();
    let run = clone.folio(&["board", "--html", "public"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout
            .contains("without the pages' timelines: the history before commit")
            && run.stdout.contains("fetch-depth: 0"),
        "{run:?}"
    );
    let html = std::fs::read_to_string(clone.path("public/index.html")).unwrap();
    assert!(html.contains("id=\"no-timelines\""));
    assert!(timeline_of(&html, "intro").is_empty());
    // Doing what it says: with the history fetched, the same board as the
    // full repository's.
    clone.git(&["fetch", "-q", "--unshallow"]);
    let run = clone.folio(&["board", "--html", "public"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        !run.stdout.contains("without the pages' timelines"),
        "{run:?}"
    );
    let html = std::fs::read_to_string(clone.path("public/index.html")).unwrap();
    let full = board_html(&s, "public");
    for id in ["intro", "guides/a", "guides/c"] {
        assert_eq!(timeline_of(&html, id), timeline_of(&full, id), "{id}");
    }
}

/// The board `folio board --html` writes now, in `out`.
fn board_html(s: &Sandbox, out: &str) -> String {
    ok(s.folio(&["board", "--html", out]));
    String::from_utf8(s.read(&format!("{out}/index.html"))).unwrap()
}

/// The board as it is with nothing kept from an earlier run.
fn board_from_scratch(s: &Sandbox) -> String {
    let kept = s.path(".git/folio-history");
    if kept.exists() {
        std::fs::remove_dir_all(&kept).unwrap();
    }
    board_html(s, "scratch")
}

#[test]
fn what_the_board_keeps_for_next_time_never_changes_what_it_shows() {
    let s = site_with_history();
    let first = board_html(&s, "public");
    let kept = s.path(".git/folio-history");
    let files: Vec<_> = std::fs::read_dir(&kept).unwrap().flatten().collect();
    assert_eq!(files.len(), 2, "the history and the states: {files:?}");
    assert_eq!(
        board_html(&s, "public"),
        first,
        "read back from what was kept"
    );
    assert_eq!(board_from_scratch(&s), first);
    // The repository's git settings change nothing git is asked for.
    for (key, value) in [
        ("log.follow", "true"),
        ("log.showRoot", "false"),
        ("log.abbrevCommit", "true"),
        ("log.decorate", "full"),
        ("log.date", "relative"),
        ("format.pretty", "oneline"),
        ("color.ui", "always"),
        ("diff.renames", "copies"),
        ("diff.ignoreSubmodules", "all"),
        ("core.quotePath", "true"),
    ] {
        s.git(&["config", key, value]);
    }
    assert_eq!(
        board_from_scratch(&s),
        first,
        "with the repository's settings"
    );
    // New commits on top of what was kept: a page moved, one renamed, a
    // merge of a branch made before the kept commit.
    board_html(&s, "public");
    s.git(&["checkout", "-q", "-b", "late", "HEAD~2"]);
    s.page("guides/c", "title: c\nstatus: reviewed\n", "Text.\n");
    commit_on(&s, 8, "c reviewed on a late branch");
    s.git(&["checkout", "-q", "main"]);
    s.git(&["mv", "content/intro.md", "content/start.md"]);
    commit_on(&s, 9, "intro is start");
    git_on(
        &s,
        10,
        &["merge", "-q", "--no-ff", "-m", "merge late", "late"],
        &[],
    );
    let after = board_html(&s, "public");
    assert_ne!(after, first);
    assert_eq!(timeline_of(&after, "guides/c").len(), 3, "{after}");
    assert!(timeline_of(&after, "start")[1].contains("(as content&#x2f;intro.md)"));
    assert_eq!(board_from_scratch(&s), after);
    // An older commit checked out: what was kept is a later history.
    board_html(&s, "public");
    s.git(&["checkout", "-q", "HEAD~3"]);
    let older = board_html(&s, "public");
    assert_eq!(board_from_scratch(&s), older);
    // A kept file that is damaged, or whose commit is gone, is not used.
    s.git(&["checkout", "-q", "main"]);
    board_html(&s, "public");
    for file in std::fs::read_dir(&kept).unwrap().flatten() {
        let mut bytes = std::fs::read(file.path()).unwrap();
        bytes[30] ^= 0x55;
        std::fs::write(file.path(), bytes).unwrap();
    }
    assert_eq!(board_html(&s, "public"), after);
    s.git(&["reset", "-q", "--hard", "HEAD~1"]);
    s.git(&["reflog", "expire", "--expire=now", "--all"]);
    s.git(&["gc", "-q", "--prune=now"]);
    let reset = board_from_scratch(&s);
    s.git(&["checkout", "-q", "-b", "again"]);
    s.page("guides/a", "title: a\nstatus: promoted\n", "Text.\n");
    commit_on(&s, 11, "a promoted");
    board_html(&s, "public");
    s.git(&["reset", "-q", "--hard", "HEAD~1"]);
    s.git(&["reflog", "expire", "--expire=now", "--all"]);
    s.git(&["gc", "-q", "--prune=now"]);
    assert_eq!(
        board_html(&s, "public"),
        reset,
        "kept for a commit that is gone"
    );
}

#[test]
fn an_adopted_site_shows_its_timelines_in_its_own_words() {
    let s = Sandbox::adopted();
    s.write(".gitignore", "public/\n");
    commit_on(&s, 1, "adopt folio");
    let wip = s.path("source/manual/wip.html.md");
    let text = std::fs::read_to_string(&wip).unwrap();
    std::fs::write(&wip, text.replace("status: wip", "status: live")).unwrap();
    commit_on(&s, 2, "wip goes live");
    s.git(&[
        "mv",
        "source/manual/old.html.md",
        "source/manual/older.html.md",
    ]);
    commit_on(&s, 3, "rename old");
    let html = board_html(&s, "public");
    let wip = timeline_of(&html, "manual/wip.html");
    assert_eq!(wip.len(), 2, "{wip:?}");
    assert!(wip[0].contains("made as wip,"), "{wip:?}");
    assert!(wip[1].contains("wip → live,"), "{wip:?}");
    // A page without a status is the site's default state from the start;
    // one renamed since says under which name it began.
    let older = timeline_of(&html, "manual/older.html");
    assert_eq!(older.len(), 1, "{older:?}");
    assert!(
        older[0].contains("made as live,")
            && older[0].contains("(as source&#x2f;manual&#x2f;old.html.md)"),
        "{older:?}"
    );
    // The partial and the README are no pages, and have no row.
    assert!(!html.contains("nav.html"));
}
