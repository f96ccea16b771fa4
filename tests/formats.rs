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
    let sarif: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON");
    let json = s.folio(&["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
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
    let json = s.folio(&["check", "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json.stdout).expect("JSON");
    let findings = doc["findings"].as_array().expect("findings");
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
