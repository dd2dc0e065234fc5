//! Generated datasets for tests, benchmarks and demos — fictitious by construction, with known
//! ("planted") patterns, or with none at all.

use super::dataset::{Codes, Dataset, OptionLabel, Variable};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Which structure to plant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// `slider_00` depends on `keuze_0`, `keuze_1` goes with `keuze_2`, `slider_01` rises with
    /// `slider_02`, and `slider_03` is high only in one cell of `keuze_3` × `keuze_4`.
    Planted,
    /// Every answer drawn independently.
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    pub stories: usize,
    pub sliders: usize,
    pub choices: usize,
    /// Multichoice questions, each entering as `multi_options` yes/no questions.
    pub multichoices: usize,
    pub multi_options: usize,
}

impl Shape {
    /// The benchmark shape of issue 4: 12 sliders, 6 choices (3–8 options), 2 multichoices.
    pub fn benchmark(stories: usize) -> Self {
        Self {
            stories,
            sliders: 12,
            choices: 6,
            multichoices: 2,
            multi_options: 5,
        }
    }
}

fn slider_value(rng: &mut StdRng, mean: f64) -> u8 {
    // A sum of uniforms is roughly normal and needs no extra crate.
    let noise: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
    (mean + noise * 30.0).round().clamp(0.0, 100.0) as u8
}

fn options(prefix: &str, count: usize) -> Vec<OptionLabel> {
    (0..count)
        .map(|i| OptionLabel {
            key: format!("{prefix}_{i}"),
            label: format!("Optie {} van {prefix}", i + 1),
        })
        .collect()
}

pub fn generate(shape: Shape, structure: Structure, seed: u64) -> Dataset {
    let mut rng = StdRng::seed_from_u64(seed);
    let n = shape.stories;
    let planted = structure == Structure::Planted;
    let mut choice_values: Vec<Codes> = Vec::new();
    let mut variables = Vec::new();
    for c in 0..shape.choices {
        let count = 3 + (c * 5 / shape.choices.max(1)).min(5);
        let values: Codes = (0..n)
            .map(|story| {
                if rng.random::<f64>() < 0.05 {
                    return None;
                }
                if planted && c == 2 && shape.choices > 2 {
                    // keuze_2 follows keuze_1 half of the time.
                    if let Some(Some(first)) = choice_values.get(1).map(|v| v.get(story)) {
                        if rng.random::<f64>() < 0.5 {
                            return Some(first.min(count as u16 - 1));
                        }
                    }
                }
                Some(rng.random_range(0..count) as u16)
            })
            .collect();
        choice_values.push(values.clone());
        variables.push(Variable::Choice {
            key: format!("keuze_{c}"),
            label: format!("Keuzevraag {c}"),
            options: options(&format!("k{c}"), count),
            values,
        });
    }
    for m in 0..shape.multichoices {
        for o in 0..shape.multi_options {
            let values = (0..n)
                .map(|_| Some(u16::from(rng.random::<f64>() < 0.3)))
                .collect();
            variables.push(Variable::Choice {
                key: format!("meer_{m}__{o}"),
                label: format!("Meerkeuze {m}: optie {o}"),
                options: vec![
                    OptionLabel {
                        key: "nee".into(),
                        label: "nee".into(),
                    },
                    OptionLabel {
                        key: "ja".into(),
                        label: "ja".into(),
                    },
                ],
                values,
            });
        }
    }
    let mut slider_values: Vec<Vec<Option<u8>>> = Vec::new();
    for s in 0..shape.sliders {
        let values: Vec<Option<u8>> = (0..n)
            .map(|story| {
                if rng.random::<f64>() < 0.08 {
                    return None; // "weet ik niet"
                }
                let choice = |c: usize| choice_values.get(c).and_then(|v| v.get(story));
                let mean = match (planted, s) {
                    (true, 0) => choice(0).map_or(50.0, |o| 30.0 + 20.0 * f64::from(o)),
                    (true, 2) => slider_values
                        .get(1)
                        .and_then(|v| v[story])
                        .map_or(50.0, |v| 20.0 + 0.6 * f64::from(v)),
                    // Only the combination matters: a checkerboard over the options of
                    // keuze_3 and keuze_4, so that neither question has an effect alone.
                    (true, 3) => match (choice(3), choice(4)) {
                        (Some(a), Some(b)) if (a + b).is_multiple_of(2) => 70.0,
                        (Some(_), Some(_)) => 30.0,
                        _ => 50.0,
                    },
                    _ => 50.0,
                };
                Some(slider_value(&mut rng, mean))
            })
            .collect();
        slider_values.push(values.clone());
        variables.push(Variable::Slider {
            key: format!("slider_{s:02}"),
            label: format!("Schuifvraag {s}"),
            left: "helemaal niet".into(),
            right: "helemaal wel".into(),
            values,
        });
    }
    Dataset {
        scan_use: Default::default(),
        stories: n,
        variables,
    }
}
