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
use super::{AnyConnection, StoreError, StoreResult};
use diesel::prelude::*;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

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

/// Row counts and a checksum over every story and answer.
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

/// Stories read (with their answers) and copied at a time: memory stays flat however many
/// there are, and each chunk is one indexed range query per table.
const STORY_CHUNK: i64 = 5_000;
/// Audit log entries copied at a time.
const AUDIT_CHUNK: i64 = 10_000;

/// The checksum of [`Fingerprint`]: a SHA-256 per story over its fields and its answers (in
/// byte order of the question key), added up modulo 2^256, then hashed once more.
///
/// The sum does not depend on the order in which stories are read, so each database streams
/// them in the order of its own primary key index: PostgreSQL compares text by its collation
/// (`nl_NL` sorts `oud-42` before `VP-1`), SQLite by bytes, and sorting by bytes on
/// PostgreSQL would mean sorting all stories for every chunk.
#[derive(Default)]
struct Checksum {
    sum: [u64; 4],
    stories: usize,
    answers: usize,
}

/// One story's part of the checksum. Every field is typed and length-prefixed, so that no two
/// different rows feed the same bytes.
struct ItemHash(Sha256);

impl ItemHash {
    fn new(kind: u8) -> Self {
        let mut hasher = Sha256::new();
        hasher.update([kind]);
        Self(hasher)
    }

    fn text(&mut self, value: &str) {
        self.0.update((value.len() as u64).to_le_bytes());
        self.0.update(value.as_bytes());
    }

    fn opt_text(&mut self, value: Option<&str>) {
        match value {
            None => self.0.update([0]),
            Some(v) => {
                self.0.update([1]);
                self.text(v);
            }
        }
    }

    fn int(&mut self, value: i64) {
        self.0.update(value.to_le_bytes());
    }

    fn opt_int(&mut self, value: Option<i64>) {
        match value {
            None => self.0.update([0]),
            Some(v) => {
                self.0.update([1]);
                self.int(v);
            }
        }
    }

    fn flag(&mut self, value: bool) {
        self.0.update([u8::from(value)]);
    }

    fn answer(&mut self, a: &AnswerRecord) {
        self.text(&a.story_id);
        self.text(&a.question_key);
        self.opt_int(a.number_value.map(i64::from));
        self.opt_text(a.text_value.as_deref());
        self.flag(a.is_na);
    }
}

impl Checksum {
    /// Adds one chunk of stories and the answers of exactly those stories (any order).
    fn add_chunk(&mut self, story_rows: &[StoryRecord], answer_rows: &[AnswerRecord]) {
        let mut by_story: HashMap<&str, Vec<&AnswerRecord>> = HashMap::new();
        for a in answer_rows {
            by_story.entry(a.story_id.as_str()).or_default().push(a);
        }
        for s in story_rows {
            let mut item = ItemHash::new(b's');
            let m = &s.moderation;
            item.text(&s.id);
            item.text(&s.project_slug);
            item.int(i64::from(s.questionnaire_version));
            item.opt_text(s.participant_id.as_deref());
            item.text(&s.role);
            item.text(&s.title);
            item.text(&s.body);
            item.text(&s.language);
            item.text(&s.channel);
            item.int(s.created_at);
            item.flag(s.is_complete);
            item.flag(s.consent_analysis);
            item.flag(s.consent_quotes);
            item.opt_text(s.withdrawal_code_hash.as_deref());
            item.opt_int(s.withdrawn_at);
            item.opt_text(s.submission_key.as_deref());
            item.opt_int(m.reviewed_at);
            item.opt_int(m.hidden_at);
            item.opt_text(m.hidden_reason.as_deref());
            item.opt_int(m.redacted_at);
            item.opt_text(m.original_title.as_deref());
            item.opt_text(m.original_body.as_deref());
            item.opt_text(m.safety_flag.as_deref());
            item.opt_int(m.safety_handled_at);
            item.opt_int(m.text_deleted_at);
            let mut answers = by_story.remove(s.id.as_str()).unwrap_or_default();
            answers.sort_by(|a, b| a.question_key.as_bytes().cmp(b.question_key.as_bytes()));
            item.int(answers.len() as i64);
            for a in &answers {
                item.answer(a);
            }
            self.answers += answers.len();
            self.stories += 1;
            self.add(item);
        }
        // Answers without their story cannot be stored (foreign key); should one turn up
        // anyway, it still counts.
        for answers in by_story.into_values() {
            for a in answers {
                let mut item = ItemHash::new(b'a');
                item.answer(a);
                self.answers += 1;
                self.add(item);
            }
        }
    }

