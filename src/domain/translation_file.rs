//! A questionnaire's texts as a gettext PO file, the format translators and their tools
//! (Poedit, Weblate, Lokalize, OmegaT) read and write: one file per language, one entry per
//! text, with `msgctxt` = the text id, `msgid` = the Dutch text and `msgstr` = the
//! translation (empty when there is none yet).
//!
//! Reading a file is all or nothing ([`read_translations`]): an entry with an unknown text id,
//! a Dutch text that changed since the file was made, or anything the file cannot mean is
//! reported with its line, in plain Dutch, and nothing of the file is taken. Entries marked
//! `fuzzy` (a tool's "needs review") and empty translations are skipped: they leave the
//! translation that is there as it is.
//!
//! The reader and writer are our own, small and limited to what these files need (no plural
//! forms, UTF-8 only). The `polib` crate was considered: it panics on malformed lines
//! (slicing a one-character `"` line, a continuation line before any keyword, unknown
//! flags), and an uploaded file must never be able to do that; its other parts (MO files,
//! catalogs) are not needed here.

use super::questionnaire::Questionnaire;
use super::translations::SourceText;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// One entry of a PO file, as read.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoEntry {
    pub context: Option<String>,
    pub id: String,
    pub text: String,
    pub fuzzy: bool,
    /// A plural entry (`msgid_plural`); questionnaires have none.
    pub plural: bool,
    /// The line its `msgid` (or `msgctxt`) is on, for messages.
    pub line: usize,
}

/// A whole PO file: the header's fields (`Language`, `Content-Type` …) and the entries.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PoFile {
    pub header: BTreeMap<String, String>,
    pub entries: Vec<PoEntry>,
}

/// Why a file (or one entry of it) cannot be read. The text is for the begeleider.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoProblem {
    #[error("Het bestand is geen tekst in UTF-8. Sla het op als UTF-8 en probeer het opnieuw.")]
    NotUtf8,
    #[error("Kies eerst een bestand om in te lezen.")]
    NoFile,
    #[error("Het bestand is leeg of heeft geen teksten.")]
    Empty,
    #[error("Regel {line}: deze regel begrijpt Vertelpunt niet ({what}).")]
    Syntax { line: usize, what: String },
    #[error("Regel {line}: er staat een onbekend teken na \\ in de tekst.")]
    BadEscape { line: usize },
    #[error("Het bestand is voor de taal “{found}”, niet voor “{wanted}”.")]
    WrongLanguage { found: String, wanted: String },
    #[error("Het bestand gebruikt de tekenset “{0}”. Alleen UTF-8 kan.")]
    WrongCharset(String),
    #[error("Regel {line}: deze tekst heeft geen tekst-id (msgctxt). Gebruik een bestand dat Vertelpunt heeft gemaakt.")]
    NoContext { line: usize },
    #[error("Regel {line}: de tekst-id “{id}” bestaat niet in deze vragenlijst. Download een nieuw bestand en vertaal daarin.")]
    UnknownId { line: usize, id: String },
    #[error("Regel {line}: de Nederlandse tekst van “{id}” is veranderd sinds het bestand is gemaakt. Nu is het: “{now}”. Download een nieuw bestand en vertaal de nieuwe tekst.")]
    ChangedSource {
        line: usize,
        id: String,
        now: String,
    },
    #[error("Regel {line}: de tekst-id “{id}” staat twee keer in het bestand.")]
    Duplicate { line: usize, id: String },
    #[error("Regel {line}: meervoudsvormen (msgid_plural) gebruikt de vragenlijst niet.")]
    Plural { line: usize },
}

/// What a checked file brings: text id → translation (only the translated, not fuzzy
/// entries), and how many entries it skipped (empty or fuzzy).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReadTranslations {
    pub texts: BTreeMap<String, String>,
    pub skipped: usize,
}

// --- writing -------------------------------------------------------------------------------

/// `text` as a PO string literal: backslash, quote and control characters escaped.
fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                // Other control characters have no place in a questionnaire text; written as
                // octal so that the file stays one entry per text.
                let _ = write!(out, "\\{:03o}", u32::from(c) & 0o777);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A keyword and its string; a text with line breaks is written as gettext does, one line
/// per piece after an empty first string.
fn field(out: &mut String, keyword: &str, text: &str) {
    if text.contains('\n') {
        let _ = writeln!(out, "{keyword} \"\"");
        for piece in text.split_inclusive('\n') {
            let _ = writeln!(out, "{}", quoted(piece));
        }
    } else {
        let _ = writeln!(out, "{keyword} {}", quoted(text));
    }
}

