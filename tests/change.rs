//! The change model, in-process: what a staged change and a commit do to a
//! site, described the same way whichever side it is read from. The
//! repositories are made by the sealed `git`, and opened sealed.

mod common;
use common::{REVIEWED, Sandbox};
use folio::change::{Change, PageChange, What};
use folio::git::Repo;
use folio::site::files::{Commit, Files, Staged};

/// A committed site with a draft, a reviewed page with a record, a page
/// to remove and one to rename; then a staged change that does all of it.
fn staged_site() -> Sandbox {
    let s = Sandbox::site();
    s.page("a", "title: A\nstatus: draft\n", "Draft text.\n");
    s.page("b", REVIEWED, "Reviewed text [@onnx-spec].\n");
    s.write(
        "review/records/b/2026-11-01-maintenance-00000000.yaml",
        "kind: maintenance\npage: b\ndate: 2026-11-01\nby: ana\nchange: editorial\nsummary: x\n",
    );
    s.page("gone", "title: G\nstatus: research\n", "Going.\n");
    s.page(
        "old-name",
        "title: O\nstatus: draft\n",
        "A page long enough to be paired as a rename.\nLine two.\nLine three.\nLine four.\n",
    );
    s.git(&["add", "-A"]);
    s.git(&["commit", "-q", "-m", "site"]);
    s.page("a", "title: A\nstatus: research\n", "Draft text.\n");
    s.page("b", REVIEWED, "Reviewed text, edited [@onnx-spec].\n");
    s.write(
        "review/records/b/2026-11-27-maintenance-11111111.yaml",
        "kind: maintenance\npage: b\ndate: 2026-11-27\nby: ana\nchange: editorial\nsummary: y\n",
    );
    s.git(&["rm", "-q", "content/gone.md"]);
    s.git(&["mv", "content/old-name.md", "content/new-name.md"]);
    s.page(
        "new-name",
        "title: O\nstatus: draft\n",
        "A page long enough to be paired as a rename.\nLine two.\nLine three.\nLine 4.\n",
    );
    s.page("fresh", "title: F\nstatus: draft\n", "New.\n");
    s.write("review/policy.yaml", "reviewers: [ana, jon, kim]\n");
    let mut registry = String::from_utf8(s.read("content/sources.yaml")).unwrap();
    registry.push_str("- id: more\n  title: More\n  url: https://example.org/more\n  kind: specification\n  accessed: 2026-11-20\n");
    s.write("content/sources.yaml", registry);
    s.git(&["add", "-A"]);
    s
}

/// What the model says of each page: its path, what happened, its old
/// path, its state before (first parent) and after, whether the body
/// changed.
fn described(pages: &[PageChange]) -> Vec<String> {
    pages
        .iter()
        .map(|p| {
            format!(
                "{} {:?} from {:?} {:?} -> {:?} body {}",
                p.path,
                p.what,
                p.renamed_from,
                p.before.as_ref().and_then(|b| b.fields.status),
                p.after.as_ref().and_then(|a| a.fields.status),
                if p.body_changed { "changed" } else { "same" },
            )
        })
        .collect()
}

#[test]
fn a_staged_change_and_the_commit_it_becomes_are_described_alike() {
    let s = staged_site();
    let repo = Repo::open(s.root()).expect("opens");
    let staged = Change::staged(&repo, None, false).expect("the staged change");
    let pages = staged.pages().expect("the staged pages");
    let expected = [
        "content/a.md Edited from None Some(Draft) -> Some(Research) body same",
        "content/b.md Edited from None Some(Reviewed) -> Some(Reviewed) body changed",
        "content/fresh.md Added from None None -> Some(Draft) body changed",
        "content/gone.md Removed from None Some(Research) -> None body changed",
        "content/new-name.md Renamed from Some(\"content/old-name.md\") Some(Draft) -> Some(Draft) body changed",
    ];
    assert_eq!(described(&pages), expected);
    let renamed = &pages[4];
    assert_eq!(
        renamed.before.as_ref().map(|p| p.id.as_str()),
        Some("old-name")
    );
    assert_eq!(pages[2].what, What::Added);
    assert_eq!(
        staged
            .records
            .iter()
            .map(|r| r.path.as_str())
            .collect::<Vec<_>>(),
        ["review/records/b/2026-11-27-maintenance-11111111.yaml"]
    );
    // The policy and the registry on each side.
    assert!(staged.touches("review/policy.yaml"));
    assert_eq!(staged.policy.reviewers, ["ana", "jon", "kim"]);
    assert_eq!(staged.policy_before().unwrap().reviewers, ["ana", "jon"]);
    assert_eq!(staged.registry_before().unwrap().0.sources.len(), 2);
    assert_eq!(staged.registry_after().unwrap().0.sources.len(), 3);

    // Committed, the same change reads the same from the commit.
    s.git(&["commit", "-q", "--no-verify", "-m", "change"]);
    let repo = Repo::open(s.root()).expect("opens");
    let head = repo.head().unwrap().expect("a commit");
    let commit = repo.commit_info(head).unwrap();
    let committed = Change::commit(&repo, &commit).expect("the commit's change");
    let pages = committed.pages().expect("the commit's pages");
    assert_eq!(described(&pages), expected);
    assert_eq!(committed.records.len(), 1);
    assert_eq!(pages[0].states_before.len(), 1);
    // Read a chunk at a time, the same pages.
    let deltas: Vec<_> = committed.page_deltas().collect();
    let chunked: Vec<PageChange> = deltas
        .chunks(2)
        .flat_map(|chunk| committed.read_pages(chunk).expect("a chunk"))
        .collect();
    assert_eq!(described(&chunked), expected);
}

#[test]
fn the_index_lists_what_the_commit_will_hold() {
    let s = staged_site();
    let repo = Repo::open(s.root()).expect("opens");
    let head = repo.head().unwrap();
    let deltas = repo.staged_changes(head, None).unwrap();
    let index = Staged::new(&repo, head, &deltas);
    let listed = |files: &dyn Files, dir: &str, extension: &str| -> Vec<String> {
        let want = |p: &str| p.ends_with(extension);
        let (files, findings) = files.list(dir, &want).unwrap().unwrap_or_default();
        assert!(findings.is_empty());
        files.into_iter().map(|f| f.path).collect()
    };
    let staged_pages = listed(&index, "content", ".md");
    let staged_records = listed(&index, "review/records", ".yaml");
    assert_eq!(
        staged_pages,
        [
            "content/a.md",
            "content/b.md",
            "content/fresh.md",
            "content/new-name.md"
        ]
    );
    assert_eq!(
        staged_records,
        [
            "review/records/b/2026-11-01-maintenance-00000000.yaml",
            "review/records/b/2026-11-27-maintenance-11111111.yaml"
        ]
    );
    assert!(index.read("content/gone.md").unwrap().is_none());
    s.git(&["commit", "-q", "--no-verify", "-m", "change"]);
    let repo = Repo::open(s.root()).expect("opens");
    let commit = Commit {
        repo: &repo,
        commit: repo.head().unwrap(),
    };
    assert_eq!(listed(&commit, "content", ".md"), staged_pages);
    assert_eq!(listed(&commit, "review/records", ".yaml"), staged_records);
    // Before any commit, the tree is empty.
    let empty = Commit {
        repo: &repo,
        commit: None,
    };
    assert!(empty.list("content", &|_| true).unwrap().is_none());
}
