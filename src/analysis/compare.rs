//! Subset comparison: a part of the stories (one region, one role, …) set against a reference,
//! question by question — the "landelijk versus Rijk van Nijmegen" view.
//!
//! Every slider and number is compared with a Mann–Whitney U test and every choice question with
//! χ² on a 2 × k table (subset and rest × the options answered), the same tests as the scan.
//! False discoveries are controlled with Benjamini–Hochberg over all tests of one comparison, and
//! a question is `strong` as in the scan: q below `max_q` and strength (|r| or Cramér's V) at
//! least `min_strength`.
//!
//! # Reference: the rest or the whole
//!
//! **The test is always the subset against the rest** (the stories not in the subset): two
//! independent samples. Testing a subset against a whole that contains it is not a valid test,
//! because the same stories would sit on both sides.
//!
//! [`Reference`] only chooses the *figures shown* next to the subset's:
//!
//! - [`Reference::Rest`]: descriptives, counts and shares of the rest;
//! - [`Reference::Whole`]: descriptives, counts and shares of the whole dataset (subset
//!   included), and the sentences say "het geheel" instead of "de rest".
//!
//! Statistic, p, q, effect size, strength and the adjusted residuals are the same for both:
//! they always come from subset versus rest.
//!
//! "No answer" and "niet van toepassing" (`None`) are never a value: they are left out of every
//! test, share and mean, and counted apart in [`Descriptives::n_not_applicable`].

use super::dataset::{Codes, Dataset, OptionLabel, Variable};
use super::describe::dutch;
use super::descriptives::{Descriptives, Histogram};
use super::hypothesis;
use serde::{Deserialize, Serialize};

/// Which figures are shown next to the subset's (the test is always subset versus rest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Reference {
    /// The stories not in the subset.
    #[default]
    Rest,
    /// All stories, the subset included.
    Whole,
}

impl Reference {
    /// How the sentences name the reference.
    pub fn dutch(self) -> &'static str {
        match self {
            Reference::Rest => "de rest",
            Reference::Whole => "het geheel",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct CompareSettings {
    /// A question is only tested when the subset and the rest each have at least this many
    /// answers.
    pub min_group: usize,
    /// A strong difference has a q-value below this…
    pub max_q: f64,
    /// …and at least this strength.
    pub min_strength: f64,
    /// Which figures are shown next to the subset's.
    pub reference: Reference,
    /// Histogram bins of the descriptives.
    pub bins: usize,
}

impl Default for CompareSettings {
    fn default() -> Self {
        Self {
            min_group: 5,
            max_q: super::scan::STRONG_MAX_Q,
            min_strength: super::scan::STRONG_MIN_STRENGTH,
            reference: Reference::Rest,
            bins: 10,
        }
    }
}

/// One slider or number: the subset's figures, the reference's and the test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NumberComparison {
    pub key: String,
    pub label: String,
    /// The poles of a slider; `None` for other numbers.
    pub left: Option<String>,
    pub right: Option<String>,
    pub subset: Descriptives,
    /// Of the rest or of the whole dataset, as [`CompareSettings::reference`] says. Sliders have
    /// a histogram over 0–100; other numbers over the range of the whole dataset's values (the
    /// same range on both sides).
    pub reference: Descriptives,
    /// Mann–Whitney U of the subset (against the rest).
    pub statistic: f64,
    pub p_value: f64,
    pub q_value: f64,
    /// Rank-biserial r; positive when the subset tends to be higher than the rest.
    pub effect_size: f64,
    /// |r|.
    pub strength: f64,
    pub strong: bool,
    pub description: String,
}

/// One option of a choice question in the subset and in the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OptionComparison {
    pub option: String,
    pub label: String,
    /// Stories in the subset that chose this option.
    pub subset: u64,
    /// Stories in the reference (rest or whole) that chose this option.
    pub reference: u64,
    /// Fraction (0–1) of the subset's answers.
    pub subset_share: f64,
    /// Fraction (0–1) of the reference's answers.
    pub reference_share: f64,
    /// Adjusted standardised residual of the subset's cell in the subset × rest table: positive
    /// when the option is chosen more often in the subset than in the rest (above about 2:
    /// clearly over-represented; below about −2: clearly under-represented).
    pub residual: f64,
}

/// One choice question: per option counts and shares, and the χ² test.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChoiceComparison {
    pub key: String,
    pub label: String,
    /// Answers (not stories) in the subset and in the reference.
    pub subset_n: u64,
    pub reference_n: u64,
    /// The options anyone chose, in questionnaire order (options nobody chose are left out).
    pub options: Vec<OptionComparison>,
    /// Pearson's χ² of subset versus rest (Yates-corrected for two options).
    pub statistic: f64,
    pub dof: usize,
    pub p_value: f64,
    pub q_value: f64,
    /// Cramér's V.
    pub effect_size: f64,
    /// V.
    pub strength: f64,
    pub strong: bool,
    pub description: String,
}