/// What the header of an exported file says about where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo<'a> {
    pub project: &'a str,
    pub version: i32,
    pub lang: &'a str,
    /// The language's name, for the comment at the top.
    pub language_name: &'a str,
}

/// The questionnaire's texts for `info.lang` as a PO file: every text, translated or not, in
/// the order of the form, each with a comment that says where it is.
pub fn write_translations(q: &Questionnaire, info: &FileInfo<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Vertelpunt: de teksten van de vragenlijst van project {} (versie {}), in het {}.",
        info.project, info.version, info.language_name
    );
    out.push_str(
        "# Vul bij elke tekst de vertaling in achter msgstr. Verander msgctxt en msgid niet.\n\
         # Lees het bestand daarna in op de pagina Vragenlijst van het project.\n",
    );
    out.push_str("msgid \"\"\nmsgstr \"\"\n");
    for line in [
        format!("Project-Id-Version: {} v{}\n", info.project, info.version),
        format!("Language: {}\n", info.lang),
        "MIME-Version: 1.0\n".to_string(),
        "Content-Type: text/plain; charset=UTF-8\n".to_string(),
        "Content-Transfer-Encoding: 8bit\n".to_string(),
        "X-Generator: Vertelpunt\n".to_string(),
    ] {
        let _ = writeln!(out, "{}", quoted(&line));
    }
    for text in q.source_texts() {
        out.push('\n');
        let _ = writeln!(out, "#. {}", text.describe());
        field(&mut out, "msgctxt", &text.id);
        field(&mut out, "msgid", text.dutch);
        field(
            &mut out,
            "msgstr",
            q.translation(info.lang, &text.id).unwrap_or_default(),
        );
    }
    out
}

// --- reading -------------------------------------------------------------------------------

/// The string of a quoted literal (`"…"`, already trimmed), unescaped.
fn unquote(literal: &str, line: usize) -> Result<String, PoProblem> {
    let syntax = |what: &str| PoProblem::Syntax {
        line,
        what: what.to_string(),
    };
    let inner = literal
        .strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .filter(|_| literal.len() >= 2)
        .ok_or_else(|| syntax("een tekst hoort tussen aanhalingstekens te staan"))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                let escaped = chars.next().ok_or(PoProblem::BadEscape { line })?;
                match escaped {
                    'n' => out.push('\n'),
                    't' => out.push('\t'),
                    'r' => out.push('\r'),
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    'a' => out.push('\u{7}'),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'v' => out.push('\u{b}'),
                    '0'..='7' => {
                        let mut value = escaped.to_digit(8).unwrap_or(0);
                        for _ in 0..2 {
                            match chars.peek().and_then(|d| d.to_digit(8)) {
                                Some(d) => {
                                    value = value * 8 + d;
                                    chars.next();
                                }
                                None => break,
                            }
                        }
                        out.push(char::from_u32(value).ok_or(PoProblem::BadEscape { line })?);
                    }
                    _ => return Err(PoProblem::BadEscape { line }),
                }
            }
            // An unescaped quote inside the literal ends it early: not a well-formed line.
            '"' => return Err(syntax("een aanhalingsteken in de tekst hoort \\\" te zijn")),
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Which string of an entry a line adds to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Context,
    Id,
    IdPlural,
    Text,
    /// `msgstr[n]` of a plural entry: read and thrown away (plurals are refused anyway).
    PluralText,
}

/// An entry while it is being read.
#[derive(Default)]
struct Building {
    entry: PoEntry,
    has_id: bool,
    has_text: bool,
    obsolete: bool,
    started: bool,
}

