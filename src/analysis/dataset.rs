//! The input of a scan: per question, one answer (or none) per story, in story order.
//! Built by the service layer from stored stories; the engine never sees story text.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionLabel {
    pub key: String,
    pub label: String,
}

/// One question (or derived property) across all stories of the dataset.
#[derive(Debug, Clone, PartialEq)]
pub enum Variable {
    /// A slider 0–100; `None` is "niet van toepassing" or no answer — never a value.
    Slider {
        key: String,
        label: String,
        left: String,
        right: String,
        values: Vec<Option<u8>>,
    },
    /// Another number, e.g. the story's length in words.
    Numeric {
        key: String,
        label: String,
        values: Vec<Option<f64>>,
    },
    /// One choice out of `options` (an index into it). A multichoice question enters as one
    /// yes/no choice per option.
    Choice {
        key: String,
        label: String,
        options: Vec<OptionLabel>,
        values: Vec<Option<u16>>,
    },
}

impl Variable {
    pub fn key(&self) -> &str {
        match self {
            Variable::Slider { key, .. }
            | Variable::Numeric { key, .. }
            | Variable::Choice { key, .. } => key,
        }
    }

    pub fn label(&self) -> &str {
        match self {
            Variable::Slider { label, .. }
            | Variable::Numeric { label, .. }
            | Variable::Choice { label, .. } => label,
        }
    }

    /// The value as a number, for sliders and numbers.
    pub fn number(&self, story: usize) -> Option<f64> {
        match self {
            Variable::Slider { values, .. } => values.get(story).copied().flatten().map(f64::from),
            Variable::Numeric { values, .. } => values.get(story).copied().flatten(),
            Variable::Choice { .. } => None,
        }
    }

    pub fn is_numeric(&self) -> bool {
        !matches!(self, Variable::Choice { .. })
    }
}

/// The stories of one project (after filtering), question by question.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub stories: usize,
    pub variables: Vec<Variable>,
}

impl Dataset {
    pub fn variable(&self, key: &str) -> Option<&Variable> {
        self.variables.iter().find(|v| v.key() == key)
    }
}
