//! Rules for what begeleiders type when they moderate a story: the reason for hiding it, and
//! the fragment they redact. Pure, so the tricky cases (markers, unicode) are tested here.

/// What a redacted fragment becomes, everywhere in the story.
pub const REDACTION_MARK: &str = "[weggelaten]";
/// Longest reason for hiding a story, in characters.
pub const MAX_HIDE_REASON_CHARS: usize = 300;
/// Longest fragment to redact, in characters (a sentence or two; longer is a mistake).
pub const MAX_FRAGMENT_CHARS: usize = 1000;

/// Why a begeleider's input was refused. The messages are shown on the story page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ModerationInputError {
    #[error("Schrijf kort op waarom je dit verhaal verbergt.")]
    ReasonEmpty,
    #[error("De reden is te lang. Gebruik hoogstens {MAX_HIDE_REASON_CHARS} tekens.")]
    ReasonTooLong,
    #[error("Typ het stukje tekst dat je wilt weglakken, bijvoorbeeld een naam.")]
    FragmentEmpty,
    #[error("Dit stukje is te lang. Lak hoogstens {MAX_FRAGMENT_CHARS} tekens tegelijk weg.")]
    FragmentTooLong,
    #[error(
        "Dit stukje staat niet in de titel, de tekst of de open antwoorden. Let op hoofdletters \
         en leestekens. Er is niets veranderd."
    )]
    FragmentNotFound,
}

/// A reason for hiding: trimmed, control characters (line breaks) become spaces, not empty,
/// at most [`MAX_HIDE_REASON_CHARS`] characters.
pub fn parse_hide_reason(raw: &str) -> Result<String, ModerationInputError> {
    let cleaned: String = raw
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let reason = cleaned.trim();
    if reason.is_empty() {
        return Err(ModerationInputError::ReasonEmpty);
    }
    if reason.chars().count() > MAX_HIDE_REASON_CHARS {
        return Err(ModerationInputError::ReasonTooLong);
    }
    Ok(reason.to_string())
}

/// A fragment to redact. Leading and trailing spaces are dropped (an accidental space after a
/// name must not make it "not found"); everything else must match exactly.
pub fn parse_fragment(raw: &str) -> Result<String, ModerationInputError> {
    let fragment = raw.trim();
    if fragment.is_empty() {
        return Err(ModerationInputError::FragmentEmpty);
    }
    if fragment.chars().count() > MAX_FRAGMENT_CHARS {
        return Err(ModerationInputError::FragmentTooLong);
    }
    Ok(fragment.to_string())
}

/// Replaces every occurrence of `fragment` in `text` by [`REDACTION_MARK`]; returns the new
/// text and how many occurrences were replaced.
///
/// The match is exact and case-sensitive, left to right, without overlaps. An occurrence that
/// lies partly or wholly inside an earlier [`REDACTION_MARK`] is skipped, so that redacting
/// "weg" twice cannot break a marker into "[[weggelaten]gelaten]". A match that contains whole
/// markers is fine. `fragment` must not be empty (see [`parse_fragment`]).
pub fn redact(text: &str, fragment: &str) -> (String, usize) {
    if fragment.is_empty() {
        return (text.to_string(), 0);
    }
    let marks: Vec<(usize, usize)> = text
        .match_indices(REDACTION_MARK)
        .map(|(start, m)| (start, start + m.len()))
        .collect();
    let breaks_a_mark = |start: usize, end: usize| {
        marks
            .iter()
            .any(|&(ms, me)| start < me && ms < end && !(start <= ms && me <= end))
    };
    let mut out = String::with_capacity(text.len());
    let mut copied = 0;
    let mut from = 0;
    let mut count = 0;
    while let Some(found) = text[from..].find(fragment) {
        let start = from + found;
        let end = start + fragment.len();
        if breaks_a_mark(start, end) {
            // Try again one character further on.
            let step = text[start..].chars().next().map_or(1, char::len_utf8);
            from = start + step;
            continue;
        }
        out.push_str(&text[copied..start]);
        out.push_str(REDACTION_MARK);
        copied = end;
        from = end;
        count += 1;
    }
    out.push_str(&text[copied..]);
    if out == text {
        // Replacing a marker by itself changes nothing: that is not a redaction.
        return (out, 0);
    }
    (out, count)
}

