//! Typical stories for an observation card: a few stories that show a strong pattern the way
//! most stories in it do — close to the middle of their group, not its most extreme ones.
//!
//! The selection is deterministic (same data, same pattern, same proposals), so that a card
//! can be made again and checked. The rule, per kind of pattern:
//!
//! - **slider × choice** and **slider × two choices**: the `groups` groups (cells) that deviate
//!   most (largest |z|); in each, the stories whose value is closest to the group's median.
//! - **choice × choice**: the `groups` cells with the largest positive residual (combinations
//!   that occur more often than chance would give).
//! - **slider × slider**: the quarter (low or high on each question) with the most stories
//!   compared with what independence would give.
//!
//! Only complete stories of at least `min_words` words, in the pattern's data, are proposed.
//! Within a group stories are ranked by closeness to the group's median value(s); then stories
//! whose teller allowed quotes come first; then the story length closest to the group's median
//! length; then the story's index. The picks go round the chosen groups, and within each turn
//! prefer a storyteller's role (`rol`) other than that of the previous pick, and the role picked
//! least so far — but never a story outside the middle half of its group (between the first and
//! third quartile) while one inside is left.
//!
//! Medians and quartiles are those of the whole group as the scan saw it (all its stories that
//! answered the questions), not only of the stories that can be proposed. `None` is "no answer"
//! or "niet van toepassing" and never a value; non-finite numbers are left out as well.

use super::dataset::{Codes, Dataset, OptionLabel, Variable};
use super::describe::dutch;
use super::figures::five_numbers;
use super::scan::{GroupSummary, Pattern, PatternKind};
use serde::Serialize;
use std::collections::BTreeMap;

/// What the engine does not see in the answers: per story, in dataset order. A story beyond
/// the end of a slice counts as incomplete, or without consent to quote.
#[derive(Debug, Clone, Copy)]
pub struct StoryFacts<'a> {
    pub complete: &'a [bool],
    pub quotes_allowed: &'a [bool],
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TypicalSettings {
    /// How many stories to propose at most.
    pub count: usize,
    /// Shorter stories (in words, the `lengte` question) are not proposed.
    pub min_words: f64,
    /// How many groups (options, cells) of the pattern to illustrate.
    pub groups: usize,
}

impl Default for TypicalSettings {
    fn default() -> Self {
        Self {
            count: 6,
            min_words: 40.0,
            groups: 2,
        }
    }
}

/// One proposed story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The story's index in the dataset.
    pub story: usize,
    /// The label of the group, cell or quarter it illustrates.
    pub group: String,
    /// Why this story, in one plain-Dutch line.
    pub reason: String,
}

/// The key of the storyteller's role in every dataset of the service.
const ROLE: &str = "rol";
/// The key of the story's length in words.
const LENGTH: &str = "lengte";
/// Sliders are split into low and high here (a 50 is neither).
const SLIDER_MIDDLE: f64 = 50.0;

/// Proposes up to `settings.count` typical stories for `pattern`, found by a scan of `data`.
/// Fewer (or none) when fewer stories qualify; never the same story twice.
pub fn propose(
    data: &Dataset,
    pattern: &Pattern,
    facts: &StoryFacts,
    settings: TypicalSettings,
) -> Vec<Proposal> {
    if settings.count == 0 || settings.groups == 0 {
        return Vec::new();
    }
    let Some(lengths) = data.variable(LENGTH) else {
        return Vec::new();
    };
    let context = Context {
        data,
        facts: *facts,
        lengths,
        min_words: settings.min_words,
    };
    let groups = match pattern.kind {
        PatternKind::SliderByChoice | PatternKind::SliderByChoicePair => {
            by_groups(&context, pattern, settings.groups)
        }
        PatternKind::ChoiceByChoice => by_cells(&context, pattern, settings.groups),
        PatternKind::SliderBySlider => by_quarter(&context, pattern),
    }
    .unwrap_or_default();
    interleave(data, &groups, settings.count)
}

struct Context<'a> {
    data: &'a Dataset,
    facts: StoryFacts<'a>,
    lengths: &'a Variable,
    min_words: f64,
}

impl Context<'_> {
    fn length(&self, story: usize) -> Option<f64> {
        value(self.lengths, story)
    }

    fn eligible(&self, story: usize) -> bool {
        self.facts.complete.get(story) == Some(&true)
            && self.length(story).is_some_and(|w| w >= self.min_words)
    }

    fn quotes_allowed(&self, story: usize) -> bool {
        self.facts.quotes_allowed.get(story) == Some(&true)
    }
}

