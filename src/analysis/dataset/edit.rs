//! Changing a dataset story by story, so that a cached project follows new, changed and
//! withdrawn stories without being read again in full.

use super::{Codes, Dataset, OptionLabel, Replies, Variable};

/// The two datasets do not have the same questions in the same order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("de vragen van de gegevens komen niet overeen ({0})")]
pub struct OtherQuestions(pub String);

impl Dataset {
    /// Removes story `i` from every column.
    pub fn remove_story(&mut self, i: usize) {
        if i >= self.stories {
            return;
        }
        for variable in &mut self.variables {
            match variable {
                Variable::Slider { values, .. } => drop(values.remove(i)),
                Variable::Numeric { values, .. } => drop(values.remove(i)),
                Variable::Choice { values, .. } => drop(values.remove(i)),
            }
        }
        self.stories -= 1;
    }

    /// Inserts story `j` of `other` at position `at`. `other` must have the same questions in
    /// the same order (it was built from the same questionnaire). A choice is matched by its
    /// option key; an option this dataset lacks is added in key order — only the properties
    /// derived from the stories (month, channel, …) can lack one, and their options are kept in
    /// key order.
    pub fn insert_story(
        &mut self,
        at: usize,
        other: &Dataset,
        j: usize,
    ) -> Result<(), OtherQuestions> {
        if self.variables.len() != other.variables.len() {
            return Err(OtherQuestions(format!(
                "{} en {} vragen",
                self.variables.len(),
                other.variables.len()
            )));
        }
        let at = at.min(self.stories);
        for (mine, theirs) in self.variables.iter().zip(&other.variables) {
            let same_kind = std::mem::discriminant(mine) == std::mem::discriminant(theirs);
            if mine.key() != theirs.key() || !same_kind {
                return Err(OtherQuestions(format!(
                    "{} en {}",
                    mine.key(),
                    theirs.key()
                )));
            }
        }
        for (mine, theirs) in self.variables.iter_mut().zip(&other.variables) {
            match (mine, theirs) {
                (Variable::Slider { values, .. }, Variable::Slider { values: from, .. }) => {
                    values.insert(at, from.get(j).copied().flatten());
                }
                (Variable::Numeric { values, .. }, Variable::Numeric { values: from, .. }) => {
                    values.insert(at, from.get(j).copied().flatten());
                }
                (
                    Variable::Choice {
                        options, values, ..
                    },
                    Variable::Choice {
                        options: their_options,
                        values: from,
                        ..
                    },
                ) => {
                    let value = from
                        .get(j)
                        .and_then(|index| their_options.get(usize::from(index)))
                        .map(|option| option_index(options, values, option));
                    values.insert(at, value);
                }
                // Same kinds were checked above.
                _ => {}
            }
        }
        self.stories += 1;
        Ok(())
    }

    /// Drops the options of choice `key` that no story has any more, renumbering the values:
    /// a derived property then looks as it would if the dataset had been built anew.
    pub fn drop_unused_options(&mut self, key: &str) {
        let Some(Variable::Choice {
            options, values, ..
        }) = self.variables.iter_mut().find(|v| v.key() == key)
        else {
            return;
        };
        let mut used = vec![false; options.len()];
        for v in values.iter().flatten() {
            if let Some(u) = used.get_mut(usize::from(v)) {
                *u = true;
            }
        }
        if used.iter().all(|u| *u) {
            return;
        }
        let mut renumber = vec![None; options.len()];
        let mut next = 0u16;
        for (i, u) in used.iter().enumerate() {
            if *u {
                renumber[i] = Some(next);
                next += 1;
            }
        }
        let mut i = 0;
        options.retain(|_| {
            i += 1;
            used[i - 1]
        });
        values.map_in_place(|v| v.and_then(|x| renumber.get(usize::from(x)).copied().flatten()));
    }
}

/// The index of `option` among `options`, adding it in key order (and renumbering `values`)
/// when it is not there yet.
fn option_index(options: &mut Vec<OptionLabel>, values: &mut Codes, option: &OptionLabel) -> u16 {
    if let Some(i) = options.iter().position(|o| o.key == option.key) {
        return i as u16;
    }
    let at = options.partition_point(|o| o.key < option.key);
    options.insert(at, option.clone());
    let at16 = at as u16;
    values.map_in_place(|v| v.map(|v| if v >= at16 { v + 1 } else { v }));
    at16
}

