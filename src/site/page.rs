//! A page: YAML frontmatter between `---` lines, then a Markdown body.
//!
//! Parsing is exact about positions. The frontmatter's top-level keys are
//! located line by line (`KeyLine`), so every finding about a field points at
//! its key or value, and later edits can change only the lines folio owns.
//! The values themselves come from the YAML parser in `yaml`.

use super::interval::Interval;
use super::workflow::State;
use crate::finding::Finding;
use crate::text::keys::key_on_line;
use crate::text::quote;
use crate::text::suggest::{did_you_mean, misspelt_key};
use crate::text::yaml::{self, Node};
use crate::text::{DecodeError, SourceText};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// A frontmatter field folio reads. Code names a field by its `Key`, never
/// by a string; `name` is how the frontmatter spells it. Any other key is
/// passed through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Key {
    Title,
    Summary,
    Audience,
    Status,
    Owner,
    Reviewers,
    LastReviewed,
    Sources,
    /// How long the page's review holds, when it is not the policy's
    /// interval: a duration such as `6 months`.
    ReviewInterval,
}

impl Key {
    /// Every key, in the order folio reads them.
    pub const ALL: [Key; 9] = [
        Key::Title,
        Key::Summary,
        Key::Audience,
        Key::Status,
        Key::Owner,
        Key::Reviewers,
        Key::LastReviewed,
        Key::Sources,
        Key::ReviewInterval,
    ];

