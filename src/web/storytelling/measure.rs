//! The response monitor's counting on the teller's path (`service::response`): the story
//! form carries its place (`plek`, like the role) and a signed `meting` (when it was opened,
//! whether its start was counted) through every post, without a cookie. A count that fails
//! is logged and never stops a teller.

use crate::domain::response::Stage;
use crate::exchange::timestamp::now_unix;
use crate::service::response::{self, Event, Measure};
use crate::web::forms::PostedForm;
use crate::web::AppState;

/// The form fields.
pub const FIELD_PLACE: &str = "plek";
pub const FIELD_MEASURE: &str = "meting";

/// What a posted form carries: its place and its measure.
#[derive(Debug, Clone, Default)]
pub struct Carried {
    pub place: String,
    pub measure: Option<Measure>,
}

impl Carried {
    pub fn from_form(state: &AppState, form: &PostedForm, project: &str) -> Self {
        Carried {
            place: form.text(FIELD_PLACE),
            measure: form
                .get(FIELD_MEASURE)
                .and_then(|sealed| Measure::open(&state.secret, sealed, project)),
        }
    }

    /// The measure for the form's hidden field.
    pub fn sealed(&self, state: &AppState) -> Option<String> {
        self.measure.as_ref().map(|m| m.seal(&state.secret))
    }
}

async fn count(
    state: &AppState,
    project: &str,
    role: &str,
    place: &str,
    lang: &str,
    stage: Stage,
    measure: Option<Measure>,
) -> Option<String> {
    let (db, project, role, place, lang) = (
        state.db.clone(),
        project.to_string(),
        role.to_string(),
        place.to_string(),
        lang.to_string(),
    );
    let counted = tokio::task::spawn_blocking(move || {
        let event = Event {
            role: &role,
            place: &place,
            language: &lang,
        };
        response::record(&db, &project, &event, stage, measure.as_ref(), now_unix())
    })
    .await;
    match counted {
        Ok(Ok(place)) => Some(place),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, stage = stage.as_str(), "counting a form failed");
            None
        }
        Err(e) => {
            tracing::warn!(error = %e, "counting a form failed");
            None
        }
    }
}

/// The form was opened: counts it and returns what the new form carries (the place as
/// counted: '' without a code, `onbekend` for an unknown one).
pub async fn opened(
    state: &AppState,
    project: &str,
    role: &str,
    raw_place: &str,
    lang: &str,
) -> Carried {
    let now = now_unix();
    let place = count(state, project, role, raw_place, lang, Stage::Opened, None)
        .await
        .unwrap_or_default();
    Carried {
        place,
        measure: Some(Measure::new(project, now)),
    }
}

/// A post of the form with some text: counts "started" once per form.
pub async fn posted_with_text(
    state: &AppState,
    project: &str,
    role: &str,
    lang: &str,
    carried: &mut Carried,
    has_text: bool,
) {
    let Some(measure) = carried.measure.as_mut() else {
        return;
    };
    if !has_text || measure.started {
        return;
    }
    let place = carried.place.clone();
    if count(state, project, role, &place, lang, Stage::Started, None)
        .await
        .is_some()
    {
        measure.started = true;
    }
}

/// A new story was stored from this form.
pub async fn sent(state: &AppState, project: &str, role: &str, lang: &str, carried: &Carried) {
    count(
        state,
        project,
        role,
        &carried.place,
        lang,
        Stage::Sent,
        carried.measure.clone(),
    )
    .await;
}
