//! The one minijinja environment. Templates are files: the repository's
//! `review/templates/<name>` when it exists, else folio's embedded default.
//! Values reach a template only through its context, and the filters that
//! put text into YAML quote it, so no input can change a template's shape.

use crate::edit::plain_ok;
use crate::error::{Error, Result};
use crate::record::quoted;
use std::path::Path;

pub const TEMPLATES_DIR: &str = "review/templates";

/// The embedded defaults, by name.
const DEFAULTS: &[(&str, &str)] = &[("page.md.j2", include_str!("templates/page.md.j2"))];

/// Renders template `name` with `context`, naming the template in any error.
pub fn render(root: &Path, name: &str, context: minijinja::Value) -> Result<String> {
    let path = format!("{TEMPLATES_DIR}/{name}");
    let source = match std::fs::read_to_string(root.join(&path)) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULTS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| text.to_string())
            .ok_or_else(|| Error::Usage {
                message: format!("there is no template {path}"),
                hint: "create it, or remove the reference to it".to_string(),
            })?,
        Err(source) => return Err(Error::Io { path, source }),
    };
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build();
    env.set_syntax(syntax.expect("the default delimiters are valid"));
    env.add_filter(
        "yaml",
        |s: String| if plain_ok(&s) { s } else { quoted(&s) },
    );
    let failed = |e: minijinja::Error| Error::Usage {
        message: format!("the template {path} failed: {e}"),
        hint: "fix the template (minijinja syntax), or delete it to use folio's default"
            .to_string(),
    };
    env.add_template_owned(name.to_string(), source)
        .map_err(failed)?;
    env.get_template(name)
        .and_then(|t| t.render(context))
        .map_err(failed)
}