    /// How folio spells the key; a site may spell it otherwise (`Dialect`).
    pub fn name(self) -> &'static str {
        match self {
            Key::Title => "title",
            Key::Summary => "summary",
            Key::Audience => "audience",
            Key::Status => "status",
            Key::Owner => "owner",
            Key::Reviewers => "reviewers",
            Key::LastReviewed => "last_reviewed",
            Key::Sources => "sources",
            Key::ReviewInterval => "review_interval",
        }
    }

    /// The key a frontmatter name spells, if folio reads it.
    pub fn named(name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// How a site spells folio's fields and states in its frontmatter: its own
/// names for the fields (`last_reviewed_on` for `last_reviewed`), its keys
/// that are none of folio's, its words for the states, and the state of a
/// page that has no status. A site that maps nothing speaks folio's words.
#[derive(Debug, Clone)]
pub struct Dialect {
    names: Vec<String>,
    /// Keys the site uses for itself: never taken for a misspelt field.
    pub site_keys: HashSet<String>,
    /// The site's words for the states, in the policy's order (the first
    /// word for a state is the one folio writes), beside folio's own.
    words: Vec<(String, State)>,
    /// The same, to look a word up.
    by_word: HashMap<String, State>,
    /// The state of a page without a status.
    pub default_state: Option<State>,
}

impl Dialect {
    /// What decides the state a page's text is read as (its fields' names,
    /// the words for the states, the default state), written out: the same
    /// for the same dialect, whichever run.
    pub fn state_key(&self) -> String {
        format!("{:?} {:?} {:?}", self.names, self.words, self.default_state)
    }
}

impl Default for Dialect {
    fn default() -> Dialect {
        Dialect {
            names: Key::ALL.iter().map(|k| k.name().to_string()).collect(),
            site_keys: HashSet::new(),
            words: Vec::new(),
            by_word: HashMap::new(),
            default_state: None,
        }
    }
}

impl Dialect {
    /// folio's own dialect, shared.
    pub fn folio() -> Arc<Dialect> {
        static FOLIO: OnceLock<Arc<Dialect>> = OnceLock::new();
        FOLIO.get_or_init(|| Arc::new(Dialect::default())).clone()
    }

    /// Spells `key` as `name` on this site.
    pub fn rename(&mut self, key: Key, name: String) {
        self.names[key as usize] = name;
    }

    /// How the site spells `key`.
    pub fn name(&self, key: Key) -> &str {
        &self.names[key as usize]
    }

    /// The field a frontmatter key spells on this site.
    pub fn key_named(&self, name: &str) -> Option<Key> {
        Key::ALL.into_iter().find(|k| self.name(*k) == name)
    }

    /// Adds the site's word for a state; the state it already names, if
    /// it names one.
    pub fn add_word(&mut self, word: &str, state: State) -> Result<(), State> {
        if let Some(other) = self.state(word).filter(|s| *s != state) {
            return Err(other);
        }
        if self.by_word.insert(word.to_string(), state).is_none() {
            self.words.push((word.to_string(), state));
        }
        Ok(())
    }

    /// The state a status word names: the site's words first, then folio's.
    pub fn state(&self, word: &str) -> Option<State> {
        self.by_word
            .get(word)
            .copied()
            .or_else(|| State::parse(word))
    }

    /// The word folio writes for `state`: the site's first word for it, or
    /// folio's.
    pub fn word(&self, state: State) -> &str {
        self.words
            .iter()
            .find(|(_, s)| *s == state)
            .map_or(state.as_str(), |(w, _)| w.as_str())
    }

    /// Every word a status may hold, the site's first.
    pub fn all_words(&self) -> Vec<&str> {
        let mut words: Vec<&str> = self.words.iter().map(|(w, _)| w.as_str()).collect();
        words.extend(State::ALL.map(State::as_str));
        words
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A top-level frontmatter key and where its key and (single-line) value
/// sit in the page text, as byte ranges.
#[derive(Debug, Clone)]
pub struct KeyLine {
    pub name: String,
    pub key: Range<usize>,
    pub value: Range<usize>,
}

/// The fields folio reads, each `None`/empty when absent or invalid.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub title: Option<String>,
    pub summary: Option<String>,
    pub audience: Option<String>,
    pub owner: Option<String>,
    pub status: Option<State>,
    pub reviewers: Vec<String>,
    pub last_reviewed: Option<NaiveDate>,
    pub sources: Vec<String>,
    /// The page's own review interval, if it sets one.
    pub review_interval: Option<Interval>,
    /// The status is the policy's default: the page sets none.
    pub status_by_default: bool,
}

#[derive(Debug, Clone)]
pub struct Page {
    pub id: String,
    pub path: String,
    pub text: SourceText,
    pub fields: Fields,
    /// Known keys that were present but held a value folio could not use;
    /// they already have a finding, so no check reports them as missing.
    pub invalid_keys: BTreeSet<Key>,
    pub keys: Vec<KeyLine>,
    /// Byte offset of the `---` line that opens the frontmatter.
    pub frontmatter_start: usize,
    /// Byte offset of the closing `---` line.
    pub frontmatter_end: usize,
    /// Byte offset where the body starts, just after the closing `---` line.
    pub body_start: usize,
    /// The frontmatter as parsed, every key included.
    pub data: Node,
    /// How the site spells the fields.
    pub dialect: Arc<Dialect>,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text.as_str()[self.body_start..]
    }

    /// How this page's site spells `key`.
    pub fn name(&self, key: Key) -> &str {
        self.dialect.name(key)
    }

    /// How long the page's review holds: its own interval, or the
    /// policy's.
    pub fn review_interval(&self, policy: &super::policy::Policy) -> Interval {
        self.fields
            .review_interval
            .unwrap_or_else(|| policy.review_interval())
    }

    /// The last day the page's review holds (its last review plus its
    /// interval), and whether that is before `today` for a page whose
    /// state must be kept fresh.
    pub fn review_due(
        &self,
        policy: &super::policy::Policy,
        today: NaiveDate,
    ) -> Option<(NaiveDate, bool)> {
        let due = self
            .review_interval(policy)
            .until(self.fields.last_reviewed?);
        let fresh = self
            .fields
            .status
            .is_some_and(|s| super::workflow::Demand::Fresh.holds_in(s));
        Some((due, fresh && due < today))
    }

    /// Minutes to read the body, at 200 words a minute.
    pub fn reading_minutes(&self) -> usize {
        crate::text::word_count(self.body()).div_ceil(200).max(1)
    }

    /// Where the frontmatter sets `key`, if it does.
    pub fn key(&self, key: Key) -> Option<&KeyLine> {
        let name = self.name(key);
        self.keys.iter().find(|k| k.name == name)
    }

    /// Where a finding about a field should point: its value, else its key,
    /// else the opening `---`.
    pub fn field_span(&self, key: Key) -> Range<usize> {
        match self.key(key) {
            Some(k) if !k.value.is_empty() => k.value.clone(),
            Some(k) => k.key.clone(),
            None => self.frontmatter_start..self.frontmatter_start + 3,
        }
    }

    /// A finding pointed at a field (see `field_span`).
    pub fn at_field(&self, finding: Finding, key: Key) -> Finding {
        let span = self.field_span(key);
        finding.spanning(&self.text, span.start, span.end)
    }
}

/// Parses one page. A page that cannot be read at all comes back as `None`
/// with exactly one finding saying why; a page with bad fields comes back
/// with a finding per field, those fields left unset.
pub fn parse(path: &str, id: &str, bytes: &[u8]) -> (Option<Page>, Vec<Finding>) {
    parse_in(path, id, bytes, &Dialect::folio())
}

/// As `parse`, for a site that spells its fields and states as `dialect`
/// says.
pub fn parse_in(
    path: &str,
    id: &str,
    bytes: &[u8],
    dialect: &Arc<Dialect>,
) -> (Option<Page>, Vec<Finding>) {
    let text = match SourceText::decode(bytes) {
        Ok(text) => text,
        Err(e) => return (None, vec![decode_finding(path, e)]),
    };
    let fm = match locate_frontmatter(path, &text) {
        Ok(fm) => fm,
        Err(finding) => return (None, vec![*finding]),
    };
    let keys = scan_keys(&text, fm.first_line..fm.close_line);
    if let Some(finding) = duplicate_key(path, &text, &keys) {
        return (None, vec![finding]);
    }
    let yaml_text = &text.as_str()[text.line_start(fm.first_line)..text.line_start(fm.close_line)];
    let root = match yaml::parse_at(yaml_text, fm.first_line) {
        Ok(Node::Null) => Node::Map(Vec::new()),
        Ok(node @ Node::Map(_)) => node,
        Ok(other) => {
            let f = Finding::error(
                "frontmatter-shape",
                path,
                format!(
                    "the frontmatter is {}, not a mapping of keys to values",
                    other.kind_name()
                ),
                "write one `key: value` per line between the `---` lines",
            );
            return (None, vec![f.at(&text, fm.start)]);
        }
        Err(e) => {
            return (
                None,
                vec![yaml_finding(path, &text, &keys, fm.first_line, &e)],
            );
        }
    };
    let body_start = if fm.close_line < text.line_count() {
        text.line_start(fm.close_line + 1)
    } else {
        text.as_str().len()
    };
    let text_start_of_close = text.line_start(fm.close_line);
    let mut page = Page {
        id: id.to_string(),
        path: path.to_string(),
        text,
        fields: Fields::default(),
        invalid_keys: BTreeSet::new(),
        keys,
        frontmatter_start: fm.start,
        frontmatter_end: text_start_of_close,
        body_start,
        data: Node::Null,
        dialect: dialect.clone(),
    };
    let findings = read_fields(&mut page, &root);
    page.data = root;
    (Some(page), findings)
}

fn decode_finding(path: &str, e: DecodeError) -> Finding {
    match e {
        DecodeError::Nul { line, column } => Finding::error(
            "binary-file",
            path,
            "the file contains a NUL byte, so it is not a text page",
            "a page must be UTF-8 Markdown text; move binary files out of the content folder",
        )
        .at_line(line, column),
        DecodeError::Utf16 { big_endian } => Finding::error(
            "not-utf8",
            path,
            format!(
                "the file is UTF-16 ({}), not UTF-8",
                if big_endian {
                    "big-endian"
                } else {
                    "little-endian"
                }
            ),
            "re-save the file as UTF-8 (for example `iconv -f utf-16 -t utf-8`)",
        )
        .at_line(1, 1),
        DecodeError::NotUtf8 { line, column, byte } => Finding::error(
            "not-utf8",
            path,
            format!("the file is not valid UTF-8 (byte 0x{byte:02x})"),
            "re-save the file as UTF-8 (for example `iconv -f latin1 -t utf-8`)",
        )
        .at_line(line, column),
    }
}

struct Frontmatter {
    /// Offset of the opening `---`.
    start: usize,
    /// First line of YAML (1-based), just after the opening `---`.
    first_line: usize,
    /// The line of the closing `---`.
    close_line: usize,
}

fn is_delimiter(line: &str, delimiter: &str) -> bool {
    line.trim_end_matches([' ', '\t']) == delimiter
}

fn locate_frontmatter(path: &str, text: &SourceText) -> Result<Frontmatter, Box<Finding>> {
    let first = text.line_text(1);
    let found = |code: &str, message: &str, hint: &str| {
        Box::new(Finding::error(code, path, message, hint).spanning(text, 0, first.len()))
    };
    if is_delimiter(first, "---") {
        let close_line = (2..=text.line_count()).find(|&l| {
            is_delimiter(text.line_text(l), "---") || is_delimiter(text.line_text(l), "...")
        });
        return match close_line {
            Some(close_line) => Ok(Frontmatter {
                start: 0,
                first_line: 2,
                close_line,
            }),
            None => Err(found(
                "unclosed-frontmatter",
                "the frontmatter opened on line 1 is never closed",
                "add a line holding only `---` after the last frontmatter key",
            )),
        };
    }
    if is_delimiter(first, "+++") {
        return Err(found(
            "toml-frontmatter",
            "found TOML frontmatter (`+++`); folio reads YAML frontmatter",
            "rewrite it as YAML between `---` lines: `title = \"x\"` becomes `title: \"x\"`",
        ));
    }
    if first.trim_start().starts_with('{') {
        return Err(found(
            "json-frontmatter",
            "found JSON frontmatter; folio reads YAML frontmatter",
            "rewrite it as YAML between `---` lines: `\"title\": \"x\",` becomes `title: \"x\"`",
        ));
    }
    if first.starts_with("---\r") {
        return Err(found(
            "cr-line-endings",
            "the lines end in a carriage return alone (classic Mac OS); folio reads LF or CRLF line endings",
            "convert the file's line endings to LF: your editor's line-ending setting, or `tr '\\r' '\\n'`",
        ));
    }
    let starts_late = (1..=text.line_count())
        .map(|l| text.line_text(l))
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| is_delimiter(l, "---"));
    if starts_late {
        return Err(found(
            "no-frontmatter",
            "the frontmatter must start on the first line",
            "delete the blank lines before the opening `---`",
        ));
    }
    Err(found(
        "no-frontmatter",
        "the page has no frontmatter",
        "start the file with a `---` line, `title: ...`, `status: draft` and a closing `---`",
    ))
}

