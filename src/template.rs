//! The one minijinja environment. Templates are files: the repository's
//! `review/templates/<name>` when it exists, else folio's embedded default.
//! Values reach a template only through its context, any serialisable
//! value, and the filters that put text into YAML quote it, so no input can
//! change a template's shape. Undefined values are errors, and every error
//! names the template.

use crate::error::{Error, Result};
use crate::site::layout::TEMPLATES_DIR;
use crate::text::quote;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The embedded defaults, by name.
const DEFAULTS: &[(&str, &str)] = &[("page.md.j2", include_str!("templates/page.md.j2"))];

/// The templates of one repository, with folio's filters, built once.
pub struct Templates {
    root: PathBuf,
    env: minijinja::Environment<'static>,
}

impl Templates {
    pub fn new(root: &Path) -> Templates {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build();
        env.set_syntax(syntax.expect("the default delimiters are valid"));
        // `{{ value | yaml }}`: a YAML scalar that reads back as the value.
        env.add_filter("yaml", |s: String| quote::scalar(&s));
        Templates {
            root: root.to_path_buf(),
            env,
        }
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        let path = format!("{TEMPLATES_DIR}/{name}");
        let source = match std::fs::read_to_string(self.root.join(&path)) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => DEFAULTS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| {
                    Error::config(format!("there is no template {path}"))
                        .hint("create it, or remove the reference to it")
                })?,
            Err(source) => return Err(Error::read(&path, source)),
        };
        self.env
            .render_named_str(
                name,
                &source,
                minijinja::Value::from(minijinja::value::Serde(context)),
            )
            .map_err(|e| {
                Error::config(format!("the template {path} failed: {e}")).hint(
                    "fix the template (minijinja syntax), or delete it to use folio's default",
                )
            })
    }
}
