//! Moving a whole installation from one database to another (`vertelpunt db copy`), and the
//! checksum that proves nothing changed on the way.

use super::accounts::UserRecord;
use super::audit::NewAuditEntry;
use super::observations::{ObservationRecord, QuoteRecord};
use super::proposals::{ProposalRecord, UpdateRecord};
use super::schema::{
    answers, app_settings, audit_log, cluster_votes, memberships, note_clusters,
    observation_quotes, observation_stories, observations, projects, proposal_sources,
    proposal_updates, proposals, questionnaires, sensemaking_notes, sensemaking_participants,
    sensemaking_sessions, sensemaking_tables, stories, table_materials, users,
};
use super::sensemaking::{
    ClusterRecord, MaterialRecord, NoteRecord, ParticipantRecord, SessionRecord, TableRecord,
};
use super::stories::{AnswerRecord, StoryRecord};
use super::{AnyConnection, StoreResult};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = app_settings)]
struct SettingRecord {
    name: String,
    value: String,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = projects)]
struct ProjectRecord {
    slug: String,
    name: String,
    is_open: bool,
    settings: String,
    current_version: i32,
    created_at: i64,
    sliders_unset_from: i32,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = questionnaires)]
struct QuestionnaireRecord {
    project_slug: String,
    version: i32,
    definition: String,
    created_at: i64,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = observation_stories)]
struct ObservationStoryRecord {
    observation_id: String,
    story_id: String,
    position: i32,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = cluster_votes)]
struct VoteRecord {
    cluster_id: String,
    participant_id: String,
    votes: i32,
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = proposal_sources)]
struct SourceRecord {
    proposal_id: String,
    kind: String,
    ref_id: String,
}

/// Everything of the duidingssessies and their proposals, in the order it must be inserted.
struct SessionRows {
    sessions: Vec<SessionRecord>,
    tables: Vec<TableRecord>,
    materials: Vec<MaterialRecord>,
    participants: Vec<ParticipantRecord>,
    clusters: Vec<ClusterRecord>,
    notes: Vec<NoteRecord>,
    votes: Vec<VoteRecord>,
    proposals: Vec<ProposalRecord>,
    sources: Vec<SourceRecord>,
    updates: Vec<UpdateRecord>,
}

impl SessionRows {
    fn load(from: &mut AnyConnection) -> StoreResult<Self> {
        Ok(Self {
            sessions: sensemaking_sessions::table
                .select(SessionRecord::as_select())
                .load(from)?,
            tables: sensemaking_tables::table
                .select(TableRecord::as_select())
                .load(from)?,
            materials: table_materials::table
                .select(MaterialRecord::as_select())
                .load(from)?,
            participants: sensemaking_participants::table
                .select(ParticipantRecord::as_select())
                .load(from)?,
            clusters: note_clusters::table
                .select(ClusterRecord::as_select())
                .load(from)?,
            notes: sensemaking_notes::table
                .select(NoteRecord::as_select())
                .load(from)?,
            votes: cluster_votes::table
                .select(VoteRecord::as_select())
                .load(from)?,
            proposals: proposals::table
                .select(ProposalRecord::as_select())
                .load(from)?,
            sources: proposal_sources::table
                .select(SourceRecord::as_select())
                .load(from)?,
            updates: proposal_updates::table
                .select(UpdateRecord::as_select())
                .load(from)?,
        })
    }

    fn insert(&self, to: &mut AnyConnection) -> QueryResult<()> {
        macro_rules! all {
            ($table:expr, $rows:expr) => {
                for chunk in $rows.chunks(200) {
                    super::insert_rows!(&mut *to, $table, chunk)?;
                }
            };
        }
        all!(sensemaking_sessions::table, self.sessions);
        all!(sensemaking_tables::table, self.tables);
        all!(table_materials::table, self.materials);
        all!(sensemaking_participants::table, self.participants);
        all!(note_clusters::table, self.clusters);
        all!(sensemaking_notes::table, self.notes);
        all!(cluster_votes::table, self.votes);
        all!(proposals::table, self.proposals);
        all!(proposal_sources::table, self.sources);
        all!(proposal_updates::table, self.updates);
        Ok(())
    }
}

/// Rows in all session and proposal tables.
fn session_row_count(conn: &mut AnyConnection) -> StoreResult<i64> {
    Ok(sensemaking_sessions::table
        .count()
        .get_result::<i64>(conn)?
        + sensemaking_tables::table.count().get_result::<i64>(conn)?
        + table_materials::table.count().get_result::<i64>(conn)?
        + sensemaking_participants::table
            .count()
            .get_result::<i64>(conn)?
        + note_clusters::table.count().get_result::<i64>(conn)?
        + sensemaking_notes::table.count().get_result::<i64>(conn)?
        + cluster_votes::table.count().get_result::<i64>(conn)?
        + proposals::table.count().get_result::<i64>(conn)?
        + proposal_sources::table.count().get_result::<i64>(conn)?
        + proposal_updates::table.count().get_result::<i64>(conn)?)
}