/// Finds the top-level `key: value` lines of the frontmatter. Nested and
/// continuation lines start with a space, so they are never taken for keys.
fn scan_keys(text: &SourceText, lines: Range<usize>) -> Vec<KeyLine> {
    lines
        .filter_map(|line| {
            let raw = text.line_text(line);
            let found = key_on_line(raw).filter(|k| k.key.start == 0 && !k.in_item)?;
            let start = text.line_start(line);
            Some(KeyLine {
                name: found.name,
                key: start + found.key.start..start + found.key.end,
                value: start + found.value.start..start + found.value.end,
            })
        })
        .collect()
}

fn duplicate_key(path: &str, text: &SourceText, keys: &[KeyLine]) -> Option<Finding> {
    let mut seen: HashMap<&str, &KeyLine> = HashMap::with_capacity(keys.len());
    keys.iter().find_map(|k| {
        let first = *seen.entry(k.name.as_str()).or_insert(k);
        if std::ptr::eq(first, k) {
            return None;
        }
        let (first_line, _) = text.line_col(first.key.start);
        Some(
            Finding::error(
                "duplicate-key",
                path,
                format!("`{}` is set twice (first on line {first_line})", k.name),
                "keep one of them: folio does not guess which one you meant",
            )
            .spanning(text, k.key.start, k.key.end),
        )
    })
}

