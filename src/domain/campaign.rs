//! The campaign kit (issue 23, item 1): posters, flyers and invitation texts that bring
//! tellers to a vertelpunt. Which texts there are, how long each may be, which need the link,
//! the formats printed, and the links the kit points to. Pure: the texts themselves come from
//! the language files (defaults) and the store (a begeleider's changes).

/// The one placeholder a kit text may hold: replaced by the vertelpunt's (or a place's) link.
pub const LINK: &str = "{link}";

/// Where the default texts come from: the interface's language files (`campaign.*` keys),
/// which fall back to Dutch for a key a language lacks (`render::i18n::Catalogs`).
pub trait Wording {
    fn wording(&self, lang: &str, key: &str) -> String;
}

/// One editable text of the kit, for one role in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    PosterTitle,
    PosterText,
    Action,
    MailSubject,
    MailBody,
    Newsletter,
    Chat,
    Social,
}

pub const FIELDS: [Field; 8] = [
    Field::PosterTitle,
    Field::PosterText,
    Field::Action,
    Field::MailSubject,
    Field::MailBody,
    Field::Newsletter,
    Field::Chat,
    Field::Social,
];

/// Where a text is used: printed on the poster and flyer, or sent as an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    Print,
    Invitation,
}

impl Field {
    /// The key in the store, the form and the language files (`campaign.{role}.{key}`).
    pub fn key(self) -> &'static str {
        match self {
            Field::PosterTitle => "poster_title",
            Field::PosterText => "poster_text",
            Field::Action => "action",
            Field::MailSubject => "mail_subject",
            Field::MailBody => "mail_body",
            Field::Newsletter => "newsletter",
            Field::Chat => "chat",
            Field::Social => "social",
        }
    }

    pub fn parse(key: &str) -> Option<Field> {
        FIELDS.into_iter().find(|f| f.key() == key)
    }

    /// What the begeleider sees above the field.
    pub fn label(self) -> &'static str {
        match self {
            Field::PosterTitle => "Kop van poster en flyer",
            Field::PosterText => "Tekst op poster en flyer",
            Field::Action => "Oproep boven de QR-code",
            Field::MailSubject => "Onderwerp van de e-mail",
            Field::MailBody => "Tekst van de e-mail",
            Field::Newsletter => "Stukje voor een nieuwsbrief",
            Field::Chat => "Kort bericht voor chat (WhatsApp, Signal)",
            Field::Social => "Bericht voor sociale media",
        }
    }

    pub fn usage(self) -> Use {
        match self {
            Field::PosterTitle | Field::PosterText | Field::Action => Use::Print,
            _ => Use::Invitation,
        }
    }

    /// The most characters the text may have: what still fits the poster at its type size,
    /// or what a channel takes (a chat message is read on a lock screen, a social post has
    /// a limit of its own).
    pub fn max_chars(self) -> usize {
        match self {
            Field::PosterTitle => 60,
            Field::PosterText => 320,
            Field::Action => 40,
            Field::MailSubject => 100,
            Field::MailBody => 2000,
            Field::Newsletter => 1500,
            Field::Chat => 300,
            Field::Social => 280,
        }
    }

    /// Whether the text is useless without the link: every invitation. Poster and flyer
    /// print the link and the QR code themselves.
    pub fn needs_link(self) -> bool {
        self.usage() == Use::Invitation && self != Field::MailSubject
    }

    /// Whether the text may have more than one line (a single-line field keeps one).
    pub fn multiline(self) -> bool {
        matches!(
            self,
            Field::PosterText | Field::MailBody | Field::Newsletter | Field::Chat | Field::Social
        )
    }
}

/// The default texts of a role come from the language files under this key: the three roles
/// every project starts with have their own, any other role gets the general texts.
pub fn default_role_key(role: &str) -> &'static str {
    match role {
        "jongere" => "jongere",
        "ouder" => "ouder",
        "professional" => "professional",
        _ => "algemeen",
    }
}

/// Whom the material of a role is for, as the begeleider reads it on the kit's pages ("Poster
/// voor Jongeren"): the three roles every project starts with by their group's name, any other
/// role by its label in the questionnaire.
pub fn audience(role: &str, label: &str) -> String {
    match role {
        "jongere" => "Jongeren".into(),
        "ouder" => "Ouders en verzorgers".into(),
        "professional" => "Professionals".into(),
        _ => label.to_string(),
    }
}

