//! The formats other tools read: SARIF 2.1.0 (GitHub code scanning),
//! validated against the SARIF schema, and reviewdog's rdjsonl; both from
//! the same findings as every other printer.

mod common;
use common::{REVIEWED, Sandbox};

/// A site with findings of several kinds: an error from a policy rule, a
/// warning, a page whose name and text are not ASCII, and a control
/// character in the text.
fn site() -> Sandbox {
    let s = Sandbox::site();
    s.page(
        "p",
        REVIEWED,
        "Paged caches are 10x faster [x](nope\u{1b}[31m.md).\n",
    );
    s.page(
        "café",
        "title: T\nstatus: draft\n",
        "Zoë's [@missing] note.\n",
    );
    s
}

/// The path of the SARIF 2.1.0 schema as the serde-sarif crate ships it
/// (from the crates registry, so nothing fetched is kept here).
fn sarif_schema() -> std::path::PathBuf {
    let rustc = std::process::Command::new("rustc")
        .arg("-vV")
        .output()
        .expect("rustc -vV");
    let host = String::from_utf8_lossy(&rustc.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: ").map(str::to_string))
        .expect("the host triple");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--locked",
            "--filter-platform",
            &host,
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata");
    let manifest = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .find(|p| p["name"] == "serde-sarif")
        .and_then(|p| p["manifest_path"].as_str())
        .expect("serde-sarif is a dev-dependency");
    std::path::Path::new(manifest)
        .with_file_name("src")
        .join("schema.json")
}

#[test]
fn sarif_validates_against_the_schema_and_says_what_check_says() {
    let s = site();
    let run = s.folio(&["check", "--format", "sarif"]);
    assert_eq!(run.code, 1, "{run:?}");
    // Typed: every field where SARIF puts it.
    let log: serde_sarif::sarif::Sarif = serde_json::from_str(&run.stdout).expect("SARIF");
    assert_eq!(
        serde_json::to_value(&log.version).expect("version"),
        "2.1.0"
    );
    // Validated against the schema itself, by a JSON Schema validator.
    let schema = sarif_schema();
    let check = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema\n\
             schema = json.load(open(sys.argv[1]))\n\
             jsonschema.Draft7Validator(schema).validate(json.load(sys.stdin))\n\
             print('valid')",
            schema.to_str().expect("utf8 path"),
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("stdin")
                .write_all(run.stdout.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 (with `pip install jsonschema`)");
    assert!(
        check.status.success(),
        "not valid SARIF (needs `pip install jsonschema`): {}",
        String::from_utf8_lossy(&check.stderr)
    );
    // The same findings as the JSON format, each at its place.
    let sarif = run.json();
    let findings = s.folio(&["check", "--format", "json"]).findings();
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    for (f, r) in findings.iter().zip(results) {
        assert_eq!(r["ruleId"], f["code"]);
        assert_eq!(
            rules[r["ruleIndex"].as_u64().expect("index") as usize]["id"],
            f["code"]
        );
        assert_eq!(r["level"], f["severity"]);
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startLine"], f["line"]);
        assert_eq!(region["startColumn"], f["column"]);
        let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .expect("uri");
        assert_eq!(
            uri.replace("%C3%A9", "é"),
            f["path"].as_str().expect("path")
        );
        let text = r["message"]["text"].as_str().expect("text");
        assert!(
            text.starts_with(f["message"].as_str().expect("message")),
            "{text}"
        );
    }
    // Every rule has an id, a description and help; the policy's rule too.
    assert!(rules.iter().any(|r| r["id"] == "universal-multiplier"));
    for r in rules {
        assert!(
            r["shortDescription"]["text"]
                .as_str()
                .is_some_and(|t| !t.is_empty()),
            "{r}"
        );
        assert!(
            r["help"]["text"].as_str().is_some_and(|t| !t.is_empty()),
            "{r}"
        );
    }
    // The control character from the page is escaped, not raw.
    assert!(!run.stdout.contains('\u{1b}'));
    assert!(run.stdout.contains("\\u001b[31m"));
}

#[test]
fn rdjsonl_is_one_diagnostic_a_line_counted_in_bytes() {
    let s = site();
    let run = s.folio(&["check", "--format", "rdjsonl"]);
    assert_eq!(run.code, 1, "{run:?}");
    let findings = s.folio(&["check", "--format", "json"]).findings();
    let lines: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object a line"))
        .collect();
    assert_eq!(lines.len(), findings.len());
    for (f, d) in findings.iter().zip(&lines) {
        assert_eq!(d["code"]["value"], f["code"]);
        assert_eq!(d["location"]["path"], f["path"]);
        assert_eq!(d["location"]["range"]["start"]["line"], f["line"]);
        assert_eq!(d["source"]["name"], "folio");
        let severity = if f["severity"] == "error" {
            "ERROR"
        } else {
            "WARNING"
        };
        assert_eq!(d["severity"], severity);
    }
    // In `Zoë's [@missing]`, `@missing` starts at character 8 and byte 9.
    let unknown = lines
        .iter()
        .zip(findings)
        .find(|(_, f)| f["code"] == "unknown-source")
        .expect("the unknown source");
    assert_eq!(unknown.1["column"], 8);
    assert_eq!(unknown.0["location"]["range"]["start"]["column"], 9);
    assert!(!run.stdout.contains('\u{1b}'));
}

/// Every command of folio, as `folio --help` lists them.
fn commands(s: &Sandbox) -> Vec<String> {
    let help = s.folio(&["--help"]);
    help.stdout
        .split_once("Commands:\n")
        .expect("a list of commands")
        .1
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn completion_scripts_cover_every_command_and_parse_in_their_shell() {
    // Outside any repository: they need none.
    let s = Sandbox::bare_folder();
    let all = commands(&s);
    assert!(all.len() >= 15, "{all:?}");
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = s.folio(&["completions", shell]);
        assert_eq!(run.code, 0, "{run:?}");
        for command in &all {
            assert!(
                run.stdout.contains(command.as_str()),
                "{shell}: no `{command}`"
            );
        }
        // The script parses in its shell, where the shell is here.
        let script = s.path(&format!("folio.{shell}"));
        std::fs::write(&script, &run.stdout).expect("write");
        let syntax_check: &[&str] = match shell {
            "bash" => &["bash", "-n"],
            "zsh" => &["zsh", "-n"],
            "fish" => &["fish", "--no-execute"],
            _ => continue,
        };
        let found = s.run_in(
            s.root(),
            "sh",
            &["-c", &format!("command -v {}", syntax_check[0])],
            &[],
        );
        if found.code != 0 {
            assert_ne!(shell, "bash", "bash is needed to check the bash script");
            continue;
        }
        let mut args: Vec<&str> = syntax_check[1..].to_vec();
        args.push(script.to_str().expect("utf8"));
        let parsed = s.run_in(s.root(), syntax_check[0], &args, &[]);
        assert_eq!(parsed.code, 0, "{shell}: {parsed:?}");
    }
    let bad = s.folio(&["completions", "tcsh"]);
    assert_eq!(bad.code, 2, "{bad:?}");
}

#[test]
fn the_manual_page_holds_every_command_and_its_options() {
    let s = Sandbox::bare_folder();
    let run = s.folio(&["man"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(
        run.stdout.starts_with(".ie") || run.stdout.contains(".TH folio 1"),
        "{}",
        &run.stdout[..200]
    );
    for command in commands(&s) {
        assert!(
            run.stdout
                .contains(&format!(".SH \"FOLIO {}\"", command.to_uppercase())),
            "no section for `{command}`"
        );
    }
    // The options of a command, as `folio move --help` has them.
    assert!(run.stdout.contains("\\-\\-reviewer"), "move's --reviewer");
    assert!(run.stdout.contains("\\-\\-format"), "check's --format");
    // It renders, where man is here.
    if s.run_in(s.root(), "sh", &["-c", "command -v man"], &[])
        .code
        == 0
    {
        std::fs::write(s.path("folio.1"), &run.stdout).expect("write");
        let page = s.run_in(
            s.root(),
            "man",
            &["-l", "folio.1"],
            &[("MANPAGER", "cat"), ("MANWIDTH", "80")],
        );
        assert_eq!(page.code, 0, "{page:?}");
        assert!(page.stdout.contains("FOLIO MOVE"), "{page:?}");
    }
}

/// Validates the frontmatter of each page against the schema at
/// `schema`, as an editor's YAML tooling would read it (YAML dates stay
/// text); returns `path: ok` or `path: what is wrong`, a line each.
fn validate_pages(s: &Sandbox, schema: &std::path::Path, pages: &[std::path::PathBuf]) -> String {
    let script = r#"
import json, sys, yaml, jsonschema

class Loader(yaml.SafeLoader):
    pass

Loader.yaml_implicit_resolvers = {
    k: [r for r in v if r[0] != "tag:yaml.org,2002:timestamp"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
validator = jsonschema.Draft7Validator(json.load(open(sys.argv[1])))
for path in sys.argv[2:]:
    front = open(path, encoding="utf-8").read().split("---\n")[1]
    errors = sorted(e.message for e in validator.iter_errors(yaml.load(front, Loader=Loader)))
    print(path.rsplit("/", 1)[-1] + ": " + ("; ".join(errors) or "ok"))
"#;
    let mut args = vec!["-c", script, schema.to_str().expect("utf8")];
    args.extend(pages.iter().map(|p| p.to_str().expect("utf8")));
    let run = s.run_in(s.root(), "python3", &args, &[]);
    assert_eq!(
        run.code, 0,
        "needs `pip install pyyaml jsonschema`: {run:?}"
    );
    run.stdout
}

/// The line `validate_pages` said of the page named `name`.
fn said_of(said: &str, name: &str) -> String {
    said.lines()
        .find(|l| l.starts_with(name))
        .expect(name)
        .to_string()
}

#[test]
fn the_frontmatter_schema_passes_this_sites_pages_and_flags_mistakes() {
    // This repository's own pages, against the schema of its own site.
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let s = Sandbox::bare_folder();
    let made = s.run_in(here, env!("CARGO_BIN_EXE_folio"), &["schema"], &[]);
    assert_eq!(made.code, 0, "{made:?}");
    s.write("schema.json", &made.stdout);
    let mut pages = Vec::new();
    let mut folders = vec![here.join("content")];
    while let Some(folder) = folders.pop() {
        for path in std::fs::read_dir(folder)
            .expect("content")
            .flatten()
            .map(|e| e.path())
        {
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "md") {
                pages.push(path);
            }
        }
    }
    assert!(pages.len() >= 5, "{pages:?}");
    let said = validate_pages(&s, &s.path("schema.json"), &pages);
    assert!(said.lines().all(|l| l.ends_with(": ok")), "{said}");

    // A site's mistakes, each flagged where folio flags it too.
    let site = Sandbox::site();
    let schema = site.folio(&["schema"]);
    site.write("schema.json", &schema.stdout);
    let pages = [
        ("state.md", "title: T\nstatus: reveiwed\n"),
        (
            "reviewer.md",
            "title: T\nsummary: S\naudience: A\nowner: mara\nstatus: reviewed\nreviewers: [zed]\nlast_reviewed: 2026-11-20\n",
        ),
        ("source.md", "title: T\nstatus: draft\nsources: [nope]\n"),
        ("demands.md", "title: T\nstatus: reviewed\n"),
        (
            "date.md",
            "title: T\nstatus: draft\nlast_reviewed: 2019-5-13\n",
        ),
        (
            "fine.md",
            "title: T\nstatus: draft\nsources: onnx-spec\nlayout: wide\n",
        ),
    ];
    for (name, front) in pages {
        site.write(name, format!("---\n{front}---\nBody.\n"));
    }
    let paths: Vec<std::path::PathBuf> = pages.iter().map(|(n, _)| site.path(n)).collect();
    let said = validate_pages(&site, &site.path("schema.json"), &paths);
    let line = |name: &str| said_of(&said, name);
    assert!(
        line("state.md")
            .contains("'reveiwed' is not one of ['draft', 'research', 'reviewed', 'promoted']"),
        "{said}"
    );
    assert!(line("reviewer.md").contains("'zed'"), "{said}");
    assert!(line("source.md").contains("'nope'"), "{said}");
    assert!(
        line("demands.md").contains("'summary' is a required property"),
        "{said}"
    );
    assert!(
        line("demands.md").contains("'last_reviewed' is a required property"),
        "{said}"
    );
    assert!(line("date.md").contains("does not match"), "{said}");
    assert_eq!(line("fine.md"), "fine.md: ok", "{said}");

    // The editor's next step: keep it in the repository, committed through
    // the hook; made again from the same site, it is the same file (so CI
    // can diff it to find it stale).
    site.write("review/frontmatter.schema.json", &schema.stdout);
    assert_eq!(site.folio(&["hook", "install"]).code, 0);
    site.git(&["add", "review/frontmatter.schema.json"]);
    site.git(&["commit", "-qm", "the frontmatter schema"]);
    assert_eq!(site.folio(&["schema"]).stdout, schema.stdout);
}

#[test]
fn the_schema_of_an_adopted_site_speaks_its_keys_and_words() {
    let s = Sandbox::adopted();
    let schema = s.folio(&["schema"]);
    assert_eq!(schema.code, 0, "{schema:?}");
    s.write("schema.json", &schema.stdout);
    let doc: serde_json::Value = serde_json::from_str(&schema.stdout).unwrap();
    let properties = doc["properties"].as_object().unwrap();
    for key in ["last_reviewed_on", "owner_slack", "review_in", "status"] {
        assert!(properties.contains_key(key), "{key}: {schema:?}");
    }
    assert!(!properties.contains_key("last_reviewed"), "{schema:?}");
    let pages: Vec<std::path::PathBuf> = [
        "manual/soon.html.md",
        "manual/wip.html.md",
        "manual/current.html.md",
        "index.html.md.erb",
    ]
    .iter()
    .map(|p| s.path(&format!("source/{p}")))
    .collect();
    let said = validate_pages(&s, &s.path("schema.json"), &pages);
    let line = |name: &str| said_of(&said, name);
    // The interval folio cannot read, the draft in the site's word, and a
    // page without a status held to what promoted demands, by the site's
    // key names: as `folio check` says.
    assert!(
        line("soon.html.md").contains("'soon' does not match"),
        "{said}"
    );
    assert_eq!(line("wip.html.md"), "wip.html.md: ok", "{said}");
    assert!(
        line("current.html.md").contains("'summary' is a required property"),
        "{said}"
    );
    assert!(
        !line("current.html.md").contains("last_reviewed_on"),
        "{said}"
    );
    s.write(
        "source/manual/typo.html.md",
        "---\ntitle: T\nstatus: wipp\n---\n",
    );
    let said = validate_pages(
        &s,
        &s.path("schema.json"),
        &[s.path("source/manual/typo.html.md")],
    );
    assert!(
        said.contains("'wipp' is not one of ['wip', 'live', 'draft'"),
        "{said}"
    );
}
