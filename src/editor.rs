//! The editor's commands: `new`, `move`, `log` and `decline`. Each reads
//! the working tree, checks with the same code as `folio check`, and writes
//! only through `write` (a temporary file renamed into place), changing
//! only the lines it owns.

use crate::Outcome;
use crate::check::{self, Context, Previous};
use crate::diagnostic::{self, Finding};
use crate::edit::{self, Value};
use crate::error::{Error, Result};
use crate::markdown::Prose;
use crate::output::{self, Style};
use crate::page::Page;
use crate::record::{Change, Kind, Reason, Record};
use crate::site::{self, Site, valid_page_id};
use crate::suggest::did_you_mean;
use crate::workflow::State;
use crate::write;
use chrono::NaiveDate;
use std::path::Path;

/// Who is recording, and when.
pub struct Recorder {
    pub by: String,
    pub today: NaiveDate,
    /// Makes each record's file name unique (see `Record::file_name`).
    pub nonce: u128,
}

impl Recorder {
    /// A record of `kind` for `page`, by this recorder, today, speaking for
    /// the page's body as it is.
    fn record(&self, kind: Kind, page: &Page) -> Record {
        Record::new(kind, &page.id, self.today, &self.by, page.body())
    }
}

/// The repository path of the page a user named, by id
/// (`guides/kv-cache`) or by path (`content/guides/kv-cache.md`, relative
/// to `cwd`).
pub fn page_path(content_dir: &str, root: &Path, cwd: &Path, name: &str) -> String {
    if name.ends_with(".md") {
        let absolute = cwd.join(name);
        absolute
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_else(|_| name.to_string())
    } else {
        format!("{content_dir}/{name}.md")
    }
}

/// The page a user named (see `page_path`).
pub fn find_page<'a>(site: &'a Site, root: &Path, cwd: &Path, name: &str) -> Result<&'a Page> {
    let path = page_path(&site.policy.content_dir, root, cwd, name);
    let found = site.pages.iter().find(|p| p.path == path);
    found.ok_or_else(|| {
        let ids = site.pages.iter().map(|p| p.id.as_str());
        Error::Usage {
            message: format!("there is no page `{name}` (or it cannot be read: run `folio check`)"),
            hint: match did_you_mean(name.trim_end_matches(".md"), ids) {
                Some(id) => format!("did you mean `{id}`?"),
                None => "name a page by its id (its path under the content folder, without .md) or by its path".to_string(),
            },
        }
    })
}

/// `folio new <id> --title TEXT`: a draft page from the page template.
pub fn new_page(
    root: &Path,
    content_dir: &str,
    id: &str,
    title: &str,
    owner: &str,
) -> Result<String> {
    if !valid_page_id(id) {
        return Err(Error::Usage {
            message: format!("`{id}` is not a page id"),
            hint:
                "use lowercase letters, digits and `-`, with `/` between folders: guides/kv-cache"
                    .to_string(),
        });
    }
    let path = format!("{content_dir}/{id}.md");
    if std::fs::symlink_metadata(root.join(&path)).is_ok() {
        return Err(Error::Usage {
            message: format!("{path} already exists"),
            hint: "choose another id, or edit the page that is there".to_string(),
        });
    }
    let context = minijinja::context! { id => id, title => title, owner => owner };
    let text = crate::template::render(root, "page.md.j2", context)?;
    let (page, findings) = site::parse_page(&path, text.as_bytes(), content_dir);
    let made_as_asked = page.as_ref().is_some_and(|p| {
        p.fields.title.as_deref() == Some(title) && p.fields.status == Some(State::Draft)
    });
    if !findings.is_empty() || !made_as_asked {
        return Err(Error::Usage {
            message: "the page template does not make a draft page with the given title".to_string(),
            hint: "fix review/templates/page.md.j2: its frontmatter needs `title: {{ title | yaml }}` and `status: draft`".to_string(),
        });
    }
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    if !write::create_new(&root.join(&path), text.as_bytes()).map_err(io)? {
        return Err(Error::Usage {
            message: format!("{path} appeared while folio was writing it"),
            hint: "check what is there, then try again".to_string(),
        });
    }
    Ok(format!(
        "created {path} (draft)\nnext: write it, then `folio move {id} research`\n"
    ))
}