/// What becomes of a quote taken from a story when `fragment` is redacted in it: the same
/// redaction applied to the quote, if the result still occurs literally in the story's new
/// text; `None` when it does not (the fragment crossed the quote's edge, say), and then the
/// quote must go, because it may still hold part of what was removed.
pub fn redact_quote(quote: &str, fragment: &str, new_body: &str) -> Option<String> {
    let (text, _) = redact(quote, fragment);
    (!text.trim().is_empty() && new_body.contains(&text)).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_follows_the_redaction_of_its_story() {
        let body = "Ik ging met Jan naar school. Jan bleef.";
        let (new_body, _) = redact(body, "Jan");
        assert_eq!(
            redact_quote("met Jan naar school", "Jan", &new_body).as_deref(),
            Some("met [weggelaten] naar school")
        );
        assert_eq!(
            redact_quote("naar school.", "Jan", &new_body).as_deref(),
            Some("naar school.")
        );
        // The name crosses the quote's edge: the quote cannot be matched and must go.
        assert_eq!(redact_quote("an naar school", "Jan", &new_body), None);
    }

    #[test]
    fn replaces_every_exact_occurrence() {
        let (text, n) = redact("Jan zei tegen Jan: dag Jan.", "Jan");
        assert_eq!(
            text,
            "[weggelaten] zei tegen [weggelaten]: dag [weggelaten]."
        );
        assert_eq!(n, 3);
    }

    #[test]
    fn matching_is_case_sensitive() {
        let (text, n) = redact("jan en JAN en Jan", "Jan");
        assert_eq!(text, "jan en JAN en [weggelaten]");
        assert_eq!(n, 1);
        assert_eq!(redact("jan", "Jan"), ("jan".to_string(), 0));
    }

    #[test]
    fn occurrences_do_not_overlap() {
        assert_eq!(
            redact("aaaa", "aa"),
            ("[weggelaten][weggelaten]".to_string(), 2)
        );
        assert_eq!(redact("aaa", "aa"), ("[weggelaten]a".to_string(), 1));
    }

    #[test]
    fn empty_and_blank_fragments_are_refused() {
        assert_eq!(parse_fragment(""), Err(ModerationInputError::FragmentEmpty));
        assert_eq!(
            parse_fragment(" \t\n "),
            Err(ModerationInputError::FragmentEmpty)
        );
        assert_eq!(parse_fragment("  Jan de Vries "), Ok("Jan de Vries".into()));
        assert_eq!(
            parse_fragment(&"x".repeat(MAX_FRAGMENT_CHARS + 1)),
            Err(ModerationInputError::FragmentTooLong)
        );
        assert_eq!(redact("tekst", ""), ("tekst".to_string(), 0));
    }

    #[test]
    fn markers_are_never_broken() {
        let once = redact("Jan woont in Weggeloo.", "Jan").0;
        // "weg" appears only inside the marker (and "Weg" with a capital does not match).
        assert_eq!(redact(&once, "weg"), (once.clone(), 0));
        // A fragment that straddles a marker's edge is skipped there, found elsewhere.
        let (text, n) = redact("[weggelaten]x en ]x", "]x");
        assert_eq!(text, "[weggelaten]x en [weggelaten]");
        assert_eq!(n, 1);
        // The marker itself changes nothing.
        assert_eq!(redact(&once, REDACTION_MARK), (once.clone(), 0));
        // A fragment that contains a whole marker may replace it.
        let (text, n) = redact("Jan [weggelaten] uit Gouda", "[weggelaten] uit Gouda");
        assert_eq!(text, "Jan [weggelaten]");
        assert_eq!(n, 1);
    }

    #[test]
    fn unicode_text_and_fragments() {
        let (text, n) = redact("Zoë en Zoë 🙂 gingen naar Zoë’s school", "Zoë");
        assert_eq!(
            text,
            "[weggelaten] en [weggelaten] 🙂 gingen naar [weggelaten]’s school"
        );
        assert_eq!(n, 3);
        let (text, n) = redact("🙂🙂🙂", "🙂🙂");
        assert_eq!(text, "[weggelaten]🙂");
        assert_eq!(n, 1);
        // Skipping past a marker edge steps over whole characters.
        let (text, n) = redact("é[weggelaten]é", "]é");
        assert_eq!(text, "é[weggelaten]é");
        assert_eq!(n, 0);
    }

    #[test]
    fn hide_reasons_are_trimmed_and_limited() {
        assert_eq!(
            parse_hide_reason("  Noemt een\nhulpverlener bij naam "),
            Ok("Noemt een hulpverlener bij naam".into())
        );
        assert_eq!(
            parse_hide_reason(" \n "),
            Err(ModerationInputError::ReasonEmpty)
        );
        assert!(parse_hide_reason(&"é".repeat(MAX_HIDE_REASON_CHARS)).is_ok());
        assert_eq!(
            parse_hide_reason(&"é".repeat(MAX_HIDE_REASON_CHARS + 1)),
            Err(ModerationInputError::ReasonTooLong)
        );
    }
}
