//! Writing text that GitHub renders as Markdown (a pull-request comment, a
//! job summary) when the text came from somebody else: a page title, a
//! path, a claim, a commit subject. Such text must stay text. It may not
//! become raw HTML (comments included), mention a user or a team, link an
//! issue or close one (`fixes #1`), turn into a link its author did not
//! write as one, or break out of the code span or block it sits in.
//!
//! GitHub links mentions, issue references and bare addresses after the
//! Markdown is rendered, so a backslash escape does not stop them; a zero
//! width space after `@`, `#`, `GH-`, `www` or a scheme's `:` does, and
//! does not show. Everything else is done the Markdown way: every ASCII
//! punctuation character that Markdown (or GitHub's math) reads as syntax
//! is backslash-escaped; `,` `;` `?` `/` `%` `'` `"` and `@` are not,
//! since none of them is syntax once the others are escaped.
//! Control characters and bidirectional overrides are shown as `�`.

/// Breaks a mention, an issue reference or an autolink without showing.
const BREAK: char = '\u{200B}';

/// `text` as Markdown that renders as exactly that text, on one line.
pub fn escape(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    for (i, &c) in chars.iter().enumerate() {
        let next = |n: usize| chars.get(i + n).copied();
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if super::hidden(c) => out.push('\u{FFFD}'),
            c if c.is_ascii_punctuation() && !",;?/%'\"@".contains(c) => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
        let breaks = match c {
            '@' | '#' => true,
            // `https://`, `mailto:`: no scheme survives whole.
            ':' => next(1).is_some_and(|n| n == '/' || n.is_alphanumeric()),
            // `www.example.org`
            'w' | 'W' => {
                i >= 2
                    && chars[i - 2..i].iter().all(|p| p.eq_ignore_ascii_case(&'w'))
                    && next(1) == Some('.')
            }
            // `GH-123`
            '-' => {
                i >= 2
                    && chars[i - 2].eq_ignore_ascii_case(&'g')
                    && chars[i - 1].eq_ignore_ascii_case(&'h')
                    && next(1).is_some_and(|n| n.is_ascii_digit())
            }
            _ => false,
        };
        if breaks {
            out.push(BREAK);
        }
    }
    out
}

/// `text` as an inline code span: one line, between backtick runs longer
/// than any run inside it. Not for a table cell, where a `|` ends the cell
/// even inside code; use `escape` there.
pub fn code_span(text: &str) -> String {
    let line: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if super::hidden(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    if line.trim().is_empty() {
        return "` `".to_string();
    }
    let fence = "`".repeat(longest_run(&line, '`') + 1);
    let pad = if line.starts_with('`') || line.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{line}{pad}{fence}")
}

/// `text` as a fenced code block with the info string `info` (folio's
/// own word, such as `text`): the fence is longer than any backtick run
/// inside, so nothing in the text can close it.
pub fn fence(text: &str, info: &str) -> String {
    let body: String = text
        .chars()
        .map(|c| match c {
            '\n' | '\t' => c,
            '\r' => ' ',
            c if super::hidden(c) => '\u{FFFD}',
            c => c,
        })
        .collect();
    let fence = "`".repeat(longest_run(&body, '`').max(2) + 1);
    let info: String = info.chars().filter(char::is_ascii_alphanumeric).collect();
    let newline = if body.ends_with('\n') { "" } else { "\n" };
    format!("{fence}{info}\n{body}{newline}{fence}")
}

fn longest_run(text: &str, c: char) -> usize {
    let mut longest = 0;
    let mut run = 0;
    for ch in text.chars() {
        run = if ch == c { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untrusted_text_is_inert() {
        let hostile = "<img src=x onerror=alert(1)> @octocat fixes #1 <!-- x --> www.evil.example https://evil.example GH-7";
        let out = escape(hostile);
        for gone in ["@octocat", "#1", "www.", "https://", "GH-7"] {
            assert!(!out.contains(gone), "{gone} in {out}");
        }
        for (at, _) in out.match_indices(['<', '>', '!', '-']) {
            assert_eq!(&out[at - 1..at], "\\", "unescaped at {at} in {out}");
        }
        assert_eq!(escape("a_b *c* [d](e)"), "a\\_b \\*c\\* \\[d\\]\\(e\\)");
        assert_eq!(escape("line\nbreak\u{202e}x"), "line break\u{FFFD}x");
        assert_eq!(escape("a: b"), "a\\: b");
    }

    #[test]
    fn code_cannot_be_broken_out_of() {
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x`"), "`` `x` ``");
        let block = fence("```\ninside\n````", "text");
        assert!(
            block.starts_with("`````text\n") && block.ends_with("\n`````"),
            "{block}"
        );
        assert_eq!(fence("x", "te`xt"), "```text\nx\n```");
    }
}