    fn add(&mut self, item: ItemHash) {
        let digest = item.0.finalize();
        let mut carry = false;
        for (limb, bytes) in self.sum.iter_mut().zip(digest.chunks_exact(8)) {
            let mut word = [0u8; 8];
            word.copy_from_slice(bytes);
            let (partial, first) = limb.overflowing_add(u64::from_le_bytes(word));
            let (total, second) = partial.overflowing_add(u64::from(carry));
            *limb = total;
            carry = first || second;
        }
    }

    fn hex(&self) -> String {
        let mut hasher = Sha256::new();
        for limb in self.sum {
            hasher.update(limb.to_le_bytes());
        }
        hex::encode(hasher.finalize())
    }
}

/// Calls `each` with every story, in chunks in primary key order, and the answers of exactly
/// those stories. Keyset pagination: each chunk is a range read on the primary key, so the
/// whole walk is linear and holds one chunk at a time.
fn story_chunks<E: From<diesel::result::Error>>(
    conn: &mut AnyConnection,
    mut each: impl FnMut(&[StoryRecord], &[AnswerRecord]) -> Result<(), E>,
) -> Result<(), E> {
    let mut after: Option<String> = None;
    loop {
        let mut query = stories::table
            .select(StoryRecord::as_select())
            .order(stories::id.asc())
            .limit(STORY_CHUNK)
            .into_boxed();
        if let Some(after) = &after {
            query = query.filter(stories::id.gt(after.clone()));
        }
        let story_rows: Vec<StoryRecord> = query.load(conn)?;
        let last = (story_rows.len() as i64 == STORY_CHUNK)
            .then(|| story_rows.last().map(|s| s.id.clone()))
            .flatten();
        // The answers in the same key range; the last chunk is open-ended, so that nothing
        // beyond the last story is missed.
        let mut answers_query = answers::table
            .select(AnswerRecord::as_select())
            .into_boxed();
        if let Some(after) = &after {
            answers_query = answers_query.filter(answers::story_id.gt(after.clone()));
        }
        if let Some(last) = &last {
            answers_query = answers_query.filter(answers::story_id.le(last.clone()));
        }
        let answer_rows: Vec<AnswerRecord> = answers_query.load(conn)?;
        each(&story_rows, &answer_rows)?;
        match last {
            Some(last) => after = Some(last),
            None => return Ok(()),
        }
    }
}

/// Runs `f` in one read transaction, so that everything it reads is one consistent state of a
/// database that may be in use meanwhile (SQLite in WAL mode: the snapshot of the first read;
/// PostgreSQL: repeatable read).
fn in_snapshot<T, E: From<diesel::result::Error>>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E> {
    conn.transaction(|conn| {
        if let AnyConnection::Postgresql(c) = conn {
            diesel::sql_query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(c)?;
        }
        f(conn)
    })
}

/// The fingerprint of one consistent state of the database. Reads the stories in chunks: memory
/// does not grow with their number.
pub fn fingerprint(conn: &mut AnyConnection) -> StoreResult<Fingerprint> {
    in_snapshot(conn, fingerprint_here)
}

/// [`fingerprint`] inside the caller's transaction.
fn fingerprint_here(conn: &mut AnyConnection) -> StoreResult<Fingerprint> {
    let project_count: i64 = projects::table.count().get_result(conn)?;
    let questionnaire_count: i64 = questionnaires::table.count().get_result(conn)?;
    let mut checksum = Checksum::default();
    story_chunks::<StoreError>(conn, |story_rows, answer_rows| {
        checksum.add_chunk(story_rows, answer_rows);
        Ok(())
    })?;
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
        stories: checksum.stories,
        answers: checksum.answers,
        checksum: checksum.hex(),
    })
}