/// The language-file key of a field's default text for a role.
pub fn default_text_key(role: &str, field: Field) -> String {
    format!("campaign.{}.{}", default_role_key(role), field.key())
}

/// A text as a begeleider typed it, cleaned (line ends made `\n`, spaces at the ends of
/// lines and of the whole removed, a single-line field on one line), or why it cannot be used.
/// An empty text is `Ok("")`: it means "use the default".
pub fn clean_text(field: Field, raw: &str) -> Result<String, String> {
    let unified = raw.replace("\r\n", "\n").replace('\r', "\n");
    let text = if field.multiline() {
        let lines: Vec<&str> = unified.lines().map(str::trim_end).collect();
        lines.join("\n").trim().to_string()
    } else {
        unified.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    if text.is_empty() {
        return Ok(text);
    }
    let count = text.chars().count();
    if count > field.max_chars() {
        return Err(format!(
            "Deze tekst is {count} tekens lang. Dat mogen er hoogstens {} zijn.",
            field.max_chars()
        ));
    }
    if let Some(other) = placeholders(&text).into_iter().find(|p| *p != LINK) {
        return Err(format!(
            "{other} kunnen we niet invullen. Alleen {LINK} wordt vervangen door de link."
        ));
    }
    if field.needs_link() && !text.contains(LINK) {
        return Err(format!(
            "Zet {LINK} in de tekst. Daar komt de link naar het vertelpunt te staan."
        ));
    }
    if !field.needs_link() && text.contains(LINK) {
        return Err(format!(
            "Laat {LINK} hier weg. De link en de QR-code staan al op de poster en de flyer."
        ));
    }
    Ok(text)
}

/// Every `{name}` in a text: a brace, letters, digits or `_`, a brace (anything else in
/// braces, or a brace without its partner, is just text).
fn placeholders(text: &str) -> Vec<&str> {
    let mut found = Vec::new();
    for (start, _) in text.match_indices('{') {
        let after = &text[start + 1..];
        let name_len = after
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if name_len > 0 && after[name_len..].starts_with('}') {
            found.push(&text[start..start + name_len + 2]);
        }
    }
    found
}

/// A text with the link filled in.
pub fn fill(text: &str, link: &str) -> String {
    text.replace(LINK, link)
}

/// A printed format of the kit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    PosterA3,
    PosterA4,
    FlyerA5,
}

pub const FORMATS: [Format; 3] = [Format::PosterA3, Format::PosterA4, Format::FlyerA5];

impl Format {
    /// In URLs and file names.
    pub fn key(self) -> &'static str {
        match self {
            Format::PosterA3 => "poster-a3",
            Format::PosterA4 => "poster-a4",
            Format::FlyerA5 => "flyer-a5",
        }
    }

    pub fn parse(key: &str) -> Option<Format> {
        FORMATS.into_iter().find(|f| f.key() == key)
    }

    pub fn label(self) -> &'static str {
        match self {
            Format::PosterA3 => "Poster A3",
            Format::PosterA4 => "Poster A4",
            Format::FlyerA5 => "Flyer A5",
        }
    }

    /// Width and height in points, portrait (ISO 216, rounded to whole points).
    pub fn size(self) -> (f32, f32) {
        match self {
            Format::PosterA3 => (842.0, 1191.0),
            Format::PosterA4 => (595.0, 842.0),
            Format::FlyerA5 => (420.0, 595.0),
        }
    }
}

/// The link tellers open for a project, in a language, from a place: the landing page, with
/// `?taal=` for another language than Dutch, or a place's short link (which counts the place
/// and then opens the landing page). `base` is the installation's address without a slash at
/// the end.
pub fn link(base: &str, project: &str, language: &str, place: Option<&str>) -> String {
    let mut link = match place {
        Some(code) => format!("{base}/v/{project}/p/{code}"),
        None => format!("{base}/v/{project}"),
    };
    if language != super::translations::SOURCE_LANGUAGE {
        link.push_str("?taal=");
        link.push_str(language);
    }
    link
}