/// One group to illustrate: its eligible stories, most typical first, each with whether it
/// lies in the middle half of the group.
struct Group<'a> {
    label: String,
    queue: Vec<(usize, bool)>,
    /// The reason line for a story, and whether it lies in the middle half.
    reason: Box<dyn Fn(usize, bool) -> String + 'a>,
}

/// A number of a slider or numeric question; no answer and non-finite numbers are `None`.
fn value(variable: &Variable, story: usize) -> Option<f64> {
    variable.number(story).filter(|v| v.is_finite())
}

fn median(values: impl Iterator<Item = f64>) -> Option<f64> {
    five_numbers(&values.collect::<Vec<_>>()).map(|f| f.median)
}

/// A number for a reason line: whole numbers without decimals, others with one.
fn show(v: f64) -> String {
    if v.fract() == 0.0 {
        dutch(v, 0)
    } else {
        dutch(v, 1)
    }
}

/// How a story's value(s) relate to its group, for a reason line.
fn how(typical: bool) -> &'static str {
    if typical {
        "gewoon voor die groep"
    } else {
        "wat verder van het midden van die groep"
    }
}

fn numeric<'a>(data: &'a Dataset, key: Option<&String>) -> Option<&'a Variable> {
    data.variable(key?).filter(|v| v.is_numeric())
}

fn choice<'a>(data: &'a Dataset, key: Option<&String>) -> Option<(&'a [OptionLabel], &'a Codes)> {
    match data.variable(key?)? {
        Variable::Choice {
            options, values, ..
        } => Some((options, values)),
        _ => None,
    }
}

fn position(options: &[OptionLabel], key: &str) -> Option<u16> {
    options
        .iter()
        .position(|o| o.key == key)
        .and_then(|i| u16::try_from(i).ok())
}

fn answer(values: &Codes, story: usize) -> Option<u16> {
    values.get(story)
}

/// A group's members ranked for typicality, with the medians they were compared to.
struct Ranked {
    /// Eligible stories, most typical first, and whether each lies in the middle half.
    queue: Vec<(usize, bool)>,
    medians: Vec<f64>,
    median_length: Option<f64>,
}

