//! Sealed test helpers: every test builds its own git repository in a temp
//! folder and runs the real `folio` binary and the real `git` with an
//! environment that inherits nothing (no `GIT_*`, no user or system git
//! config, a fixed author, committer, date and "today", and record file
//! names that are the same on every run).

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub const TODAY: &str = "2026-11-27";

/// Seeds the names of the records folio writes (`FOLIO_RECORD_SEED`), so
/// a snapshot can show them and commits have the same ids on every run.
pub const RECORD_SEED: &str = "1";

pub struct Sandbox {
    dir: tempfile::TempDir,
    home: tempfile::TempDir,
}

/// What a command did, printed whole when a test fails.
pub struct Run {
    pub command: String,
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// The whole run as one text, for snapshots.
    pub fn transcript(&self) -> String {
        let mut s = format!("$ {}\nexit: {}\n", self.command, self.code);
        if !self.stdout.is_empty() {
            s.push_str(&format!("--- stdout\n{}", self.stdout));
        }
        if !self.stderr.is_empty() {
            s.push_str(&format!("--- stderr\n{}", self.stderr));
        }
        s
    }
}

impl Run {
    /// The JSON document a `--format json` run printed.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{self:?}"))
    }

    /// The findings of a `--format json` run.
    pub fn findings(&self) -> Vec<serde_json::Value> {
        self.json()["findings"]
            .as_array()
            .expect("a findings list")
            .clone()
    }
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.transcript())
    }
}

/// A command with nothing inherited but `PATH`.
pub fn sealed(program: impl AsRef<std::ffi::OsStr>, home: &Path) -> Command {
    let mut cmd = Command::new(program);
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("LC_ALL", "C")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Test Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.invalid")
        .env("GIT_AUTHOR_DATE", "2026-11-27T10:00:00Z")
        .env("GIT_COMMITTER_NAME", "Test Committer")
        .env("GIT_COMMITTER_EMAIL", "committer@example.invalid")
        .env("GIT_COMMITTER_DATE", "2026-11-27T10:00:00Z")
        .env("FOLIO_TODAY", TODAY)
        .env("FOLIO_RECORD_SEED", RECORD_SEED);
    cmd
}

impl Sandbox {
    /// An empty git repository (no commits) with branch `main`.
    pub fn new() -> Sandbox {
        let sandbox = Sandbox::bare_folder();
        sandbox.git(&["init", "-q", "-b", "main"]);
        sandbox
    }

    /// A folder that is not a git repository.
    pub fn bare_folder() -> Sandbox {
        Sandbox {
            dir: tempfile::tempdir().expect("temp dir"),
            home: tempfile::tempdir().expect("temp home"),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Sandbox {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&path, contents).expect("write");
        self
    }

    /// Writes a file whose name is raw bytes (not UTF-8, say).
    pub fn write_bytes_name(&self, rel: &[u8], contents: &[u8]) {
        use std::os::unix::ffi::OsStrExt;
        let path = self.root().join(std::ffi::OsStr::from_bytes(rel));
        std::fs::write(path, contents).expect("write");
    }

    pub fn read(&self, rel: &str) -> Vec<u8> {
        std::fs::read(self.path(rel)).expect("read")
    }

    /// Runs git and insists it succeeds.
    pub fn git(&self, args: &[&str]) -> Run {
        let run = self.run_in(self.root(), "git", args, &[]);
        assert_eq!(run.code, 0, "git failed:\n{run:?}");
        run
    }

    pub fn folio(&self, args: &[&str]) -> Run {
        self.folio_env(args, &[])
    }

    pub fn folio_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        self.run_in(self.root(), env!("CARGO_BIN_EXE_folio"), args, env)
    }

    /// Runs folio as it runs for an editor: today and the time records
    /// are made from the clock, and record names from the clock and the
    /// process id, rather than from `TODAY` and `RECORD_SEED`.
    pub fn folio_with_clock(&self, args: &[&str]) -> Run {
        let mut cmd = sealed(env!("CARGO_BIN_EXE_folio"), self.home.path());
        cmd.env_remove("FOLIO_RECORD_SEED")
            .env_remove("FOLIO_TODAY");
        self.run(cmd, self.root(), args)
    }

    /// Runs folio with at most `seconds` of time and `megabytes` of
    /// address space (`timeout` and `ulimit -v`): a hang ends in exit 124,
    /// memory past the limit in an allocation failure (exit 134).
    pub fn folio_bounded(&self, args: &[&str], seconds: u32, megabytes: u32) -> Run {
        let script = "ulimit -v \"$1\"; shift; exec timeout -s KILL \"$@\"";
        let limit = (megabytes * 1024).to_string();
        let seconds = seconds.to_string();
        let mut all = vec![
            "-c",
            script,
            "sh",
            &limit,
            &seconds,
            env!("CARGO_BIN_EXE_folio"),
        ];
        all.extend_from_slice(args);
        let mut run = self.run_in(self.root(), "sh", &all, &[]);
        run.command = format!("folio {}", args.join(" "));
        run
    }

