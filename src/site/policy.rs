//! `review/policy.yaml`: where pages live, the review interval, who may
//! sign, which source kinds a promoted page may cite, and the lint rules.
//! Without the file folio uses `default_policy.yaml`, embedded in the
//! binary and written out (comments included) by `folio init`.

use super::interval::{Interval, MAX_DAYS};
use super::layout::{DEFAULT_CONTENT_DIR, DEFAULT_INCLUDE, POLICY_PATH, PageSet, is_slug};
use super::matcher::{Matcher, compile_meta};
use super::page::{Dialect, Key};
use super::registry::SourceKind;
use super::workflow::State;
use crate::finding::Severity;
use crate::text::keys::key_position;
use crate::text::suggest::did_you_mean;
use crate::text::yaml;
use chrono::NaiveDate;
use regex_automata::meta;
use serde::Deserialize;
use std::ops::Range;
use std::sync::{Arc, OnceLock};

/// The defaults, every key explained: what `folio init` writes.
pub const DEFAULT_POLICY: &str = include_str!("default_policy.yaml");

#[derive(Debug, Clone)]
pub struct Policy {
    /// Which files under the content folder (`pages.dir`) are pages.
    pub pages: PageSet,
    /// How the site spells folio's fields and states.
    pub dialect: Arc<Dialect>,
    pub review_interval_days: u32,
    /// How long a correction may wait (open or accepted) before it is
    /// overdue.
    pub correction_days: u32,
    /// A page larger than this is reported (`page-too-large`), not read.
    pub max_page_bytes: u64,
    pub reviewers: Vec<String>,
    pub promotable_source_kinds: Vec<SourceKind>,
    /// The states a page may have when it is first committed.
    pub new_page_states: Vec<State>,
    /// Shared, so a background thread can compile the patterns the staged
    /// pages need while the hook reads the rest (see `check::change`).
    pub rules: Arc<Vec<Rule>>,
    /// Every rule's pattern in one regular expression, compiled on first
    /// use (`rules_found`).
    rule_set: Arc<OnceLock<Option<meta::Regex>>>,
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    /// The pattern as written, checked for syntax when the policy is read
    /// and compiled on first use: the hook pays for a rule only when a
    /// staged page is in one of its states.
    pub pattern: String,
    compiled: OnceLock<std::result::Result<Matcher, String>>,
    /// The policy line that sets the pattern.
    pub line: usize,
    pub message: String,
    pub hint: String,
    pub states: Vec<State>,
    pub excused_by_citation: bool,
    pub severity: Severity,
    pub future_only: bool,
    /// A sentence the rule flags, for `folio rules`.
    pub example: Option<String>,
}

/// Why the policy could not be used. Positions are 1-based.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    pub hint: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default = "default_content_dir")]
    content_dir: String,
    #[serde(default = "default_interval")]
    review_interval_days: u32,
    #[serde(default = "default_correction_days")]
    correction_days: u32,
    #[serde(default = "default_max_page_bytes")]
    max_page_bytes: u64,
    #[serde(default)]
    reviewers: Vec<String>,
    #[serde(default = "default_promotable")]
    promotable_source_kinds: Vec<SourceKind>,
    #[serde(default = "default_new_page_states")]
    new_page_states: Vec<State>,
    #[serde(default)]
    pages: PagesFile,
    #[serde(default)]
    fields: Ordered<String>,
    #[serde(default)]
    site_keys: Vec<String>,
    #[serde(default)]
    states: StatesFile,
    rules: Option<Vec<RuleFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PagesFile {
    #[serde(default = "default_include")]
    include: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

impl Default for PagesFile {
    fn default() -> PagesFile {
        PagesFile {
            include: default_include(),
            exclude: Vec::new(),
        }
    }
}

fn default_include() -> Vec<String> {
    vec![DEFAULT_INCLUDE.to_string()]
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct StatesFile {
    #[serde(default)]
    words: Ordered<State>,
    #[serde(default)]
    default: Option<State>,
}

/// A YAML mapping of text keys, in the order it was written.
struct Ordered<V>(Vec<(String, V)>);

impl<V> Default for Ordered<V> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Visit<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a set of keys")
            }
            fn visit_unit<E>(self) -> Result<Ordered<V>, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered<V>, A::Error> {
                let mut pairs = Vec::new();
                while let Some(pair) = map.next_entry()? {
                    pairs.push(pair);
                }
                Ok(Ordered(pairs))
            }
        }
        d.deserialize_map(Visit(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    pattern: String,
    message: String,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default = "default_rule_states")]
    states: Vec<State>,
    #[serde(default = "yes")]
    excused_by_citation: bool,
    #[serde(default = "default_severity")]
    severity: Severity,
    #[serde(default)]
    future_only: bool,
    #[serde(default)]
    example: Option<String>,
}

