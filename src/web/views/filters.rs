//! The story filters of the analysis pages (dashboard, patterns, compare, story browser), read
//! from and written back to the URL so that every view can be shared and bookmarked.
//!
//! Parameters: `rol`, `van` and `tot` (dates, `jjjj-mm-dd`), `versie`, `volledig`, and any
//! number of `a=vraag:antwoord` (an answer) and `s=vraag:laag-hoog` (a slider range).

use crate::analysis::Variable;
use crate::service::analysis::{ProjectData, Selection, StoryFilter};
use crate::web::errors::WebError;
use crate::web::http::{blocking, date_range};
use crate::web::AppState;
use serde::Serialize;
use std::sync::Arc;

/// A project's data with the stories that the URL's filters select.
pub struct Filtered {
    pub data: Arc<ProjectData>,
    pub form: FilterForm,
    pub filter: StoryFilter,
    pub selection: Selection,
    /// Dutch messages about filters that were left out.
    pub problems: Vec<String>,
}

impl Filtered {
    /// Puts what `_filters.html` needs into a page's context; `action` is the page's path.
    pub fn context(&self, ctx: &mut tera::Context, action: &str) {
        let roles: Vec<(String, String)> = self
            .data
            .project
            .questionnaire
            .roles
            .iter()
            .map(|r| (r.key.clone(), r.label.clone()))
            .collect();
        ctx.insert("filter_action", action);
        ctx.insert("form", &self.form);
        ctx.insert("filter_query", &self.form.query());
        ctx.insert("roles", &roles);
        ctx.insert("choice_groups", &choice_groups(&self.data));
        ctx.insert("versions", &versions(&self.data));
        // From this version on an untouched slider is "not answered"; older stories hold 50.
        ctx.insert("sliders_unset_from", &self.data.project.sliders_unset_from);
        ctx.insert("chips", &self.form.chips(&self.data, action));
        ctx.insert("filter_problems", &self.problems);
    }

    /// `Some(k)` when the selection, or what it leaves out of the project, holds fewer than k
    /// stories: then a page shows no figures of it (`domain::privacy::small_selection`).
    pub fn too_small(&self) -> Option<u32> {
        crate::domain::privacy::small_selection(
            self.selection.count(),
            self.selection.universe(),
            self.data.project.settings.privacy.k(),
        )
    }

    /// A link to the story browser with these filters plus `more`.
    pub fn stories_link(&self, more: &FilterForm) -> String {
        format!(
            "/beheer/p/{}/verkennen?{}",
            self.data.project.slug,
            more.query()
        )
    }
}

/// Reads the filters from the query, the project's data from the cache, and selects.
pub async fn filtered(
    state: &AppState,
    slug: &str,
    pairs: &[(String, String)],
) -> Result<Filtered, WebError> {
    let (mut form, mut problems) = FilterForm::parse(pairs);
    let (cache, db, key) = (state.analysis.clone(), state.db.clone(), slug.to_string());
    let data = blocking(move || cache.project(&db, &key).map_err(WebError::from)).await?;
    let (mut filter, date_problems) = form.filter();
    problems.extend(date_problems);
    problems.extend(form.drop_unknown(&mut filter, &data));
    let selection = data.select(&filter)?;
    Ok(Filtered {
        data,
        form,
        filter,
        selection,
        problems,
    })
}

/// The filters as typed, to fill the form again and to build links.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FilterForm {
    pub rol: String,
    pub van: String,
    pub tot: String,
    pub versie: String,
    pub volledig: bool,
    /// (question key, option key)
    pub answers: Vec<(String, String)>,
    /// (question key, lowest, highest)
    pub ranges: Vec<(String, u32, u32)>,
}

/// One active answer or range filter, as shown above the results with a link that removes it.
#[derive(Debug, Clone, Serialize)]
pub struct Chip {
    pub text: String,
    pub remove: String,
}

/// A choice question with its options, for the "filter on an answer" list.
#[derive(Debug, Clone, Serialize)]
pub struct ChoiceGroup {
    pub label: String,
    /// (value `vraag:antwoord`, option label)
    pub options: Vec<(String, String)>,
}

fn parse_range(raw: &str) -> Option<(String, u32, u32)> {
    let (key, range) = raw.split_once(':')?;
    let (low, high) = range.split_once('-')?;
    let (low, high) = (low.trim().parse().ok()?, high.trim().parse().ok()?);
    (!key.trim().is_empty() && low <= high).then(|| (key.trim().to_string(), low, high))
}