fn yaml_finding(
    path: &str,
    text: &SourceText,
    keys: &[KeyLine],
    first_line: usize,
    e: &yaml::YamlError,
) -> Finding {
    let line = e.line.min(text.line_count());
    // A tab in the indentation of any line up to the error is the cause.
    for l in first_line..=line {
        let raw = text.line_text(l);
        let indent = &raw[..raw.len() - raw.trim_start().len()];
        if let Some(tab) = indent.find('\t') {
            let at = text.line_start(l) + tab;
            return Finding::error(
                "tab-indent",
                path,
                "a tab is used for indentation; YAML indents with spaces only",
                "replace the tab with spaces",
            )
            .spanning(text, at, at + 1);
        }
    }
    let line_start = text.line_start(line);
    let offset = line_start + nth_char_offset(text.line_text(line), e.column - 1);
    if let Some(finding) = nested_duplicate(path, text, line, e) {
        return finding;
    }
    let key = keys.iter().find(|k| k.key.start == line_start);
    if let Some(k) = key.filter(|_| e.message.starts_with("mapping values are not allowed")) {
        let value = &text.as_str()[k.value.clone()];
        return Finding::error(
            "unquoted-colon",
            path,
            format!(
                "the value of `{}` contains `: `, which YAML reads as a new key",
                k.name
            ),
            format!("quote the value: {}: {}", k.name, quote::by_hand(value)),
        )
        .spanning(text, offset, offset + 1);
    }
    Finding::error(
        "yaml-syntax",
        path,
        format!("the frontmatter is not valid YAML: {}", e.message),
        "fix the YAML at this position; quote values that contain `:`, `#`, `[` or `{`",
    )
    .at(text, offset)
}