/// Reads a PO file: comments, flags, `msgctxt`, `msgid`, `msgid_plural`, `msgstr` and
/// `msgstr[n]`, strings over several lines, the C escapes gettext writes, obsolete entries
/// (`#~`, skipped) and the header (the entry with an empty `msgid`).
pub fn read(text: &str) -> Result<PoFile, PoProblem> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut file = PoFile::default();
    let mut current = Building::default();
    let mut part: Option<Part> = None;
    let mut pending_fuzzy = false;

    let finish = |b: Building, file: &mut PoFile| -> Result<(), PoProblem> {
        if !b.started || b.obsolete {
            return Ok(());
        }
        if !b.has_id || !b.has_text {
            return Err(PoProblem::Syntax {
                line: b.entry.line,
                what: "een tekst heeft zowel msgid als msgstr nodig".into(),
            });
        }
        if b.entry.id.is_empty() && b.entry.context.is_none() {
            for line in b.entry.text.lines() {
                if let Some((name, value)) = line.split_once(':') {
                    file.header
                        .insert(name.trim().to_string(), value.trim().to_string());
                }
            }
        } else {
            file.entries.push(b.entry);
        }
        Ok(())
    };

    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim();
        if line.is_empty() {
            part = None;
            continue;
        }
        if let Some(rest) = line.strip_prefix("#~") {
            // An obsolete entry: kept by tools for history, never a translation.
            if !rest.trim().is_empty() {
                if current.started && current.has_text {
                    finish(std::mem::take(&mut current), &mut file)?;
                }
                current.started = true;
                current.obsolete = true;
            }
            part = None;
            continue;
        }
        if let Some(flags) = line.strip_prefix("#,") {
            if current.started && current.has_text {
                finish(std::mem::take(&mut current), &mut file)?;
            }
            if flags.split(',').any(|f| f.trim() == "fuzzy") {
                pending_fuzzy = true;
            }
            part = None;
            continue;
        }
        if line.starts_with('#') {
            if current.started && current.has_text {
                finish(std::mem::take(&mut current), &mut file)?;
            }
            part = None;
            continue;
        }
        if line.starts_with('"') {
            let piece = unquote(line, line_no)?;
            match part {
                Some(Part::Context) => {
                    let context = current.entry.context.get_or_insert_with(String::new);
                    context.push_str(&piece);
                }
                Some(Part::Id) => current.entry.id.push_str(&piece),
                Some(Part::Text) => current.entry.text.push_str(&piece),
                Some(Part::IdPlural) | Some(Part::PluralText) => {}
                None => {
                    if current.obsolete {
                        continue;
                    }
                    return Err(PoProblem::Syntax {
                        line: line_no,
                        what: "een tekst tussen aanhalingstekens zonder msgid of msgstr ervoor"
                            .into(),
                    });
                }
            }
            continue;
        }
        let (keyword, rest) = line
            .split_once(|c: char| c.is_whitespace())
            .map(|(k, r)| (k, r.trim()))
            .unwrap_or((line, ""));
        let value = unquote(rest, line_no)?;
        let starts_entry = matches!(keyword, "msgctxt")
            || (keyword == "msgid" && (current.has_id || current.entry.context.is_none()));
        if starts_entry && current.started && (current.has_text || current.obsolete) {
            finish(std::mem::take(&mut current), &mut file)?;
        }
        if current.obsolete {
            continue;
        }
        if !current.started {
            current.started = true;
            current.entry.line = line_no;
            current.entry.fuzzy = std::mem::take(&mut pending_fuzzy);
        }
        match keyword {
            "msgctxt" if current.entry.context.is_none() && !current.has_id => {
                current.entry.context = Some(value);
                part = Some(Part::Context);
            }
            "msgid" if !current.has_id => {
                current.entry.id = value;
                current.has_id = true;
                part = Some(Part::Id);
            }
            "msgid_plural" if current.has_id => {
                current.entry.plural = true;
                part = Some(Part::IdPlural);
            }
            "msgstr" if current.has_id && !current.has_text => {
                current.entry.text = value;
                current.has_text = true;
                part = Some(Part::Text);
            }
            k if k.starts_with("msgstr[") && current.has_id => {
                current.entry.plural = true;
                current.has_text = true;
                part = Some(Part::PluralText);
            }
            other => {
                return Err(PoProblem::Syntax {
                    line: line_no,
                    what: format!("“{}” staat hier niet op zijn plaats", shorten(other)),
                })
            }
        }
    }
    finish(current, &mut file)?;
    Ok(file)
}

/// At most 30 characters of a word from the file, for a message.
fn shorten(word: &str) -> String {
    let mut short: String = word.chars().take(30).collect();
    if word.chars().count() > 30 {
        short.push('…');
    }
    short
}