fn default_content_dir() -> String {
    DEFAULT_CONTENT_DIR.to_string()
}
fn default_interval() -> u32 {
    180
}
fn default_max_page_bytes() -> u64 {
    5_000_000
}

fn default_correction_days() -> u32 {
    30
}
fn default_promotable() -> Vec<SourceKind> {
    vec![
        SourceKind::Specification,
        SourceKind::OfficialDocs,
        SourceKind::OriginalResearch,
    ]
}
fn default_new_page_states() -> Vec<State> {
    vec![State::Draft]
}
fn default_rule_states() -> Vec<State> {
    vec![State::Reviewed, State::Promoted]
}
fn yes() -> bool {
    true
}
fn default_severity() -> Severity {
    Severity::Error
}

/// The embedded default rules, read once per process: all that a policy
/// listing no rules of its own takes from the defaults, so only their part
/// of the default policy (its last key) is parsed.
fn default_rules() -> Arc<Vec<Rule>> {
    static RULES: OnceLock<Arc<Vec<Rule>>> = OnceLock::new();
    RULES
        .get_or_init(|| {
            let at = DEFAULT_POLICY
                .find("\nrules:\n")
                .expect("the default policy lists rules");
            let text = &DEFAULT_POLICY[at + 1..];
            // Read as a policy of rules alone: the reader a site's policy
            // is read with, so no other code is loaded for it.
            let rules = yaml::from_str::<PolicyFile>(text)
                .ok()
                .and_then(|file| file.rules)
                .expect("the default rules are valid");
            let mut rules = compile_rules(text, rules, false).expect("the default rules compile");
            // Lines of the whole default policy, as `folio rules` shows them.
            let above = DEFAULT_POLICY[..at + 1].matches('\n').count();
            for rule in &mut rules {
                rule.line += above;
            }
            Arc::new(rules)
        })
        .clone()
}

impl Policy {
    /// The embedded default policy, read once per process. Its patterns are
    /// checked by the tests, not on every run.
    pub fn defaults() -> Policy {
        static DEFAULTS: OnceLock<Policy> = OnceLock::new();
        DEFAULTS
            .get_or_init(|| {
                Policy::read(DEFAULT_POLICY, false).expect("the embedded default policy is valid")
            })
            .clone()
    }

    pub fn parse(text: &str) -> Result<Policy, PolicyError> {
        Policy::read(text, true)
    }