/// The parser reports a duplicate key in a nested mapping at the mapping's
/// first key; point at the second occurrence instead, as for top-level keys.
fn nested_duplicate(
    path: &str,
    text: &SourceText,
    line: usize,
    e: &yaml::YamlError,
) -> Option<Finding> {
    let (_, rest) = e.message.split_once("duplicate entry with key \"")?;
    let name = rest.strip_suffix('"')?;
    let indent = e.column - 1;
    let mut seen = Vec::new();
    for l in line..=text.line_count() {
        let raw = text.line_text(l);
        let here = raw.len() - raw.trim_start_matches(' ').len();
        if here < indent && !raw.trim().is_empty() {
            break;
        }
        let sets_name =
            key_on_line(raw).is_some_and(|k| k.key.start == indent && !k.in_item && k.name == name);
        if here == indent && sets_name {
            seen.push(l);
        }
    }
    let (&first, &second) = (seen.first()?, seen.get(1)?);
    let at = text.line_start(second) + indent;
    Some(
        Finding::error(
            "duplicate-key",
            path,
            format!("`{name}` is set twice in the same mapping (first on line {first})"),
            "keep one of them: folio does not guess which one you meant",
        )
        .spanning(text, at, at + name.len()),
    )
}

fn nth_char_offset(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

fn read_fields(page: &mut Page, root: &Node) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut fields = Fields::default();
    let mut invalid = BTreeSet::new();
    let dialect = page.dialect.clone();
    for key in Key::ALL {
        let Some(node) = root.get(dialect.name(key)) else {
            continue;
        };
        if *node == Node::Null {
            continue;
        }
        let result = match key {
            Key::Title => text_field(node).map(|v| fields.title = Some(v)),
            Key::Summary => text_field(node).map(|v| fields.summary = Some(v)),
            Key::Audience => text_field(node).map(|v| fields.audience = Some(v)),
            Key::Owner => text_field(node).map(|v| fields.owner = Some(v)),
            Key::Status => status_field(node, &dialect).map(|v| fields.status = Some(v)),
            Key::Reviewers => list_field(node).map(|v| fields.reviewers = v),
            Key::Sources => list_field(node).map(|v| fields.sources = v),
            Key::LastReviewed => date_field(node).map(|v| fields.last_reviewed = Some(v)),
            Key::ReviewInterval => interval_field(node).map(|v| fields.review_interval = Some(v)),
        };
        if let Err(problem) = result {
            invalid.insert(key);
            let finding = problem.into_finding(dialect.name(key), &dialect, &page.path);
            findings.push(page.at_field(finding, key));
        }
    }
    if fields.status.is_none() && !invalid.contains(&Key::Status) {
        fields.status = dialect.default_state;
        fields.status_by_default = fields.status.is_some();
    }
    for k in &page.keys {
        if dialect.key_named(&k.name).is_some() || dialect.site_keys.contains(&k.name) {
            continue;
        }
        let names = Key::ALL.map(|key| dialect.name(key));
        if let Some(known) = misspelt_key(&k.name, names) {
            findings.push(
                Finding::warning(
                    "unknown-key",
                    &page.path,
                    format!("unknown key `{}`; did you mean `{known}`?", k.name),
                    format!(
                        "rename it to `{known}`; keys folio does not know are passed through untouched (a key of the site's own goes in the policy's `site_keys`)"
                    ),
                )
                .spanning(&page.text, k.key.start, k.key.end),
            );
        }
    }
    page.fields = fields;
    page.invalid_keys = invalid;
    findings
}

