//! `folio export` through the real binary: the page data a site generator
//! renders (made with the real editor commands and a filed correction),
//! checked against the schema it documents, replaced whole on the next
//! export, and never written where it could lose a file.

mod common;
use common::{FILED, PROMOTED, Sandbox, body, ok};
use folio::correction::form::FORM_PATH;
use serde_json::Value;

/// A site with a promoted page that has a maintenance record of three
/// entries, two not-promoted decisions and an open correction, and a
/// draft; an `origin` on GitHub, so pages have correction links.
fn site() -> Sandbox {
    let s = Sandbox::site_with_origin("https://github.com/octo-org/runtimes.git");
    s.page(
        "guides/kv-cache",
        &PROMOTED.replace("title: T", "title: \"KV cache <script>alert(1)</script>\""),
        "## Paging\n\nBlocks hold 16 tokens [@onnx-spec], see also [@blog] and [@onnx-spec].\n",
    );
    s.page("intro", "title: Intro\nstatus: draft\n", "Start here.\n");
    ok(s.folio(&["templates"]));
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "--no-verify", "-m", "site"]);
    ok(s.folio(&[
        "log",
        "guides/kv-cache",
        "--change",
        "editorial",
        "Tightened the intro",
    ]));
    ok(s.folio(&[
        "log",
        "guides/kv-cache",
        "--change",
        "source-recheck",
        "Rechecked the spec",
        "--source",
        "onnx-spec",
    ]));
    ok(s.folio(&[
        "decline",
        "guides/kv-cache",
        "--claim",
        "Paged caches are 10x faster.",
        "--reason",
        "universal-multiplier",
        "--rewrite",
        "How much faster is it on a long context?",
    ]));
    ok(s.folio(&[
        "decline",
        "guides/kv-cache",
        "--claim",
        "Ships in Q3 2099.",
        "--reason",
        "future-date",
    ]));
    let form = String::from_utf8(s.read(FORM_PATH)).unwrap();
    s.write("issue-body.md", body(&form, FILED));
    ok(s.folio(&["correction", "intake", "issue-body.md"]));
    std::fs::remove_file(s.path("issue-body.md")).unwrap();
    s.git(&["commit", "-q", "--no-verify", "-m", "records"]);
    s
}

