//! Reading the issue GitHub makes of a filed correction form: `### Label`
//! sections in the form's order, each answer below its label, and
//! `_No response_` for a field left empty. Fields are found by the form's
//! labels (a `### ` line with any other text is part of an answer), so a
//! reordered body reads the same; a body that is too long, not UTF-8,
//! lacks a field intake needs, repeats one, or starts with anything but a
//! field is refused whole, saying every problem at once.

use super::form::Field;
use super::{choose, problems, source_kinds};
use crate::site::record::Problem;
use std::collections::HashMap;

/// GitHub's limit for an issue body, in characters: a longer one was not
/// made by GitHub from the form.
pub const MAX_BODY: usize = 65_536;
/// The longest answer folio keeps in a record.
pub const MAX_ANSWER: usize = 4_000;
/// The longest source address.
pub const MAX_SOURCE: usize = 2_048;

/// A correction as filed, every field read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filed {
    pub page: String,
    pub problem: Problem,
    pub claim: String,
    pub wrong: String,
    pub proposed: Option<String>,
    pub source_url: String,
    pub source_kind: String,
}

/// Reads a filed issue's body by the form's `fields`. `is_page` says
/// whether an id is a page of the site (`Err` with the nearest id, if any,
/// when it is not). Every problem found is in the `Err`.
pub fn read(
    body: &[u8],
    fields: &[Field],
    is_page: impl Fn(&str) -> Result<(), Option<String>>,
) -> Result<Filed, Vec<String>> {
    if body.len() > MAX_BODY * 4 {
        return Err(vec![format!(
            "the body is {} bytes, longer than any issue GitHub accepts ({MAX_BODY} characters)",
            body.len()
        )]);
    }
    let text = std::str::from_utf8(body).map_err(|e| {
        vec![format!(
            "the body is not UTF-8 text (at byte {})",
            e.valid_up_to()
        )]
    })?;
    if text.chars().count() > MAX_BODY {
        return Err(vec![format!(
            "the body is longer than any issue GitHub accepts ({MAX_BODY} characters)"
        )]);
    }
    let text = text.trim_start_matches('\u{feff}').replace("\r\n", "\n");
    let answers = sections(&text, fields)?;
    let mut problems_found = Vec::new();
    let label = |id: &str| {
        fields
            .iter()
            .find(|f| f.id == id)
            .map_or(id.to_string(), |f| f.label.clone())
    };
    let answer = |id: &str| answers.get(id).cloned().flatten();
    let need = |id: &str, problems_found: &mut Vec<String>| -> String {
        match answer(id) {
            Some(value) if value.chars().count() > MAX_ANSWER => {
                problems_found.push(format!(
                    "`{}` is longer than {MAX_ANSWER} characters",
                    label(id)
                ));
                String::new()
            }
            Some(value) => value,
            None => {
                problems_found.push(format!("`{}` is empty", label(id)));
                String::new()
            }
        }
    };
    let page = need("page", &mut problems_found);
    let problem_text = need("problem", &mut problems_found);
    let claim = need("claim", &mut problems_found);
    let wrong = need("wrong", &mut problems_found);
    let source_url = need("source", &mut problems_found);
    let kind_text = need("source-kind", &mut problems_found);
    let proposed = answer("proposed");
    if proposed
        .as_ref()
        .is_some_and(|p| p.chars().count() > MAX_ANSWER)
    {
        problems_found.push(format!(
            "`{}` is longer than {MAX_ANSWER} characters",
            label("proposed")
        ));
    }
    let page = page.trim_matches('`').trim().to_string();
    if !page.is_empty() {
        if let Err(near) = is_page(&page) {
            problems_found.push(match near {
                Some(near) => {
                    format!("`{page}` is not a page of this site; did you mean `{near}`?")
                }
                None => format!("`{page}` is not a page of this site"),
            });
        }
    }
    let problem = choose(&problem_text, &problems());
    if problem.is_none() && !problem_text.is_empty() {
        problems_found.push(format!(
            "`{problem_text}` is not a kind of problem the form offers"
        ));
    }
    let source_kind = choose(&kind_text, &source_kinds());
    if source_kind.is_none() && !kind_text.is_empty() {
        problems_found.push(format!(
            "`{kind_text}` is not a kind of source the form offers"
        ));
    }
    if !source_url.is_empty() && !is_web_address(&source_url) {
        problems_found.push(format!(
            "the supporting source is not a web address (http:// or https://, at most {MAX_SOURCE} characters, no spaces)"
        ));
    }
    if !problems_found.is_empty() {
        return Err(problems_found);
    }
    Ok(Filed {
        page,
        problem: problem.and_then(Problem::parse).unwrap_or(Problem::Other),
        claim,
        wrong,
        proposed,
        source_url,
        source_kind: source_kind.unwrap_or_default().to_string(),
    })
}

/// The answers by field id: `None` for `_No response_` or nothing.
fn sections(text: &str, fields: &[Field]) -> Result<HashMap<String, Option<String>>, Vec<String>> {
    let mut answers: HashMap<String, Option<String>> = HashMap::new();
    let mut current: Option<(&str, Vec<&str>)> = None;
    let finish = |current: Option<(&str, Vec<&str>)>, answers: &mut HashMap<_, _>| {
        if let Some((id, lines)) = current {
            let value = lines.join("\n").trim().to_string();
            let value = (!value.is_empty() && value != "_No response_").then_some(value);
            answers.insert(id.to_string(), value);
        }
    };
    for line in text.lines() {
        let field = line
            .strip_prefix("### ")
            .and_then(|label| fields.iter().find(|f| f.label == label.trim()));
        match (field, &mut current) {
            (Some(field), _) => {
                if answers.contains_key(&field.id)
                    || current.as_ref().is_some_and(|(id, _)| *id == field.id)
                {
                    return Err(vec![format!(
                        "the field `{}` appears twice; the body holds one answer to each field",
                        field.label
                    )]);
                }
                finish(current.take(), &mut answers);
                current = Some((&field.id, Vec::new()));
            }
            (None, Some((_, lines))) => lines.push(line),
            (None, None) if line.trim().is_empty() => {}
            (None, None) => {
                let first = fields.first().map_or("Page", |f| f.label.as_str());
                return Err(vec![format!(
                    "the body does not start with a field of the correction form (such as `### {first}`); was it filed with the form?"
                )]);
            }
        }
    }
    finish(current, &mut answers);
    let missing: Vec<String> = super::FIELDS
        .iter()
        .filter(|(id, _)| *id != "proposed" && !answers.contains_key(*id))
        .map(|(id, what)| {
            let label = fields
                .iter()
                .find(|f| f.id == *id)
                .map_or(*id, |f| &f.label);
            format!("`### {label}` ({what}) is missing")
        })
        .collect();
    if missing.is_empty() {
        Ok(answers)
    } else {
        Err(missing)
    }
}

/// An `http://` or `https://` address with no spaces, not too long.
fn is_web_address(url: &str) -> bool {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    url.len() <= MAX_SOURCE
        && rest.is_some_and(|r| {
            !r.is_empty()
                && !r.starts_with('/')
                && !r.chars().any(|c| c.is_whitespace() || c.is_control())
        })
}