    /// Reads a policy; `check_patterns` checks each rule's pattern syntax.
    fn read(text: &str, check_patterns: bool) -> Result<Policy, PolicyError> {
        let file: PolicyFile = yaml::from_str::<Option<PolicyFile>>(text)
            .map_err(|e| {
                let (message, hint) = in_words(&e.message);
                PolicyError {
                    line: e.line,
                    column: e.column,
                    message,
                    hint,
                }
            })?
            .unwrap_or_else(|| yaml::from_str("{}").expect("an empty policy is valid"));
        let at_key = |key: &str| -> (usize, usize) { key_position(text, key, 0) };
        let content_dir = file.content_dir.trim_end_matches('/').to_string();
        if content_dir.is_empty()
            || content_dir.starts_with('/')
            || content_dir
                .split('/')
                .any(|c| c == ".." || c.eq_ignore_ascii_case(".git"))
        {
            let (line, column) = at_key("content_dir");
            return Err(PolicyError {
                line,
                column,
                message: format!(
                    "content_dir `{}` is not a folder of the working tree (it is outside the repository, or inside .git)",
                    file.content_dir
                ),
                hint: "give a relative path such as `content` or `docs/site`".to_string(),
            });
        }
        if file.review_interval_days == 0 {
            let (line, column) = at_key("review_interval_days");
            return Err(PolicyError {
                line,
                column,
                message: "review_interval_days is 0, so every promoted page would be stale"
                    .to_string(),
                hint: "set a number of days, such as 180".to_string(),
            });
        }
        for (key, days) in [
            ("review_interval_days", file.review_interval_days),
            ("correction_days", file.correction_days),
        ] {
            if days > MAX_DAYS {
                let (line, column) = at_key(key);
                return Err(PolicyError {
                    line,
                    column,
                    message: format!("{key} is {days} days, more than a hundred years"),
                    hint: format!("set a number of days up to {MAX_DAYS}, such as 180"),
                });
            }
        }
        if file.max_page_bytes == 0 {
            let (line, column) = at_key("max_page_bytes");
            return Err(PolicyError {
                line,
                column,
                message: "max_page_bytes is 0, so no page could be read".to_string(),
                hint: "set a size in bytes, such as 5000000 (5 MB)".to_string(),
            });
        }
        let rules = match file.rules {
            Some(rules) => Arc::new(compile_rules(text, rules, check_patterns)?),
            None => default_rules(),
        };
        let pages = PageSet::new(&content_dir, file.pages.include, file.pages.exclude).map_err(
            |(which, n, why)| {
                // An inline list (`include: [a, b]`) is on the key's line; a
                // block list has one glob a line below it.
                let (line, column) = key_position(text, which, 0);
                let inline = text
                    .lines()
                    .nth(line - 1)
                    .is_some_and(|l| l.contains('['));
                PolicyError {
                    line: if inline { line } else { line + n + 1 },
                    column,
                    message: format!("pages.{which} holds a glob folio cannot read: {why}"),
                    hint: "write globs relative to content_dir: `*` within a folder's name, `**` for any folders, `{a,b}` for either".to_string(),
                }
            },
        )?;
        if pages.include.is_empty() {
            let (line, column) = at_key("include");
            return Err(PolicyError {
                line,
                column,
                message: "pages.include is empty, so the site would have no pages".to_string(),
                hint: format!("list the globs of the pages, such as `[\"{DEFAULT_INCLUDE}\"]`"),
            });
        }
        let dialect = dialect(text, file.fields, file.site_keys, file.states)?;
        Ok(Policy {
            pages,
            dialect: Arc::new(dialect),
            review_interval_days: file.review_interval_days,
            correction_days: file.correction_days,
            max_page_bytes: file.max_page_bytes,
            reviewers: file.reviewers,
            promotable_source_kinds: file.promotable_source_kinds,
            new_page_states: file.new_page_states,
            rules,
            rule_set: Arc::default(),
        })
    }

    /// Who may sign, said for a hint: the roster, or that it is empty and
    /// where to fill it in.
    pub fn roster(&self) -> String {
        if self.reviewers.is_empty() {
            format!(
                "The policy's reviewer roster is empty: add who may sign to {POLICY_PATH}, such as `reviewers: [ana, jon]`"
            )
        } else {
            format!(
                "The reviewers on the roster ({POLICY_PATH}) are {}",
                self.reviewers.join(", ")
            )
        }
    }

    pub fn is_promotable(&self, kind: SourceKind) -> bool {
        self.promotable_source_kinds.contains(&kind)
    }

    /// Which rules (by index in `rules`) match somewhere in `haystack`, in
    /// one pass over it, or `None` when the rules cannot be compiled as one
    /// (each is then run on its own). A page that matches no rule, as most
    /// do, is read once rather than once per rule.
    pub fn rules_found(&self, haystack: &str) -> Option<regex_automata::PatternSet> {
        let set = self
            .rule_set
            .get_or_init(|| {
                let patterns: Vec<&str> = self.rules.iter().map(|r| r.pattern.as_str()).collect();
                meta::Regex::builder()
                    .configure(meta::Config::new().match_kind(regex_automata::MatchKind::All))
                    .build_many(&patterns)
                    .ok()
            })
            .as_ref()?;
        let mut found = regex_automata::PatternSet::new(set.pattern_len());
        set.which_overlapping_matches(&regex_automata::Input::new(haystack), &mut found);
        Some(found)
    }

