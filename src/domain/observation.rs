//! Observaties: a strong pattern written up for a duidingssessie — an objective description,
//! two or more different interpretations to start the conversation (at most
//! [`MAX_INTERPRETATIONS`]), typical stories and quotes — and the themes that group them.

use super::project_form::FieldProblem;
use serde::Serialize;

/// Where an observation is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationStatus {
    /// Being written.
    Concept,
    /// Ready to print and use at a table.
    Klaar,
    /// Used in a duidingssessie.
    Gebruikt,
}

impl ObservationStatus {
    pub const ALL: [ObservationStatus; 3] = [Self::Concept, Self::Klaar, Self::Gebruikt];

    pub fn key(self) -> &'static str {
        match self {
            Self::Concept => "concept",
            Self::Klaar => "klaar",
            Self::Gebruikt => "gebruikt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Concept => "Concept",
            Self::Klaar => "Klaar voor een sessie",
            Self::Gebruikt => "Gebruikt in een sessie",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key.trim())
    }
}

pub const MAX_TITLE: usize = 150;
pub const MAX_DESCRIPTION: usize = 3000;
pub const MAX_INTERPRETATION: usize = 1000;
pub const MAX_NOTES: usize = 3000;
pub const MAX_THEME: usize = 100;
/// A ready card has at least this many interpretations: the conversation at the table starts
/// from two ways of reading the pattern that go against each other.
pub const MIN_INTERPRETATIONS: usize = 2;
/// At most this many interpretations on one card: more do not fit the printed card beside
/// its chart, and more than five ways of reading one pattern is no longer a conversation
/// starter.
pub const MAX_INTERPRETATIONS: usize = 5;
/// The form fields of the interpretations, in their order ("Duiding 1" is `duiding_a`).
pub const INTERPRETATION_FIELDS: [&str; MAX_INTERPRETATIONS] = [
    "duiding_a",
    "duiding_b",
    "duiding_c",
    "duiding_d",
    "duiding_e",
];
pub const MIN_QUOTE: usize = 10;
pub const MAX_QUOTE: usize = 400;

/// The texts of an observation as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ObservationText {
    pub title: String,
    pub description: String,
    /// Every interpretation in its order: the first two are the required ones (empty while
    /// not written), then the extra ones. As typed, a slot may be empty; [`Self::trimmed`]
    /// drops empty extra slots.
    pub interpretations: Vec<String>,
    pub notes: String,
    pub theme: String,
}

fn too_long(field: &'static str, what: &str, value: &str, max: usize) -> Option<FieldProblem> {
    (value.chars().count() > max).then(|| FieldProblem {
        field,
        message: format!("{what} is te lang. Gebruik ten hoogste {max} tekens."),
    })
}

/// The key a theme is compared by: without white space at the ends or doubled inside, and in
/// lower case, so that "School" and "school " are one theme.
pub fn theme_key(theme: &str) -> String {
    theme
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether two theme names are the same theme.
pub fn same_theme(a: &str, b: &str) -> bool {
    theme_key(a) == theme_key(b)
}

/// Groups `items` by their theme (see [`theme_key`]), keeping each group's items in their
/// order. A group is named by the spelling most of its items use (on a tie, the first one
/// met); groups are sorted by name, and items without a theme come last in a group with an
/// empty name.
pub fn group_by_theme<T>(items: Vec<T>, theme: impl Fn(&T) -> &str) -> Vec<(String, Vec<T>)> {
    let mut groups: Vec<(String, Vec<String>, Vec<T>)> = Vec::new();
    for item in items {
        let name = theme(&item)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let key = name.to_lowercase();
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, names, members)) => {
                names.push(name);
                members.push(item);
            }
            None => groups.push((key, vec![name], vec![item])),
        }
    }
    let mut named: Vec<(String, String, Vec<T>)> = groups
        .into_iter()
        .map(|(key, names, members)| {
            let count = |n: &String| names.iter().filter(|m| *m == n).count();
            let mut best = names[0].clone();
            for n in &names {
                if count(n) > count(&best) {
                    best = n.clone();
                }
            }
            (key, best, members)
        })
        .collect();
    named.sort_by(|(a, _, _), (b, _, _)| (a.is_empty(), a).cmp(&(b.is_empty(), b)));
    named
        .into_iter()
        .map(|(_, name, members)| (name, members))
        .collect()
}