/// A question that could not be compared, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UntestedQuestion {
    pub key: String,
    pub label: String,
    pub reason: &'static str,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Stories in the subset.
    pub subset: usize,
    /// Stories in the reference: the rest, or the whole dataset.
    pub reference: usize,
    pub reference_kind: Reference,
    pub settings: CompareSettings,
    pub tests: usize,
    pub strong: usize,
    /// Strongest first (then by q-value).
    pub numbers: Vec<NumberComparison>,
    /// Strongest first (then by q-value).
    pub choices: Vec<ChoiceComparison>,
    /// In questionnaire order.
    pub untested: Vec<UntestedQuestion>,
}

pub const TOO_FEW_IN_SUBSET: &str = "te weinig antwoorden in deze groep";
pub const TOO_FEW_IN_REST: &str = "te weinig antwoorden buiten deze groep";
pub const NO_SPREAD: &str = "geen spreiding in de antwoorden";

/// Compares the stories with `in_subset[story] == true` with the others, for every variable
/// whose key is not in `skip` (the questions that define the subset differ trivially). Stories
/// beyond the end of `in_subset` count as not in the subset.
pub fn compare(
    data: &Dataset,
    in_subset: &[bool],
    skip: &[&str],
    settings: CompareSettings,
) -> Comparison {
    let names = Names {
        ours: "deze groep",
        them: settings.reference.dutch(),
    };
    let mut comparisons = [unadjusted(data, in_subset, skip, settings, names)];
    adjust(&mut comparisons, settings);
    let [comparison] = comparisons;
    comparison
}

/// Each of several groups set against one reference group — several regions' projects beside
/// the national one. `side[story]` is `Some(0)` for the reference, `Some(i)` for group `i`
/// (1 to `names.len() - 1`) and `None` for a story in neither. Comparison `i - 1` tests group
/// `i` against the reference alone (two independent samples, as in [`compare`]: the
/// reference plays the rest); Benjamini–Hochberg runs once over the tests of all of them.
/// `names[0]` names the reference in the sentences, `names[i]` group `i`.
pub fn compare_with_reference(
    data: &Dataset,
    side: &[Option<usize>],
    names: &[String],
    settings: CompareSettings,
) -> Vec<Comparison> {
    let settings = CompareSettings {
        reference: Reference::Rest,
        ..settings
    };
    let Some((reference, groups)) = names.split_first() else {
        return Vec::new();
    };
    let mut comparisons: Vec<Comparison> = groups
        .iter()
        .enumerate()
        .map(|(i, name)| {
            let group = i + 1;
            let keep: Vec<bool> = (0..data.stories)
                .map(|s| matches!(side.get(s), Some(Some(g)) if *g == 0 || *g == group))
                .collect();
            let in_group: Vec<bool> = side
                .iter()
                .zip(&keep)
                .filter(|(_, k)| **k)
                .map(|(g, _)| *g == Some(group))
                .collect();
            let names = Names {
                ours: name,
                them: reference,
            };
            unadjusted(&data.select(&keep), &in_group, &[], settings, names)
        })
        .collect();
    adjust(&mut comparisons, settings);
    comparisons
}

/// How the sentences name the two sides.
#[derive(Clone, Copy)]
struct Names<'a> {
    ours: &'a str,
    them: &'a str,
}

/// The tests of one comparison, before q-values (all 1) and `strong`.
fn unadjusted(
    data: &Dataset,
    in_subset: &[bool],
    skip: &[&str],
    settings: CompareSettings,
    names: Names,
) -> Comparison {
    let member: Vec<bool> = (0..data.stories)
        .map(|story| in_subset.get(story).copied().unwrap_or(false))
        .collect();
    let subset = member.iter().filter(|&&m| m).count();
    let reference = match settings.reference {
        Reference::Rest => data.stories - subset,
        Reference::Whole => data.stories,
    };
    let mut numbers = Vec::new();
    let mut choices = Vec::new();
    let mut untested = Vec::new();
    for variable in &data.variables {
        if skip.contains(&variable.key()) {
            continue;
        }
        let outcome = match variable {
            Variable::Choice {
                options, values, ..
            } => compare_choice(variable, options, values, &member, settings, names)
                .map(|c| choices.push(c)),
            _ => compare_number(variable, &member, settings, names).map(|n| numbers.push(n)),
        };
        if let Err(reason) = outcome {
            untested.push(UntestedQuestion {
                key: variable.key().to_string(),
                label: variable.label().to_string(),
                reason,
            });
        }
    }
    Comparison {
        subset,
        reference,
        reference_kind: settings.reference,
        settings,
        tests: numbers.len() + choices.len(),
        strong: 0,
        numbers,
        choices,
        untested,
    }
}

/// Benjamini–Hochberg over every test of `comparisons` together; then `strong`, and the
/// strongest first (then by q-value).
fn adjust(comparisons: &mut [Comparison], settings: CompareSettings) {
    let p: Vec<f64> = comparisons
        .iter()
        .flat_map(|c| {
            c.numbers
                .iter()
                .map(|n| n.p_value)
                .chain(c.choices.iter().map(|c| c.p_value))
        })
        .collect();
    let q = hypothesis::benjamini_hochberg(&p);
    let mut q = q.into_iter();
    let strong = |q: f64, strength: f64| q < settings.max_q && strength >= settings.min_strength;
    for c in comparisons.iter_mut() {
        for n in &mut c.numbers {
            n.q_value = q.next().unwrap_or(1.0);
            n.strong = strong(n.q_value, n.strength);
        }
        for ch in &mut c.choices {
            ch.q_value = q.next().unwrap_or(1.0);
            ch.strong = strong(ch.q_value, ch.strength);
        }
        c.numbers.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(a.q_value.total_cmp(&b.q_value))
        });
        c.choices.sort_by(|a, b| {
            b.strength
                .total_cmp(&a.strength)
                .then(a.q_value.total_cmp(&b.q_value))
        });
        c.strong = c.numbers.iter().filter(|n| n.strong).count()
            + c.choices.iter().filter(|c| c.strong).count();
    }
}