/// Ranks the eligible `members` of a group: closest to the group's medians on `dims` (sum of
/// absolute distances) first, then consent to quote, then length closest to the group's median
/// length, then index. Without `dims`, closeness is that of the length.
///
/// A story lies in the middle half when each of its values on `dims` lies between the group's
/// first and third quartile (the box of a box plot); without `dims` every story does.
fn rank(context: &Context, members: &[usize], dims: &[&Variable]) -> Ranked {
    let fives: Option<Vec<_>> = dims
        .iter()
        .map(|v| {
            five_numbers(
                &members
                    .iter()
                    .filter_map(|&s| value(v, s))
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    let median_length = median(members.iter().filter_map(|&s| context.length(s)));
    let Some(fives) = fives else {
        return Ranked {
            queue: Vec::new(),
            medians: Vec::new(),
            median_length,
        };
    };
    let medians: Vec<f64> = fives.iter().map(|f| f.median).collect();
    let middle_half = |s: usize| {
        dims.iter()
            .zip(&fives)
            .all(|(v, f)| value(v, s).is_some_and(|x| x >= f.q1 && x <= f.q3))
    };
    let mut keyed: Vec<(f64, bool, f64, usize)> = members
        .iter()
        .copied()
        .filter(|&s| context.eligible(s))
        .map(|s| {
            let length = match (context.length(s), median_length) {
                (Some(l), Some(m)) => (l - m).abs(),
                _ => 0.0,
            };
            let spread: f64 = dims
                .iter()
                .zip(&medians)
                .map(|(v, m)| value(v, s).map_or(f64::INFINITY, |x| (x - m).abs()))
                .sum();
            let (first, then) = if dims.is_empty() {
                (length, 0.0)
            } else {
                (spread, length)
            };
            (first, !context.quotes_allowed(s), then, s)
        })
        .collect();
    keyed.sort_by(|a, b| {
        a.0.total_cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then(a.2.total_cmp(&b.2))
            .then(a.3.cmp(&b.3))
    });
    Ranked {
        queue: keyed.into_iter().map(|k| (k.3, middle_half(k.3))).collect(),
        medians,
        median_length,
    }
}

/// The `wanted` groups that deviate most: largest |z|, or (for a number that is not a slider,
/// where the scan gives no z) the largest distance of the group mean from the mean of all
/// groups. Ties keep the pattern's order.
fn most_deviating(groups: &[GroupSummary], wanted: usize) -> Vec<&GroupSummary> {
    let finite = |x: Option<f64>| x.filter(|v| v.is_finite());
    let with_z = groups.iter().any(|g| finite(g.z).is_some());
    let (sum, n) = groups
        .iter()
        .filter_map(|g| Some((finite(g.mean)?, g.n as f64)))
        .fold((0.0, 0.0), |(s, n), (m, k)| (s + m * k, n + k));
    let grand = if n > 0.0 { sum / n } else { 0.0 };
    let deviation = |g: &GroupSummary| {
        if with_z {
            finite(g.z).map_or(0.0, f64::abs)
        } else {
            finite(g.mean).map_or(0.0, |m| (m - grand).abs())
        }
    };
    let mut order: Vec<&GroupSummary> = groups.iter().collect();
    order.sort_by(|a, b| deviation(b).total_cmp(&deviation(a)));
    order.truncate(wanted);
    order
}

/// The option indices of a group: one option, or "a+b" for a cell of two choice questions.
fn group_options(choices: &[(&[OptionLabel], &Codes)], option: &str) -> Option<Vec<u16>> {
    match choices {
        [(options, _)] => Some(vec![position(options, option)?]),
        [(first, _), (second, _)] => first.iter().enumerate().find_map(|(i, a)| {
            let j = second
                .iter()
                .position(|b| format!("{}+{}", a.key, b.key) == option)?;
            Some(vec![u16::try_from(i).ok()?, u16::try_from(j).ok()?])
        }),
        _ => None,
    }
}

/// Slider × choice and slider × two choices.
fn by_groups<'a>(
    context: &Context<'a>,
    pattern: &Pattern,
    wanted: usize,
) -> Option<Vec<Group<'a>>> {
    let data = context.data;
    let number = numeric(data, pattern.questions.first())?;
    let choices: Vec<(&[OptionLabel], &Codes)> = pattern
        .questions
        .iter()
        .skip(1)
        .map(|key| choice(data, Some(key)))
        .collect::<Option<_>>()?;
    let mut groups = Vec::new();
    for summary in most_deviating(&pattern.groups, wanted) {
        let Some(options) = group_options(&choices, &summary.option) else {
            continue;
        };
        let members: Vec<usize> = (0..data.stories)
            .filter(|&s| {
                value(number, s).is_some()
                    && choices
                        .iter()
                        .zip(&options)
                        .all(|((_, values), &o)| answer(values, s) == Some(o))
            })
            .collect();
        let ranked = rank(context, &members, &[number]);
        let Some(&middle) = ranked.medians.first() else {
            continue;
        };
        let label = summary.label.clone();
        let said = label.clone();
        groups.push(Group {
            label,
            queue: ranked.queue,
            reason: Box::new(move |s, typical| {
                format!(
                    "Past bij '{said}': '{}' {}, {} (mediaan {}).",
                    number.label(),
                    value(number, s).map_or_else(String::new, show),
                    how(typical),
                    show(middle)
                )
            }),
        });
    }
    Some(groups)
}

/// Choice × choice: the over-represented cells.
fn by_cells<'a>(context: &Context<'a>, pattern: &Pattern, wanted: usize) -> Option<Vec<Group<'a>>> {
    let data = context.data;
    let (rows, row_answers) = choice(data, pattern.questions.first())?;
    let (columns, column_answers) = choice(data, pattern.questions.get(1))?;
    let mut cells: Vec<_> = pattern
        .cells
        .iter()
        .filter(|c| c.residual.is_finite() && c.residual > 0.0)
        .collect();
    cells.sort_by(|a, b| b.residual.total_cmp(&a.residual));
    cells.truncate(wanted);
    let mut groups = Vec::new();
    for cell in cells {
        let (Some(i), Some(j)) = (position(rows, &cell.row), position(columns, &cell.column))
        else {
            continue;
        };
        let members: Vec<usize> = (0..data.stories)
            .filter(|&s| answer(row_answers, s) == Some(i) && answer(column_answers, s) == Some(j))
            .collect();
        let ranked = rank(context, &members, &[]);
        let Some(middle) = ranked.median_length else {
            continue;
        };
        let (row, column) = (cell.row_label.clone(), cell.column_label.clone());
        let lengths = context.lengths;
        groups.push(Group {
            label: format!("{row} en {column}"),
            queue: ranked.queue,
            reason: Box::new(move |s, _| {
                format!(
                    "Past bij '{row}' en '{column}' (vaker samen dan verwacht): {} woorden (mediaan van die groep {}).",
                    value(lengths, s).map_or_else(String::new, show),
                    show(middle)
                )
            }),
        });
    }
    Some(groups)
}

