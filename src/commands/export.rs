//! `folio export`: page data for the site generator.

use super::{Env, Outcome, out_dir};
use crate::error::{Error, Result};
use crate::export::{self, Context, FORMAT, SCHEMA};
use crate::git::Repo;
use crate::site::files::Worktree;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Write what folio knows about each page as JSON, for the site generator
///
/// One file per page, `pages/<id>.json`, with its state, review (when,
/// by whom, when the next is due), owner, audience, maintenance record
/// (newest first), not-promoted decisions, open corrections with their
/// age, its sources resolved from the registry, and the link that opens
/// the correction form; and `index.json`, every page with its state and
/// review, and the count of pages per state. `schema.json` (also printed by
/// `--schema`) describes both; the format is versioned.
///
/// The folder is written whole and then put in place of the one before, so
/// a site build never reads half an export; an export that would hold
/// exactly what the one before holds leaves it as it was. The folder must
/// be new, empty, or a folder folio exported to before. Nothing else is written: not the
/// pages, not the index, nothing to stage. Text is plain text as the
/// repository holds it, a contributor's included: let the template
/// escape it.
#[derive(clap::Args)]
#[command(
    after_help = "Examples:\n  folio export --out data/folio     # Hugo: .Site.Data.folio.pages\n  folio export --out _data/folio    # Jekyll (site.data.folio) and Eleventy (folio)\n  folio export --out src/data/folio # Astro: import the JSON\n  folio export --schema             # the JSON Schema of the files"
)]
pub struct Args {
    /// The folder to write, from the current directory (made if missing;
    /// replaced whole if folio exported to it before)
    #[arg(long, value_name = "DIR", default_value = "folio-export")]
    out: PathBuf,

    /// Print the JSON Schema of the files instead of exporting
    #[arg(long)]
    schema: bool,
}

pub fn run(args: &Args, repo: &Repo, env: &Env) -> Result<Outcome> {
    if args.schema {
        return Ok(Outcome::Script {
            text: SCHEMA.to_string(),
        });
    }
    let files = Worktree { root: repo.root() };
    let site = crate::site::load_unread(&files)?;
    let out = out_dir::lexical(&env.cwd.join(&args.out));
    let shown = args.out.display().to_string();
    refuse_unsafe(&out, &shown, repo.root(), &site.policy.pages.dir)?;
    let parent = out.parent().unwrap_or(Path::new("/"));
    std::fs::create_dir_all(parent).map_err(|e| Error::write(&shown, e))?;
    let repo_url = repo
        .config_string("remote.origin.url")
        .and_then(|remote| crate::correction::link::repo_url(&remote));
    let ctx = Context::new(&site, env.today, repo_url.as_deref());
    let staging = Staging {
        out: &out,
        parent,
        before: std::fs::symlink_metadata(&out).is_ok_and(|m| m.is_dir()),
        state: Mutex::default(),
    };
    let write = |rel: &str, bytes: &[u8]| {
        staging
            .write(rel, bytes)
            .map_err(|e| Error::write(&shown, e))
    };
    let exported = crate::site::each_page(&site, &files, |page| {
        export::export_page(page, &ctx, &write)
    });
    let mut entries = Vec::new();
    for page in exported.into_iter().flatten() {
        entries.extend(page?);
    }
    // Pages that could not be read, and links where a page would be
    // (folio never follows them): each has its finding in `folio check`.
    let linked = site.findings.iter().filter(|f| f.code == "symlink").count();
    let left_out = site.page_paths.len() - entries.len() + linked;
    let index = export::index(entries, env.today);
    let pages = index.pages.len();
    let mut json = serde_json::to_vec_pretty(&index).expect("the index serialises");
    json.push(b'\n');
    write("index.json", &json)?;
    write("schema.json", SCHEMA.as_bytes())?;
    let placed = staging.finish().and_then(|staged| match staged {
        Some(staged) => put_in_place(&staged, &out).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&staged);
        }),
        None => Ok(()),
    });
    if let Err(e) = placed {
        return Err(Error::write(&shown, e)
            .hint("check that the folder's parent is writable and that no other export is running into it"));
    }
    Ok(Outcome::Exported {
        dir: shown.clone(),
        pages,
        left_out,
        next: format!(
            "build the site with {shown} as its data (README: \"Page data for the site generator\")"
        ),
    })
}

/// Refuses a folder whose replacement would lose what folio did not write
/// (see `out_dir::placement`), a file, or a folder with files of its own.
fn refuse_unsafe(out: &Path, shown: &str, root: &Path, content_dir: &str) -> Result<()> {
    out_dir::placement(out, shown, root, content_dir)?;
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(()),
        Ok(meta) if !meta.is_dir() => out_dir::refuse(shown, "it is a file"),
        Ok(_) if is_empty(out) || exported_before(out) => Ok(()),
        Ok(_) => out_dir::refuse(shown, "it holds files folio did not export"),
    }
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

/// Whether `dir` holds an export: its `index.json` names folio's format.
fn exported_before(dir: &Path) -> bool {
    out_dir::marked(
        &dir.join("index.json"),
        &format!("\"format\": \"{FORMAT}\""),
    )
}