/// Whether both sides have enough answers (at least one, whatever `min_group` says).
fn enough(subset: usize, rest: usize, settings: CompareSettings) -> Result<(), &'static str> {
    let min = settings.min_group.max(1);
    if subset < min {
        Err(TOO_FEW_IN_SUBSET)
    } else if rest < min {
        Err(TOO_FEW_IN_REST)
    } else {
        Ok(())
    }
}

fn compare_number(
    variable: &Variable,
    member: &[bool],
    settings: CompareSettings,
    names: Names,
) -> Result<NumberComparison, &'static str> {
    let (mut subset, mut rest, mut all) = (Vec::new(), Vec::new(), Vec::new());
    let (mut subset_na, mut rest_na) = (0, 0);
    for (story, &m) in member.iter().enumerate() {
        match (m, variable.number(story)) {
            (true, Some(x)) => subset.push(x),
            (true, None) => subset_na += 1,
            (false, Some(x)) => rest.push(x),
            (false, None) => rest_na += 1,
        }
        // In story order, so that the whole's figures equal those of the dataset itself.
        all.extend(variable.number(story));
    }
    enough(subset.len(), rest.len(), settings)?;
    let test = hypothesis::mann_whitney_u(&subset, &rest).ok_or(NO_SPREAD)?;
    let (left, right) = match variable {
        Variable::Slider { left, right, .. } => (Some(left.clone()), Some(right.clone())),
        _ => (None, None),
    };
    // Sliders run 0–100; another number gets one range for both sides, so bars line up.
    let range = left.is_none().then(|| {
        let low = all.iter().copied().fold(f64::INFINITY, f64::min);
        let high = all.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (low, high)
    });
    let describe = |values: &[f64], not_applicable: usize| {
        let mut d = Descriptives::of(values, not_applicable, settings.bins);
        if let Some((low, high)) = range {
            d.histogram = Histogram::new(values, settings.bins, low, high);
        }
        d
    };
    let subset_figures = describe(&subset, subset_na);
    let reference_figures = match settings.reference {
        Reference::Rest => describe(&rest, rest_na),
        Reference::Whole => describe(&all, subset_na + rest_na),
    };
    let description = describe_number(
        variable,
        subset_figures.mean.unwrap_or(0.0),
        reference_figures.mean.unwrap_or(0.0),
        names,
    );
    Ok(NumberComparison {
        key: variable.key().to_string(),
        label: variable.label().to_string(),
        left,
        right,
        subset: subset_figures,
        reference: reference_figures,
        statistic: test.statistic,
        p_value: test.p_value,
        q_value: 1.0,
        effect_size: test.effect_size,
        strength: test.effect_size.abs(),
        strong: false,
        description,
    })
}

fn compare_choice(
    variable: &Variable,
    options: &[OptionLabel],
    values: &Codes,
    member: &[bool],
    settings: CompareSettings,
    names: Names,
) -> Result<ChoiceComparison, &'static str> {
    // Row 0: the subset, row 1: the rest. Unanswered and unknown options count nowhere.
    let mut table = [vec![0u64; options.len()], vec![0u64; options.len()]];
    for (&m, option) in member.iter().zip(values) {
        if let Some(option) = option {
            if let Some(cell) = table[usize::from(!m)].get_mut(usize::from(option)) {
                *cell += 1;
            }
        }
    }
    let subset_n: u64 = table[0].iter().sum();
    let rest_n: u64 = table[1].iter().sum();
    enough(subset_n as usize, rest_n as usize, settings)?;
    let kept: Vec<usize> = (0..options.len())
        .filter(|&j| table[0][j] + table[1][j] > 0)
        .collect();
    if kept.len() < 2 {
        return Err(NO_SPREAD);
    }
    let observed: Vec<Vec<u64>> = table
        .iter()
        .map(|row| kept.iter().map(|&j| row[j]).collect())
        .collect();
    // Both rows and all kept columns are non-empty, so the result's cells line up with `kept`.
    let test = hypothesis::chi_square(&observed).ok_or(NO_SPREAD)?;
    let reference_n = match settings.reference {
        Reference::Rest => rest_n,
        Reference::Whole => subset_n + rest_n,
    };
    let share = |count: u64, of: u64| count as f64 / of as f64;
    let compared: Vec<OptionComparison> = kept
        .iter()
        .enumerate()
        .map(|(column, &j)| {
            let reference = match settings.reference {
                Reference::Rest => table[1][j],
                Reference::Whole => table[0][j] + table[1][j],
            };
            OptionComparison {
                option: options[j].key.clone(),
                label: options[j].label.clone(),
                subset: table[0][j],
                reference,
                subset_share: share(table[0][j], subset_n),
                reference_share: share(reference, reference_n),
                residual: test.residuals[0].get(column).copied().unwrap_or(0.0),
            }
        })
        .collect();
    let description = describe_choice(variable, &compared, names);
    Ok(ChoiceComparison {
        key: variable.key().to_string(),
        label: variable.label().to_string(),
        subset_n,
        reference_n,
        options: compared,
        statistic: test.statistic,
        dof: test.dof,
        p_value: test.p_value,
        q_value: 1.0,
        effect_size: test.cramers_v,
        strength: test.cramers_v,
        strong: false,
        description,
    })
}