    pub fn run_in(&self, dir: &Path, program: &str, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut cmd = sealed(program, self.home.path());
        for (k, v) in env {
            cmd.env(k, v);
        }
        self.run(cmd, dir, args)
    }

    fn run(&self, mut cmd: Command, dir: &Path, args: &[&str]) -> Run {
        let program = cmd.get_program().to_string_lossy().into_owned();
        cmd.current_dir(dir).args(args);
        let out = cmd
            .output()
            .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
        let name = Path::new(&program)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Run {
            command: std::iter::once(name)
                .chain(args.iter().map(|a| a.to_string()))
                .collect::<Vec<_>>()
                .join(" "),
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// A clone of this repository with only its last commit (`git clone
    /// --depth 1`, as a CI checkout makes), and folio run in it.
    pub fn shallow_clone(&self) -> ShallowClone {
        let clone = Sandbox::bare_folder();
        let url = format!("file://{}", self.root().display());
        let made = clone.run_in(
            clone.root(),
            "git",
            &["clone", "-q", "--depth", "1", &url, "clone"],
            &[],
        );
        assert_eq!(made.code, 0, "{made:?}");
        ShallowClone(clone)
    }

    /// A minimal valid site: a policy with reviewers, a registry with one
    /// primary and one secondary source.
    pub fn site() -> Sandbox {
        let s = Sandbox::new();
        s.write("review/policy.yaml", "reviewers: [ana, jon]\n");
        s.write(
            "content/sources.yaml",
            "- id: onnx-spec\n  title: ONNX\n  url: https://onnx.ai/onnx/\n  kind: specification\n  accessed: 2026-11-01\n\
             - id: blog\n  title: A blog post\n  url: https://example.org/post\n  kind: secondary\n  accessed: 2026-11-01\n",
        );
        s
    }

    /// `site`, edited by Mara Editor, with an `origin` at `remote` (so
    /// pages have correction links).
    pub fn site_with_origin(remote: &str) -> Sandbox {
        let s = Sandbox::site();
        s.git(&["config", "user.name", "Mara Editor"]);
        s.git(&["remote", "add", "origin", remote]);
        s
    }

    /// Writes a page from frontmatter lines and a body.
    pub fn page(&self, id: &str, frontmatter: &str, body: &str) -> &Sandbox {
        self.write(
            &format!("content/{id}.md"),
            format!("---\n{frontmatter}---\n{body}"),
        )
    }

    /// Commits each of `versions` of the file `path` in turn on top of
    /// `main` (a minute apart, from 2027-01-15), with `git fast-import`,
    /// and checks the result out; `loose` keeps each object in a file of
    /// its own (so one can be removed), else they are packed as a clone's
    /// are. Needs `scratch/` ignored. Returns the commits, oldest first.
    pub fn commit_versions(&self, path: &str, versions: &[String], loose: bool) -> Vec<String> {
        let mut stream = String::new();
        for (n, text) in versions.iter().enumerate() {
            let message = format!("edit {}", n + 1);
            stream += &format!(
                "commit refs/heads/main\ncommitter Ed <ed@example.com> {} +0000\ndata {}\n{message}\n",
                1_800_000_060 + n * 60,
                message.len()
            );
            if n == 0 {
                stream += "from refs/heads/main^0\n";
            }
            stream += &format!("M 100644 inline {path}\ndata {}\n{text}\n", text.len());
        }
        self.write("scratch/stream", stream);
        let limit = if loose { "1000000" } else { "1" };
        let import =
            format!("git -c fastimport.unpackLimit={limit} fast-import --quiet < scratch/stream");
        let run = self.run_in(self.root(), "sh", &["-c", &import], &[]);
        assert_eq!(run.code, 0, "{run:?}");
        ok(self.git(&["reset", "-q", "--hard", "main"]));
        let log = ok(self.git(&["log", "--reverse", "--format=%H", "--", path]));
        let commits: Vec<String> = log.stdout.lines().map(str::to_string).collect();
        commits[commits.len() - versions.len()..].to_vec()
    }
}

/// Each item of the JSON array `items` as the text of its `keys`, in
/// order (an item without one of them fails the test).
pub fn texts(items: &serde_json::Value, keys: &[&str]) -> Vec<Vec<String>> {
    let items = items
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {items}"));
    items
        .iter()
        .map(|item| {
            keys.iter()
                .map(|k| match item[k].as_str() {
                    Some(text) => text.to_string(),
                    None => panic!("no text `{k}` in {item}"),
                })
                .collect()
        })
        .collect()
}

/// Frontmatter of a page that meets everything `reviewed` demands.
pub const REVIEWED: &str = "title: T\nsummary: S\naudience: A\nstatus: reviewed\nowner: mara\nreviewers: [ana]\nlast_reviewed: 2026-11-20\n";

/// Frontmatter of a page that meets everything `promoted` demands.
pub const PROMOTED: &str = "title: T\nsummary: S\naudience: A\nstatus: promoted\nowner: mara\nreviewers: [ana]\nlast_reviewed: 2026-11-20\n";

/// The policy of a site in the GOV.UK technical-documentation style,
/// adopted as it is: pages are `source/**/*.html.md` (some `.html.md.erb`),
/// partials are not pages, the review fields are the site's own, and a
/// page without a status is live (promoted).
pub const ADOPTED_POLICY: &str = "\
content_dir: source
pages:
  include: [\"**/*.html.md\", \"**/*.html.md.erb\"]
  exclude: [\"partials/**\"]
fields:
  last_reviewed: last_reviewed_on
  owner: owner_slack
  review_interval: review_in
site_keys: [layout, parent]
states:
  words: {wip: draft, live: promoted}
  default: promoted
reviewers: [ana, jon]
";

impl Sandbox {
    /// A site in the GOV.UK style with the policy `ADOPTED_POLICY`; each
    /// page reviewed on its own schedule. Pages (ids): `manual/current.html`
    /// (due 2026-12-24), `manual/old.html` (6 months from 2019-06-24),
    /// `manual/quick.html` (81 days from 2026-08-01), `manual/plain.html`
    /// (the policy's 180 days from 2026-01-01), `manual/soon.html` (an
    /// interval folio cannot read, on line 5), `manual/wip.html` (a draft
    /// in the site's word) and `index.html` (an `.html.md.erb`, due in a
    /// year). A partial and a README that would be findings are not pages.
    pub fn adopted() -> Sandbox {
        let s = Sandbox::new();
        s.write("review/policy.yaml", ADOPTED_POLICY);
        let page = |path: &str, front: &str| {
            s.write(
                &format!("source/{path}"),
                format!("---\ntitle: A page\nowner_slack: \"#team\"\nlayout: core\n{front}---\n# Heading\n\nText.\n"),
            );
        };
        page(
            "manual/current.html.md",
            "last_reviewed_on: 2026-06-24\nreview_in: 6 months\n",
        );
        page(
            "manual/old.html.md",
            "last_reviewed_on: 2019-06-24\nreview_in: 6 months\n",
        );
        page(
            "manual/quick.html.md",
            "last_reviewed_on: 2026-08-01\nreview_in: 81 days\n",
        );
        page("manual/plain.html.md", "last_reviewed_on: 2026-01-01\n");
        page(
            "manual/soon.html.md",
            "review_in: soon\nlast_reviewed_on: 2026-11-01\n",
        );
        page("manual/wip.html.md", "status: wip\n");
        page(
            "index.html.md.erb",
            "last_reviewed_on: 2026-11-01\nreview_in: 1 year\nparent: /\n",
        );
        s.write("source/partials/nav.html.md", "no frontmatter here\n");
        s.write("source/README.md", "---\nstatus: nonsense\n---\n");
        s
    }
}

/// An issue body as GitHub writes it from the form: each field's label as
/// a `### ` heading, its answer below, `_No response_` when empty.
pub fn body(form: &str, answers: &[(&str, &str)]) -> String {
    let fields = folio::correction::form::check_form(form).expect("the form is valid");
    let mut out = String::new();
    for f in fields {
        let answer = answers
            .iter()
            .find(|(id, _)| *id == f.id)
            .map_or("_No response_", |(_, a)| a);
        out.push_str(&format!("### {}\n\n{answer}\n\n", f.label));
    }
    out
}

pub const FILED: &[(&str, &str)] = &[
    ("page", "guides/kv-cache"),
    ("problem", "Factual error"),
    ("claim", "Blocks hold 32 tokens."),
    ("wrong", "The paper uses 16-token blocks (section 4.2)."),
    ("source", "https://arxiv.org/abs/2309.06180"),
    (
        "source-kind",
        "Original research (a paper, a benchmark with its method)",
    ),
];

/// `run`, which must have succeeded (exit 0).
pub fn ok(run: Run) -> Run {
    assert_eq!(run.code, 0, "{run:?}");
    run
}

/// A shallow clone (see `Sandbox::shallow_clone`).
pub struct ShallowClone(Sandbox);

impl ShallowClone {
    pub fn path(&self, rel: &str) -> PathBuf {
        self.0.root().join("clone").join(rel)
    }

    pub fn folio(&self, args: &[&str]) -> Run {
        self.0
            .run_in(&self.path(""), env!("CARGO_BIN_EXE_folio"), args, &[])
    }

    /// Runs git in the clone and insists it succeeds.
    pub fn git(&self, args: &[&str]) -> Run {
        let run = self.0.run_in(&self.path(""), "git", args, &[]);
        assert_eq!(run.code, 0, "git failed:\n{run:?}");
        run
    }
}