fn json(s: &Sandbox, rel: &str) -> Value {
    serde_json::from_slice(&s.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Validates every file of the export in `dir` against its schema.json
/// (Python's jsonschema, as CI has it); returns `file: ok` lines.
fn validate(s: &Sandbox, dir: &str) -> String {
    let script = r#"
import json, sys, pathlib, jsonschema
root = pathlib.Path(sys.argv[1])
validator = jsonschema.Draft7Validator(json.load(open(root / "schema.json")))
for path in sorted(p for p in root.rglob("*.json") if p.name != "schema.json"):
    errors = [e.message for e in validator.iter_errors(json.load(open(path)))]
    print(f"{path.relative_to(root)}: {errors[0] if errors else 'ok'}")
"#;
    let run = s.run_in(s.root(), "python3", &["-c", script, dir], &[]);
    assert_eq!(run.code, 0, "needs `pip install jsonschema`: {run:?}");
    run.stdout
}

#[test]
fn each_page_holds_what_the_generator_renders() {
    let s = site();
    let run = ok(s.folio(&["export", "--out", "data/folio"]));
    assert_eq!(
        run.stdout,
        "exported 2 pages to data/folio\n\
         next: build the site with data/folio as its data (README: \"Page data for the site generator\")\n"
    );
    let page = json(&s, "data/folio/pages/guides/kv-cache.json");
    assert_eq!(page["format"], "folio-export");
    assert_eq!(page["version"], 1);
    assert_eq!(
        page["title"], "KV cache <script>alert(1)</script>",
        "text stays text"
    );
    assert_eq!(page["state"], "promoted");
    assert_eq!(page["review"]["last_reviewed"], "2026-11-20");
    assert_eq!(page["review"]["reviewers"], serde_json::json!(["ana"]));
    assert_eq!(page["review"]["next_review"], "2027-05-19", "180 days on");
    assert_eq!(page["review"]["overdue"], false);
    let changes: Vec<&str> = page["maintenance"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["change"].as_str().unwrap())
        .collect();
    assert_eq!(changes, ["source-recheck", "editorial"], "newest first");
    assert_eq!(
        page["maintenance"][0]["sources"],
        serde_json::json!(["onnx-spec"])
    );
    let decisions = page["not_promoted"].as_array().unwrap();
    assert_eq!(decisions.len(), 2);
    assert_eq!(decisions[0]["reason"], "future-date", "newest first");
    assert_eq!(decisions[0]["rewrite"], Value::Null);
    assert_eq!(decisions[1]["claim"], "Paged caches are 10x faster.");
    assert_eq!(
        decisions[1]["reason_text"],
        "a universal performance multiplier"
    );
    assert_eq!(
        decisions[1]["rewrite"],
        "How much faster is it on a long context?"
    );
    let corrections = page["open_corrections"].as_array().unwrap();
    assert_eq!(corrections.len(), 1);
    assert_eq!(corrections[0]["state"], "open");
    assert_eq!(corrections[0]["claim"], "Blocks hold 32 tokens.");
    assert_eq!(corrections[0]["age_days"], 0);
    // Named once each, in order, resolved from the registry.
    let sources: Vec<(&str, &str)> = page["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        sources,
        [("onnx-spec", "specification"), ("blog", "secondary")]
    );
    assert!(
        page["correction_url"]
            .as_str()
            .unwrap()
            .starts_with("https://github.com/octo-org/runtimes/issues/new?template=correction.yml"),
        "{page}"
    );
    // The index agrees with `folio status`.
    let index = json(&s, "data/folio/index.json");
    let status: Value =
        serde_json::from_str(&ok(s.folio(&["status", "--format", "json"])).stdout).unwrap();
    let ids = |pages: &Value| -> Vec<String> {
        pages
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    let mut board_ids = ids(&status["pages"]);
    board_ids.sort();
    assert_eq!(ids(&index["pages"]), board_ids);
    assert_eq!(
        index["states"],
        serde_json::json!({"draft": 1, "research": 0, "reviewed": 0, "promoted": 1})
    );
    assert_eq!(index["pages"][0]["file"], "pages/guides/kv-cache.json");
    assert_eq!(index["pages"][0]["open_corrections"], 1);
    assert_eq!(
        validate(&s, "data/folio"),
        "index.json: ok\npages/guides/kv-cache.json: ok\npages/intro.json: ok\n"
    );
    // Nothing of the repository changed: the export is all that is new.
    assert_eq!(s.git(&["status", "--porcelain"]).stdout, "?? data/\n");
}

#[test]
fn the_export_counts_every_file_it_left_out() {
    let s = Sandbox::site();
    s.page("intro", "title: Intro\nstatus: draft\n", "Start here.\n");
    s.write("content/toml.md", "+++\ntitle = \"T\"\n+++\nBody.\n");
    std::os::unix::fs::symlink("intro.md", s.path("content/linked.md")).unwrap();
    let run = ok(s.folio(&["export", "--out", "data"]));
    assert_eq!(
        run.stdout,
        "exported 1 page to data\n\
         left out 2 files folio cannot read as pages (`folio check` says why)\n\
         next: build the site with data as its data (README: \"Page data for the site generator\")\n"
    );
    let check = s.folio(&["check"]);
    assert!(
        check.stdout.contains("error[toml-frontmatter]"),
        "{check:?}"
    );
    assert!(check.stdout.contains("error[symlink]"), "{check:?}");
}

#[test]
fn a_new_export_replaces_the_old_one_whole() {
    let s = site();
    ok(s.folio(&["export", "--out", "data/folio"]));
    let kv_cache = s.read("data/folio/pages/guides/kv-cache.json");
    // A page removed from the site leaves the export with it; a page
    // changed is written anew, one unchanged kept as it was.
    s.git(&["rm", "-q", "content/guides/kv-cache.md"]);
    s.page(
        "intro",
        "title: Start here\nstatus: draft\n",
        "Start here.\n",
    );
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert!(!s.path("data/folio/pages/guides/kv-cache.json").exists());
    assert_eq!(
        json(&s, "data/folio/pages/intro.json")["title"],
        "Start here"
    );
    assert_eq!(
        json(&s, "data/folio/index.json")["pages"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    s.page(
        "guides/kv-cache",
        &PROMOTED.replace("title: T", "title: \"KV cache <script>alert(1)</script>\""),
        "## Paging\n\nBlocks hold 16 tokens [@onnx-spec], see also [@blog] and [@onnx-spec].\n",
    );
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert_eq!(s.read("data/folio/pages/guides/kv-cache.json"), kv_cache);
    // An unchanged site's export is left as it was, folder and all; a
    // changed one is a new folder, its unchanged files linked from the
    // old one.
    use std::os::unix::fs::MetadataExt;
    let inode = |rel: &str| std::fs::metadata(s.path(rel)).unwrap().ino();
    let (folder, intro) = (inode("data/folio"), inode("data/folio/pages/intro.json"));
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert_eq!(
        inode("data/folio"),
        folder,
        "an unchanged export is not replaced"
    );
    s.page("guides/more", "title: More\nstatus: draft\n", "More.\n");
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert_ne!(
        inode("data/folio"),
        folder,
        "a changed export is replaced whole"
    );
    assert_eq!(
        inode("data/folio/pages/intro.json"),
        intro,
        "an unchanged page is linked"
    );
    std::fs::remove_file(s.path("content/guides/more.md")).unwrap();
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert!(
        !s.path("data/folio/pages/guides/more.json").exists(),
        "a page gone leaves"
    );
    // A file folio did not write is not kept, even when nothing changed.
    s.write("data/folio/pages/stray.json", "{}");
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert!(!s.path("data/folio/pages/stray.json").exists());
    let left: Vec<String> = std::fs::read_dir(s.path("data"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(left, ["folio"], "no staging folder is left behind");
    // The schema, on its own.
    let schema: Value = serde_json::from_str(&ok(s.folio(&["export", "--schema"])).stdout).unwrap();
    assert_eq!(schema, json(&s, "data/folio/schema.json"));
    // A site that commits its export (its host builds from the repository
    // alone): the commit passes the hook, and exporting an unchanged site
    // again changes nothing git sees.
    ok(s.folio(&["hook", "install"]));
    s.git(&["add", "-A"]);
    let commit = s.run_in(s.root(), "git", &["commit", "-q", "-m", "export"], &[]);
    assert_eq!(commit.code, 0, "{commit:?}");
    ok(s.folio(&["export", "--out", "data/folio"]));
    assert_eq!(s.git(&["status", "--porcelain"]).stdout, "");
}

#[test]
fn what_stands_in_an_old_export_in_place_of_a_file_is_never_read_through() {
    let s = site();
    ok(s.folio(&["export", "--out", "data/folio"]));
    let intro = s.read("data/folio/pages/intro.json");
    // A pipe where a page's file was, and a link to a file outside with
    // the same bytes: the export neither waits on the one nor links the
    // other, and leaves the outside file alone.
    let fifo = s.path("data/folio/pages/intro.json");
    std::fs::remove_file(&fifo).unwrap();
    s.run_in(s.root(), "mkfifo", &[fifo.to_str().unwrap()], &[]);
    let kv = s.path("data/folio/pages/guides/kv-cache.json");
    let outside = s.path("outside.json");
    std::fs::rename(&kv, &outside).unwrap();
    std::os::unix::fs::symlink(&outside, &kv).unwrap();
    let run = s.folio_bounded(&["export", "--out", "data/folio"], 20, 512);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(s.read("data/folio/pages/intro.json"), intro);
    for file in [&fifo, &kv] {
        assert!(
            std::fs::symlink_metadata(file).unwrap().is_file(),
            "{}",
            file.display()
        );
    }
    let kv_meta = std::fs::symlink_metadata(&kv).unwrap();
    let outside_meta = std::fs::metadata(&outside).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_ne!(
        kv_meta.ino(),
        outside_meta.ino(),
        "not linked to the outside file"
    );
    assert_eq!(outside_meta.nlink(), 1);
}

#[test]
fn an_export_never_replaces_what_folio_did_not_write() {
    let s = site();
    s.write("public/keep.txt", "mine");
    std::os::unix::fs::symlink(s.path("public"), s.path("linked")).unwrap();
    s.write("notes.md", "not a folder");
    for (out, why) in [
        ("public", "it holds files folio did not export"),
        (".", "it holds the repository"),
        ("..", "it holds the repository"),
        ("content", "it overlaps the content folder `content`"),
        (
            "content/guides/out",
            "it overlaps the content folder `content`",
        ),
        (".git/out", "it is inside .git"),
        ("linked/out", "`linked` is a symbolic link"),
        ("notes.md", "it is a file"),
    ] {
        let run = s.folio(&["export", "--out", out]);
        assert_eq!(run.code, 2, "{out}: {run:?}");
        assert!(
            run.stderr
                .contains(&format!("folio will not write into {out}: {why}")),
            "{out}: {run:?}"
        );
    }
    assert_eq!(s.read("public/keep.txt"), b"mine");
    assert_eq!(
        s.git(&["status", "--porcelain"]).stdout,
        "?? linked\n?? notes.md\n?? public/\n"
    );
}

#[test]
fn an_adopted_site_exports_its_pages_under_their_own_ids() {
    let s = Sandbox::adopted();
    ok(s.folio(&["export", "--out", "site-data"]));
    let index = json(&s, "site-data/index.json");
    let files: Vec<&str> = index["pages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["file"].as_str().unwrap())
        .collect();
    assert!(
        files.contains(&"pages/manual/current.html.json"),
        "{files:?}"
    );
    let page = json(&s, "site-data/pages/manual/current.html.json");
    assert_eq!(page["review"]["interval"], "6 months", "{page}");
    let report = validate(&s, "site-data");
    assert!(report.lines().all(|l| l.ends_with(": ok")), "{report}");
}