fn same_text(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

impl ObservationText {
    /// Trims every field (a theme also loses doubled white space inside) and leaves out
    /// extra interpretations that are empty; the two required slots stay, empty or not.
    pub fn trimmed(self) -> Self {
        let mut interpretations: Vec<String> = self
            .interpretations
            .iter()
            .map(|t| t.trim().to_string())
            .enumerate()
            .filter(|(i, t)| *i < MIN_INTERPRETATIONS || !t.is_empty())
            .map(|(_, t)| t)
            .collect();
        interpretations.resize(
            interpretations.len().max(MIN_INTERPRETATIONS),
            String::new(),
        );
        ObservationText {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            interpretations,
            notes: self.notes.trim().to_string(),
            theme: self.theme.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }

    /// The interpretation at `i` (0-based), empty when there is none.
    pub fn interpretation(&self, i: usize) -> &str {
        self.interpretations.get(i).map_or("", String::as_str)
    }

    /// Checks the texts for saving with `status`. A card is only ready with at least two
    /// interpretations: they are what starts the conversation at the table. However many
    /// there are (at most [`MAX_INTERPRETATIONS`]), no two may say the same, also in a
    /// concept.
    pub fn check(&self, status: ObservationStatus) -> Vec<FieldProblem> {
        let mut problems: Vec<FieldProblem> = [
            too_long("titel", "De titel", &self.title, MAX_TITLE),
            too_long(
                "beschrijving",
                "De beschrijving",
                &self.description,
                MAX_DESCRIPTION,
            ),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.interpretations.len() > MAX_INTERPRETATIONS {
            problems.push(FieldProblem {
                field: INTERPRETATION_FIELDS[MAX_INTERPRETATIONS - 1],
                message: format!(
                    "Een kaart heeft ten hoogste {MAX_INTERPRETATIONS} duidingen. Haal er een weg."
                ),
            });
        }
        for (i, (text, field)) in self
            .interpretations
            .iter()
            .zip(INTERPRETATION_FIELDS)
            .enumerate()
        {
            let what = format!("Duiding {}", i + 1);
            problems.extend(too_long(field, &what, text, MAX_INTERPRETATION));
            let earlier = self.interpretations[..i]
                .iter()
                .position(|e| !e.is_empty() && same_text(e, text));
            if let (Some(e), false) = (earlier, text.is_empty()) {
                problems.push(FieldProblem {
                    field,
                    message: format!(
                        "Duiding {} is hetzelfde als duiding {}. Elke duiding is een andere manier om het patroon te begrijpen: schrijf iets anders of haal deze weg.",
                        i + 1,
                        e + 1
                    ),
                });
            }
        }
        problems.extend(
            [
                too_long("notities", "De notities", &self.notes, MAX_NOTES),
                too_long("thema", "Het thema", &self.theme, MAX_THEME),
            ]
            .into_iter()
            .flatten(),
        );
        if self.title.chars().count() < 3 {
            problems.push(FieldProblem {
                field: "titel",
                message: "Geef de observatie een titel van minstens 3 tekens.".into(),
            });
        }
        if status != ObservationStatus::Concept {
            let missing = (0..MIN_INTERPRETATIONS).find(|&i| self.interpretation(i).is_empty());
            if let Some(i) = missing {
                problems.push(FieldProblem {
                    field: INTERPRETATION_FIELDS[i],
                    message: "Schrijf minstens twee duidingen voordat de kaart klaar is: twee manieren om het patroon te begrijpen die tegen elkaar in gaan.".into(),
                });
            }
            if self.description.is_empty() {
                problems.push(FieldProblem {
                    field: "beschrijving",
                    message: "Beschrijf wat het patroon laat zien voordat de kaart klaar is."
                        .into(),
                });
            }
        }
        problems
    }
}

/// Why a quote cannot be taken from a story.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QuoteError {
    #[error("De verteller van dit verhaal wil niet dat eruit geciteerd wordt.")]
    NotAllowed,
    #[error("Een citaat is minstens {MIN_QUOTE} en hoogstens {MAX_QUOTE} tekens lang.")]
    Length,
    #[error("Dit stukje staat niet letterlijk in het verhaal. Kopieer het uit de tekst.")]
    NotInStory,
}

/// Collapses runs of white space, so that a fragment copied from a page (where line breaks
/// may differ) still matches the story.
fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks a quote against its story and returns it as it will be kept. Quotes are only taken
/// from stories whose teller allowed it, and must be literal fragments of the story.
pub fn check_quote(
    fragment: &str,
    story_text: &str,
    quotes_allowed: bool,
) -> Result<String, QuoteError> {
    if !quotes_allowed {
        return Err(QuoteError::NotAllowed);
    }
    let quote = squeeze(fragment);
    let length = quote.chars().count();
    if !(MIN_QUOTE..=MAX_QUOTE).contains(&length) {
        return Err(QuoteError::Length);
    }
    if !squeeze(story_text).contains(&quote) {
        return Err(QuoteError::NotInStory);
    }
    Ok(quote)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(a: &str, b: &str) -> ObservationText {
        texts(&[a, b])
    }

    fn texts(all: &[&str]) -> ObservationText {
        ObservationText {
            title: "Wachten op hulp".into(),
            description: "Ouders wachten langer.".into(),
            interpretations: all.iter().map(|t| t.to_string()).collect(),
            ..Default::default()
        }
    }

    fn fields(problems: &[FieldProblem]) -> Vec<&str> {
        problems.iter().map(|p| p.field).collect()
    }

    #[test]
    fn a_concept_may_be_unfinished_but_a_ready_card_needs_two_different_interpretations() {
        assert!(text("", "").check(ObservationStatus::Concept).is_empty());
        let missing = text("Het ligt aan de wachtlijsten.", "").check(ObservationStatus::Klaar);
        assert_eq!(missing[0].field, "duiding_b");
        let same = text("Het ligt aan X.", "  het ligt   aan x. ").check(ObservationStatus::Klaar);
        assert_eq!(same.len(), 1);
        assert!(same[0].message.contains("hetzelfde"));
        assert!(text("Het ligt aan X.", "Het ligt aan Y.")
            .check(ObservationStatus::Klaar)
            .is_empty());
        // Nothing at all, or only extra ones: the first two are still missing.
        let none = texts(&[]).check(ObservationStatus::Klaar);
        assert_eq!(fields(&none), ["duiding_a"]);
        assert!(none[0].message.contains("minstens twee"));
        let only_extra = texts(&["", "", "Het ligt aan Z."])
            .trimmed()
            .check(ObservationStatus::Klaar);
        assert_eq!(fields(&only_extra), ["duiding_a"]);
    }

    #[test]
    fn up_to_five_interpretations_each_different_from_all_others() {
        let five = ["Aan A.", "Aan B.", "Aan C.", "Aan D.", "Aan E."];
        assert!(texts(&five[..3]).check(ObservationStatus::Klaar).is_empty());
        assert!(texts(&five).check(ObservationStatus::Klaar).is_empty());
        let mut six = five.to_vec();
        six.push("Aan F.");
        let too_many = texts(&six).check(ObservationStatus::Concept);
        assert_eq!(fields(&too_many), ["duiding_e"]);
        assert!(too_many[0].message.contains("ten hoogste 5"));
        // A repeat of any earlier one is refused at its own field, naming the earlier one;
        // also in a concept, and also when case and spaces differ.
        let again = texts(&["Aan A.", "Aan B.", "Aan C.", "aan  b."]);
        for status in [ObservationStatus::Concept, ObservationStatus::Klaar] {
            let problems = again.check(status);
            assert_eq!(fields(&problems), ["duiding_d"], "{status:?}");
            assert!(problems[0]
                .message
                .contains("Duiding 4 is hetzelfde als duiding 2"));
        }
        // An extra one may be as long as the first two, not longer.
        let long = "x".repeat(MAX_INTERPRETATION + 1);
        let problems = texts(&["Aan A.", "Aan B.", &long]).check(ObservationStatus::Concept);
        assert_eq!(fields(&problems), ["duiding_c"]);
        assert!(problems[0].message.starts_with("Duiding 3 is te lang"));
    }

    #[test]
    fn trimming_drops_empty_extra_interpretations_but_keeps_the_two_required_slots() {
        let t = texts(&[" Aan A. ", "", "  ", "Aan D.\n", ""]).trimmed();
        assert_eq!(t.interpretations, ["Aan A.", "", "Aan D."]);
        assert_eq!(texts(&[]).trimmed().interpretations, ["", ""]);
        assert_eq!(t.interpretation(1), "");
        assert_eq!(t.interpretation(7), "");
    }

    #[test]
    fn themes_are_one_theme_whatever_their_case_and_spaces() {
        assert!(same_theme("School", "  school "));
        assert!(same_theme("Op  tijd", "op tijd"));
        assert!(same_theme("ÉÉN", "één"));
        assert!(!same_theme("School", "Scholen"));
        assert_eq!(theme_key("  Regie  en Inspraak "), "regie en inspraak");
        let mut t = texts(&[]);
        t.theme = "  Regie   en inspraak ".into();
        assert_eq!(t.trimmed().theme, "Regie en inspraak");
        let items = vec![
            ("a", "school "),
            ("b", ""),
            ("c", "School"),
            ("d", "Wachten"),
            ("e", "School"),
            ("f", "  "),
        ];
        let groups = group_by_theme(items, |(_, theme)| theme);
        let names: Vec<(&str, Vec<&str>)> = groups
            .iter()
            .map(|(name, members)| (name.as_str(), members.iter().map(|m| m.0).collect()))
            .collect();
        // Named by the spelling most use; without a theme last.
        assert_eq!(
            names,
            [
                ("School", vec!["a", "c", "e"]),
                ("Wachten", vec!["d"]),
                ("", vec!["b", "f"])
            ]
        );
    }

    #[test]
    fn titles_are_required_and_texts_have_limits() {
        let mut t = text("", "");
        t.title = "ab".into();
        assert_eq!(t.check(ObservationStatus::Concept)[0].field, "titel");
        t.title = "x".repeat(MAX_TITLE + 1);
        assert!(t.check(ObservationStatus::Concept)[0]
            .message
            .contains("te lang"));
        assert_eq!(
            ObservationStatus::parse(" klaar "),
            Some(ObservationStatus::Klaar)
        );
        assert_eq!(ObservationStatus::parse("weg"), None);
    }

    #[test]
    fn quotes_are_literal_fragments_of_stories_that_may_be_quoted() {
        let story = "We wachtten\nmaanden op hulp. Toen kwam er eindelijk iemand.";
        assert_eq!(
            check_quote("wachtten maanden op hulp", story, true),
            Ok("wachtten maanden op hulp".into())
        );
        assert_eq!(
            check_quote("wachtten maanden op hulp", story, false),
            Err(QuoteError::NotAllowed)
        );
        assert_eq!(check_quote("kort", story, true), Err(QuoteError::Length));
        assert_eq!(
            check_quote("wachtten weken op hulp", story, true),
            Err(QuoteError::NotInStory)
        );
    }
}