/// A link as it is printed for typing: without `https://` (every phone adds it) and without a
/// slash at the end. `http://` stays, because a phone would not guess it.
pub fn printed(link: &str) -> &str {
    link.strip_prefix("https://")
        .unwrap_or(link)
        .trim_end_matches('/')
}

/// A file-name part from a name: lower-case letters and digits joined by `-`.
pub fn file_part(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() {
        "plek".to_string()
    } else {
        out.chars().take(40).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip_and_only_invitations_need_the_link() {
        for f in FIELDS {
            assert_eq!(Field::parse(f.key()), Some(f));
        }
        assert_eq!(Field::parse("poster"), None);
        let needing: Vec<&str> = FIELDS
            .iter()
            .filter(|f| f.needs_link())
            .map(|f| f.key())
            .collect();
        assert_eq!(needing, ["mail_body", "newsletter", "chat", "social"]);
    }

    #[test]
    fn an_empty_text_means_the_default_and_a_text_is_cleaned() {
        assert_eq!(clean_text(Field::PosterTitle, "  \n "), Ok(String::new()));
        assert_eq!(
            clean_text(Field::PosterTitle, "  Hoe  was\r\njouw hulp? "),
            Ok("Hoe was jouw hulp?".into())
        );
        assert_eq!(
            clean_text(Field::MailBody, "Hoi,  \r\n\r\nKijk op {link}  \n\n"),
            Ok("Hoi,\n\nKijk op {link}".into())
        );
    }

    #[test]
    fn bad_texts_are_refused_with_a_reason() {
        let long = "a".repeat(61);
        let refused = clean_text(Field::PosterTitle, &long).unwrap_err();
        assert!(
            refused.contains("61 tekens") && refused.contains("60"),
            "{refused}"
        );
        // Exactly at the limit, counted in characters not bytes.
        assert!(clean_text(Field::PosterTitle, &"é".repeat(60)).is_ok());
        let without = clean_text(Field::Chat, "Vertel je verhaal!").unwrap_err();
        assert!(without.contains("{link}"), "{without}");
        let unknown = clean_text(Field::Chat, "Ga naar {lnk} of {link}").unwrap_err();
        assert!(unknown.starts_with("{lnk}"), "{unknown}");
        let printed = clean_text(Field::PosterText, "Ga naar {link}").unwrap_err();
        assert!(printed.contains("Laat {link} hier weg"), "{printed}");
        // A brace without its partner is just a character.
        assert!(clean_text(Field::Chat, "Smiley :-{ {link}").is_ok());
    }

    #[test]
    fn roles_without_their_own_defaults_get_the_general_ones() {
        assert_eq!(
            default_text_key("ouder", Field::Chat),
            "campaign.ouder.chat"
        );
        assert_eq!(
            default_text_key("ik_ben_pleegouder", Field::PosterTitle),
            "campaign.algemeen.poster_title"
        );
    }

    #[test]
    fn links_carry_the_language_and_the_place() {
        let base = "https://vertelpunt.example.nl";
        assert_eq!(
            link(base, "jeugd", "nl", None),
            "https://vertelpunt.example.nl/v/jeugd"
        );
        assert_eq!(
            link(base, "jeugd", "ar", Some("k3x9ab")),
            "https://vertelpunt.example.nl/v/jeugd/p/k3x9ab?taal=ar"
        );
        assert_eq!(
            printed("https://vertelpunt.example.nl/v/jeugd"),
            "vertelpunt.example.nl/v/jeugd"
        );
        assert_eq!(
            printed("http://127.0.0.1:8080/v/demo"),
            "http://127.0.0.1:8080/v/demo"
        );
    }

    #[test]
    fn formats_are_iso_portrait_sizes() {
        for f in FORMATS {
            assert_eq!(Format::parse(f.key()), Some(f));
            let (w, h) = f.size();
            assert!(h > w);
            // ISO 216: the height over the width is √2, to within rounding.
            assert!((h / w - std::f32::consts::SQRT_2).abs() < 0.01);
        }
        assert_eq!(Format::parse("poster-a2"), None);
    }

    #[test]
    fn file_parts_are_safe() {
        assert_eq!(
            file_part("Wachtkamer huisarts Beek"),
            "wachtkamer-huisarts-beek"
        );
        assert_eq!(file_part("École / Über"), "cole-ber");
        assert_eq!(file_part("???"), "plek");
    }
}