impl FilterForm {
    /// Reads the filters from query pairs; other parameters are ignored. Returns a Dutch
    /// message for each part that could not be read.
    pub fn parse(pairs: &[(String, String)]) -> (Self, Vec<String>) {
        let mut form = FilterForm::default();
        let mut problems = Vec::new();
        for (name, value) in pairs {
            let value = value.trim();
            match name.as_str() {
                "rol" => form.rol = value.chars().take(100).collect(),
                "van" => form.van = value.chars().take(20).collect(),
                "tot" => form.tot = value.chars().take(20).collect(),
                "versie" => form.versie = value.chars().take(10).collect(),
                "volledig" => form.volledig = !value.is_empty(),
                "a" if value.is_empty() => {}
                "a" => match value.split_once(':') {
                    Some((k, o)) if !k.trim().is_empty() && !o.trim().is_empty() => {
                        let answer = (k.trim().to_string(), o.trim().to_string());
                        if !form.answers.contains(&answer) && form.answers.len() < 20 {
                            form.answers.push(answer);
                        }
                    }
                    _ => problems.push(format!(
                        "Het filter '{value}' begrijpen we niet. Het is weggelaten."
                    )),
                },
                "s" => match parse_range(value) {
                    Some(range) if form.ranges.len() < 10 => form.ranges.push(range),
                    Some(_) => {}
                    None => problems.push(format!(
                        "Het filter '{value}' begrijpen we niet. Het is weggelaten."
                    )),
                },
                _ => {}
            }
        }
        if !form.versie.is_empty() && parse_version(&form.versie).is_none() {
            problems.push("Kies een versie van de vragenlijst uit de lijst.".into());
            form.versie.clear();
        }
        (form, problems)
    }

    /// The service filter, plus a message per date that is not a date.
    pub fn filter(&self) -> (StoryFilter, Vec<String>) {
        let (from, until, problems) = date_range(&self.van, &self.tot);
        let mut filter = StoryFilter {
            answers: self.answers.clone(),
            ranges: self
                .ranges
                .iter()
                .map(|(k, low, high)| (k.clone(), f64::from(*low), f64::from(*high)))
                .collect(),
            from,
            until,
            version: parse_version(&self.versie).and_then(|(v, from)| (!from).then_some(v)),
            min_version: parse_version(&self.versie).and_then(|(v, from)| from.then_some(v)),
            complete_only: self.volledig,
        };
        filter.add_role(&self.rol);
        (filter, problems)
    }

    /// The filters as URL parameters, in a fixed order.
    pub fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs: Vec<(&'static str, String)> = Vec::new();
        for (name, value) in [
            ("rol", &self.rol),
            ("van", &self.van),
            ("tot", &self.tot),
            ("versie", &self.versie),
        ] {
            if !value.is_empty() {
                pairs.push((name, value.clone()));
            }
        }
        if self.volledig {
            pairs.push(("volledig", "1".into()));
        }
        for (k, o) in &self.answers {
            pairs.push(("a", format!("{k}:{o}")));
        }
        for (k, low, high) in &self.ranges {
            pairs.push(("s", format!("{k}:{low}-{high}")));
        }
        pairs
    }

    /// The URL query of these filters (without a leading `?`).
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(self.pairs()).unwrap_or_default()
    }

    /// These filters plus one more answer.
    pub fn and_answer(&self, key: &str, option: &str) -> FilterForm {
        let mut more = self.clone();
        let answer = (key.to_string(), option.to_string());
        if !more.answers.contains(&answer) {
            more.answers.push(answer);
        }
        more
    }

    /// These filters plus one more range.
    pub fn and_range(&self, key: &str, low: u32, high: u32) -> FilterForm {
        let mut more = self.clone();
        more.ranges.push((key.to_string(), low, high));
        more
    }

    /// Removes filters the project does not know; the messages say which.
    pub fn drop_unknown(&mut self, filter: &mut StoryFilter, data: &ProjectData) -> Vec<String> {
        let dropped = filter.drop_unknown(data);
        self.answers
            .retain(|(k, o)| !dropped.contains(&format!("{k}={o}")));
        self.ranges.retain(|(k, low, high)| {
            !dropped.contains(&format!("{k}={}-{}", f64::from(*low), f64::from(*high)))
        });
        if !self.rol.is_empty() && dropped.contains(&format!("rol={}", self.rol)) {
            self.rol.clear();
        }
        dropped
            .iter()
            .map(|d| {
                format!(
                    "Het filter '{d}' past niet bij de vragen van dit project. Het is weggelaten."
                )
            })
            .collect()
    }

    /// The answer and range filters in words, each with a link (to `path`) without it.
    pub fn chips(&self, data: &ProjectData, path: &str) -> Vec<Chip> {
        let mut chips = Vec::new();
        for (i, (key, option)) in self.answers.iter().enumerate() {
            let mut without = self.clone();
            without.answers.remove(i);
            chips.push(Chip {
                text: answer_text(data, key, option),
                remove: format!("{path}?{}", without.query()),
            });
        }
        for (i, (key, low, high)) in self.ranges.iter().enumerate() {
            let mut without = self.clone();
            without.ranges.remove(i);
            let label = data
                .dataset
                .variable(key)
                .map_or(key.as_str(), Variable::label);
            chips.push(Chip {
                text: format!("{label}: {low} tot en met {high}"),
                remove: format!("{path}?{}", without.query()),
            });
        }
        chips
    }
}