/// Reads an uploaded PO file for `lang` against the questionnaire: every entry must name a
/// text of the questionnaire and carry its current Dutch text. All problems are reported
/// together; with any problem nothing is taken.
pub fn read_translations(
    q: &Questionnaire,
    lang: &str,
    bytes: &[u8],
) -> Result<ReadTranslations, Vec<PoProblem>> {
    let text = std::str::from_utf8(bytes).map_err(|_| vec![PoProblem::NotUtf8])?;
    let file = read(text).map_err(|p| vec![p])?;
    let mut problems = Vec::new();
    if let Some(found) = file.header.get("Language").filter(|l| !l.is_empty()) {
        // "pt_BR", "uk-UA": the language is the part before the region.
        let primary = found
            .split(['_', '-', '@'])
            .next()
            .unwrap_or_default()
            .to_lowercase();
        if primary != lang {
            problems.push(PoProblem::WrongLanguage {
                found: found.clone(),
                wanted: lang.to_string(),
            });
        }
    }
    if let Some(charset) = file
        .header
        .get("Content-Type")
        .and_then(|ct| ct.split("charset=").nth(1))
        .map(str::trim)
        .filter(|c| !c.eq_ignore_ascii_case("utf-8") && !c.eq_ignore_ascii_case("utf8"))
    {
        problems.push(PoProblem::WrongCharset(charset.to_string()));
    }
    if file.entries.is_empty() {
        problems.push(PoProblem::Empty);
    }
    let sources: BTreeMap<String, SourceText<'_>> = q
        .source_texts()
        .into_iter()
        .map(|t| (t.id.clone(), t))
        .collect();
    let mut seen = BTreeSet::new();
    let mut read = ReadTranslations::default();
    for entry in file.entries {
        if entry.fuzzy {
            read.skipped += 1;
            continue;
        }
        let line = entry.line;
        if entry.plural {
            problems.push(PoProblem::Plural { line });
            continue;
        }
        let Some(id) = entry.context else {
            problems.push(PoProblem::NoContext { line });
            continue;
        };
        let Some(source) = sources.get(&id) else {
            problems.push(PoProblem::UnknownId { line, id });
            continue;
        };
        if !seen.insert(id.clone()) {
            problems.push(PoProblem::Duplicate { line, id });
            continue;
        }
        if entry.id != source.dutch {
            problems.push(PoProblem::ChangedSource {
                line,
                id,
                now: source.dutch.to_string(),
            });
            continue;
        }
        if entry.text.trim().is_empty() {
            read.skipped += 1;
            continue;
        }
        read.texts.insert(id, entry.text);
    }
    if problems.is_empty() {
        Ok(read)
    } else {
        Err(problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::tests::sample;

    fn info(lang: &str) -> FileInfo<'_> {
        FileInfo {
            project: "proef",
            version: 2,
            lang,
            language_name: "Engels",
        }
    }

    #[test]
    fn strings_are_escaped_and_read_back() {
        for text in [
            "gewoon",
            "met \"aanhalingstekens\" en \\ schuine streep",
            "twee\nregels",
            "eindigt met een regel\n",
            "tab\there",
            "Ünïcödé – العربية – Українська",
            "",
        ] {
            let literal = quoted(text);
            assert_eq!(unquote(&literal, 1), Ok(text.to_string()), "{literal}");
        }
        assert_eq!(
            unquote(r#""\101\x""#, 3),
            Err(PoProblem::BadEscape { line: 3 })
        );
        assert_eq!(unquote(r#""\101""#, 3), Ok("A".to_string()));
        assert!(matches!(
            unquote("\"", 4),
            Err(PoProblem::Syntax { line: 4, .. })
        ));
        assert!(matches!(
            unquote("\"a\"b\"", 5),
            Err(PoProblem::Syntax { line: 5, .. })
        ));
        assert!(matches!(
            unquote("geen aanhalingstekens", 6),
            Err(PoProblem::Syntax { line: 6, .. })
        ));
    }

    #[test]
    fn reads_multi_line_strings_comments_and_the_header() {
        let file = read(concat!(
            "\u{feff}# vertaler: Sam\r\n",
            "msgid \"\"\r\n",
            "msgstr \"\"\r\n",
            "\"Language: en\\n\"\r\n",
            "\"Content-Type: text/plain; charset=UTF-8\\n\"\r\n",
            "\r\n",
            "#. vraag gehoord: de vraag\n",
            "#: default.json\n",
            "msgctxt \"q.gehoord\"\n",
            "\".label\"\n",
            "msgid \"\"\n",
            "\"Werd er \"\n",
            "\"geluisterd?\"\n",
            "msgstr \"\"\n",
            "\"Were you \"\n",
            "\"heard?\"\n",
            "msgctxt \"twee\"\n",
            "msgid \"regel één\\n\"\n",
            "\"regel twee\"\n",
            "msgstr \"line one\\nline two\"\n",
        ))
        .unwrap();
        assert_eq!(file.header["Language"], "en");
        assert_eq!(file.entries.len(), 2);
        let first = &file.entries[0];
        assert_eq!(first.context.as_deref(), Some("q.gehoord.label"));
        assert_eq!(first.id, "Werd er geluisterd?");
        assert_eq!(first.text, "Were you heard?");
        assert_eq!(first.line, 9);
        assert!(!first.fuzzy);
        assert_eq!(file.entries[1].id, "regel één\nregel twee");
        assert_eq!(file.entries[1].text, "line one\nline two");
    }

    #[test]
    fn fuzzy_flags_plurals_and_obsolete_entries_are_recognised() {
        let file = read(concat!(
            "#, fuzzy\n",
            "msgctxt \"a\"\n",
            "msgid \"A\"\n",
            "msgstr \"Aa\"\n",
            "\n",
            "#, c-format, fuzzy\n",
            "msgctxt \"b\"\n",
            "msgid \"B\"\n",
            "msgstr \"Bb\"\n",
            "\n",
            "#~ msgctxt \"oud\"\n",
            "#~ msgid \"Oud\"\n",
            "#~ msgstr \"Old\"\n",
            "\n",
            "msgctxt \"c\"\n",
            "msgid \"C\"\n",
            "msgid_plural \"Cs\"\n",
            "msgstr[0] \"c\"\n",
            "msgstr[1] \"cs\"\n",
            "msgctxt \"d\"\n",
            "msgid \"D\"\n",
            "msgstr \"Dd\"\n",
        ))
        .unwrap();
        let summary: Vec<_> = file
            .entries
            .iter()
            .map(|e| (e.context.clone().unwrap_or_default(), e.fuzzy, e.plural))
            .collect();
        assert_eq!(
            summary,
            [
                ("a".to_string(), true, false),
                ("b".to_string(), true, false),
                ("c".to_string(), false, true),
                ("d".to_string(), false, false),
            ]
        );
    }

    #[test]
    fn broken_files_are_refused_with_their_line() {
        for (text, line) in [
            ("msgid \"a\"\nmsgstr \"b\"\n\"los\"\n\n\"zwevend\"\n", 5),
            ("msgctxt \"x\"\nmsgstr \"b\"\n", 2),
            ("msgid \"a\"\nmsgstr \"b\nmsgid \"c\"\n", 2),
            ("msgid \"a\"\nonzin \"b\"\n", 2),
            ("msgctxt \"x\"\nmsgid \"a\"\n", 1),
            ("\"\n", 1),
        ] {
            match read(text) {
                Err(PoProblem::Syntax { line: l, .. }) | Err(PoProblem::BadEscape { line: l }) => {
                    assert_eq!(l, line, "{text:?}")
                }
                other => panic!("{text:?} gave {other:?}"),
            }
        }
        assert!(read("").unwrap().entries.is_empty());
    }

    /// An English translation of the sample questionnaire, complete.
    fn english(q: &Questionnaire) -> BTreeMap<String, String> {
        q.source_texts()
            .into_iter()
            .map(|t| (t.id.clone(), format!("EN {}", t.dutch)))
            .collect()
    }

    #[test]
    fn export_then_import_gives_the_same_translations() {
        let mut q = sample();
        q.translations.insert("en".into(), english(&q));
        // A text with a line break, quotes and a backslash survives too.
        q.questions[0].help = Some("Eerste regel\nTweede \"regel\" \\ klaar".into());
        let help = crate::domain::translations::ids::question("gehoord", "help");
        q.translations
            .get_mut("en")
            .unwrap()
            .insert(help.clone(), "First line\nSecond \"line\" \\ done".into());
        let file = write_translations(&q, &info("en"));
        assert!(file.contains("msgctxt \"q.gehoord.label\""), "{file}");
        assert!(file.contains("\"Language: en\\n\""), "{file}");
        assert!(file.contains("#. vraag gehoord: linkerkant van de schuif (0)"));
        let read = read_translations(&q, "en", file.as_bytes()).unwrap();
        assert_eq!(read.texts, q.translations["en"]);
        assert_eq!(read.skipped, 0);
        assert_eq!(read.texts[&help], "First line\nSecond \"line\" \\ done");

        // Without translations, every msgstr is empty and reading takes nothing.
        let bare = sample();
        let file = write_translations(&bare, &info("en"));
        let read = read_translations(&bare, "en", file.as_bytes()).unwrap();
        assert!(read.texts.is_empty());
        assert_eq!(read.skipped, bare.source_texts().len());
    }

    #[test]
    fn unknown_ids_and_changed_dutch_are_reported_and_nothing_is_taken() {
        let mut q = sample();
        q.translations.insert("en".into(), english(&q));
        let file = write_translations(&q, &info("en"))
            .replace(
                "msgctxt \"q.gehoord.label\"",
                "msgctxt \"q.bestaat_niet.label\"",
            )
            .replace(
                "msgid \"Kwam de hulp op tijd?\"",
                "msgid \"Kwam de hulp snel?\"",
            );
        let problems = read_translations(&q, "en", file.as_bytes()).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        let messages: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert!(
            messages[0].contains("de tekst-id “q.bestaat_niet.label” bestaat niet"),
            "{messages:?}"
        );
        assert!(
            messages[1].contains("de Nederlandse tekst van “q.op_tijd.label” is veranderd")
                && messages[1].contains("Nu is het: “Kwam de hulp op tijd?”"),
            "{messages:?}"
        );
        assert!(messages.iter().all(|m| m.starts_with("Regel ")));
    }

    #[test]
    fn the_files_language_and_charset_must_fit() {
        let q = sample();
        let file = write_translations(&q, &info("en"));
        let problems = read_translations(&q, "pl", file.as_bytes()).unwrap_err();
        assert_eq!(
            problems,
            [PoProblem::WrongLanguage {
                found: "en".into(),
                wanted: "pl".into()
            }]
        );
        let regional = file.replace("Language: en", "Language: en_GB");
        assert!(read_translations(&q, "en", regional.as_bytes()).is_ok());
        let latin = file.replace("charset=UTF-8", "charset=ISO-8859-1");
        assert_eq!(
            read_translations(&q, "en", latin.as_bytes()).unwrap_err(),
            [PoProblem::WrongCharset("ISO-8859-1".into())]
        );
        assert_eq!(
            read_translations(&q, "en", b"msgid \"\xff\"").unwrap_err(),
            [PoProblem::NotUtf8]
        );
        assert_eq!(
            read_translations(&q, "en", b"# alleen commentaar\n").unwrap_err(),
            [PoProblem::Empty]
        );
    }

    #[test]
    fn fuzzy_and_empty_entries_leave_the_translation_alone() {
        let q = sample();
        let file = concat!(
            "msgid \"\"\nmsgstr \"Language: en\\n\"\n\n",
            "#, fuzzy\nmsgctxt \"q.gehoord.label\"\nmsgid \"Voelde je je gehoord?\"\nmsgstr \"Heard?\"\n\n",
            "msgctxt \"q.op_tijd.label\"\nmsgid \"Kwam de hulp op tijd?\"\nmsgstr \"\"\n\n",
            "msgctxt \"o.gevoel.goed\"\nmsgid \"Goed\"\nmsgstr \"Good\"\n",
            // A fuzzy entry is skipped whole, even when its id or Dutch is outdated.
            "\n#, fuzzy\nmsgctxt \"q.weg.label\"\nmsgid \"Oud\"\nmsgstr \"Old\"\n",
        );
        let read = read_translations(&q, "en", file.as_bytes()).unwrap();
        assert_eq!(
            read.texts,
            BTreeMap::from([("o.gevoel.goed".to_string(), "Good".to_string())])
        );
        assert_eq!(read.skipped, 3);
    }

    #[test]
    fn duplicates_plurals_and_entries_without_an_id_are_refused() {
        let q = sample();
        let file = concat!(
            "msgctxt \"o.gevoel.goed\"\nmsgid \"Goed\"\nmsgstr \"Good\"\n\n",
            "msgctxt \"o.gevoel.goed\"\nmsgid \"Goed\"\nmsgstr \"Fine\"\n\n",
            "msgid \"Slecht\"\nmsgstr \"Bad\"\n\n",
            "msgctxt \"o.gevoel.slecht\"\nmsgid \"Slecht\"\nmsgid_plural \"Slechten\"\nmsgstr[0] \"Bad\"\n",
        );
        let problems = read_translations(&q, "en", file.as_bytes()).unwrap_err();
        assert_eq!(
            problems,
            [
                PoProblem::Duplicate {
                    line: 5,
                    id: "o.gevoel.goed".into()
                },
                PoProblem::NoContext { line: 9 },
                PoProblem::Plural { line: 12 },
            ]
        );
    }
}
