//! Which stories an analysis looks at: the filters of the dashboard, the pattern page, the
//! story browser and the command line, applied to a project's [`ProjectData`].

use super::{AnalysisError, ProjectData};
use crate::analysis::Condition;

/// Filters on the same question are alternatives (OR); filters on different questions must
/// all hold (AND). A multichoice option is chosen by its question key and option key, like a
/// choice (`hulp=wachtlijst`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoryFilter {
    /// (question key, `rol` or a derived property; option key)
    pub answers: Vec<(String, String)>,
    /// (slider or number key, lowest, highest), both ends included.
    pub ranges: Vec<(String, f64, f64)>,
    /// Told at or after this moment (Unix seconds).
    pub from: Option<i64>,
    /// Told before this moment.
    pub until: Option<i64>,
    pub version: Option<i32>,
    /// This questionnaire version and later ones (e.g. the stories that record an untouched
    /// slider as not answered).
    pub min_version: Option<i32>,
    pub complete_only: bool,
}

impl StoryFilter {
    /// Narrows to one storyteller role (nothing when `role` is empty).
    pub fn add_role(&mut self, role: &str) {
        let role = role.trim();
        if !role.is_empty() {
            self.answers.push(("rol".into(), role.to_string()));
        }
    }

    /// Parses `key=option` arguments.
    pub fn with_answers(mut self, pairs: &[String]) -> Result<Self, AnalysisError> {
        for pair in pairs {
            match pair.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() && !v.trim().is_empty() => self
                    .answers
                    .push((k.trim().to_string(), v.trim().to_string())),
                _ => return Err(AnalysisError::BadFilter(pair.clone())),
            }
        }
        Ok(self)
    }

    /// A stable text for this filter: the same for filters that select the same stories
    /// whatever the order of their parts (used as a cache key).
    pub fn canonical(&self) -> String {
        let mut answers = self.answers.clone();
        answers.sort();
        answers.dedup();
        let mut ranges: Vec<String> = self
            .ranges
            .iter()
            .map(|(k, low, high)| format!("{k}:{low}-{high}"))
            .collect();
        ranges.sort();
        format!(
            "{answers:?}|{ranges:?}|{:?}|{:?}|{:?}|{:?}|{}",
            self.from, self.until, self.version, self.min_version, self.complete_only
        )
    }

    /// The filter in words, for file headers and the audit log ("alle verhalen" when empty).
    pub fn describe(&self) -> String {
        let day = |t: i64| crate::exchange::timestamp::format_utc(t)[..10].to_string();
        let mut parts: Vec<String> = self
            .answers
            .iter()
            .map(|(key, option)| format!("{key}={option}"))
            .collect();
        parts.extend(
            self.ranges
                .iter()
                .map(|(key, low, high)| format!("{key}={low}-{high}")),
        );
        if let Some(from) = self.from {
            parts.push(format!("vanaf {}", day(from)));
        }
        if let Some(until) = self.until {
            parts.push(format!("voor {}", day(until)));
        }
        if let Some(version) = self.version {
            parts.push(format!("versie {version}"));
        }
        if let Some(version) = self.min_version {
            parts.push(format!("vanaf versie {version}"));
        }
        if self.complete_only {
            parts.push("alleen volledige verhalen".into());
        }
        if parts.is_empty() {
            "alle verhalen".into()
        } else {
            parts.join(", ")
        }
    }

    /// Leaves out the answer filters and ranges that name no question or option of this
    /// project (a link from before the questionnaire changed, a typo in a URL) and returns
    /// them as `key=option`, so that a page can say which were left out.
    pub fn drop_unknown(&mut self, data: &ProjectData) -> Vec<String> {
        let mut dropped = Vec::new();
        self.answers.retain(|(key, option)| {
            let single = StoryFilter {
                answers: vec![(key.clone(), option.clone())],
                ..Default::default()
            };
            let known = single
                .conditions(data)
                .is_ok_and(|c| c.iter().all(|c| data.dataset.check(c).is_ok()));
            if !known {
                dropped.push(format!("{key}={option}"));
            }
            known
        });
        self.ranges.retain(|(key, low, high)| {
            let known = data
                .dataset
                .check(&Condition::Between {
                    key: key.clone(),
                    low: *low,
                    high: *high,
                })
                .is_ok();
            if !known {
                dropped.push(format!("{key}={low}-{high}"));
            }
            known
        });
        dropped
    }

    /// The answer filters as conditions on the dataset, grouped per question.
    fn conditions(&self, data: &ProjectData) -> Result<Vec<Condition>, AnalysisError> {
        let mut groups: Vec<(&str, Vec<(String, String)>)> = Vec::new();
        for (key, option) in &self.answers {
            // A multichoice option is a yes/no variable of its own in the dataset.
            let alternative = match data.dataset.variable(key) {
                Some(_) => (key.clone(), option.clone()),
                None => {
                    let own = format!("{key}__{option}");
                    if data.dataset.variable(&own).is_none() {
                        return Err(AnalysisError::UnknownFilter(format!("{key}={option}")));
                    }
                    (own, "ja".to_string())
                }
            };
            match groups.iter_mut().find(|(k, _)| *k == key.as_str()) {
                Some((_, alternatives)) => alternatives.push(alternative),
                None => groups.push((key, vec![alternative])),
            }
        }
        let mut conditions: Vec<Condition> = groups
            .into_iter()
            .map(|(_, alternatives)| Condition::AnyOf(alternatives))
            .collect();
        conditions.extend(
            self.ranges
                .iter()
                .map(|(key, low, high)| Condition::Between {
                    key: key.clone(),
                    low: *low,
                    high: *high,
                }),
        );
        Ok(conditions)
    }

    /// Which of the project's stories pass.
    pub(super) fn select(&self, data: &ProjectData) -> Result<Vec<bool>, AnalysisError> {
        let mut keep = data
            .dataset
            .matching(&self.conditions(data)?)
            .map_err(|e| AnalysisError::UnknownFilter(e.0))?;
        for (k, story) in keep.iter_mut().zip(&data.stories) {
            *k = *k
                && (!self.complete_only || story.complete)
                && self.from.is_none_or(|f| story.created_at >= f)
                && self.until.is_none_or(|u| story.created_at < u)
                && self.version.is_none_or(|v| story.version == v)
                && self.min_version.is_none_or(|v| story.version >= v);
        }
        Ok(keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_canonical_form_ignores_order_and_repetition() {
        let a = StoryFilter {
            answers: vec![("rol".into(), "ouder".into()), ("hulp".into(), "x".into())],
            ..Default::default()
        };
        let b = StoryFilter {
            answers: vec![
                ("hulp".into(), "x".into()),
                ("rol".into(), "ouder".into()),
                ("hulp".into(), "x".into()),
            ],
            ..Default::default()
        };
        assert_eq!(a.canonical(), b.canonical());
        let c = StoryFilter {
            complete_only: true,
            ..a.clone()
        };
        assert_ne!(a.canonical(), c.canonical());
    }

    #[test]
    fn a_filter_is_described_in_words() {
        assert_eq!(StoryFilter::default().describe(), "alle verhalen");
        let f = StoryFilter {
            answers: vec![("rol".into(), "ouder".into())],
            ranges: vec![("gehoord".into(), 0.0, 40.0)],
            from: Some(1_767_225_600),
            complete_only: true,
            ..Default::default()
        };
        assert_eq!(
            f.describe(),
            "rol=ouder, gehoord=0-40, vanaf 2026-01-01, alleen volledige verhalen"
        );
    }

    #[test]
    fn command_line_filters_need_a_key_and_a_value() {
        let ok = StoryFilter::default()
            .with_answers(&["rol = ouder".to_string()])
            .unwrap();
        assert_eq!(ok.answers, [("rol".to_string(), "ouder".to_string())]);
        for bad in ["rol", "=ouder", "rol=", " = "] {
            assert!(StoryFilter::default()
                .with_answers(&[bad.to_string()])
                .is_err());
        }
    }
}