/// Slider × slider: the quarter that most exceeds its expected share under independence, as
/// the ratio of observed to expected stories. Sliders are split at 50 (a 50 is neither low nor
/// high); another number at its median over the pattern's stories. Ties go to the first of
/// low–low, low–high, high–low, high–high.
fn by_quarter<'a>(context: &Context<'a>, pattern: &Pattern) -> Option<Vec<Group<'a>>> {
    let data = context.data;
    let a = numeric(data, pattern.questions.first())?;
    let b = numeric(data, pattern.questions.get(1))?;
    let both: Vec<(usize, f64, f64)> = (0..data.stories)
        .filter_map(|s| Some((s, value(a, s)?, value(b, s)?)))
        .collect();
    let split = |v: &Variable, of: fn(&(usize, f64, f64)) -> f64| match v {
        Variable::Slider { .. } => Some(SLIDER_MIDDLE),
        _ => median(both.iter().map(of)),
    };
    let (split_a, split_b) = (split(a, |t| t.1)?, split(b, |t| t.2)?);
    let side = |x: f64, at: f64| {
        if x < at {
            Some(0)
        } else if x > at {
            Some(1)
        } else {
            None
        }
    };
    let mut quarters: [[Vec<usize>; 2]; 2] = Default::default();
    for &(s, x, y) in &both {
        if let (Some(i), Some(j)) = (side(x, split_a), side(y, split_b)) {
            quarters[i][j].push(s);
        }
    }
    let count = |i: usize, j: usize| quarters[i][j].len() as f64;
    let total: f64 = (0..4).map(|q| count(q / 2, q % 2)).sum();
    let mut best: Option<(f64, usize, usize)> = None;
    for q in 0..4 {
        let (i, j) = (q / 2, q % 2);
        let expected = (count(i, 0) + count(i, 1)) * (count(0, j) + count(1, j)) / total;
        if !expected.is_finite() || expected <= 0.0 {
            continue;
        }
        let ratio = count(i, j) / expected;
        if ratio > 1.0 && best.is_none_or(|(r, _, _)| ratio > r) {
            best = Some((ratio, i, j));
        }
    }
    let (_, i, j) = best?;
    let ranked = rank(context, &quarters[i][j], &[a, b]);
    let [middle_a, middle_b] = ranked.medians[..] else {
        return Some(Vec::new());
    };
    let word = |side: usize| if side == 0 { "laag" } else { "hoog" };
    let label = format!("'{}' {} en '{}' {}", a.label(), word(i), b.label(), word(j));
    let said = label.clone();
    Some(vec![Group {
        label,
        queue: ranked.queue,
        reason: Box::new(move |s, typical| {
            let shown = |v: &Variable| value(v, s).map_or_else(String::new, show);
            format!(
                "Past bij {said}: '{}' {} en '{}' {}, {} (mediaan {} en {}).",
                a.label(),
                shown(a),
                b.label(),
                shown(b),
                how(typical),
                show(middle_a),
                show(middle_b)
            )
        }),
    }])
}

