//! The one minijinja environment. Templates are files: `review/templates/
//! <name>` as the caller's `Files` hold it (the working tree, or a commit),
//! else folio's embedded default. Values reach a template only through its
//! context, any serialisable value. Undefined values are errors, every
//! error names the template and its line, and a render has a budget of
//! work, so a template from a pull request cannot run forever.
//!
//! Templates that write Markdown for GitHub (the review summary) escape
//! every `{{ value }}` as they write it (`text::github::escape`): a value
//! cannot add markup, mention anyone or link anything. The board's HTML
//! template escapes every value as HTML. Their filters
//! `code` and `fence(info)` write a code span and a code block that the
//! value cannot break out of. The page template writes YAML: its `yaml`
//! filter quotes a value so that it reads back as itself.

use crate::error::{Error, Result};
use crate::site::files::Files;
use crate::site::layout::TEMPLATES_DIR;
use crate::text::{github, quote};
use minijinja::{AutoEscape, Value};
use serde::Serialize;

/// The embedded defaults, by name.
const DEFAULTS: &[(&str, &str)] = &[
    ("page.md.j2", include_str!("templates/page.md.j2")),
    (
        "correction.md.j2",
        include_str!("templates/correction.md.j2"),
    ),
    (
        "correction-form.yml.j2",
        include_str!("templates/correction-form.yml.j2"),
    ),
    (
        "issue-config.yml.j2",
        include_str!("templates/issue-config.yml.j2"),
    ),
    ("summary.md.j2", include_str!("templates/summary.md.j2")),
    ("board.html.j2", include_str!("templates/board.html.j2")),
];

/// Templates whose output GitHub renders, so every value is escaped.
const FOR_GITHUB: &[&str] = &["summary.md.j2"];

/// Templates that write HTML: every value is HTML-escaped, and characters
/// that hide or reorder text are shown as escapes (`\u{202e}`).
const HTML: &[&str] = &["board.html.j2"];

/// The work one render may do (minijinja's fuel): far more than any
/// summary needs, far less than a loop that never ends.
const FUEL: u64 = 50_000_000;

/// The templates of one repository, with folio's filters, built once.
pub struct Templates<'f> {
    files: &'f dyn Files,
    env: minijinja::Environment<'static>,
}

impl<'f> Templates<'f> {
    /// Templates read from `files` (a site's `review/templates/`), falling
    /// back to folio's own.
    pub fn new(files: &'f dyn Files) -> Templates<'f> {
        let mut env = minijinja::Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        env.set_fuel(Some(FUEL));
        let syntax = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .build();
        env.set_syntax(syntax.expect("the default delimiters are valid"));
        env.set_auto_escape_callback(|name| {
            if FOR_GITHUB.contains(&name) {
                AutoEscape::Custom("github".into())
            } else if HTML.contains(&name) {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_formatter(|out, state, value| match state.auto_escape() {
            AutoEscape::Custom(_) if !value.is_safe() => {
                let text = if value.is_none() {
                    String::new()
                } else {
                    value.to_string()
                };
                out.write_str(&github::escape(&text)).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
            }
            AutoEscape::Custom(_) => out.write_str(&value.to_string()).map_err(|e| {
                minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
            }),
            AutoEscape::Html if !value.is_safe() && !value.is_none() => {
                // A string is written from where it is, not copied first.
                let owned;
                let text = match value.as_str() {
                    Some(text) => text,
                    None => {
                        owned = value.to_string();
                        &owned
                    }
                };
                let text = crate::output::table::shown(text);
                write!(out, "{}", minijinja::HtmlEscape(&text)).map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
            }
            _ => minijinja::escape_formatter(out, state, value),
        });
        // `{{ value | yaml }}`: a YAML scalar that reads back as the value.
        env.add_filter("yaml", |s: String| quote::scalar(&s));
        // `{{ value | code }}`: an inline code span.
        env.add_filter("code", |s: String| {
            Value::from_safe_string(github::code_span(&s))
        });
        // `{{ value | fence("text") }}`: a fenced code block.
        env.add_filter("fence", |s: String, info: Option<String>| {
            Value::from_safe_string(github::fence(&s, info.as_deref().unwrap_or("")))
        });
        // `{{ n | plural("page") }}`: "1 page", "2 pages".
        env.add_filter("plural", |n: u64, word: String| {
            if n == 1 {
                format!("1 {word}")
            } else {
                format!("{n} {word}s")
            }
        });
        Templates { files, env }
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &impl Serialize) -> Result<String> {
        self.render_within(name, context, usize::MAX)
            .map(|text| text.expect("no limit"))
    }

    /// As `render`, or `None` as soon as the text grows past `limit`
    /// characters: a render that could not be used is not finished.
    pub fn render_within(
        &self,
        name: &str,
        context: &impl Serialize,
        limit: usize,
    ) -> Result<Option<String>> {
        let path = format!("{TEMPLATES_DIR}/{name}");
        let source = match self.files.read(&path)? {
            Some(bytes) => String::from_utf8(bytes).map_err(|_| {
                Error::config(format!("the template {path} is not UTF-8 text"))
                    .hint("re-save it as UTF-8")
            })?,
            None => DEFAULTS
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, text)| text.to_string())
                .ok_or_else(|| {
                    Error::config(format!("there is no template {path}"))
                        .hint("create it, or remove the reference to it")
                })?,
        };
        let failed = |e: minijinja::Error| {
            let at = e.line().map_or(String::new(), |l| format!(":{l}"));
            Error::config(format!("the template {path}{at} failed: {e}"))
                .hint("fix the template (minijinja syntax), or delete it to use folio's default")
        };
        let template = self
            .env
            .template_from_named_str(name, &source)
            .map_err(failed)?;
        let mut out = Capped {
            bytes: Vec::new(),
            chars: 0,
            limit,
        };
        let context = Value::from(minijinja::value::Serde(context));
        match template.render_captured_to(context, &mut out) {
            Ok(_) => Ok(Some(String::from_utf8(out.bytes).map_err(|_| {
                Error::bug("a template rendered text that is not UTF-8")
                    .hint("please report this with the template")
            })?)),
            Err(_) if out.chars > limit => Ok(None),
            Err(e) => Err(failed(e)),
        }
    }
}

/// Where a render writes: it stops the render once past `limit`
/// characters.
struct Capped {
    bytes: Vec<u8>,
    chars: usize,
    limit: usize,
}

impl std::io::Write for Capped {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.chars += crate::text::count_chars(buf);
        if self.chars > self.limit {
            return Err(std::io::Error::other("past the limit"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