/// "Question: option" in the words of the questionnaire.
pub fn answer_text(data: &ProjectData, key: &str, option: &str) -> String {
    let labelled = |variable: &Variable, option: &str| match variable {
        Variable::Choice { label, options, .. } => options
            .iter()
            .find(|o| o.key == option)
            .map(|o| format!("{label}: {}", o.label)),
        _ => None,
    };
    data.dataset
        .variable(key)
        .and_then(|v| labelled(v, option))
        .or_else(|| {
            // A multichoice option: its own yes/no question.
            let own = data.dataset.variable(&format!("{key}__{option}"))?;
            Some(own.label().to_string())
        })
        .unwrap_or_else(|| format!("{key}: {option}"))
}

/// The choice questions (role excluded: it has its own list) and their options, to filter on.
pub fn choice_groups(data: &ProjectData) -> Vec<ChoiceGroup> {
    data.dataset
        .variables
        .iter()
        .filter_map(|v| match v {
            Variable::Choice {
                key,
                label,
                options,
                ..
            } if key != "rol" => Some(ChoiceGroup {
                label: label.clone(),
                options: options
                    .iter()
                    .map(|o| (format!("{key}:{}", o.key), o.label.clone()))
                    .collect(),
            }),
            _ => None,
        })
        .collect()
}

/// `3` is version 3 only; `vanaf-3` is version 3 and later (true).
fn parse_version(value: &str) -> Option<(i32, bool)> {
    match value.strip_prefix("vanaf-") {
        Some(v) => v.parse().ok().map(|v| (v, true)),
        None => value.parse().ok().map(|v| (v, false)),
    }
}

/// The questionnaire versions stories were told with, for the version list.
pub fn versions(data: &ProjectData) -> Vec<i32> {
    let mut versions: Vec<i32> = data.stories.iter().map(|s| s.version).collect();
    versions.sort_unstable();
    versions.dedup();
    versions
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(query: &str) -> Vec<(String, String)> {
        serde_urlencoded::from_str(query).unwrap()
    }

    #[test]
    fn filters_survive_a_round_trip_through_the_url() {
        let (form, problems) = FilterForm::parse(&pairs(
            "rol=ouder&van=2026-01-01&volledig=1&a=hulp:wachtlijst&a=rol:jongere&s=tevreden:0-40&zoek=x",
        ));
        assert!(problems.is_empty());
        let (again, _) = FilterForm::parse(&pairs(&form.query()));
        assert_eq!(again.query(), form.query());
        assert_eq!(again.answers.len(), 2);
        assert_eq!(again.ranges, [("tevreden".to_string(), 0, 40)]);
        let (filter, date_problems) = form.filter();
        assert!(date_problems.is_empty());
        assert!(filter.complete_only && filter.from.is_some());
        assert!(filter.answers.contains(&("rol".into(), "ouder".into())));
    }

    #[test]
    fn unreadable_parts_are_reported_and_left_out() {
        let (form, problems) = FilterForm::parse(&pairs("a=zonderdubbelepunt&s=x:9-3&versie=twee"));
        assert_eq!(problems.len(), 3);
        assert!(form.answers.is_empty() && form.ranges.is_empty() && form.versie.is_empty());
        let (_, date_problems) = FilterForm {
            van: "gisteren".into(),
            ..Default::default()
        }
        .filter();
        assert_eq!(date_problems.len(), 1);
    }

    #[test]
    fn links_add_a_filter_once() {
        let form = FilterForm::default()
            .and_answer("hulp", "x")
            .and_answer("hulp", "x");
        assert_eq!(form.query(), "a=hulp%3Ax");
        assert_eq!(
            form.and_range("s", 0, 100).query(),
            "a=hulp%3Ax&s=s%3A0-100"
        );
    }
}