/// Whole numbers, except for small numbers (one decimal).
fn number_text(value: f64, other: f64) -> String {
    let decimals = if value.abs().max(other.abs()) < 10.0 {
        1
    } else {
        0
    };
    dutch(value, decimals)
}

fn describe_number(variable: &Variable, subset: f64, reference: f64, names: Names) -> String {
    let label = variable.label();
    let (ours, theirs) = match variable {
        Variable::Slider { .. } => (dutch(subset, 0), dutch(reference, 0)),
        _ => (
            number_text(subset, reference),
            number_text(reference, subset),
        ),
    };
    let (group, them) = (names.ours, names.them);
    if ours == theirs {
        return format!(
            "Bij '{label}' is het gemiddelde in {group} ({ours}) ongeveer gelijk aan dat in {them} ({theirs})."
        );
    }
    let higher = subset > reference;
    match variable {
        Variable::Slider { left, right, .. } => {
            let pole = if higher { right } else { left };
            format!(
                "In {group} staat '{label}' gemiddeld dichter bij '{pole}' ({ours}) dan in {them} ({theirs})."
            )
        }
        _ => {
            let how = if higher { "hoger" } else { "lager" };
            format!("'{label}' is in {group} gemiddeld {how} ({ours}) dan in {them} ({theirs}).")
        }
    }
}

fn percent(share: f64) -> String {
    format!("{}%", dutch(share * 100.0, 0))
}

/// Names the most over-represented option (largest adjusted residual) whose rounded
/// percentages differ.
fn describe_choice(variable: &Variable, options: &[OptionComparison], names: Names) -> String {
    let label = variable.label();
    let (group, them) = (names.ours, names.them);
    let most = options
        .iter()
        .filter(|o| {
            o.subset_share > o.reference_share
                && percent(o.subset_share) != percent(o.reference_share)
        })
        .max_by(|a, b| a.residual.total_cmp(&b.residual));
    match most {
        Some(o) => format!(
            "Bij '{label}' wordt '{}' in {group} vaker gekozen dan in {them}: {} tegen {}.",
            o.label,
            percent(o.subset_share),
            percent(o.reference_share)
        ),
        None => format!(
            "De antwoorden op '{label}' zijn in {group} ongeveer zo verdeeld als in {them}."
        ),
    }
}

// --- small-cell protection --------------------------------------------------------------------

/// Which of a pair of counts may be shown: the subset's and the reference's (small-cell
/// protection, docs/privacy.md, `domain::smallcell`). A count from 1 to k − 1 may not; with the
/// whole as reference, neither may the whole's count when the rest's (the whole minus the
/// subset) is such a count, because the reader would subtract the subset's from it.
pub fn shown_counts(subset: u64, reference: u64, kind: Reference, k: u32) -> [bool; 2] {
    let safe = |n: u64| crate::domain::smallcell::count_is_safe(n as usize, k);
    let rest_safe = match kind {
        Reference::Rest => true,
        Reference::Whole => safe(reference.saturating_sub(subset)),
    };
    [safe(subset), safe(reference) && rest_safe]
}

impl NumberComparison {
    /// Whether the figures (answers, mean, median) of the subset and of the reference may be
    /// shown ([`shown_counts`] of their answers).
    pub fn shown(&self, kind: Reference, k: u32) -> [bool; 2] {
        shown_counts(self.subset.n as u64, self.reference.n as u64, kind, k)
    }
}

impl OptionComparison {
    /// Whether this option's count and share in the subset and in the reference may be shown.
    pub fn shown(&self, kind: Reference, k: u32) -> [bool; 2] {
        shown_counts(self.subset, self.reference, kind, k)
    }
}