/// SQLite's page cache, in KiB, while one transaction writes a great deal (an import, a copy).
/// With the default 2 MB, SQLite spills changed pages to the WAL and reads them back again and
/// again: a quarter of the time of importing a million stories.
const BULK_CACHE_KIB: i64 = 256 * 1024;

/// Runs `f` with a large SQLite page cache on this connection, then sets the cache back, so
/// that a pooled connection does not keep the memory. Nothing changes on PostgreSQL.
pub fn with_bulk_cache<T, E: From<StoreError>>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E> {
    #[derive(QueryableByName)]
    struct CacheSize {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        cache_size: i64,
    }
    let previous = match conn {
        AnyConnection::Sqlite(c) => {
            let CacheSize { cache_size } = diesel::sql_query("PRAGMA cache_size")
                .get_result(c)
                .map_err(StoreError::from)?;
            diesel::sql_query(format!("PRAGMA cache_size = -{BULK_CACHE_KIB}"))
                .execute(c)
                .map_err(StoreError::from)?;
            cache_size
        }
        AnyConnection::Postgresql(_) => return f(conn),
    };
    let result = f(conn);
    if let AnyConnection::Sqlite(c) = conn {
        // An integer from SQLite itself, so formatting it into the statement is safe.
        let restored = diesel::sql_query(format!("PRAGMA cache_size = {previous}")).execute(c);
        if result.is_ok() {
            restored.map_err(StoreError::from)?;
        }
    }
    result
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
///
/// The source is read in one snapshot (it may be serving meanwhile), stories and the audit
/// log in chunks, so memory stays flat; its fingerprint is taken in the same snapshot.
pub fn copy_all(
    from: &mut AnyConnection,
    to: &mut AnyConnection,
) -> Result<Fingerprint, CopyError> {
    let existing: i64 = projects::table.count().get_result::<i64>(to)?
        + users::table.count().get_result::<i64>(to)?;
    if existing > 0 {
        return Err(CopyError::TargetNotEmpty(existing));
    }
    let source = in_snapshot(from, |from| {
        with_bulk_cache(to, |to| to.transaction(|to| copy_rows(from, to)))?;
        Ok::<_, CopyError>(fingerprint_here(from)?)
    })?;
    // Statistics for the tables just filled (PostgreSQL), before the target is read again:
    // by the check below, and by the instances that will serve from it.
    super::stories::analyze_after_bulk(to)?;
    let target = fingerprint(to)?;
    if source != target {
        return Err(CopyError::Mismatch {
            from: Box::new(source),
            to: Box::new(target),
        });
    }
    Ok(target)
}

/// Everything [`copy_all`] copies, inside its transactions.
fn copy_rows(from: &mut AnyConnection, to: &mut AnyConnection) -> Result<(), CopyError> {
    // The target may have made its own secret on first start; the source's wins so that
    // form tokens and withdrawal codes stay valid.
    let settings: Vec<SettingRecord> = app_settings::table
        .select(SettingRecord::as_select())
        .load(from)?;
    for s in &settings {
        diesel::delete(app_settings::table.filter(app_settings::name.eq(&s.name))).execute(to)?;
        diesel::insert_into(app_settings::table)
            .values(s)
            .execute(to)?;
    }
    let project_rows: Vec<ProjectRecord> = projects::table
        .select(ProjectRecord::as_select())
        .load(from)?;
    for chunk in project_rows.chunks(200) {
        super::insert_rows!(&mut *to, projects::table, chunk)?;
    }
    let questionnaire_rows: Vec<QuestionnaireRecord> = questionnaires::table
        .select(QuestionnaireRecord::as_select())
        .load(from)?;
    for chunk in questionnaire_rows.chunks(200) {
        super::insert_rows!(&mut *to, questionnaires::table, chunk)?;
    }
    story_chunks::<CopyError>(from, |story_rows, answer_rows| {
        Ok(super::stories::insert_many(to, story_rows, answer_rows)?)
    })?;
    // Verteltafels, then which story was told at which (the table's name is a derived
    // question of the analysis, and the worker's consent confirmation is kept with it).
    let table_rows: Vec<super::story_tables::StoryTableRecord> = super::schema::story_tables::table
        .select(super::story_tables::StoryTableRecord::as_select())
        .load(from)?;
    for chunk in table_rows.chunks(200) {
        super::insert_rows!(&mut *to, super::schema::story_tables::table, chunk)?;
    }
    let link_rows: Vec<super::story_tables::StoryTableLink> =
        super::schema::story_table_links::table
            .select(super::story_tables::StoryTableLink::as_select())
            .load(from)?;
    for chunk in link_rows.chunks(200) {
        super::insert_rows!(&mut *to, super::schema::story_table_links::table, chunk)?;
    }
    // The other tables grow with people's work, not with the number of stories; each is
    // read whole.
    // Saved drafts: a teller's resume code keeps working after a move.
    let draft_rows: Vec<super::drafts::DraftRecord> = super::schema::story_drafts::table
        .select(super::drafts::DraftRecord::as_select())
        .load(from)?;
    for chunk in draft_rows.chunks(200) {
        super::insert_rows!(&mut *to, super::schema::story_drafts::table, chunk)?;
    }
    // Staff accounts, their roles and the audit log come along; sessions, one-time links,
    // the login throttle and the mail outbox are short-lived and stay behind.
    let user_rows: Vec<UserRecord> = users::table.select(UserRecord::as_select()).load(from)?;
    for chunk in user_rows.chunks(200) {
        super::insert_rows!(&mut *to, users::table, chunk)?;
    }
    let membership_rows: Vec<MembershipRecord> = memberships::table
        .select(MembershipRecord::as_select())
        .load(from)?;
    for chunk in membership_rows.chunks(200) {
        super::insert_rows!(&mut *to, memberships::table, chunk)?;
    }
    // API tokens too: researchers' scripts keep working after a move.
    let token_rows = super::api_tokens::all(from)?;
    for chunk in token_rows.chunks(200) {
        super::insert_rows!(&mut *to, super::schema::api_tokens::table, chunk)?;
    }
    let observation_rows: Vec<ObservationRecord> = observations::table
        .select(ObservationRecord::as_select())
        .load(from)?;
    for chunk in observation_rows.chunks(200) {
        super::insert_rows!(&mut *to, observations::table, chunk)?;
    }
    let observation_story_rows: Vec<ObservationStoryRecord> = observation_stories::table
        .select(ObservationStoryRecord::as_select())
        .load(from)?;
    for chunk in observation_story_rows.chunks(200) {
        super::insert_rows!(&mut *to, observation_stories::table, chunk)?;
    }
    let quote_rows: Vec<QuoteRecord> = observation_quotes::table
        .select(QuoteRecord::as_select())
        .load(from)?;
    for chunk in quote_rows.chunks(200) {
        super::insert_rows!(&mut *to, observation_quotes::table, chunk)?;
    }
    SessionRows::load(from)?.insert(to)?;
    // The public results page: its switch and the published cards.
    super::public_results::copy(from, to)?;
    // The response monitor: place links, counters and targets.
    super::response::copy(from, to)?;
    // The campaign kit's changed texts.
    super::campaign::copy(from, to)?;
    copy_audit_log(from, to)
}

/// The audit log in id order, in chunks. Rows get new ids in the same order (so the target's
/// own sequence stays right on PostgreSQL).
fn copy_audit_log(from: &mut AnyConnection, to: &mut AnyConnection) -> Result<(), CopyError> {
    let mut after = i64::MIN;
    loop {
        let rows: Vec<(i64, NewAuditEntry)> = audit_log::table
            .filter(audit_log::id.gt(after))
            .order(audit_log::id.asc())
            .limit(AUDIT_CHUNK)
            .select((
                audit_log::id,
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
                |(id, at, actor_id, actor_email, action, project_slug, target, detail)| {
                    (
                        id,
                        NewAuditEntry {
                            at,
                            actor_id,
                            actor_email,
                            action,
                            project_slug,
                            target,
                            detail,
                        },
                    )
                },
            )
            .collect();
        let Some((last, _)) = rows.last() else {
            return Ok(());
        };
        after = *last;
        let entries: Vec<NewAuditEntry> = rows.into_iter().map(|(_, e)| e).collect();
        for chunk in entries.chunks(200) {
            super::insert_rows!(&mut *to, audit_log::table, chunk)?;
        }
        if (entries.len() as i64) < AUDIT_CHUNK {
            return Ok(());
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(
        "een back-up met vertelpunt kan alleen van een SQLite-database; maak van PostgreSQL een \
         back-up met pg_dump -Fc (zie docs/reliability.md)"
    )]
    NotSqlite,
    #[error("de database {0} bestaat niet")]
    NoSource(PathBuf),
    #[error("{0} bestaat al; een back-up overschrijft geen bestand, kies een nieuwe naam")]
    TargetExists(PathBuf),
    #[error("de naam {0:?} kan SQLite niet gebruiken; kies een naam met gewone tekens")]
    UnusableName(PathBuf),
    #[error("kan de back-up {0} niet schrijven: {1}")]
    Io(PathBuf, std::io::Error),
}

impl From<diesel::result::Error> for BackupError {
    fn from(e: diesel::result::Error) -> Self {
        BackupError::Store(e.into())
    }
}

/// What [`backup_sqlite`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backup {
    pub bytes: u64,
    /// Of the backup, read back after writing it: a restore must give the same.
    pub fingerprint: Fingerprint,
}

/// Writes a consistent copy of the SQLite database at `source` into the new file `target`,
/// also while the application serves: `VACUUM INTO` reads one snapshot (WAL included) while
/// writers carry on. The backup is then checked (`PRAGMA integrity_check`) and fingerprinted.
pub fn backup_sqlite(source: &Path, target: &Path) -> Result<Backup, BackupError> {
    // Opening a missing file would create an empty database and back that up.
    if !source.is_file() {
        return Err(BackupError::NoSource(source.to_path_buf()));
    }
    // Absolute, so that SQLite never takes the name for a `file:` URI.
    let target =
        std::path::absolute(target).map_err(|e| BackupError::Io(target.to_path_buf(), e))?;
    let name = target
        .to_str()
        .ok_or_else(|| BackupError::UnusableName(target.clone()))?
        .to_string();
    // Claiming the name first refuses an existing file even when two backups race; SQLite
    // writes into the empty file and keeps its mode (the database holds personal data).
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(&target) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(BackupError::TargetExists(target));
        }
        Err(e) => return Err(BackupError::Io(target, e)),
    }
    let written = vacuum_into(source, &target, &name).and_then(|bytes| {
        Ok(Backup {
            bytes,
            fingerprint: check_backup(&name)?,
        })
    });
    if written.is_err() {
        // Never leave a half or broken backup under the name the operator asked for.
        let _ = std::fs::remove_file(&target);
    }
    written
}