/// `folio move <page> <state>`. A refused move is exit 1, having written
/// nothing.
pub fn move_page(
    root: &Path,
    site: &Site,
    page: &Page,
    to: State,
    reviewer: Option<&str>,
    note: Option<&str>,
    recorder: &Recorder,
) -> Result<Outcome> {
    let Some(from) = page.fields.status else {
        return Err(Error::Usage {
            message: format!("{} has no readable `status`", page.path),
            hint: "run `folio check` and fix the page first".to_string(),
        });
    };
    if from == to {
        return Err(Error::Usage {
            message: format!("{} is already {to}", page.path),
            hint: "nothing to do".to_string(),
        });
    }
    if State::is_backward(from, to) && note.is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::Usage {
            message: format!(
                "moving {} back from {from} to {to} needs a reason",
                page.path
            ),
            hint: "say why with --note \"...\"; it goes into the maintenance record".to_string(),
        });
    }
    let mut edits = vec![("status", Value::Scalar(to.as_str().to_string()))];
    if to == State::Reviewed {
        let Some(reviewer) = reviewer else {
            return Err(Error::Usage {
                message: "a move to reviewed names the reviewer who signs it".to_string(),
                hint: format!(
                    "add --reviewer NAME, one of: {}",
                    site.policy.reviewers.join(", ")
                ),
            });
        };
        edits.push(("last_reviewed", Value::Scalar(recorder.today.to_string())));
        edits.push(("reviewers", Value::List(vec![reviewer.to_string()])));
    }
    let edited = edit::apply(page, &edits).map_err(|message| Error::Usage {
        message,
        hint: "the frontmatter uses YAML folio does not edit; make the change by hand".to_string(),
    })?;
    let (Some(moved), _) =
        site::parse_page(&page.path, edited.as_bytes(), &site.policy.content_dir)
    else {
        return Err(Error::Usage {
            message: "the edited page does not parse".to_string(),
            hint: "please report this with the page".to_string(),
        });
    };
    // What the new state demands, by the same code as `folio check`.
    let ctx = Context {
        policy: &site.policy,
        registry: &site.registry,
        page_paths: &site.page_paths,
        today: recorder.today,
    };
    let prose = Prose::new(moved.body());
    let mut findings = check::check_page(&moved, &prose, &ctx);
    findings.extend(check::check_transition(
        &moved,
        &[Previous::State(from)],
        &site.policy,
    ));
    diagnostic::sort(&mut findings);
    if findings.iter().any(Finding::is_error) {
        let mut text = String::new();
        for f in &findings {
            output::write_human(&mut text, f, &Style::new(false));
        }
        text.push_str(&format!(
            "folio: {} stays {from}: the move to {to} is refused and nothing was written\n",
            page.path
        ));
        return Ok(Outcome {
            stdout: text,
            code: 1,
        });
    }
    let mut record = recorder.record(Kind::Maintenance, page);
    record.change = Some(Change::Transition);
    record.from = Some(from);
    record.to = Some(to);
    record.summary =
        Some(note.map_or_else(|| format!("moved from {from} to {to}"), str::to_string));
    let record_path = write_record(root, &record, recorder.nonce)?;
    let page_file = root.join(&page.path);
    let mode = permissions(&page_file);
    if let Err(source) = write::replace(&page_file, edited.as_bytes(), mode) {
        let _ = std::fs::remove_file(root.join(&record_path));
        return Err(Error::Io {
            path: page.path.clone(),
            source,
        });
    }
    Ok(Outcome {
        stdout: format!(
            "moved {} from {from} to {to}\nrecorded {record_path}\n",
            page.path
        ),
        code: 0,
    })
}

/// What `folio log` records.
pub struct Entry<'a> {
    pub change: &'a str,
    pub summary: &'a str,
    pub sources: &'a [String],
    pub resolves: Option<&'a str>,
}

/// `folio log <page> --change KIND "summary"`.
pub fn log(
    root: &Path,
    site: &Site,
    page: &Page,
    entry: &Entry,
    recorder: &Recorder,
) -> Result<String> {
    let change = Change::parse(entry.change).ok_or_else(|| Error::Usage {
        message: format!("`{}` is not a kind of change", entry.change),
        hint: format!("use one of {}", Change::list()),
    })?;
    for id in entry.sources {
        if site.registry.get(id).is_none() {
            return Err(Error::Usage {
                message: format!("`{id}` is not in {}", site.registry.path),
                hint: match did_you_mean(id, site.registry.ids()) {
                    Some(near) => format!("did you mean `{near}`?"),
                    None => "add the source to the registry first".to_string(),
                },
            });
        }
    }
    let mut record = recorder.record(Kind::Maintenance, page);
    record.change = Some(change);
    record.summary = Some(entry.summary.to_string());
    record.sources = entry.sources.to_vec();
    record.resolves = entry.resolves.map(str::to_string);
    Ok(format!(
        "recorded {}\n",
        write_record(root, &record, recorder.nonce)?
    ))
}

/// `folio decline <page> --claim TEXT --reason REASON [--rewrite TEXT]`.
pub fn decline(
    root: &Path,
    page: &Page,
    claim: &str,
    reason: &str,
    rewrite: Option<&str>,
    recorder: &Recorder,
) -> Result<String> {
    let reason = Reason::parse(reason).ok_or_else(|| Error::Usage {
        message: format!("`{reason}` is not a reason"),
        hint: match did_you_mean(reason, Reason::ALL.iter().map(|r| r.as_str())) {
            Some(near) => format!("did you mean `{near}`? The reasons are {}", Reason::list()),
            None => format!("use one of {}", Reason::list()),
        },
    })?;
    let mut record = recorder.record(Kind::NotPromoted, page);
    record.claim = Some(claim.to_string());
    record.reason = Some(reason);
    record.rewrite = rewrite.map(str::to_string);
    let path = write_record(root, &record, recorder.nonce)?;
    let mut text = format!("recorded {path}\n");
    let ledger = check::Ledger::new(std::slice::from_ref(&record));
    if let Some(f) = ledger.findings(page, &Prose::new(page.body())).first() {
        text.push_str(&format!(
            "note: the claim still appears at {}:{}:{}; rewrite or remove it before you commit\n",
            f.path, f.line, f.column
        ));
    }
    Ok(text)
}

fn write_record(root: &Path, record: &Record, nonce: u128) -> Result<String> {
    let path = record.path_for(nonce);
    let io = |source| Error::Io {
        path: path.clone(),
        source,
    };
    if !write::create_new(&root.join(&path), record.render().as_bytes()).map_err(io)? {
        return Err(Error::Usage {
            message: format!("{path} already exists"),
            hint: "run the command again; the new record gets a new name".to_string(),
        });
    }
    Ok(path)
}

fn permissions(path: &Path) -> u32 {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).map_or(0o644, |m| m.permissions().mode() & 0o7777)
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        0o644
    }
}
