//! The GitHub workflows and the composite action, read as data: what they
//! promise about tokens and untrusted code is asserted here, since CI on
//! this machine cannot run them.

use folio::text::yaml::{Node, parse};

fn read(path: &str) -> (String, Node) {
    let full = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{full}: {e}"));
    let node = parse(&text).unwrap_or_else(|e| panic!("{path} is not YAML: {e}"));
    (text, node)
}

fn at<'a>(node: &'a Node, keys: &[&str]) -> &'a Node {
    keys.iter().fold(node, |n, k| {
        n.get(k).unwrap_or_else(|| panic!("no `{k}` in {keys:?}"))
    })
}

fn text(node: &Node) -> &str {
    node.as_str()
        .unwrap_or_else(|| panic!("not text: {node:?}"))
}

/// The steps of a job (or of a composite action's `runs`).
fn steps(node: &Node) -> &[Node] {
    match node.get("steps") {
        Some(Node::Seq(steps)) => steps,
        other => panic!("no steps: {other:?}"),
    }
}

fn uses(step: &Node) -> Option<&str> {
    step.get("uses").and_then(Node::as_str)
}

/// A mapping's entries as `key: value` text, for comparing small maps.
fn entries(node: &Node) -> Vec<String> {
    match node {
        Node::Map(entries) => entries
            .iter()
            .map(|(k, v)| format!("{}: {}", text(k), text(v)))
            .collect(),
        other => panic!("not a mapping: {other:?}"),
    }
}

#[test]
fn no_workflow_runs_a_pull_request_s_code_with_a_write_token() {
    let dir = format!("{}/.github/workflows", env!("CARGO_MANIFEST_DIR"));
    for entry in std::fs::read_dir(dir).expect("workflows") {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.contains("pull_request_target"), "{text}");
    }
    let (_, summary) = read(".github/workflows/summary.yml");
    assert!(at(&summary, &["on"]).get("pull_request").is_some());
    assert_eq!(entries(at(&summary, &["permissions"])), ["contents: read"]);
    let job = at(&summary, &["jobs", "summary"]);
    let checkout = steps(job)
        .iter()
        .find(|s| uses(s).is_some_and(|u| u.starts_with("actions/checkout")))
        .expect("the pull request is checked out");
    assert_eq!(
        at(checkout, &["with", "fetch-depth"]),
        &Node::Number("0".into())
    );
    assert!(
        steps(job).iter().any(|s| uses(s) == Some("./")),
        "it uses the action"
    );

    let (script, comment) = read(".github/workflows/summary-comment.yml");
    assert_eq!(
        at(&comment, &["on", "workflow_run", "workflows"]),
        &Node::Seq(vec![Node::String("summary".into())])
    );
    assert_eq!(
        entries(at(&comment, &["permissions"])),
        ["pull-requests: write", "actions: read"]
    );
    let job = at(&comment, &["jobs", "comment"]);
    assert!(
        steps(job)
            .iter()
            .all(|s| !uses(s).is_some_and(|u| u.contains("checkout"))),
        "the job with a write token checks nothing out"
    );
    let download = steps(job)
        .iter()
        .find(|s| uses(s).is_some_and(|u| u.starts_with("actions/download-artifact")))
        .expect("it downloads the artifact");
    assert_eq!(text(at(download, &["with", "name"])), "folio-summary");
    // It updates only the bot's own comment with folio's marker, and
    // checks the pull request the artifact names.
    for needed in [
        "github-actions[bot]",
        "<!-- folio-summary -->",
        "repos/$REPO/pulls/$pr",
        "$HEAD_SHA",
    ] {
        assert!(script.contains(needed), "{needed}");
    }
}

#[test]
fn the_action_uploads_what_the_comment_workflow_downloads() {
    let (_, action) = read("action.yml");
    assert_eq!(text(at(&action, &["runs", "using"])), "composite");
    let upload = steps(at(&action, &["runs"]))
        .iter()
        .find(|s| uses(s).is_some_and(|u| u.starts_with("actions/upload-artifact")))
        .expect("it uploads the summary");
    assert_eq!(text(at(upload, &["with", "name"])), "folio-summary");
    // The marker the comment workflow looks for is the one folio writes.
    let template = include_str!("../src/templates/summary.md.j2");
    assert!(template.contains("\n<!-- folio-summary -->\n"));
}

#[test]
fn ci_runs_the_same_script_as_everywhere() {
    let (_, ci) = read(".github/workflows/ci.yml");
    let runs: Vec<&str> = steps(at(&ci, &["jobs", "test"]))
        .iter()
        .filter_map(|s| s.get("run").and_then(Node::as_str))
        .collect();
    assert_eq!(runs, ["bash .ci/run"]);
}

#[test]
fn correction_intake_treats_the_issue_text_as_data() {
    let (source, workflow) = read(".github/workflows/correction-intake.yml");
    // Triggered by an editor's label, or by hand; never by a pull request.
    assert_eq!(
        at(&workflow, &["on", "issues", "types"]),
        &Node::Seq(vec![Node::String("labeled".into())])
    );
    assert!(at(&workflow, &["on"]).get("workflow_dispatch").is_some());
    assert_eq!(
        entries(at(&workflow, &["permissions"])),
        ["contents: write", "pull-requests: write", "issues: read"]
    );
    let job = at(&workflow, &["jobs", "intake"]);
    assert!(text(at(job, &["if"])).contains("github.event.label.name == 'correction-intake'"));
    // The issue's text never reaches an expression, a script or a command.
    for field in [
        "issue.body",
        "issue.title",
        "comment.body",
        "issue.user.login",
    ] {
        assert!(!source.contains(field), "{field} appears in the workflow");
    }
    for step in steps(job) {
        if let Some(script) = step.get("run").and_then(Node::as_str) {
            assert!(
                !script.contains("${{"),
                "no expression inside a script: {script}"
            );
        }
        if let Some(checkout) = uses(step).filter(|u| u.starts_with("actions/checkout")) {
            assert!(
                step.get("with").is_none(),
                "{checkout} checks out the default branch only"
            );
        }
    }
    let script = steps(job)
        .iter()
        .filter_map(|s| s.get("run").and_then(Node::as_str))
        .collect::<String>();
    assert!(
        script.contains("correction intake \"$RUNNER_TEMP/body.md\""),
        "{script}"
    );
    assert!(
        script.contains("tr -cd '0-9'") && script.contains("tr -cd 'A-Za-z0-9-'"),
        "{script}"
    );
}
