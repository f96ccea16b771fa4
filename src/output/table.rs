//! Columns for the terminal, for `status` and `history`: every value made
//! printable (control characters escaped, so text from a page or a commit
//! cannot drive the terminal), cut with `…` and padded to a width that fits
//! its column. Widths are the columns a terminal gives the text
//! (`unicode-width`): a CJK character takes two, a combining mark none, so
//! a name in any script keeps the columns straight.

use crate::text::hidden;
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// A table cell: `text` made printable, cut to `width` terminal columns
/// with `…` if wider, padded with spaces to `width`.
pub fn cell(text: &str, width: usize) -> String {
    let text = printable(text);
    let shown = text.width();
    if shown <= width {
        return format!("{text}{}", " ".repeat(width - shown));
    }
    let mut cut = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width.saturating_sub(1) {
            break;
        }
        cut.push(c);
        used += w;
    }
    cut.push('…');
    format!("{cut}{}", " ".repeat(width.saturating_sub(used + 1)))
}

/// The width of a column: its widest value, between `min` and `max`.
pub fn column_width<'a>(values: impl Iterator<Item = &'a str>, min: usize, max: usize) -> usize {
    values
        .map(|v| printable(v).width())
        .max()
        .unwrap_or(0)
        .clamp(min, max)
}

/// Control characters (a newline in a file name, say) and bidirectional
/// controls shown escaped.
pub fn printable(s: &str) -> String {
    shown(s).into_owned()
}

/// `printable`, borrowing text that has nothing to escape (as most has:
/// printable ASCII is told in one pass the compiler vectorises).
pub fn shown(s: &str) -> std::borrow::Cow<'_, str> {
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(hidden) {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.chars()
            .map(|c| {
                if hidden(c) {
                    c.escape_default().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_is_padded_cut_and_printable() {
        assert_eq!(cell("ana", 5), "ana  ");
        assert_eq!(cell("Zoë Ångström", 6), "Zoë Å…");
        // Two columns per CJK character: cut and padded by what is shown.
        assert_eq!(cell("山田太郎", 10), "山田太郎  ");
        assert_eq!(cell("山田太郎", 6), "山田… ");
        assert_eq!(column_width(["山田太郎"].into_iter(), 3, 20), 8);
        assert_eq!(cell("a\x1b[31mred", 20), "a\\u{1b}[31mred      ");
        assert_eq!(printable("abc\u{202e}fed"), "abc\\u{202e}fed");
        assert_eq!(column_width(["ab", "abcdef"].into_iter(), 3, 5), 5);
        assert_eq!(column_width(std::iter::empty(), 3, 5), 3);
    }
}