    /// How long a review holds: the policy's interval.
    pub fn review_interval(&self) -> Interval {
        Interval::Days(self.review_interval_days)
    }
}

/// The site's spelling of folio's fields and states, from the policy's
/// `fields`, `site_keys` and `states`, checked: each field is folio's, no
/// two fields share a name, no word names two states.
fn dialect(
    text: &str,
    fields: Ordered<String>,
    site_keys: Vec<String>,
    states: StatesFile,
) -> Result<Dialect, PolicyError> {
    // At the key's own line, or its section's when it is written inline
    // (`words: {wip: draft}`).
    let fail = |(key, section): (&str, &str), message: String, hint: String| {
        let found = key_position(text, key, 0);
        let (line, column) = if found == (1, 1) {
            key_position(text, section, 0)
        } else {
            found
        };
        PolicyError {
            line,
            column,
            message,
            hint,
        }
    };
    let folio_names = Key::ALL.map(Key::name);
    let mut dialect = Dialect::default();
    for (field, name) in fields.0 {
        let Some(key) = Key::named(&field) else {
            let hint = match did_you_mean(&field, folio_names) {
                Some(near) => format!(
                    "did you mean `{near}`? folio's fields are {}",
                    folio_names.join(", ")
                ),
                None => format!("folio's fields are {}", folio_names.join(", ")),
            };
            return Err(fail(
                (&field, "fields"),
                format!("fields: `{field}` is not one of folio's fields"),
                hint,
            ));
        };
        if name.trim().is_empty() || name.contains(['\n', ':']) {
            return Err(fail(
                (&field, "fields"),
                format!(
                    "fields: `{field}` is mapped to `{name}`, which cannot be a frontmatter key"
                ),
                "give the key as the site's pages spell it, such as `last_reviewed_on`".to_string(),
            ));
        }
        dialect.rename(key, name);
    }
    for a in Key::ALL {
        if let Some(b) = Key::ALL
            .into_iter()
            .find(|b| *b > a && dialect.name(*b) == dialect.name(a))
        {
            return Err(fail(
                ("fields", "fields"),
                format!(
                    "fields: `{a}` and `{b}` would both be read from `{}`",
                    dialect.name(a)
                ),
                format!(
                    "map `{a}` to a key of its own, or map `{b}` away from `{}`",
                    dialect.name(b)
                ),
            ));
        }
    }
    for (word, state) in &states.words.0 {
        if let Err(other) = dialect.add_word(word, *state) {
            return Err(fail(
                (word, "words"),
                format!("states: the word `{word}` would name both {other} and {state}"),
                "give each word one state".to_string(),
            ));
        }
    }
    dialect.site_keys = site_keys.into_iter().collect();
    dialect.default_state = states.default;
    Ok(dialect)
}

