//! Demo data: a project full of fictitious stories with a few planted patterns, for trying the
//! analysis pages and for benchmarks. Everything it makes says it is made up.

use crate::domain::answer::{Answer, Answers, SliderValue};
use crate::domain::codes::story_id;
use crate::domain::questionnaire::{default_questionnaire, QuestionType, QuestionnaireError};
use crate::domain::story::is_complete;
use crate::domain::{Channel, ProjectSettings};
use crate::exchange::timestamp::now_unix;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::stories::{self, AnswerRecord, StoryRecord};
use crate::store::{projects, Database, StoreError};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

pub const DEMO_SLUG: &str = "demo";
pub const DEMO_TITLE: &str = "Demo: verzonnen verhalen";

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Questionnaire(#[from] QuestionnaireError),
    #[error(transparent)]
    Core(#[from] ServiceError),
}

crate::core_error!(DemoError);

impl Refused for DemoError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Questionnaire(_) => Refusal::Invalid,
        }
    }
}

const SENTENCES: &[&str] = &[
    "Dit verhaal is verzonnen voor de demo van Vertelpunt.",
    "We moesten lang wachten voordat er iemand kwam.",
    "De hulpverlener luisterde goed en nam ons serieus.",
    "Op school wisten ze niet goed wat ze moesten doen.",
    "Na een paar gesprekken ging het beter thuis.",
    "Ik snapte niet waarom er steeds iemand anders kwam.",
    "Samen met de mentor maakten we een plan.",
    "Het duurde maanden voordat de juiste hulp er was.",
];

fn slider(rng: &mut StdRng, mean: f64) -> Answer {
    let noise: f64 = (0..4).map(|_| rng.random::<f64>()).sum::<f64>() - 2.0;
    let value = (mean + noise * 30.0).round().clamp(0.0, 100.0) as i64;
    SliderValue::new(value).map_or(Answer::NotApplicable, Answer::Slider)
}

