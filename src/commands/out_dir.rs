//! Folders a command writes its output to (`export --out`, `board
//! --html`): where they may be, said the same way for each.

use crate::error::{Error, Result};
use std::path::{Component, Path, PathBuf};

/// `path` without `.` and `..` components, as the user meant it.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Whether the file at `path` begins (within its first 4 KiB) with text
/// holding `mark`: how a command knows a file it wrote before.
pub fn marked(path: &Path, mark: &str) -> bool {
    let Ok(file) = std::fs::File::open(path) else {
        return false;
    };
    let mut head = Vec::new();
    let _ = std::io::Read::read_to_end(&mut std::io::Read::take(file, 4096), &mut head);
    String::from_utf8_lossy(&head).contains(mark)
}

/// The refusal of `shown` (the folder as the user wrote it), and why.
pub fn refuse<T>(shown: &str, why: &str) -> Result<T> {
    Err(
        Error::usage(format!("folio will not write into {shown}: {why}"))
            .hint("give a folder of its own, such as `data/folio` or `public/board`"),
    )
}

/// Refuses a folder where writing could lose or expose what folio did not
/// write: the repository or any folder holding it, `.git`, the content
/// folder or anything around or in it, or a folder reached through a
/// symbolic link.
pub fn placement(out: &Path, shown: &str, root: &Path, content_dir: &str) -> Result<()> {
    let root = lexical(root);
    let content = root.join(content_dir);
    let git = root.join(".git");
    if root.starts_with(out) {
        return refuse(shown, "it holds the repository");
    }
    if out.starts_with(&content) || content.starts_with(out) {
        return refuse(
            shown,
            &format!("it overlaps the content folder `{content_dir}`"),
        );
    }
    if out.starts_with(&git) {
        return refuse(shown, "it is inside .git");
    }
    if let Ok(rel) = out.strip_prefix(&root) {
        let rel = rel.to_string_lossy().replace('\\', "/");
        if let Some(link) = crate::write::symlink_on_path(&root, &rel) {
            return refuse(shown, &format!("`{link}` is a symbolic link"));
        }
    } else if std::fs::symlink_metadata(out).is_ok_and(|m| m.file_type().is_symlink()) {
        return refuse(shown, "it is a symbolic link");
    }
    Ok(())
}