impl Replies {
    /// Removes story `i` from every question.
    pub fn remove_story(&mut self, i: usize) {
        for (_, replies) in &mut self.questions {
            if i < replies.len() {
                replies.remove(i);
            }
        }
    }

    /// Inserts story `j` of `other` (the same questions) at position `at`.
    pub fn insert_story(
        &mut self,
        at: usize,
        other: &Replies,
        j: usize,
    ) -> Result<(), OtherQuestions> {
        if self.questions.len() != other.questions.len() {
            return Err(OtherQuestions("antwoorden".into()));
        }
        for ((key, replies), (their_key, theirs)) in self.questions.iter_mut().zip(&other.questions)
        {
            let reply = match (key == their_key, theirs.get(j)) {
                (true, Some(reply)) => *reply,
                _ => return Err(OtherQuestions(key.clone())),
            };
            replies.insert(at.min(replies.len()), reply);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::dataset::Reply;

    fn choice(key: &str, options: &[&str], values: Vec<Option<u16>>) -> Variable {
        Variable::Choice {
            key: key.into(),
            label: key.into(),
            options: options
                .iter()
                .map(|o| OptionLabel {
                    key: o.to_string(),
                    label: o.to_string(),
                })
                .collect(),
            values: values.into(),
        }
    }

    fn data(variables: Vec<Variable>) -> Dataset {
        Dataset {
            stories: variables.first().map_or(0, |v| match v {
                Variable::Choice { values, .. } => values.len(),
                Variable::Slider { values, .. } => values.len(),
                Variable::Numeric { values, .. } => values.len(),
            }),
            variables,
            scan_use: Default::default(),
        }
    }

    fn slider(values: Vec<Option<u8>>) -> Variable {
        Variable::Slider {
            key: "s".into(),
            label: "s".into(),
            left: "l".into(),
            right: "r".into(),
            values,
        }
    }

    #[test]
    fn a_story_with_a_new_derived_value_gets_its_option_in_key_order() {
        let mut big = data(vec![
            slider(vec![Some(10), None]),
            choice("maand", &["2026-01", "2026-03"], vec![Some(0), Some(1)]),
        ]);
        let one = data(vec![
            slider(vec![Some(70)]),
            choice("maand", &["2026-02"], vec![Some(0)]),
        ]);
        big.insert_story(1, &one, 0).unwrap();
        let built_anew = data(vec![
            slider(vec![Some(10), Some(70), None]),
            choice(
                "maand",
                &["2026-01", "2026-02", "2026-03"],
                vec![Some(0), Some(1), Some(2)],
            ),
        ]);
        assert_eq!(big, built_anew);
    }

    #[test]
    fn removing_the_last_story_of_a_value_drops_its_option() {
        let mut big = data(vec![
            slider(vec![Some(10), Some(70), None]),
            choice(
                "maand",
                &["2026-01", "2026-02", "2026-03"],
                vec![Some(0), Some(1), Some(2)],
            ),
        ]);
        big.remove_story(1);
        big.drop_unused_options("maand");
        assert_eq!(
            big,
            data(vec![
                slider(vec![Some(10), None]),
                choice("maand", &["2026-01", "2026-03"], vec![Some(0), Some(1)]),
            ])
        );
    }

    #[test]
    fn other_questions_are_refused_and_change_nothing() {
        let mut big = data(vec![slider(vec![Some(1)])]);
        let before = big.clone();
        let other = data(vec![choice("x", &["a"], vec![Some(0)])]);
        assert!(big.insert_story(0, &other, 0).is_err());
        assert_eq!(big, before);
    }

    #[test]
    fn replies_follow_the_stories() {
        let mut replies = Replies {
            questions: vec![("a".into(), vec![Reply::Answered, Reply::NotAsked])],
        };
        let one = Replies {
            questions: vec![("a".into(), vec![Reply::NotApplicable])],
        };
        replies.insert_story(1, &one, 0).unwrap();
        replies.remove_story(0);
        assert_eq!(
            replies.questions[0].1,
            [Reply::NotApplicable, Reply::NotAsked]
        );
    }
}