fn compile_rules(
    text: &str,
    rules: Vec<RuleFile>,
    check_patterns: bool,
) -> Result<Vec<Rule>, PolicyError> {
    let mut compiled: Vec<Rule> = Vec::new();
    for (n, r) in rules.into_iter().enumerate() {
        let fail = |key: &str, message: String, hint: &str| {
            let (line, column) = key_position(text, key, n);
            PolicyError {
                line,
                column,
                message,
                hint: hint.to_string(),
            }
        };
        if !is_slug(&r.id) {
            return Err(fail(
                "id",
                format!(
                    "rule id `{}` is not lowercase letters, digits and `-`",
                    r.id
                ),
                "rename the rule; its id is the code of its findings",
            ));
        }
        if crate::finding::CODES.contains(&r.id.as_str()) {
            return Err(fail(
                "id",
                format!(
                    "rule id `{}` is the code of one of folio's own findings",
                    r.id
                ),
                &format!(
                    "give the rule an id of its own, such as `site-{}`; a reader could not tell the two apart",
                    r.id
                ),
            ));
        }
        if compiled.iter().any(|c| c.id == r.id) {
            return Err(fail(
                "id",
                format!("two rules are called `{}`", r.id),
                "give each rule its own id",
            ));
        }
        if r.states.is_empty() {
            return Err(fail(
                "states",
                format!("rule `{}` applies to no state", r.id),
                "list the states it applies to, or delete the rule",
            ));
        }
        let regex = OnceLock::new();
        if check_patterns {
            let hir = regex_syntax::Parser::new().parse(&r.pattern).map_err(|e| {
                fail(
                    "pattern",
                    format!(
                        "rule `{}` has a pattern that is not a valid regular expression: {}",
                        r.id,
                        last_line(&e.to_string())
                    ),
                    "fix the pattern; quote it with single quotes so backslashes stay as written",
                )
            })?;
            if hir.properties().maximum_len() == Some(0) {
                return Err(fail(
                    "pattern",
                    format!(
                        "rule `{}` has a pattern that matches only empty text, so it never flags anything",
                        r.id
                    ),
                    "make the pattern match at least one character: the words it is meant to catch",
                ));
            }
            // A pattern that may be too large to compile is compiled now,
            // so a policy folio cannot use stops the command (exit 2).
            if size(&hir) > MAY_BE_TOO_LARGE {
                let done = compile_meta(&r.pattern).map(Matcher::Meta);
                if let Err(e) = &done {
                    return Err(fail(
                        "pattern",
                        format!("rule `{}` has a pattern too large to compile: {e}", r.id),
                        "simplify the pattern (a repetition of a large class is the usual cause)",
                    ));
                }
                let _ = regex.set(done);
            }
        }
        compiled.push(Rule {
            hint: r.hint.unwrap_or_else(|| {
                "rewrite the claim, or cite a source for it in the same sentence".to_string()
            }),
            id: r.id,
            pattern: r.pattern,
            compiled: regex,
            line: key_position(text, "pattern", n).0,
            message: r.message,
            states: r.states,
            excused_by_citation: r.excused_by_citation,
            severity: r.severity,
            future_only: r.future_only,
            example: r.example,
        });
    }
    Ok(compiled)
}

/// A policy the YAML reader refused, said in the policy's words: an
/// unknown key with the key it is nearest to, a value of the wrong type
/// with what was expected as an editor would say it. Returns the message
/// and the hint.
fn in_words(message: &str) -> (String, String) {
    let defaults = "compare with the commented defaults that `folio init` writes".to_string();
    // "rules[0].states: invalid type: …": where, then what.
    let (at, what) = match message.split_once(": ") {
        Some((at, what)) if !at.contains(' ') => (format!("{at}: "), what),
        _ => (String::new(), message),
    };
    if let Some(rest) = what.strip_prefix("unknown field `") {
        let (key, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let keys: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let place = if at.starts_with("rules[") {
            "a rule key"
        } else {
            "a policy key"
        };
        let hint = match did_you_mean(key, keys.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? The keys are {}", keys.join(", ")),
            None => format!("the keys are {}", keys.join(", ")),
        };
        return (format!("{at}`{key}` is not {place}"), hint);
    }
    if let Some(rest) = what.strip_prefix("unknown variant `") {
        let (word, expected) = rest.split_once('`').unwrap_or((rest, ""));
        let words: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
        let hint = match did_you_mean(word, words.iter().copied()) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!("use one of {}", words.join(", ")),
        };
        return (
            format!("{at}`{word}` is not one of {}", words.join(", ")),
            hint,
        );
    }
    if let Some(rest) = what
        .strip_prefix("invalid type: ")
        .or_else(|| what.strip_prefix("invalid value: "))
    {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        let expected = match expected {
            "u32" | "u64" | "usize" | "i64" => "a whole number, such as 180",
            "a sequence" => "a list, such as `[ana, jon]`",
            "a boolean" => "true or false",
            "a string" => "text",
            other => other,
        };
        let found = match found.split_once(' ') {
            Some(("string", text)) => format!("the text {text}"),
            Some((_, value)) => value.to_string(),
            None if found == "sequence" => "a list".to_string(),
            None if found == "map" => "a set of keys".to_string(),
            None => found.to_string(),
        };
        return (format!("{at}{found} is not {expected}"), defaults);
    }
    (message.to_string(), defaults)
}

/// The line of a regex error that says what is wrong (its last line).
pub(super) fn last_line(s: &str) -> String {
    let last = s
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim();
    last.trim_start_matches("error: ").to_string()
}