/// Takes stories round the groups, one per group per round, until `count` is reached or every
/// group is used up. Within a turn: a story in the middle half of the group, then a role other
/// than the previous pick's, then the role picked least so far, then the most typical story.
/// Spreading over roles thus never brings in an extreme story while a typical one is left.
fn interleave(data: &Dataset, groups: &[Group], count: usize) -> Vec<Proposal> {
    let no_roles = Codes::new();
    let roles: &Codes = match data.variable(ROLE) {
        Some(Variable::Choice { values, .. }) => values,
        _ => &no_roles,
    };
    let role = |s: usize| answer(roles, s);
    let mut taken = vec![false; data.stories];
    let mut picked: BTreeMap<Option<u16>, usize> = BTreeMap::new();
    let mut previous: Option<Option<u16>> = None;
    let mut proposals = Vec::new();
    loop {
        let before = proposals.len();
        for group in groups {
            if proposals.len() >= count {
                return proposals;
            }
            let mut seen: Vec<(Option<u16>, bool)> = Vec::new();
            // (outside the middle half, same role as before, picks of the role, place in queue)
            let mut best: Option<(bool, bool, usize, usize)> = None;
            for (at, &(s, typical)) in group.queue.iter().enumerate() {
                let r = role(s);
                if taken.get(s) != Some(&false) || seen.contains(&(r, typical)) {
                    continue;
                }
                // The first story of a role in the queue is that role's most typical one.
                seen.push((r, typical));
                let key = (
                    !typical,
                    previous == Some(r),
                    picked.get(&r).copied().unwrap_or(0),
                    at,
                );
                if best.is_none_or(|k| key < k) {
                    best = Some(key);
                }
            }
            let Some(&(s, typical)) = best.and_then(|(_, _, _, at)| group.queue.get(at)) else {
                continue;
            };
            if let Some(t) = taken.get_mut(s) {
                *t = true;
            }
            *picked.entry(role(s)).or_insert(0) += 1;
            previous = Some(role(s));
            proposals.push(Proposal {
                story: s,
                group: group.label.clone(),
                reason: (group.reason)(s, typical),
            });
        }
        if proposals.len() == before || proposals.len() >= count {
            return proposals;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::scan::{scan, Cell, Scan, ScanSettings};
    use crate::analysis::synthetic::{generate, Shape, Structure};
    use std::collections::HashSet;

    const ROLES: [&str; 3] = ["jongere", "ouder", "professional"];

    fn shape() -> Shape {
        Shape {
            stories: 600,
            sliders: 5,
            choices: 5,
            multichoices: 0,
            multi_options: 0,
        }
    }

    fn labels(keys: &[&str]) -> Vec<OptionLabel> {
        keys.iter()
            .map(|k| OptionLabel {
                key: k.to_string(),
                label: k.to_uppercase(),
            })
            .collect()
    }

    /// The planted data plus what the service always adds: a role and the length in words.
    /// Some stories are short, some have no length, and the roles are spread evenly.
    fn planted() -> (Dataset, Scan) {
        let mut data = generate(shape(), Structure::Planted, 7);
        let scan = scan(&data, ScanSettings::default());
        let n = data.stories;
        data.variables.push(Variable::Choice {
            key: ROLE.into(),
            label: "Rol van de verteller".into(),
            options: labels(&ROLES),
            values: (0..n).map(|s| Some((s % 3) as u16)).collect(),
        });
        data.variables.push(Variable::Numeric {
            key: LENGTH.into(),
            label: "Lengte".into(),
            values: (0..n)
                .map(|s| (s % 11 != 0).then_some(((s * 37) % 200 + 5) as f64))
                .collect(),
        });
        (data, scan)
    }

    struct Facts {
        complete: Vec<bool>,
        quotes: Vec<bool>,
    }

    impl Facts {
        fn of(n: usize) -> Self {
            Facts {
                complete: (0..n).map(|s| s % 7 != 0).collect(),
                quotes: (0..n).map(|s| s % 2 == 0).collect(),
            }
        }

        fn get(&self) -> StoryFacts<'_> {
            StoryFacts {
                complete: &self.complete,
                quotes_allowed: &self.quotes,
            }
        }
    }

    fn find<'a>(scan: &'a Scan, kind: PatternKind, questions: &[&str]) -> &'a Pattern {
        scan.patterns
            .iter()
            .find(|p| p.kind == kind && p.questions == questions)
            .unwrap_or_else(|| panic!("no pattern {kind:?} {questions:?}"))
    }

    fn choice_answer(data: &Dataset, key: &str, story: usize) -> Option<String> {
        match data.variable(key).unwrap() {
            Variable::Choice {
                options, values, ..
            } => values
                .get(story)
                .map(|o| options[usize::from(o)].key.clone()),
            _ => unreachable!(),
        }
    }

    /// Complete, long enough, never twice, and (roles being spread evenly) never the same
    /// role twice in a row.
    fn check_common(data: &Dataset, facts: &Facts, proposals: &[Proposal]) {
        let mut seen = HashSet::new();
        for p in proposals {
            assert!(seen.insert(p.story), "story {} twice", p.story);
            assert!(facts.complete[p.story]);
            assert!(data.variable(LENGTH).unwrap().number(p.story).unwrap() >= 40.0);
            assert!(p.reason.starts_with("Past bij "), "{}", p.reason);
            assert!(!p.reason.contains('\n'));
        }
        for w in proposals.windows(2) {
            assert_ne!(
                choice_answer(data, ROLE, w[0].story),
                choice_answer(data, ROLE, w[1].story),
                "{proposals:?}"
            );
        }
    }

    #[test]
    fn slider_by_choice_proposes_typical_stories_of_the_most_deviating_groups() {
        let (data, scan) = planted();
        let facts = Facts::of(data.stories);
        let pattern = find(
            &scan,
            PatternKind::SliderByChoice,
            &["slider_00", "keuze_0"],
        );
        assert!(pattern.strong);
        let settings = TypicalSettings::default();
        let proposals = propose(&data, pattern, &facts.get(), settings);
        assert_eq!(proposals.len(), 6, "{proposals:?}");
        check_common(&data, &facts, &proposals);
        // The two groups with the largest |z|.
        let mut by_z: Vec<&GroupSummary> = pattern.groups.iter().collect();
        by_z.sort_by(|a, b| b.z.unwrap().abs().total_cmp(&a.z.unwrap().abs()));
        let top: Vec<&GroupSummary> = by_z[..2].to_vec();
        let slider = data.variable("slider_00").unwrap();
        for p in &proposals {
            let option = choice_answer(&data, "keuze_0", p.story).unwrap();
            let group = top.iter().find(|g| g.option == option).expect("top group");
            assert_eq!(p.group, group.label);
            // Close to the group's median, not extreme.
            let values: Vec<f64> = (0..data.stories)
                .filter(|&s| choice_answer(&data, "keuze_0", s).as_deref() == Some(&option))
                .filter_map(|s| slider.number(s))
                .collect();
            let middle = five_numbers(&values).unwrap().median;
            assert!((slider.number(p.story).unwrap() - middle).abs() <= 5.0);
        }
        // Round the groups: first one, then the other.
        assert_eq!(proposals[0].group, top[0].label);
        assert_eq!(proposals[1].group, top[1].label);
        // Deterministic.
        assert_eq!(proposals, propose(&data, pattern, &facts.get(), settings));
    }

    #[test]
    fn three_way_proposals_lie_in_the_listed_cells() {
        let (data, scan) = planted();
        let facts = Facts::of(data.stories);
        let pattern = find(
            &scan,
            PatternKind::SliderByChoicePair,
            &["slider_03", "keuze_3", "keuze_4"],
        );
        let proposals = propose(&data, pattern, &facts.get(), TypicalSettings::default());
        assert_eq!(proposals.len(), 6, "{proposals:?}");
        check_common(&data, &facts, &proposals);
        let top: Vec<&str> = pattern.groups[..2]
            .iter()
            .map(|g| g.option.as_str())
            .collect();
        // The planted checkerboard: the listed cells are the ones furthest from the middle.
        assert!(
            pattern.groups[0].z.is_some_and(|z| z.abs() > 2.0),
            "{:?}",
            pattern.groups[0]
        );
        for p in &proposals {
            let cell = format!(
                "{}+{}",
                choice_answer(&data, "keuze_3", p.story).unwrap(),
                choice_answer(&data, "keuze_4", p.story).unwrap()
            );
            assert!(top.contains(&cell.as_str()), "{cell}");
            assert!(data
                .variable("slider_03")
                .unwrap()
                .number(p.story)
                .is_some());
        }
    }

    #[test]
    fn choice_by_choice_proposals_lie_in_the_over_represented_cells() {
        let (data, scan) = planted();
        let facts = Facts::of(data.stories);
        let pattern = find(&scan, PatternKind::ChoiceByChoice, &["keuze_1", "keuze_2"]);
        let proposals = propose(&data, pattern, &facts.get(), TypicalSettings::default());
        assert_eq!(proposals.len(), 6, "{proposals:?}");
        check_common(&data, &facts, &proposals);
        let mut cells: Vec<&Cell> = pattern.cells.iter().filter(|c| c.residual > 0.0).collect();
        cells.sort_by(|a, b| b.residual.total_cmp(&a.residual));
        cells.truncate(2);
        assert!(!cells.is_empty());
        for p in &proposals {
            let row = choice_answer(&data, "keuze_1", p.story).unwrap();
            let column = choice_answer(&data, "keuze_2", p.story).unwrap();
            let cell = cells
                .iter()
                .find(|c| c.row == row && c.column == column)
                .expect("an over-represented cell");
            assert!(cell.observed as f64 > cell.expected);
            assert_eq!(
                p.group,
                format!("{} en {}", cell.row_label, cell.column_label)
            );
            assert!(p.reason.contains("woorden"), "{}", p.reason);
        }
    }

    #[test]
    fn slider_by_slider_proposals_lie_in_the_chosen_quarter() {
        let (data, scan) = planted();
        let facts = Facts::of(data.stories);
        let pattern = find(
            &scan,
            PatternKind::SliderBySlider,
            &["slider_01", "slider_02"],
        );
        let proposals = propose(&data, pattern, &facts.get(), TypicalSettings::default());
        assert_eq!(proposals.len(), 6, "{proposals:?}");
        check_common(&data, &facts, &proposals);
        let (a, b) = (
            data.variable("slider_01").unwrap(),
            data.variable("slider_02").unwrap(),
        );
        let side = |v: f64| (v != 50.0).then_some(usize::from(v > 50.0));
        let quarter = |s: usize| Some((side(a.number(s)?)?, side(b.number(s)?)?));
        let chosen = quarter(proposals[0].story).unwrap();
        // A rising pattern: both low or both high.
        assert_eq!(chosen.0, chosen.1);
        for p in &proposals {
            assert_eq!(quarter(p.story), Some(chosen));
            assert_eq!(p.group, proposals[0].group);
        }
        // That quarter holds more stories than independence would give.
        let mut table = [[0.0; 2]; 2];
        for s in 0..data.stories {
            if let Some((i, j)) = quarter(s) {
                table[i][j] += 1.0;
            }
        }
        let total: f64 = table.iter().flatten().sum();
        let (i, j) = chosen;
        let expected = (table[i][0] + table[i][1]) * (table[0][j] + table[1][j]) / total;
        assert!(table[i][j] > expected);
        let word = if i == 0 { "laag" } else { "hoog" };
        assert_eq!(
            proposals[0].group,
            format!("'Schuifvraag 1' {word} en 'Schuifvraag 2' {word}")
        );
    }

    #[test]
    fn without_eligible_stories_nothing_is_proposed() {
        let (data, scan) = planted();
        let n = data.stories;
        let none = Facts {
            complete: vec![false; n],
            quotes: vec![true; n],
        };
        let long = TypicalSettings {
            min_words: 10_000.0,
            ..Default::default()
        };
        for pattern in scan.patterns.iter().take(40) {
            assert!(propose(&data, pattern, &none.get(), TypicalSettings::default()).is_empty());
            assert!(propose(&data, pattern, &Facts::of(n).get(), long).is_empty());
            // Facts that do not cover the stories: uncovered stories are not complete.
            let empty = StoryFacts {
                complete: &[],
                quotes_allowed: &[],
            };
            assert!(propose(&data, pattern, &empty, TypicalSettings::default()).is_empty());
        }
        // A dataset without lengths, or without the pattern's questions.
        let bare = generate(shape(), Structure::Planted, 7);
        let pattern = &scan.patterns[0];
        assert!(propose(
            &bare,
            pattern,
            &Facts::of(n).get(),
            TypicalSettings::default()
        )
        .is_empty());
        assert!(propose(
            &Dataset::default(),
            pattern,
            &Facts::of(0).get(),
            TypicalSettings::default()
        )
        .is_empty());
    }

    fn pattern(kind: PatternKind, questions: &[&str], groups: Vec<GroupSummary>) -> Pattern {
        Pattern {
            kind,
            questions: questions.iter().map(|q| q.to_string()).collect(),
            test: crate::analysis::scan::TestKind::KruskalWallis,
            statistic: 0.0,
            p_value: 0.0,
            q_value: 0.0,
            effect_size: 0.5,
            strength: 0.5,
            n: 0,
            strong: true,
            description: String::new(),
            groups,
            cells: Vec::new(),
            descriptives: BTreeMap::new(),
        }
    }

    fn group(option: &str, z: f64) -> GroupSummary {
        GroupSummary {
            option: option.into(),
            label: option.to_uppercase(),
            n: 5,
            mean: None,
            z: Some(z),
        }
    }

    /// Group "a": slider 10, 20, 30, 30, 40, 80 (median 30); group "b" has the smaller |z|.
    fn small() -> Dataset {
        Dataset {
            scan_use: Default::default(),
            stories: 8,
            variables: vec![
                Variable::Slider {
                    key: "s".into(),
                    label: "Gehoord".into(),
                    left: "l".into(),
                    right: "r".into(),
                    values: vec![
                        Some(10),
                        Some(20),
                        Some(30),
                        Some(30),
                        Some(40),
                        Some(80),
                        Some(50),
                        None,
                    ],
                },
                Variable::Choice {
                    key: "c".into(),
                    label: "C".into(),
                    options: labels(&["a", "b"]),
                    values: vec![
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(0),
                        Some(1),
                        Some(0),
                    ]
                    .into(),
                },
                Variable::Numeric {
                    key: LENGTH.into(),
                    label: "Lengte".into(),
                    values: vec![
                        Some(100.0),
                        Some(60.0),
                        Some(100.0),
                        Some(100.0),
                        Some(100.0),
                        Some(100.0),
                        Some(30.0),
                        Some(100.0),
                    ],
                },
            ],
        }
    }

    #[test]
    fn within_a_group_typical_stories_come_first_then_consent_then_length_then_index() {
        let data = small();
        let facts = Facts {
            complete: vec![true; 8],
            quotes: vec![true, true, false, true, true, true, true, true],
        };
        let p = pattern(
            PatternKind::SliderByChoice,
            &["s", "c"],
            vec![group("a", -3.0), group("b", 1.0)],
        );
        let one = TypicalSettings {
            count: 10,
            min_words: 40.0,
            groups: 1,
        };
        let proposals = propose(&data, &p, &facts.get(), one);
        let stories: Vec<usize> = proposals.iter().map(|p| p.story).collect();
        // 30 (quotes allowed) before 30 (not), then 20 and 40 (distance 10): 40 is nearer the
        // median length 100, then 10, then 80. Story 7 has no slider answer.
        assert_eq!(stories, [3, 2, 4, 1, 0, 5]);
        assert!(proposals.iter().all(|p| p.group == "A"));
        assert_eq!(
            proposals[0].reason,
            "Past bij 'A': 'Gehoord' 30, gewoon voor die groep (mediaan 30)."
        );
        // Story 6 (group "b") is too short: with two groups nothing more comes from "b".
        let two = TypicalSettings { groups: 2, ..one };
        assert_eq!(propose(&data, &p, &facts.get(), two).len(), 6);
        // Fewer eligible stories, fewer proposals: never padded.
        let few = Facts {
            complete: vec![false, false, true, false, true, false, true, true],
            quotes: vec![true; 8],
        };
        let stories: Vec<usize> = propose(&data, &p, &few.get(), TypicalSettings::default())
            .iter()
            .map(|p| p.story)
            .collect();
        assert_eq!(stories, [2, 4]);
    }

    #[test]
    fn picks_spread_over_roles_among_the_typical_stories() {
        // One group; slider 48, 49, 50, 50, 51, 52, 10, 90, 30: median 50, middle half 48–51.
        let n = 9;
        let data = Dataset {
            scan_use: Default::default(),
            stories: n,
            variables: vec![
                Variable::Slider {
                    key: "s".into(),
                    label: "Gehoord".into(),
                    left: "l".into(),
                    right: "r".into(),
                    values: [48, 49, 50, 50, 51, 52, 10, 90, 30]
                        .iter()
                        .map(|&v| Some(v))
                        .collect(),
                },
                Variable::Choice {
                    key: "c".into(),
                    label: "C".into(),
                    options: labels(&["a"]),
                    values: vec![Some(0); n].into(),
                },
                Variable::Choice {
                    key: ROLE.into(),
                    label: "Rol".into(),
                    options: labels(&ROLES),
                    values: [0, 0, 0, 1, 2, 1, 1, 2, 2]
                        .iter()
                        .map(|&r| Some(r))
                        .collect(),
                },
                Variable::Numeric {
                    key: LENGTH.into(),
                    label: "Lengte".into(),
                    values: vec![Some(100.0); n],
                },
            ],
        };
        let facts = Facts {
            complete: vec![true; n],
            quotes: vec![true; n],
        };
        let p = pattern(
            PatternKind::SliderByChoice,
            &["s", "c"],
            vec![group("a", 3.0)],
        );
        let settings = TypicalSettings {
            count: 5,
            ..Default::default()
        };
        let proposals = propose(&data, &p, &facts.get(), settings);
        let stories: Vec<usize> = proposals.iter().map(|p| p.story).collect();
        // Ranked 2, 3, 1, 4, 0 (middle half; roles 0, 1, 0, 2, 0), then 5, 8, 6, 7. After 2
        // (role 0) and 3 (role 1), role 2 has been picked least: 4 before 1. Then 1 (role 0).
        // Then 0, although role 0 again: story 5 (role 1) lies outside the middle half.
        assert_eq!(stories, [2, 3, 4, 1, 0]);
        // Once the middle half is used up, the rest follows, and says so.
        let all = TypicalSettings {
            count: 9,
            ..settings
        };
        let proposals = propose(&data, &p, &facts.get(), all);
        assert_eq!(proposals.len(), 9);
        assert_eq!(
            proposals[5].reason,
            "Past bij 'A': 'Gehoord' 52, wat verder van het midden van die groep (mediaan 50)."
        );
    }

    #[test]
    fn numbers_without_z_use_the_distance_of_the_group_mean() {
        let groups = vec![
            GroupSummary {
                option: "a".into(),
                label: "A".into(),
                n: 10,
                mean: Some(50.0),
                z: None,
            },
            GroupSummary {
                option: "b".into(),
                label: "B".into(),
                n: 10,
                mean: Some(80.0),
                z: None,
            },
            GroupSummary {
                option: "c".into(),
                label: "C".into(),
                n: 10,
                mean: Some(20.0),
                z: None,
            },
        ];
        let order: Vec<&str> = most_deviating(&groups, 2)
            .iter()
            .map(|g| g.option.as_str())
            .collect();
        assert_eq!(order, ["b", "c"]);
    }
}
