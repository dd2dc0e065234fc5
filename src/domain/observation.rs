//! Observaties: a strong pattern written up for a duidingssessie — an objective description,
//! two opposing interpretations to start the conversation, typical stories and quotes.

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
pub const MIN_QUOTE: usize = 10;
pub const MAX_QUOTE: usize = 400;

/// The texts of an observation as typed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ObservationText {
    pub title: String,
    pub description: String,
    pub interpretation_a: String,
    pub interpretation_b: String,
    pub notes: String,
    pub theme: String,
}

fn too_long(field: &'static str, what: &str, value: &str, max: usize) -> Option<FieldProblem> {
    (value.chars().count() > max).then(|| FieldProblem {
        field,
        message: format!("{what} is te lang. Gebruik ten hoogste {max} tekens."),
    })
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
    /// Trims every field.
    pub fn trimmed(self) -> Self {
        ObservationText {
            title: self.title.trim().to_string(),
            description: self.description.trim().to_string(),
            interpretation_a: self.interpretation_a.trim().to_string(),
            interpretation_b: self.interpretation_b.trim().to_string(),
            notes: self.notes.trim().to_string(),
            theme: self.theme.trim().to_string(),
        }
    }

    /// Checks the texts for saving with `status`. A card is only ready with two different
    /// interpretations: they are what starts the conversation at the table.
    pub fn check(&self, status: ObservationStatus) -> Vec<FieldProblem> {
        let mut problems: Vec<FieldProblem> = [
            too_long("titel", "De titel", &self.title, MAX_TITLE),
            too_long(
                "beschrijving",
                "De beschrijving",
                &self.description,
                MAX_DESCRIPTION,
            ),
            too_long(
                "duiding_a",
                "De eerste duiding",
                &self.interpretation_a,
                MAX_INTERPRETATION,
            ),
            too_long(
                "duiding_b",
                "De tweede duiding",
                &self.interpretation_b,
                MAX_INTERPRETATION,
            ),
            too_long("notities", "De notities", &self.notes, MAX_NOTES),
            too_long("thema", "Het thema", &self.theme, MAX_THEME),
        ]
        .into_iter()
        .flatten()
        .collect();
        if self.title.chars().count() < 3 {
            problems.push(FieldProblem {
                field: "titel",
                message: "Geef de observatie een titel van minstens 3 tekens.".into(),
            });
        }
        if status != ObservationStatus::Concept {
            if self.interpretation_a.is_empty() || self.interpretation_b.is_empty() {
                problems.push(FieldProblem {
                    field: if self.interpretation_a.is_empty() {
                        "duiding_a"
                    } else {
                        "duiding_b"
                    },
                    message: "Schrijf twee duidingen voordat de kaart klaar is: twee manieren om het patroon te begrijpen die tegen elkaar in gaan.".into(),
                });
            } else if same_text(&self.interpretation_a, &self.interpretation_b) {
                problems.push(FieldProblem {
                    field: "duiding_b",
                    message: "De twee duidingen zijn hetzelfde. Schrijf een tweede duiding die er tegenin gaat.".into(),
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
        ObservationText {
            title: "Wachten op hulp".into(),
            description: "Ouders wachten langer.".into(),
            interpretation_a: a.into(),
            interpretation_b: b.into(),
            ..Default::default()
        }
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