impl Rule {
    /// The byte ranges where the pattern matches `haystack`. The pattern's
    /// syntax was checked with the policy; what can still fail here is size
    /// (a pattern too large to compile).
    pub fn find_iter(
        &self,
        haystack: &str,
    ) -> std::result::Result<impl Iterator<Item = Range<usize>> + use<>, String> {
        let matcher = self
            .compiled
            .get_or_init(|| Matcher::new(&self.pattern))
            .as_ref()
            .map_err(String::clone)?;
        Ok(matcher.find_all(haystack, &self.pattern)?.into_iter())
    }

    /// Compiles the pattern now, so a later `find_iter` need not wait.
    pub fn prepare(&self) {
        let _ = self.compiled.get_or_init(|| Matcher::new(&self.pattern));
    }

    /// Whether a match of this rule in `matched` should be reported today.
    pub fn fires(&self, matched: &str, today: NaiveDate) -> bool {
        !self.future_only || earliest_date(matched).is_some_and(|d| d > today)
    }
}

/// Past this `size`, a pattern is compiled with the policy to learn whether
/// it can be; the default rules are a few hundred.
const MAY_BE_TOO_LARGE: usize = 20_000;

/// A rough count of the states a pattern compiles to: literals and class
/// ranges, repetitions multiplied out.
fn size(hir: &regex_syntax::hir::Hir) -> usize {
    use regex_syntax::hir::{Class, HirKind};
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(lit) => lit.0.len(),
        HirKind::Class(Class::Unicode(c)) => 4 * c.ranges().len(),
        HirKind::Class(Class::Bytes(c)) => c.ranges().len(),
        HirKind::Repetition(rep) => {
            let times = rep.max.unwrap_or(rep.min).max(rep.min).max(1) as usize;
            size(&rep.sub).saturating_mul(times)
        }
        HirKind::Capture(cap) => size(&cap.sub),
        HirKind::Concat(subs) | HirKind::Alternation(subs) => {
            subs.iter().map(size).fold(0, usize::saturating_add)
        }
    }
}

/// The first day a date-like phrase can mean: `2027-03-04`, `2027-03`,
/// `March 2027`, `Q2 2027`, `H2 2027` or a bare year. The last year in the
/// phrase (19xx or 20xx, standing alone) is the one taken.
pub fn earliest_date(phrase: &str) -> Option<NaiveDate> {
    let bytes = phrase.as_bytes();
    let alnum = |i: usize| bytes.get(i).is_some_and(u8::is_ascii_alphanumeric);
    let at = (0..bytes.len().saturating_sub(3)).rev().find(|&i| {
        let digits = bytes[i..i + 4].iter().all(u8::is_ascii_digit);
        let century = matches!(&bytes[i..i + 2], b"19" | b"20");
        digits && century && !(i > 0 && alnum(i - 1)) && !alnum(i + 4)
    })?;
    let year: i32 = phrase[at..at + 4].parse().ok()?;
    // `-MM`, as in 2027-03 or 2027-03-04.
    let two_digits = |from: usize| -> Option<u32> {
        let part = bytes.get(from..from + 3)?;
        (part[0] == b'-' && part[1..].iter().all(u8::is_ascii_digit))
            .then(|| u32::from((part[1] - b'0') * 10 + part[2] - b'0'))
    };
    let iso_month = two_digits(at + 4);
    let day = iso_month.and_then(|_| two_digits(at + 7)).unwrap_or(1);
    let word_before = phrase[..at]
        .trim_end()
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let month = iso_month.or_else(|| period_start(word_before)).unwrap_or(1);
    NaiveDate::from_ymd_opt(year, month, day).or_else(|| NaiveDate::from_ymd_opt(year, month, 1))
}

/// The first month of `Q1`..`Q4`, `H1`, `H2` or a month's name.
fn period_start(word: &str) -> Option<u32> {
    let (kind, n) = word.split_at_checked(1)?;
    match (kind.to_ascii_lowercase().as_str(), n.parse::<u32>()) {
        ("q", Ok(n @ 1..=4)) => Some((n - 1) * 3 + 1),
        ("h", Ok(n @ 1..=2)) => Some((n - 1) * 6 + 1),
        _ => month_number(word),
    }
}

