//! Pure types and rules of Vertelpunt: questionnaires, answers, stories, completeness and the
//! codes people type. No HTTP and no SQL in here; everything is testable on its own.

pub mod accounts;
pub mod anonymise;
pub mod answer;
pub mod campaign;
pub mod codes;
pub mod moderation;
pub mod modules;
pub mod observation;
pub mod privacy;
pub mod project;
pub mod project_form;
pub mod questionnaire;
pub mod questionnaire_edit;
pub mod response;
pub mod search;
pub mod sensemaking;
pub mod smallcell;
pub mod story;
pub mod story_table;
pub mod throttle;
pub mod translation_file;
pub mod translations;
pub mod triage;

pub use answer::{Answer, Answers, SliderValue};
pub use project::{CompletenessRule, HelpLine, Project, ProjectSettings};
pub use questionnaire::{Question, QuestionType, Questionnaire, Role};
pub use story::{FieldError, Problem, RawSubmission, ValidStory};

/// How a story reached Vertelpunt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Online,
    Verteltafel,
    Import,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Verteltafel => "verteltafel",
            Channel::Import => "import",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "online" => Some(Channel::Online),
            "verteltafel" => Some(Channel::Verteltafel),
            "import" => Some(Channel::Import),
            _ => None,
        }
    }
}