/// Where a new export is made. A file the export before holds as it is now
/// is linked, not written: making a file costs far more than linking one
/// on many file systems, and most pages do not change between two builds
/// of a site. While every file so far is one the export before holds, the
/// new export is made nowhere at all: an unchanged site's export is left
/// as it was, folder and all, so nothing watching it sees a change. At
/// the first difference, a folder is made beside the export and the files
/// so far are linked into it.
struct Staging<'a> {
    out: &'a Path,
    parent: &'a Path,
    /// Whether there is an export before.
    before: bool,
    state: Mutex<Staged>,
}

#[derive(Default)]
struct Staged {
    /// The folder the new export is made in, once one is needed.
    dir: Option<tempfile::TempDir>,
    /// The files the export before holds as they are now, until then.
    same: Vec<String>,
    /// The folders made in `dir` so far: a site has few, and pages many.
    made: HashSet<PathBuf>,
}

impl Staging<'_> {
    fn write(&self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let old = self.out.join(rel);
        let same = self.before && holds(&old, bytes);
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.dir.is_none() {
            if same {
                state.same.push(rel.to_string());
                return Ok(());
            }
            state.start(self.out, self.parent)?;
        }
        let path = state.folder_for(rel)?;
        drop(state);
        if same && std::fs::hard_link(&old, &path).is_ok() {
            return Ok(());
        }
        std::fs::write(&path, bytes)
    }

    /// The folder of the new export to put in place, or `None` when the
    /// export before holds exactly what this one would.
    fn finish(self) -> std::io::Result<Option<PathBuf>> {
        let mut state = self.state.into_inner().unwrap_or_else(|e| e.into_inner());
        if state.dir.is_none() {
            if files_in(self.out) == state.same.len() {
                return Ok(None);
            }
            state.start(self.out, self.parent)?;
        }
        Ok(state.dir.map(tempfile::TempDir::keep))
    }
}

impl Staged {
    /// Makes the folder beside the export `out` (in `parent`), and links
    /// the files so far into it.
    fn start(&mut self, out: &Path, parent: &Path) -> std::io::Result<()> {
        self.dir = Some(
            tempfile::Builder::new()
                .prefix(".folio-export-")
                .tempdir_in(parent)?,
        );
        for rel in std::mem::take(&mut self.same) {
            let path = self.folder_for(&rel)?;
            let old = out.join(&rel);
            if std::fs::hard_link(&old, &path).is_err() {
                std::fs::copy(&old, &path)?;
            }
        }
        Ok(())
    }

    /// Where `rel` goes in the folder, its parent folders made.
    fn folder_for(&mut self, rel: &str) -> std::io::Result<PathBuf> {
        let path = self.dir.as_ref().expect("started").path().join(rel);
        if let Some(dir) = path.parent() {
            if !self.made.contains(dir) {
                std::fs::create_dir_all(dir)?;
                self.made.insert(dir.to_path_buf());
            }
        }
        Ok(path)
    }
}

/// How many entries that are not folders are under `dir`, at any depth.
fn files_in(dir: &Path) -> usize {
    std::fs::read_dir(dir).map_or(0, |entries| {
        entries
            .flatten()
            .map(|e| match e.file_type() {
                Ok(t) if t.is_dir() => files_in(&e.path()),
                _ => 1,
            })
            .sum()
    })
}

/// Whether `path` is a regular file (not a link) holding exactly `bytes`:
/// opened without following a link or waiting on a pipe, its size taken
/// from the open file, and read once.
fn holds(path: &Path, bytes: &[u8]) -> bool {
    use std::io::Read;
    use std::os::unix::fs::OpenOptionsExt;
    let Ok(mut file) = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(path)
    else {
        return false;
    };
    if !file
        .metadata()
        .is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
    {
        return false;
    }
    let mut held = vec![0; bytes.len()];
    file.read_exact(&mut held).is_ok() && held == bytes
}

/// Puts the folder `new` where `out` is: in one step where the system can
/// swap two folders (Linux), else by moving the old one aside first. The
/// old export is then removed.
fn put_in_place(new: &Path, out: &Path) -> std::io::Result<()> {
    if std::fs::symlink_metadata(out).is_err() {
        return std::fs::rename(new, out);
    }
    if exchange(new, out).is_err() {
        let aside = new.with_extension("old");
        std::fs::rename(out, &aside)?;
        if let Err(e) = std::fs::rename(new, out) {
            let _ = std::fs::rename(&aside, out);
            return Err(e);
        }
        return remove_tree(&aside);
    }
    // `new` now holds the old export.
    remove_tree(new)
}

/// Removes the folder `dir` and all it holds, its sub-sub-folders (an
/// export's `pages/<section>/`) on both cores: removing ten thousand files
/// is most of what a repeated export costs.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let folders = |dir: &Path| -> Vec<PathBuf> {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
                    .map(|e| e.path())
                    .collect()
            })
            .unwrap_or_default()
    };
    let inner: Vec<PathBuf> = folders(dir).iter().flat_map(|d| folders(d)).collect();
    crate::site::par_map(&inner, |d| std::fs::remove_dir_all(d));
    std::fs::remove_dir_all(dir)
}

/// Swaps two paths atomically.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = |p: &Path| {
        std::ffi::CString::new(p.as_os_str().as_bytes())
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))
    };
    let (a, b) = (c(a)?, c(b)?);
    // SAFETY: both are NUL-terminated paths that live across the call.
    let done = unsafe {
        libc::renameat2(
            libc::AT_FDCWD,
            a.as_ptr(),
            libc::AT_FDCWD,
            b.as_ptr(),
            libc::RENAME_EXCHANGE,
        )
    };
    if done == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn exchange(_: &Path, _: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}