/// The sentences of a comparison as they may be shown with k: a slider's sentence gives both
/// means, so when either side has fewer than k answers it says only that; a choice question's
/// sentence names an option with its shares on both sides, so when either side's count of
/// that option is under k it says less. `ours` and `them` name the sides, as in the sentences.
pub fn protect_sentences(c: &mut Comparison, ours: &str, them: &str, k: u32) {
    let kind = c.reference_kind;
    let k = k.max(crate::domain::smallcell::MIN_K);
    for n in &mut c.numbers {
        if n.shown(kind, k) != [true, true] {
            n.description = format!(
                "Bij '{}' gaven in {ours} of in {them} minder dan {k} vertellers een antwoord. Daarom tonen we hier geen gemiddelden.",
                n.label
            );
        }
    }
    for choice in &mut c.choices {
        let named = choice.options.iter().find(|o| {
            choice
                .description
                .contains(&format!("wordt '{}' in", o.label))
        });
        if named.is_some_and(|o| o.shown(kind, k) != [true, true]) {
            choice.description = format!(
                "Bij '{}' verschillen de antwoorden in {ours} en in {them}. Het antwoord dat het meest verschilt, is door minder dan {k} vertellers gekozen: die cijfers tonen we niet.",
                choice.label
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    use serde_json::Value;

    const FIXTURES: &str = include_str!("../../tests/fixtures/analysis.json");

    /// Agreement to at least 6 significant digits (absolute for values near zero).
    fn close(actual: f64, expected: f64, what: &str) {
        let tolerance = 1e-6 * expected.abs().max(1e-9);
        assert!(
            (actual - expected).abs() <= tolerance,
            "{what}: {actual} vs scipy {expected}"
        );
    }

    fn options(keys: &[&str]) -> Vec<OptionLabel> {
        keys.iter()
            .map(|k| OptionLabel {
                key: (*k).into(),
                label: k.to_uppercase(),
            })
            .collect()
    }

    fn slider(key: &str, values: Vec<Option<u8>>) -> Variable {
        Variable::Slider {
            key: key.into(),
            label: format!("Vraag {key}"),
            left: "links".into(),
            right: "rechts".into(),
            values,
        }
    }

    fn choice(key: &str, option_keys: &[&str], values: Vec<Option<u16>>) -> Variable {
        Variable::Choice {
            key: key.into(),
            label: format!("Vraag {key}"),
            options: options(option_keys),
            values: values.into(),
        }
    }

    fn number<'a>(c: &'a Comparison, key: &str) -> &'a NumberComparison {
        c.numbers
            .iter()
            .find(|n| n.key == key)
            .unwrap_or_else(|| panic!("no number comparison {key}"))
    }

    fn choice_of<'a>(c: &'a Comparison, key: &str) -> &'a ChoiceComparison {
        c.choices
            .iter()
            .find(|n| n.key == key)
            .unwrap_or_else(|| panic!("no choice comparison {key}"))
    }

    /// The fixture's dataset and subset mask (generated by scripts/analysis_fixtures.py).
    fn fixture() -> (Dataset, Vec<bool>, Value) {
        let all: Value = serde_json::from_str(FIXTURES).expect("fixture JSON");
        let case = all["compare"].clone();
        let mask: Vec<bool> = case["mask"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_bool().unwrap())
            .collect();
        let variables = case["variables"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                let key = v["key"].as_str().unwrap();
                let values = v["values"].as_array().unwrap();
                match v["kind"].as_str().unwrap() {
                    "slider" => slider(
                        key,
                        values.iter().map(|x| x.as_f64().map(|x| x as u8)).collect(),
                    ),
                    _ => {
                        let count = v["options"].as_u64().unwrap() as usize;
                        let keys: Vec<String> = (0..count).map(|i| format!("o{i}")).collect();
                        let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
                        choice(
                            key,
                            &keys,
                            values
                                .iter()
                                .map(|x| x.as_u64().map(|x| x as u16))
                                .collect(),
                        )
                    }
                }
            })
            .collect();
        let data = Dataset {
            scan_use: Default::default(),
            stories: mask.len(),
            variables,
        };
        (data, mask, case["results"].clone())
    }

    #[test]
    fn tests_agree_with_scipy() {
        let (data, mask, expected) = fixture();
        for reference in [Reference::Rest, Reference::Whole] {
            let settings = CompareSettings {
                reference,
                ..Default::default()
            };
            let c = compare(&data, &mask, &[], settings);
            assert_eq!(c.tests, 3);
            let s = number(&c, "s");
            close(s.statistic, expected["s"]["u"].as_f64().unwrap(), "U");
            close(s.p_value, expected["s"]["p"].as_f64().unwrap(), "p");
            close(s.q_value, expected["s"]["q"].as_f64().unwrap(), "q");
            for key in ["c3", "c2"] {
                let ch = choice_of(&c, key);
                let e = &expected[key];
                close(ch.statistic, e["chi2"].as_f64().unwrap(), "chi2");
                close(ch.p_value, e["p"].as_f64().unwrap(), "p");
                close(ch.q_value, e["q"].as_f64().unwrap(), "q");
                close(ch.effect_size, e["cramers_v"].as_f64().unwrap(), "V");
                assert_eq!(ch.dof as u64, e["dof"].as_u64().unwrap());
                let subset_row: Vec<u64> = e["table"][0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|x| x.as_u64().unwrap())
                    .collect();
                let counts: Vec<u64> = ch.options.iter().map(|o| o.subset).collect();
                assert_eq!(counts, subset_row, "{key}");
            }
            // The fourth option of c3 was never chosen: left out of the table.
            assert_eq!(choice_of(&c, "c3").options.len(), 3);
        }
    }

    /// 400 stories, a quarter in the subset: the subset is higher on `hoog` and chooses `b` of
    /// `keuze` more often; `los` and `anders` are unrelated to the subset.
    fn planted() -> (Dataset, Vec<bool>) {
        let mut rng = StdRng::seed_from_u64(11);
        let n = 400;
        let mask: Vec<bool> = (0..n).map(|i| i % 4 == 0).collect();
        let noise = |rng: &mut StdRng| (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
        let value = |mean: f64, rng: &mut StdRng| {
            Some((mean + 30.0 * noise(rng)).round().clamp(0.0, 100.0) as u8)
        };
        let hoog = mask
            .iter()
            .map(|&m| value(if m { 72.0 } else { 45.0 }, &mut rng))
            .collect();
        let los = mask.iter().map(|_| value(50.0, &mut rng)).collect();
        let keuze = mask
            .iter()
            .map(|&m| {
                let b = if m { 0.6 } else { 0.2 };
                let u: f64 = rng.random();
                Some(if u < b {
                    1
                } else if u < (1.0 + b) / 2.0 {
                    0
                } else {
                    2
                })
            })
            .collect();
        let anders = mask
            .iter()
            .map(|_| Some(u16::from(rng.random::<f64>() < 0.5)))
            .collect();
        let data = Dataset {
            scan_use: Default::default(),
            stories: n,
            variables: vec![
                slider("los", los),
                slider("hoog", hoog),
                choice("anders", &["nee", "ja"], anders),
                choice("keuze", &["a", "b", "c"], keuze),
            ],
        };
        (data, mask)
    }

    #[test]
    fn a_planted_difference_comes_out_strong() {
        let (data, mask) = planted();
        let c = compare(&data, &mask, &[], CompareSettings::default());
        assert_eq!((c.subset, c.reference, c.tests), (100, 300, 4));
        let hoog = number(&c, "hoog");
        assert!(hoog.strong && hoog.effect_size > 0.3, "{hoog:?}");
        assert_eq!(c.numbers[0].key, "hoog", "strongest first");
        assert!(
            hoog.description
                .starts_with("In deze groep staat 'Vraag hoog' gemiddeld dichter bij 'rechts' ("),
            "{}",
            hoog.description
        );
        assert!(hoog.description.contains("dan in de rest ("));
        assert!(!number(&c, "los").strong);
        let keuze = choice_of(&c, "keuze");
        assert!(keuze.strong, "{keuze:?}");
        let b = &keuze.options[1];
        assert!(
            b.residual > 3.0 && b.subset_share > b.reference_share,
            "{b:?}"
        );
        assert!(
            keuze.description.starts_with(
                "Bij 'Vraag keuze' wordt 'B' in deze groep vaker gekozen dan in de rest: "
            ),
            "{}",
            keuze.description
        );
        assert!(!choice_of(&c, "anders").strong);
        assert_eq!(c.strong, 2);
        let json = serde_json::to_value(&c).unwrap();
        assert_eq!(json["reference_kind"], "rest");
    }

    #[test]
    fn whole_shows_the_whole_but_tests_against_the_rest() {
        let (data, mask) = planted();
        let rest = compare(&data, &mask, &[], CompareSettings::default());
        let whole = compare(
            &data,
            &mask,
            &[],
            CompareSettings {
                reference: Reference::Whole,
                ..Default::default()
            },
        );
        assert_eq!((whole.subset, whole.reference), (100, 400));
        for (r, w) in rest.numbers.iter().zip(&whole.numbers) {
            assert_eq!(r.key, w.key);
            assert_eq!(
                (r.p_value, r.q_value, r.effect_size),
                (w.p_value, w.q_value, w.effect_size)
            );
            assert_eq!(r.subset, w.subset);
            assert_eq!((r.reference.n, w.reference.n), (300, 400));
            let all: Vec<f64> = (0..400)
                .filter_map(|s| data.variable(&r.key).unwrap().number(s))
                .collect();
            assert_eq!(w.reference, Descriptives::of(&all, 0, 10));
            assert!(
                w.description.contains("in het geheel ("),
                "{}",
                w.description
            );
        }
        for (r, w) in rest.choices.iter().zip(&whole.choices) {
            assert_eq!(r.key, w.key);
            assert_eq!(
                (r.p_value, r.q_value, r.statistic),
                (w.p_value, w.q_value, w.statistic)
            );
            assert_eq!((r.reference_n, w.reference_n), (300, 400));
            for (ro, wo) in r.options.iter().zip(&w.options) {
                assert_eq!(wo.reference, ro.reference + ro.subset);
                assert_eq!(ro.residual, wo.residual);
                assert!((wo.reference_share - wo.reference as f64 / 400.0).abs() < 1e-12);
            }
        }
        let keuze = choice_of(&whole, "keuze");
        assert!(
            keuze.description.contains("dan in het geheel: "),
            "{}",
            keuze.description
        );
        assert_eq!(serde_json::to_value(whole.reference_kind).unwrap(), "whole");
    }

    #[test]
    fn not_applicable_is_no_value() {
        // Subset: stories 0–5. Its N/A answers must not count as 0.
        let data = Dataset {
            scan_use: Default::default(),
            stories: 12,
            variables: vec![
                slider(
                    "s",
                    vec![
                        Some(80),
                        None,
                        Some(90),
                        None,
                        Some(70),
                        Some(80),
                        Some(20),
                        Some(30),
                        None,
                        Some(10),
                        Some(20),
                        Some(40),
                    ],
                ),
                choice(
                    "c",
                    &["a", "b"],
                    vec![
                        Some(0),
                        None,
                        Some(0),
                        None,
                        Some(1),
                        Some(0),
                        Some(1),
                        Some(1),
                        None,
                        Some(0),
                        Some(1),
                        Some(1),
                    ],
                ),
            ],
        };
        let mask: Vec<bool> = (0..12).map(|i| i < 6).collect();
        let settings = CompareSettings {
            min_group: 3,
            ..Default::default()
        };
        let c = compare(&data, &mask, &[], settings);
        let s = number(&c, "s");
        assert_eq!((s.subset.n, s.subset.n_not_applicable), (4, 2));
        assert_eq!(s.subset.mean, Some(80.0));
        assert_eq!((s.reference.n, s.reference.n_not_applicable), (5, 1));
        let expected =
            hypothesis::mann_whitney_u(&[80.0, 90.0, 70.0, 80.0], &[20.0, 30.0, 10.0, 20.0, 40.0])
                .unwrap();
        assert_eq!(s.p_value, expected.p_value);
        assert_eq!(s.effect_size, 1.0);
        let ch = choice_of(&c, "c");
        assert_eq!((ch.subset_n, ch.reference_n), (4, 5));
        assert_eq!(ch.options[0].subset_share, 0.75);
        assert_eq!(ch.options[1].reference_share, 0.8);
    }

    #[test]
    fn a_tiny_subset_is_reported_untested() {
        let (data, _) = planted();
        let mask: Vec<bool> = (0..3).map(|_| true).collect(); // shorter than the dataset
        let c = compare(&data, &mask, &[], CompareSettings::default());
        assert_eq!((c.subset, c.reference, c.tests, c.strong), (3, 397, 0, 0));
        assert!(c.numbers.is_empty() && c.choices.is_empty());
        assert_eq!(c.untested.len(), 4);
        assert!(c.untested.iter().all(|u| u.reason == TOO_FEW_IN_SUBSET));
        // Everything in the subset: nothing left to test against.
        let c = compare(&data, &[true; 400], &[], CompareSettings::default());
        assert!(c.untested.iter().all(|u| u.reason == TOO_FEW_IN_REST));
    }

    #[test]
    fn skipped_and_constant_questions() {
        let (mut data, mask) = planted();
        data.variables.push(slider("vast", vec![Some(50); 400]));
        data.variables
            .push(choice("een", &["x", "y"], vec![Some(1); 400]));
        let c = compare(&data, &mask, &["keuze", "los"], CompareSettings::default());
        assert_eq!(c.tests, 2);
        let keys: Vec<&str> = c
            .numbers
            .iter()
            .map(|n| n.key.as_str())
            .chain(c.choices.iter().map(|c| c.key.as_str()))
            .chain(c.untested.iter().map(|u| u.key.as_str()))
            .collect();
        assert_eq!(keys, ["hoog", "anders", "vast", "een"]);
        assert!(c.untested.iter().all(|u| u.reason == NO_SPREAD));
    }

    #[test]
    fn numbers_get_their_own_histogram_range_and_sentence() {
        let data = Dataset {
            scan_use: Default::default(),
            stories: 10,
            variables: vec![Variable::Numeric {
                key: "lengte".into(),
                label: "Lengte".into(),
                values: (0..10).map(|i| Some(100.0 + 50.0 * i as f64)).collect(),
            }],
        };
        let mask: Vec<bool> = (0..10).map(|i| i >= 5).collect();
        let c = compare(&data, &mask, &[], CompareSettings::default());
        let n = number(&c, "lengte");
        assert_eq!((n.left.as_deref(), n.right.as_deref()), (None, None));
        assert_eq!(
            (n.subset.histogram.low, n.subset.histogram.high),
            (100.0, 550.0)
        );
        assert_eq!(n.subset.histogram.counts.iter().sum::<u64>(), 5);
        assert_eq!(
            n.description,
            "'Lengte' is in deze groep gemiddeld hoger (450) dan in de rest (200)."
        );
    }

    #[test]
    fn several_groups_beside_one_reference_share_one_correction() {
        let (data, mask) = planted();
        // Reference: the stories outside the mask; group 1: the first half of the mask, group
        // 2: the second half; story 399 in neither.
        let side: Vec<Option<usize>> = mask
            .iter()
            .enumerate()
            .map(|(i, &m)| match (i, m) {
                (399, _) => None,
                (_, false) => Some(0),
                (i, true) if i < 200 => Some(1),
                _ => Some(2),
            })
            .collect();
        let names = ["Landelijk".to_string(), "Noord".into(), "Zuid".into()];
        let both = compare_with_reference(&data, &side, &names, CompareSettings::default());
        assert_eq!(both.len(), 2);
        let mut p = Vec::new();
        for (g, c) in both.iter().enumerate() {
            let keep: Vec<bool> = side
                .iter()
                .map(|s| *s == Some(0) || *s == Some(g + 1))
                .collect();
            let in_group: Vec<bool> = side
                .iter()
                .filter(|s| **s == Some(0) || **s == Some(g + 1))
                .map(|s| *s == Some(g + 1))
                .collect();
            let alone = compare(
                &data.select(&keep),
                &in_group,
                &[],
                CompareSettings::default(),
            );
            assert_eq!((c.subset, c.reference), (alone.subset, alone.reference));
            assert_eq!((c.subset, c.reference), (50, 299));
            for n in &alone.numbers {
                let same = number(c, &n.key);
                assert_eq!((same.statistic, same.p_value), (n.statistic, n.p_value));
                p.push(n.p_value);
            }
            for ch in &alone.choices {
                assert_eq!(choice_of(c, &ch.key).p_value, ch.p_value);
                p.push(ch.p_value);
            }
        }
        // One Benjamini–Hochberg over the eight tests of both comparisons.
        let q = hypothesis::benjamini_hochberg(&p);
        let mut i = 0;
        for c in &both {
            for key in ["los", "hoog", "anders", "keuze"] {
                let got = c
                    .numbers
                    .iter()
                    .find(|n| n.key == key)
                    .map(|n| n.p_value)
                    .or_else(|| c.choices.iter().find(|n| n.key == key).map(|n| n.p_value))
                    .unwrap();
                let at = p.iter().position(|x| *x == got).unwrap();
                let q_got = c
                    .numbers
                    .iter()
                    .find(|n| n.key == key)
                    .map(|n| n.q_value)
                    .or_else(|| c.choices.iter().find(|n| n.key == key).map(|n| n.q_value))
                    .unwrap();
                assert_eq!(q_got, q[at], "{key}");
                i += 1;
            }
        }
        assert_eq!(i, 8);
        assert!(number(&both[0], "hoog")
            .description
            .starts_with("In Noord staat 'Vraag hoog' gemiddeld dichter bij 'rechts' ("));
        assert!(number(&both[1], "hoog")
            .description
            .contains("dan in Landelijk ("));
    }

    fn compared_choice(counts: [(u64, u64); 2], description: &str) -> ChoiceComparison {
        let options = counts
            .iter()
            .enumerate()
            .map(|(i, &(ours, theirs))| OptionComparison {
                option: format!("o{i}"),
                label: format!("Optie {i}"),
                subset: ours,
                reference: theirs,
                subset_share: 0.0,
                reference_share: 0.0,
                residual: 0.0,
            })
            .collect();
        ChoiceComparison {
            key: "c".into(),
            label: "Vraag".into(),
            subset_n: 0,
            reference_n: 0,
            options,
            statistic: 0.0,
            dof: 1,
            p_value: 1.0,
            q_value: 1.0,
            effect_size: 0.0,
            strength: 0.0,
            strong: false,
            description: description.into(),
        }
    }

    fn with_choice(choice: ChoiceComparison, kind: Reference) -> Comparison {
        Comparison {
            subset: 20,
            reference: 30,
            reference_kind: kind,
            settings: CompareSettings::default(),
            tests: 1,
            strong: 0,
            numbers: Vec::new(),
            choices: vec![choice],
            untested: Vec::new(),
        }
    }

    const NAMED: &str =
        "Bij 'Vraag' wordt 'Optie 0' in Noord vaker gekozen dan in Zuid: 10% tegen 0%.";

    #[test]
    fn a_sentence_that_would_give_a_small_count_away_says_less() {
        let mut small = with_choice(compared_choice([(2, 0), (18, 30)], NAMED), Reference::Rest);
        protect_sentences(&mut small, "Noord", "Zuid", 5);
        let said = &small.choices[0].description;
        assert!(!said.contains('%'), "{said}");
        assert!(said.contains("minder dan 5 vertellers"), "{said}");
        let mut fine = with_choice(compared_choice([(8, 0), (12, 30)], NAMED), Reference::Rest);
        protect_sentences(&mut fine, "Noord", "Zuid", 5);
        assert_eq!(fine.choices[0].description, NAMED);
        // Beside the whole: 8 of 10 in the subset leaves 2 in the rest, found by subtracting.
        let mut by_difference = with_choice(
            compared_choice([(8, 10), (12, 40)], NAMED),
            Reference::Whole,
        );
        protect_sentences(&mut by_difference, "Noord", "het geheel", 5);
        assert!(!by_difference.choices[0].description.contains('%'));
    }

    #[test]
    fn counts_under_k_are_not_shown_nor_a_whole_that_gives_one_away() {
        assert_eq!(shown_counts(0, 7, Reference::Rest, 5), [true, true]);
        assert_eq!(shown_counts(4, 7, Reference::Rest, 5), [false, true]);
        assert_eq!(shown_counts(5, 1, Reference::Rest, 5), [true, false]);
        assert_eq!(shown_counts(5, 7, Reference::Whole, 5), [true, false]);
        assert_eq!(shown_counts(5, 10, Reference::Whole, 5), [true, true]);
        assert_eq!(shown_counts(3, 3, Reference::Whole, 5), [false, false]);
        assert_eq!(shown_counts(6, 6, Reference::Whole, 5), [true, true]);
    }

    #[test]
    fn a_mean_of_fewer_than_k_answers_is_not_told() {
        let (data, mask) = planted();
        let mut c = compare(&data, &mask, &[], CompareSettings::default());
        // 100 and 300 answers: shown with k = 5, not with k = 150.
        let before: Vec<String> = c.numbers.iter().map(|n| n.description.clone()).collect();
        protect_sentences(&mut c, "deze groep", "de rest", 5);
        let after: Vec<String> = c.numbers.iter().map(|n| n.description.clone()).collect();
        assert_eq!(before, after);
        protect_sentences(&mut c, "deze groep", "de rest", 150);
        for n in &c.numbers {
            assert!(!n.description.contains('('), "{}", n.description);
            assert!(n.description.contains("minder dan 150 vertellers"));
        }
    }
}