fn vacuum_into(source: &Path, target: &Path, name: &str) -> Result<u64, BackupError> {
    let mut conn = super::Manager::connect_once(&super::DatabaseUrl::Sqlite(source.to_path_buf()))?;
    let AnyConnection::Sqlite(c) = &mut conn else {
        return Err(BackupError::NotSqlite);
    };
    // The name is a bound parameter, never spliced into the SQL.
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(name)
        .execute(c)?;
    drop(conn);
    // SQLite does not sync the file VACUUM INTO wrote; a backup must survive a power cut.
    let io = |e| BackupError::Io(target.to_path_buf(), e);
    let file = std::fs::File::open(target).map_err(io)?;
    file.sync_all().map_err(io)?;
    if let Some(dir) = target.parent() {
        // The new directory entry too (best effort: not every platform can open a directory).
        if let Ok(dir) = std::fs::File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(file.metadata().map_err(io)?.len())
}

/// Reads the backup back without changing it: `VACUUM INTO` writes a database in rollback
/// journal mode, and a read-only connection without our pragmas leaves it in that mode, a
/// single file with no `-wal` beside it.
fn check_backup(name: &str) -> Result<Fingerprint, BackupError> {
    use diesel::connection::SimpleConnection;
    let mut c = diesel::SqliteConnection::establish(name).map_err(StoreError::from)?;
    c.batch_execute("PRAGMA query_only = ON;")?;
    let mut conn = AnyConnection::Sqlite(c);
    super::integrity_check(&mut conn)?;
    Ok(fingerprint(&mut conn)?)
}