/// Creates the demo project when missing and adds `count` fictitious stories. Planted:
/// "gehoord" depends on the role, "op_tijd" is low in the first gemeente, and "regie" rises
/// with "gehoord". Returns how many stories the project has now.
pub fn generate(db: &Database, count: usize, seed: u64) -> Result<usize, DemoError> {
    let mut questionnaire = default_questionnaire()?;
    questionnaire.slug = DEMO_SLUG.into();
    questionnaire.title = DEMO_TITLE.into();
    let questionnaire = questionnaire.parse()?;
    let now = now_unix();
    db.write_sync(|conn| {
        if projects::find_summary(conn, DEMO_SLUG)?.is_none() {
            let settings = ProjectSettings {
                intro: Some(
                    "Dit is een demo. Alle verhalen hier zijn verzonnen; ze gaan niet over echte mensen."
                        .into(),
                ),
                ..ProjectSettings::shipped_defaults().for_questionnaire(&questionnaire)
            };
            projects::create(conn, &questionnaire, &settings, now)?;
        }
        Ok(())
    })?;
    let mut conn = db.conn()?;
    let project = projects::find(&mut conn, DEMO_SLUG)?
        .ok_or_else(|| StoreError::Corrupt("demo project vanished".into()))?;
    drop(conn);
    let q = &project.questionnaire;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut records = Vec::with_capacity(count);
    let mut answer_rows = Vec::new();
    let mut ids = std::collections::HashSet::new();
    for _ in 0..count {
        let role_index = rng.random_range(0..q.roles.len());
        let role = q.roles[role_index].key.clone();
        let mut answers = Answers::new();
        // Choices first, so that sliders can depend on them.
        for question in &q.questions {
            if !question.applies_to(&role) || question.options.is_empty() {
                continue;
            }
            match question.kind {
                QuestionType::Choice => {
                    let i = rng.random_range(0..question.options.len());
                    answers.insert(
                        question.key.clone(),
                        Answer::Choice(question.options[i].key.clone()),
                    );
                }
                QuestionType::Multichoice => {
                    let chosen: Vec<String> = question
                        .options
                        .iter()
                        .filter(|_| rng.random::<f64>() < 0.3)
                        .map(|o| o.key.clone())
                        .collect();
                    if !chosen.is_empty() {
                        answers.insert(question.key.clone(), Answer::Multichoice(chosen));
                    }
                }
                _ => {}
            }
        }
        let first_gemeente = q
            .questions
            .iter()
            .find(|x| x.key == "gemeente")
            .and_then(|x| x.options.first())
            .map(|o| o.key.clone());
        let in_first_gemeente = matches!(
            (answers.get("gemeente"), &first_gemeente),
            (Some(Answer::Choice(c)), Some(f)) if c == f
        );
        let mut gehoord = None;
        for question in &q.questions {
            if question.kind != QuestionType::Slider || !question.applies_to(&role) {
                continue;
            }
            if question.allow_na && rng.random::<f64>() < 0.08 {
                answers.insert(question.key.clone(), Answer::NotApplicable);
                continue;
            }
            let mean = match question.key.as_str() {
                "gehoord" => 30.0 + 20.0 * role_index as f64,
                "op_tijd" if in_first_gemeente => 25.0,
                "regie" => gehoord.map_or(50.0, |g: u8| 20.0 + 0.6 * f64::from(g)),
                _ => 50.0,
            };
            let answer = slider(&mut rng, mean);
            if question.key == "gehoord" {
                if let Answer::Slider(v) = &answer {
                    gehoord = Some(v.get());
                }
            }
            answers.insert(question.key.clone(), answer);
        }
        let words = rng.random_range(3..=SENTENCES.len());
        let text = std::iter::once(SENTENCES[0])
            .chain((1..words).map(|_| SENTENCES[rng.random_range(1..SENTENCES.len())]))
            .collect::<Vec<_>>()
            .join(" ");
        let mut id = story_id(rng.random());
        while !ids.insert(id.clone()) {
            id = story_id(rng.random());
        }
        let complete = is_complete(project.settings.completeness, q, &role, &text, &answers);
        answer_rows.extend(
            answers
                .iter()
                .map(|(key, a)| AnswerRecord::encode(&id, key, a)),
        );
        records.push(StoryRecord {
            id,
            project_slug: DEMO_SLUG.into(),
            questionnaire_version: project.version,
            participant_id: None,
            role,
            title: "Verzonnen verhaal (demo)".into(),
            body: text,
            language: "nl".into(),
            channel: Channel::Online.as_str().into(),
            created_at: now - rng.random_range(0..365 * 24 * 3600),
            is_complete: complete,
            consent_analysis: true,
            consent_quotes: true,
            withdrawal_code_hash: None,
            withdrawn_at: None,
            submission_key: None,
            moderation: Default::default(),
            word_count: None,
        });
    }
    db.write_sync(|conn| {
        for (records, answers) in batches(&records, &answer_rows) {
            stories::insert_many(conn, records, answers)?;
        }
        Ok(())
    })?;
    let mut conn = db.conn()?;
    stories::analyze_after_bulk(&mut conn)?;
    Ok(stories::counts(&mut conn, DEMO_SLUG)?.total as usize)
}

/// Stories and their answers in slices of 5,000 stories (answers follow story order).
fn batches<'a>(
    records: &'a [StoryRecord],
    answers: &'a [AnswerRecord],
) -> Vec<(&'a [StoryRecord], &'a [AnswerRecord])> {
    let mut out = Vec::new();
    let mut answer_start = 0;
    for chunk in records.chunks(5000) {
        let mut answer_end = answer_start;
        // Answers of the chunk's stories are contiguous and in the same order.
        let ids: std::collections::HashSet<&str> = chunk.iter().map(|r| r.id.as_str()).collect();
        while answer_end < answers.len() && ids.contains(answers[answer_end].story_id.as_str()) {
            answer_end += 1;
        }
        out.push((chunk, &answers[answer_start..answer_end]));
        answer_start = answer_end;
    }
    out
}