fn month_number(word: &str) -> Option<u32> {
    let word = word.to_ascii_lowercase();
    (1..=12).find(|&m| {
        let name = NaiveDate::from_ymd_opt(2000, m, 1)
            .expect("valid month")
            .format("%B")
            .to_string()
            .to_ascii_lowercase();
        name.starts_with(&word) && word.len() >= 3
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_parse_and_hold_the_four_kinds_of_claim() {
        let p = Policy::defaults();
        let ids: Vec<_> = p.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "future-date",
                "universal-multiplier",
                "unsourced-maturity",
                "broad-comparison"
            ]
        );
        assert_eq!(p.pages.dir, "content");
    }

    #[test]
    fn a_policy_without_rules_has_the_defaults_as_the_default_policy_reads_them() {
        let fields = |rules: &[Rule]| -> Vec<String> {
            rules
                .iter()
                .map(|r| {
                    format!(
                        "{} {} {} {} {} {:?} {} {:?} {} {:?}",
                        r.id,
                        r.pattern,
                        r.line,
                        r.message,
                        r.hint,
                        r.states,
                        r.excused_by_citation,
                        r.severity,
                        r.future_only,
                        r.example
                    )
                })
                .collect()
        };
        let whole = Policy::read(DEFAULT_POLICY, false).unwrap();
        let without = Policy::parse("reviewers: [ana]\n").unwrap();
        assert_eq!(fields(&without.rules), fields(&whole.rules));
        assert_eq!(whole.rules[0].line, 66, "the line of future-date's pattern");
    }

    #[test]
    fn dates_in_phrases_start_where_they_can_first_mean() {
        let d = |s| earliest_date(s).map(|d| d.to_string());
        assert_eq!(d("by Q3 2027").as_deref(), Some("2027-07-01"));
        assert_eq!(d("in March 2027").as_deref(), Some("2027-03-01"));
        assert_eq!(d("2027-02-14").as_deref(), Some("2027-02-14"));
        assert_eq!(d("late 2026").as_deref(), Some("2026-01-01"));
        assert_eq!(d("H2 2026").as_deref(), Some("2026-07-01"));
        assert_eq!(d("by 2026-12").as_deref(), Some("2026-12-01"));
        assert_eq!(d("a 12048-token window"), None);
    }

    #[test]
    fn a_bad_pattern_names_its_line() {
        let e = Policy::parse("rules:\n  - id: x\n    pattern: '(unclosed'\n    message: m\n")
            .unwrap_err();
        assert_eq!((e.line, e.column), (3, 5));
        assert!(
            e.message.contains("not a valid regular expression"),
            "{}",
            e.message
        );
    }

    #[test]
    fn an_unknown_key_is_refused_with_its_position() {
        let e = Policy::parse("reviewers: [a]\nreveiw_interval_days: 3\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert_eq!(e.message, "`reveiw_interval_days` is not a policy key");
        assert!(
            e.hint.starts_with("did you mean `review_interval_days`?"),
            "{}",
            e.hint
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_says_what_was_expected_in_words() {
        let said = |text: &str| {
            let e = Policy::parse(text).unwrap_err();
            (e.message, e.hint)
        };
        assert_eq!(
            said("review_interval_days: soon\n").0,
            "review_interval_days: the text \"soon\" is not a whole number, such as 180"
        );
        assert_eq!(
            said("review_interval_days: -3\n").0,
            "review_interval_days: `-3` is not a whole number, such as 180"
        );
        assert_eq!(
            said("reviewers: ana\n").0,
            "reviewers: the text \"ana\" is not a list, such as `[ana, jon]`"
        );
        let (message, hint) = said("new_page_states: [drafts]\n");
        assert_eq!(
            message,
            "new_page_states[0]: `drafts` is not one of draft, research, reviewed, promoted"
        );
        assert_eq!(hint, "did you mean `draft`?");
        let (message, hint) = said(
            "rules:\n  - id: x\n    pattern: a\n    message: m\n    excused_by_citaton: true\n",
        );
        assert_eq!(message, "rules[0]: `excused_by_citaton` is not a rule key");
        assert!(
            hint.starts_with("did you mean `excused_by_citation`?"),
            "{hint}"
        );
    }
}