#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = memberships)]
struct MembershipRecord {
    user_id: String,
    project_slug: String,
    role: String,
}

/// Row counts and a SHA-256 over every story and answer, in a fixed order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    pub projects: usize,
    pub questionnaires: usize,
    pub stories: usize,
    pub answers: usize,
    /// Staff accounts and audit log entries (counted, not part of the checksum).
    pub users: usize,
    pub audit_entries: usize,
    /// Observations with their typical stories and quotes (counted).
    pub observations: usize,
    /// Rows of duidingssessies (tables, notes, votes …) and verbetervoorstellen (counted).
    pub sessions: usize,
    pub checksum: String,
}

fn feed(hasher: &mut Sha256, field: &str) {
    // Length-prefixed, so that ("ab","c") and ("a","bc") hash differently.
    hasher.update((field.len() as u64).to_le_bytes());
    hasher.update(field.as_bytes());
}

fn opt<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map_or_else(|| "\u{0}".to_string(), T::to_string)
}

pub fn fingerprint(conn: &mut AnyConnection) -> StoreResult<Fingerprint> {
    let project_count: i64 = projects::table.count().get_result(conn)?;
    let questionnaire_count: i64 = questionnaires::table.count().get_result(conn)?;
    let story_rows: Vec<StoryRecord> = stories::table
        .order(stories::id.asc())
        .select(StoryRecord::as_select())
        .load(conn)?;
    let answer_rows: Vec<AnswerRecord> = answers::table
        .order((answers::story_id.asc(), answers::question_key.asc()))
        .select(AnswerRecord::as_select())
        .load(conn)?;
    let mut hasher = Sha256::new();
    for s in &story_rows {
        for field in [
            s.id.clone(),
            s.project_slug.clone(),
            s.questionnaire_version.to_string(),
            opt(&s.participant_id),
            s.role.clone(),
            s.title.clone(),
            s.body.clone(),
            s.language.clone(),
            s.channel.clone(),
            s.created_at.to_string(),
            s.is_complete.to_string(),
            s.consent_analysis.to_string(),
            s.consent_quotes.to_string(),
            opt(&s.withdrawal_code_hash),
            opt(&s.withdrawn_at),
            opt(&s.submission_key),
            opt(&s.moderation.reviewed_at),
            opt(&s.moderation.hidden_at),
            opt(&s.moderation.hidden_reason),
            opt(&s.moderation.redacted_at),
            opt(&s.moderation.original_title),
            opt(&s.moderation.original_body),
            opt(&s.moderation.safety_flag),
            opt(&s.moderation.safety_handled_at),
            opt(&s.moderation.text_deleted_at),
        ] {
            feed(&mut hasher, &field);
        }
    }
    for a in &answer_rows {
        for field in [
            a.story_id.clone(),
            a.question_key.clone(),
            opt(&a.number_value),
            opt(&a.text_value),
            a.is_na.to_string(),
        ] {
            feed(&mut hasher, &field);
        }
    }
    let user_count: i64 = users::table.count().get_result(conn)?;
    let audit_count: i64 = audit_log::table.count().get_result(conn)?;
    let observation_count: i64 = observations::table.count().get_result::<i64>(conn)?
        + observation_stories::table.count().get_result::<i64>(conn)?
        + observation_quotes::table.count().get_result::<i64>(conn)?;
    Ok(Fingerprint {
        observations: observation_count as usize,
        sessions: session_row_count(conn)? as usize,
        users: user_count as usize,
        audit_entries: audit_count as usize,
        projects: project_count as usize,
        questionnaires: questionnaire_count as usize,
        stories: story_rows.len(),
        answers: answer_rows.len(),
        checksum: hex::encode(hasher.finalize()),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(transparent)]
    Store(#[from] super::StoreError),
    #[error("de doeldatabase is niet leeg ({0} projecten en gebruikers); kies een lege database")]
    TargetNotEmpty(i64),
    #[error("na het kopiëren verschillen bron en doel: {from:?} tegen {to:?}")]
    Mismatch {
        from: Box<Fingerprint>,
        to: Box<Fingerprint>,
    },
}

impl From<diesel::result::Error> for CopyError {
    fn from(e: diesel::result::Error) -> Self {
        CopyError::Store(e.into())
    }
}

/// Copies every setting, project, questionnaire version, story and answer from `from` into
/// the empty database `to`, in one transaction on the target, then compares fingerprints.
pub fn copy_all(
    from: &mut AnyConnection,
    to: &mut AnyConnection,
) -> Result<Fingerprint, CopyError> {
    let existing: i64 = projects::table.count().get_result::<i64>(to)?
        + users::table.count().get_result::<i64>(to)?;
    if existing > 0 {
        return Err(CopyError::TargetNotEmpty(existing));
    }
    let settings: Vec<SettingRecord> = app_settings::table
        .select(SettingRecord::as_select())
        .load(from)?;
    let project_rows: Vec<ProjectRecord> = projects::table
        .select(ProjectRecord::as_select())
        .load(from)?;
    let questionnaire_rows: Vec<QuestionnaireRecord> = questionnaires::table
        .select(QuestionnaireRecord::as_select())
        .load(from)?;
    let story_rows: Vec<StoryRecord> =
        stories::table.select(StoryRecord::as_select()).load(from)?;
    let answer_rows: Vec<AnswerRecord> = answers::table
        .select(AnswerRecord::as_select())
        .load(from)?;
    // Staff accounts, their roles and the audit log come along; sessions, one-time links,
    // the login throttle and the mail outbox are short-lived and stay behind.
    let user_rows: Vec<UserRecord> = users::table.select(UserRecord::as_select()).load(from)?;
    let membership_rows: Vec<MembershipRecord> = memberships::table
        .select(MembershipRecord::as_select())
        .load(from)?;
    // API tokens too: researchers' scripts keep working after a move.
    let token_rows = super::api_tokens::all(from)?;
    // Saved drafts too: a teller's resume code keeps working after a move.
    let draft_rows: Vec<super::drafts::DraftRecord> = super::schema::story_drafts::table
        .select(super::drafts::DraftRecord::as_select())
        .load(from)?;
    let observation_rows: Vec<ObservationRecord> = observations::table
        .select(ObservationRecord::as_select())
        .load(from)?;
    let observation_story_rows: Vec<ObservationStoryRecord> = observation_stories::table
        .select(ObservationStoryRecord::as_select())
        .load(from)?;
    let quote_rows: Vec<QuoteRecord> = observation_quotes::table
        .select(QuoteRecord::as_select())
        .load(from)?;
    let session_rows = SessionRows::load(from)?;
    let audit_rows: Vec<NewAuditEntry> = audit_log::table
        .order(audit_log::id.asc())
        .select((
            audit_log::at,
            audit_log::actor_id,
            audit_log::actor_email,
            audit_log::action,
            audit_log::project_slug,
            audit_log::target,
            audit_log::detail,
        ))
        .load::<(
            i64,
            Option<String>,
            Option<String>,
            String,
            Option<String>,
            Option<String>,
            String,
        )>(from)?
        .into_iter()
        .map(
            |(at, actor_id, actor_email, action, project_slug, target, detail)| NewAuditEntry {
                at,
                actor_id,
                actor_email,
                action,
                project_slug,
                target,
                detail,
            },
        )
        .collect();

    to.transaction::<_, CopyError, _>(|to| {
        // The target may have made its own secret on first start; the source's wins so that
        // form tokens and withdrawal codes stay valid.
        for s in &settings {
            diesel::delete(app_settings::table.filter(app_settings::name.eq(&s.name)))
                .execute(to)?;
            diesel::insert_into(app_settings::table)
                .values(s)
                .execute(to)?;
        }
        for chunk in project_rows.chunks(200) {
            super::insert_rows!(&mut *to, projects::table, chunk)?;
        }
        for chunk in questionnaire_rows.chunks(200) {
            super::insert_rows!(&mut *to, questionnaires::table, chunk)?;
        }
        super::stories::insert_many(to, &story_rows, &answer_rows)?;
        for chunk in draft_rows.chunks(200) {
            super::insert_rows!(&mut *to, super::schema::story_drafts::table, chunk)?;
        }
        for chunk in user_rows.chunks(200) {
            super::insert_rows!(&mut *to, users::table, chunk)?;
        }
        for chunk in membership_rows.chunks(200) {
            super::insert_rows!(&mut *to, memberships::table, chunk)?;
        }
        for chunk in token_rows.chunks(200) {
            super::insert_rows!(&mut *to, super::schema::api_tokens::table, chunk)?;
        }
        for chunk in observation_rows.chunks(200) {
            super::insert_rows!(&mut *to, observations::table, chunk)?;
        }
        for chunk in observation_story_rows.chunks(200) {
            super::insert_rows!(&mut *to, observation_stories::table, chunk)?;
        }
        for chunk in quote_rows.chunks(200) {
            super::insert_rows!(&mut *to, observation_quotes::table, chunk)?;
        }
        session_rows.insert(to)?;
        // New ids in the same order (the target's own sequence stays right on PostgreSQL).
        for chunk in audit_rows.chunks(200) {
            super::insert_rows!(&mut *to, audit_log::table, chunk)?;
        }
        Ok(())
    })?;

    let source = fingerprint(from)?;
    let target = fingerprint(to)?;
    if source != target {
        return Err(CopyError::Mismatch {
            from: Box::new(source),
            to: Box::new(target),
        });
    }
    Ok(target)
}