enum FieldProblem {
    WrongType {
        expected: &'static str,
        found: &'static str,
        hint: String,
    },
    UnknownState(String),
    BadDate {
        value: String,
        hint: String,
    },
    BadDuration {
        value: String,
        hint: String,
    },
}

impl FieldProblem {
    fn into_finding(self, key: &str, dialect: &Dialect, path: &str) -> Finding {
        match self {
            FieldProblem::WrongType {
                expected,
                found,
                hint,
            } => Finding::error(
                "wrong-type",
                path,
                format!("`{key}` should be {expected}, found {found}"),
                hint,
            ),
            FieldProblem::UnknownState(value) => {
                let states = dialect.all_words();
                // A site with many words gets the first few, not a page of them.
                let listed = if states.len() > 12 {
                    format!("{}, …", states[..12].join(", "))
                } else {
                    states.join(", ")
                };
                let hint = match did_you_mean(&value, states.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`? The states are {listed}"),
                    None => format!("use one of {listed}"),
                };
                Finding::error(
                    "unknown-state",
                    path,
                    format!("unknown state `{value}`"),
                    hint,
                )
            }
            FieldProblem::BadDate { value, hint } => Finding::error(
                "bad-date",
                path,
                format!("`{key}` is `{value}`, which is not a real YYYY-MM-DD date"),
                hint,
            ),
            FieldProblem::BadDuration { value, hint } => Finding::error(
                "bad-duration",
                path,
                format!("`{key}` is `{value}`, which folio cannot read as a length of time"),
                hint,
            ),
        }
    }
}

fn scalar_text(node: &Node) -> Option<String> {
    match node {
        Node::Number(n) => Some(n.clone()),
        Node::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn text_field(node: &Node) -> Result<String, FieldProblem> {
    match node {
        Node::String(s) => Ok(s.clone()),
        other => Err(FieldProblem::WrongType {
            expected: "text",
            found: other.kind_name(),
            hint: match scalar_text(other) {
                Some(s) => format!("quote it to make it text: {}", quote::by_hand(&s)),
                None => "write a single line of text".to_string(),
            },
        }),
    }
}

fn status_field(node: &Node, dialect: &Dialect) -> Result<State, FieldProblem> {
    let value = text_field(node)?;
    dialect
        .state(&value)
        .ok_or(FieldProblem::UnknownState(value))
}

fn interval_field(node: &Node) -> Result<Interval, FieldProblem> {
    let value = match node {
        Node::String(s) => s.clone(),
        other => match scalar_text(other) {
            Some(s) => s,
            None => {
                return Err(FieldProblem::WrongType {
                    expected: "a length of time",
                    found: other.kind_name(),
                    hint: "write it as a number and a unit, such as `6 months`".to_string(),
                });
            }
        },
    };
    Interval::parse(&value).map_err(|hint| FieldProblem::BadDuration { value, hint })
}

/// A list of names or ids; a single name is taken as a list of one.
fn list_field(node: &Node) -> Result<Vec<String>, FieldProblem> {
    let wrong = |found: &Node| FieldProblem::WrongType {
        expected: "a list of names",
        found: found.kind_name(),
        hint: "write it as a list: `[first, second]`".to_string(),
    };
    match node {
        Node::String(s) => Ok(vec![s.clone()]),
        Node::Seq(items) => items
            .iter()
            .map(|item| match item {
                Node::String(s) => Ok(s.clone()),
                other => match scalar_text(other) {
                    Some(s) => Ok(s),
                    None => Err(wrong(other)),
                },
            })
            .collect(),
        other => Err(wrong(other)),
    }
}

fn date_field(node: &Node) -> Result<NaiveDate, FieldProblem> {
    let Node::String(value) = node else {
        return Err(FieldProblem::WrongType {
            expected: "a date (YYYY-MM-DD)",
            found: node.kind_name(),
            hint: "write the date as YYYY-MM-DD, for example 2026-11-20".to_string(),
        });
    };
    parse_date(value).map_err(|hint| FieldProblem::BadDate {
        value: value.clone(),
        hint,
    })
}

/// A strict `YYYY-MM-DD` date. The error is a hint saying how to fix it.
pub fn parse_date(value: &str) -> Result<NaiveDate, String> {
    let unshaped = || Err("write the date as YYYY-MM-DD, for example 2026-11-20".to_string());
    let mut split = value.split('-');
    let parts = [split.next(), split.next(), split.next()];
    let ([Some(y), Some(m), Some(d)], None) = (parts, split.next()) else {
        return unshaped();
    };
    let (Ok(year), Ok(month), Ok(day)) = (y.parse::<u32>(), m.parse::<u32>(), d.parse::<u32>())
    else {
        return unshaped();
    };
    let (parts, n) = ([y, m, d], [year, month, day]);
    if n[0] > 9999 || parts[0].len() > 4 {
        return Err(
            "the year has four digits, such as 2026: write the date as YYYY-MM-DD".to_string(),
        );
    }
    let Some(date) = NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2]) else {
        return Err(match NaiveDate::from_ymd_opt(n[0] as i32, n[1], 1) {
            Some(first) => format!(
                "{} {} has {} days; check the day",
                first.format("%B"),
                n[0],
                days_in_month(first)
            ),
            None => "the month must be 01 to 12".to_string(),
        });
    };
    // Written as its four, two and two digits are (a `+` or a missing zero
    // is not): what formatting the numbers back would give.
    let digits =
        |part: &str, width: usize| part.len() == width && part.bytes().all(|b| b.is_ascii_digit());
    if !(digits(parts[0], 4) && digits(parts[1], 2) && digits(parts[2], 2)) {
        let padded = format!("{:04}-{:02}-{:02}", n[0], n[1], n[2]);
        return Err(format!(
            "write it as {padded}: four-digit year, two-digit month and day"
        ));
    }
    Ok(date)
}

fn days_in_month(first: NaiveDate) -> u32 {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.map_or(31, |n| n.signed_duration_since(first).num_days() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict_and_hints_say_the_fix() {
        assert!(parse_date("2026-11-20").is_ok());
        assert_eq!(
            parse_date("2018-04-31").unwrap_err(),
            "April 2018 has 30 days; check the day"
        );
        assert_eq!(
            parse_date("2019-5-13").unwrap_err(),
            "write it as 2019-05-13: four-digit year, two-digit month and day"
        );
        assert_eq!(
            parse_date("2019-13-01").unwrap_err(),
            "the month must be 01 to 12"
        );
        assert!(parse_date("yesterday").is_err());
        // Numbers Rust reads but a date does not spell so: the fix is the
        // date written out.
        for (written, fix) in [
            ("+202-11-20", "0202-11-20"),
            ("2026-+1-20", "2026-01-20"),
            ("2026-011-20", "2026-11-20"),
            ("2026-11-2", "2026-11-02"),
        ] {
            assert_eq!(
                parse_date(written).unwrap_err(),
                format!("write it as {fix}: four-digit year, two-digit month and day")
            );
        }
        assert_eq!(
            parse_date("0999-01-01"),
            Ok(NaiveDate::from_ymd_opt(999, 1, 1).unwrap())
        );
        for wrong in ["2026-11", "2026-11-20-1", "2026--20", ""] {
            assert_eq!(
                parse_date(wrong).unwrap_err(),
                "write the date as YYYY-MM-DD, for example 2026-11-20"
            );
        }
    }

    #[test]
    fn keys_are_found_with_value_spans() {
        let text = SourceText::new(
            "---\ntitle: \"A: b\" # c\n  nested: 1\n'quoted key': v\nbare:\n---\n".into(),
        );
        let keys = scan_keys(&text, 2..6);
        let names: Vec<_> = keys.iter().map(|k| k.name.as_str()).collect();
        assert_eq!(names, ["title", "quoted key", "bare"]);
        assert_eq!(&text.as_str()[keys[0].value.clone()], "\"A: b\"");
        assert!(keys[2].value.is_empty());
    }

    #[test]
    fn crlf_bom_and_trailing_spaces_on_delimiters_parse() {
        let (page, findings) = parse(
            "p.md",
            "p",
            "\u{feff}--- \r\ntitle: T\r\nstatus: draft\r\n---  \r\nBody\r\n".as_bytes(),
        );
        assert!(findings.is_empty(), "{findings:?}");
        let page = page.unwrap();
        assert_eq!(page.fields.title.as_deref(), Some("T"));
        assert_eq!(page.body(), "Body\r\n");
    }
}
