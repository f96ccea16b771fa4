//! The policy's lint rules: patterns for the claims a site does not
//! promote, read in a page's prose (code, comments and link targets
//! masked), title and summary, and excused where the rule allows by a
//! citation that follows the match in its sentence (a citation supports
//! what comes before it; one earlier in the sentence supports an earlier
//! clause).

use super::{Context, Found};
use crate::finding::{Finding, Findings};
use crate::site::layout::POLICY_PATH;
use crate::site::page::{Key, Page};
use crate::site::workflow::State;
use crate::text::markdown::Prose;
use std::ops::Range;

/// The policy's lint rules over the page body, and over the title and
/// summary, which a site shows wherever it lists the page.
pub(super) fn rules(page: &Page, prose: &Prose, state: State, ctx: &Context, out: &mut Findings) {
    let applies = |r: &crate::site::policy::Rule| r.states.contains(&state);
    // One pass for every rule, when many pages are checked.
    let made;
    let found = match ctx.found {
        Found::EachRule => None,
        Found::AllAtOnce => {
            made = ctx
                .policy
                .rules
                .iter()
                .any(applies)
                .then(|| ctx.policy.rules_found(&prose.masked))
                .flatten();
            made.as_ref()
        }
        Found::Made(found) => found,
    };
    for (i, rule) in ctx
        .policy
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| applies(r))
    {
        let in_body = found
            .as_ref()
            .is_none_or(|f| f.contains(regex_automata::PatternID::must(i)));
        let report = |out: &mut Findings, matched: &str, span: Range<usize>| {
            out.push(
                Finding::new(
                    rule.severity,
                    &rule.id,
                    &page.path,
                    format!("{}: \"{}\"", rule.message, matched.trim()),
                    &rule.hint,
                )
                .spanning(&page.text, span.start, span.end),
            );
        };
        let body = if in_body { prose.masked.as_str() } else { "" };
        let matches = match rule.find_iter(body) {
            Ok(matches) => matches,
            Err(e) => {
                out.push(
                    Finding::error(
                        "bad-rule",
                        POLICY_PATH,
                        format!("rule `{}` cannot be compiled: {e}", rule.id),
                        "simplify the pattern (a repetition of a large class is the usual cause)",
                    )
                    .at_line(rule.line, 1),
                );
                continue;
            }
        };
        for m in matches {
            let matched = &prose.masked[m.clone()];
            if m.is_empty() || !rule.fires(matched, ctx.today) {
                continue;
            }
            if rule.excused_by_citation && prose.cited_after(&m) {
                continue;
            }
            report(
                out,
                matched,
                page.body_start + m.start..page.body_start + m.end,
            );
        }
        for (key, value) in [
            (Key::Title, &page.fields.title),
            (Key::Summary, &page.fields.summary),
        ] {
            let (Some(value), Some(line)) = (value, page.key(key)) else {
                continue;
            };
            let Ok(matches) = rule.find_iter(value) else {
                continue;
            };
            let cited_after = |m: &Range<usize>| value[m.end..].contains("[@");
            // The span is the match where the file spells it as parsed,
            // up to the next key (a folded value runs over several lines),
            // else the value on the key's line.
            let end = page
                .keys
                .iter()
                .map(|k| k.key.start)
                .filter(|&start| start > line.value.start)
                .min()
                .unwrap_or(page.frontmatter_end);
            let raw = &page.text.as_str()[line.value.start..end.max(line.value.end)];
            for m in matches {
                let matched = &value[m.clone()];
                let excused = rule.excused_by_citation && cited_after(&m);
                if m.is_empty() || excused || !rule.fires(matched, ctx.today) {
                    continue;
                }
                let span = raw.find(matched).map_or(line.value.clone(), |at| {
                    line.value.start + at..line.value.start + at + matched.len()
                });
                report(out, matched, span);
            }
        }
    }
}
