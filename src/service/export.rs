//! The research export: the stories a filter selects, anonymised and protected, written as
//! they are read (docs/privacy.md, "Export voor onderzoek").
//!
//! An export runs in two passes so that it never holds the stories' texts all at once:
//!
//! 1. [`prepare`] checks the right, takes the selected stories from the project's analysis data
//!    (answers only, already in memory), makes the identifying answers safe with small-cell
//!    protection and writes the audit entry;
//! 2. [`PreparedExport::write`] reads the stories in chunks from the database, anonymises their
//!    texts and writes each row.
//!
//! Only stories that may leave the system take part: consented, not hidden, not withdrawn. A
//! story withdrawn while an export runs is left out of the rest of that export.

use super::accounts::SignedIn;
use super::analysis::{AnalysisError, ProjectData, Selection, StoryFilter};
use super::audit::{self, action};
use crate::analysis::Variable;
use crate::domain::accounts::ProjectAction;
use crate::domain::anonymise::{self, ExtraTerms};
use crate::domain::privacy::ROLE_COLUMN;
use crate::domain::questionnaire::QuestionType;
use crate::domain::smallcell::{self, Changes, IdentifyingTable, ValueGroup, SUPPRESSED};
use crate::domain::{Answer, Project, Questionnaire};
use crate::exchange::csv_v1::{AnswerColumn, CsvError};
use crate::exchange::research::{
    self, Cell, ColumnLabels, ExportHeader, ExportSummary, ExportWriter, Format, MergedGroup,
    Missing, ResearchRow, TableOptions,
};
use crate::exchange::timestamp::now_unix;
use crate::service::error::{Refusal, Refused, ServiceError};
use crate::store::stories::{self, Story};
use crate::store::{projects, Database, StoreError};
use std::collections::HashMap;
use std::io::{Seek, Write};

/// Stories read from the database at a time.
const CHUNK: usize = 1000;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("je mag de verhalen van dit project niet exporteren")]
    NotAllowed,
    #[error(transparent)]
    Write(#[from] CsvError),
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
    #[error(transparent)]
    Core(#[from] ServiceError),
    /// The selection holds fewer than k stories: it would single out its tellers.
    #[error("Minder dan {k} verhalen passen bij dit filter. Om vertellers te beschermen geven we van zo'n kleine groep geen verhalen en geen cijfers. Maak het filter ruimer.")]
    TooFew { k: u32 },
}

crate::core_error!(ExportError);

impl Refused for ExportError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::NotAllowed => Refusal::NotAllowed,
            Self::Write(_) => Refusal::Busy,
            Self::Analysis(a) => a.refusal(),
            Self::TooFew { .. } => Refusal::Invalid,
        }
    }
}

/// Who asks for an export, and how.
pub struct Requester<'a> {
    /// `None` for the command line, which is run by whoever runs the server.
    pub user: Option<&'a SignedIn>,
    /// "het web", "de API", "de opdrachtregel": for the audit log.
    pub via: &'a str,
}

impl Requester<'_> {
    fn may_export(&self, project: &str) -> bool {
        self.user
            .is_none_or(|u| u.access.can(project, ProjectAction::Export))
    }
}

/// Writes a refused export to the audit log.
pub fn log_refusal(db: &Database, who: &Requester, project: &str, reason: &str) {
    let actor = who.user.map(SignedIn::actor);
    let detail = format!("geweigerd via {}: {reason}", who.via);
    let logged = db.write_sync(|conn| {
        audit::log(
            conn,
            actor.as_ref(),
            action::EXPORT_REFUSED,
            Some(project),
            None,
            &detail,
            now_unix(),
        )
    });
    if let Err(e) = logged {
        tracing::error!(error = %e, "could not log a refused export");
    }
}

/// An export whose stories and protection are decided, ready to be written.
#[derive(Debug)]
pub struct PreparedExport {
    project: Project,
    header: ExportHeader,
    format: Format,
    /// Ids of the selected stories, oldest first.
    ids: Vec<String>,
    /// The identifying columns, in the order of `protected`'s values.
    identifying: Vec<String>,
    /// Rows whose identifying values changed: story id → values as exported.
    protected: HashMap<String, Vec<Option<String>>>,
    changes: Changes,
    terms: ExtraTerms,
    /// Keys the story pseudonyms of this output (see [`pseudonym`]).
    id_key: [u8; 32],
    /// The stories of the project the selection was taken from.
    all: usize,
}

/// The id a story gets in one research output: an HMAC of its real id under the output's key,
/// so the rows of two outputs cannot be joined on it (docs/privacy.md, "Export voor
/// onderzoek"). 64 bits: no collisions to expect among a project's stories.
fn pseudonym(key: &[u8; 32], id: &str) -> String {
    use hmac::{Hmac, Mac};
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(id.as_bytes());
    let digest = mac.finalize().into_bytes();
    format!("v-{}", hex::encode(&digest[..8]))
}

impl PreparedExport {
    /// What every variable of this export means (docs/formats.md, "Codebook").
    pub fn codebook(&self) -> Vec<research::CodebookEntry> {
        research::codebook(&self.header)
    }

    pub fn count(&self) -> usize {
        self.ids.len()
    }

    /// `Some(k)` when the selection holds stories, but fewer than k: then nothing of it may
    /// leave the system (no rows, not even the count).
    pub fn too_small(&self) -> Option<u32> {
        crate::domain::privacy::small_selection(self.ids.len(), self.all, self.header.k)
    }

    /// Keys the story pseudonyms with `key` instead of a random key of this export alone: the
    /// API gives every page of one query (the same person, project and filter) the same ids.
    pub fn with_id_key(mut self, key: [u8; 32]) -> Self {
        self.id_key = key;
        self
    }

    /// Lays out and codes the tabular formats as `options` say (keys or labels, multichoice
    /// as 0/1 columns or joined).
    pub fn with_table(mut self, options: TableOptions) -> Self {
        self.header.table = options;
        self
    }

    pub fn changes(&self) -> Changes {
        self.changes
    }

    pub fn format(&self) -> Format {
        self.format
    }

    /// A file name such as `jeugdhulp-verhalen-2026-11-22.csv`.
    pub fn file_name(&self) -> String {
        let day = &crate::exchange::timestamp::format_utc(self.header.exported_at)[..10];
        format!(
            "{}-verhalen-{day}.{}",
            self.project.slug,
            self.format.extension()
        )
    }

    /// Writes the export to `out` (CSV and JSON as they go; XLSX and SPSS through `scratch`, a
    /// file the export is assembled in, then copied to `out`).
    pub fn write(&self, db: &Database, out: impl Write) -> Result<ExportSummary, ExportError> {
        match self.format {
            Format::Csv => self.write_rows(db, research::csv(out, &self.header)?),
            Format::CsvNl => self.write_rows(db, research::csv_nl(out, &self.header)?),
            Format::Json => self.write_rows(db, research::json(out, &self.header)?),
            Format::Xlsx | Format::Sav | Format::Package => {
                let mut scratch = tempfile::tempfile().map_err(CsvError::from)?;
                let writer = match self.format {
                    Format::Xlsx => research::xlsx(&mut scratch, &self.header)?,
                    Format::Sav => research::sav(&mut scratch, &self.header)?,
                    _ => research::package(&mut scratch, &self.header)?,
                };
                let summary = self.write_rows(db, writer)?;
                scratch
                    .seek(std::io::SeekFrom::Start(0))
                    .map_err(CsvError::from)?;
                let mut out = out;
                std::io::copy(&mut scratch, &mut out).map_err(CsvError::from)?;
                out.flush().map_err(CsvError::from)?;
                Ok(summary)
            }
        }
    }

    /// The stories of one page (from 1) of `per_page`, as JSON objects, with the number of
    /// pages; for the research API. The protection is that of the whole selection.
    pub fn page_json(
        &self,
        db: &Database,
        page: usize,
        per_page: usize,
    ) -> Result<Vec<serde_json::Value>, ExportError> {
        struct Collect(Vec<ResearchRow>);
        impl ExportWriter for &mut Collect {
            fn row(&mut self, row: &ResearchRow) -> Result<(), CsvError> {
                self.0.push(row.clone());
                Ok(())
            }
            fn finish(self: Box<Self>, _: &ExportSummary) -> Result<(), CsvError> {
                Ok(())
            }
        }
        let start = page.saturating_sub(1).saturating_mul(per_page);
        let ids: Vec<String> = self
            .ids
            .iter()
            .skip(start)
            .take(per_page)
            .cloned()
            .collect();
        let mut collected = Collect(Vec::new());
        self.rows_of(db, &ids, Box::new(&mut collected))?;
        let keys: Vec<String> = self.header.columns.iter().map(|c| c.key.clone()).collect();
        Ok(collected
            .0
            .iter()
            .map(|row| research::json_story(row, &keys))
            .collect())
    }

    pub fn columns(&self) -> &[AnswerColumn] {
        &self.header.columns
    }

    fn write_rows(
        &self,
        db: &Database,
        writer: Box<dyn ExportWriter + '_>,
    ) -> Result<ExportSummary, ExportError> {
        self.rows_of(db, &self.ids, writer)
    }

    fn rows_of(
        &self,
        db: &Database,
        ids: &[String],
        mut writer: Box<dyn ExportWriter + '_>,
    ) -> Result<ExportSummary, ExportError> {
        let mut summary = ExportSummary {
            generalised_values: self.changes.generalised,
            suppressed_values: self.changes.suppressed,
            ..Default::default()
        };
        let versions = {
            let mut conn = db.conn()?;
            stories::versions_map(&mut conn, &self.project.slug)?
        };
        // Reading the next chunk overlaps with anonymising and writing this one: a reader
        // thread stays at most two chunks ahead.
        let slug = self.project.slug.as_str();
        std::thread::scope(|scope| {
            let (send, receive) =
                std::sync::mpsc::sync_channel::<Result<Vec<Story>, StoreError>>(2);
            let versions = &versions;
            scope.spawn(move || {
                for chunk in ids.chunks(CHUNK) {
                    let found = db.conn().and_then(|mut conn| {
                        stories::shareable_by_ids(&mut conn, slug, chunk, versions)
                    });
                    let failed = found.is_err();
                    // The writer stopped (an error, or the client went away): stop reading.
                    if send.send(found).is_err() || failed {
                        return;
                    }
                }
            });
            for chunk in ids.chunks(CHUNK) {
                let found = receive.recv().map_err(|_| StoreError::Cancelled)??;
                let mut by_id: HashMap<&str, &Story> =
                    found.iter().map(|s| (s.record.id.as_str(), s)).collect();
                for id in chunk {
                    // Gone since the export was prepared (withdrawn or hidden): left out.
                    let Some(story) = by_id.remove(id.as_str()) else {
                        continue;
                    };
                    let asked = versions.get(&story.record.questionnaire_version);
                    let row = self.row(story, asked);
                    summary.stories += 1;
                    summary.redactions += row.redactions;
                    writer.row(&row)?;
                }
            }
            Ok::<_, ExportError>(())
        })?;
        writer.finish(&summary)?;
        Ok(summary)
    }

    /// One story as exported; `asked` is the questionnaire version it was told with.
    fn row(&self, story: &Story, asked: Option<&Questionnaire>) -> ResearchRow {
        let mut redactions = 0;
        let mut clean = |text: &str| {
            let spans = anonymise::find(text, &self.terms);
            redactions += spans.len();
            anonymise::redact(text, &spans)
        };
        let record = &story.record;
        let text_deleted = record.moderation.text_deleted_at.is_some();
        let title = clean(&record.title);
        let text = clean(&record.body);
        let protected = self.protected.get(&record.id);
        let protected_value = |key: &str| {
            let column = self.identifying.iter().position(|c| c == key)?;
            protected.and_then(|values| values.get(column).cloned().flatten())
        };
        // What the protection made of a value: hidden, or one of the column's groups.
        let as_protected = |shown: String, groups: &[MergedGroup]| {
            if shown == SUPPRESSED {
                return Cell::Missing(Missing::Protected);
            }
            match groups.iter().find(|g| g.label == shown) {
                Some(group) => Cell::Group(group.clone()),
                None => Cell::Text(shown),
            }
        };
        let mut protected_values = 0;
        let role = match protected_value(ROLE_COLUMN) {
            Some(v) if v != record.role => {
                protected_values += 1;
                as_protected(v, &self.header.role_groups)
            }
            _ => Cell::Text(record.role.clone()),
        };
        let cells = self
            .header
            .labelled_columns()
            .map(|(column, about, _)| {
                let cell = match story.answers.get(&column.key) {
                    None => {
                        let was_asked = asked
                            .and_then(|q| q.question(&column.key))
                            .is_some_and(|q| q.applies_to(&record.role));
                        Cell::Missing(if !was_asked {
                            Missing::NotAsked
                        } else if text_deleted && column.kind == QuestionType::Text {
                            // The retention period removed free-text answers with the story.
                            Missing::TextDeleted
                        } else {
                            Missing::NotAnswered
                        })
                    }
                    Some(Answer::NotApplicable) => Cell::Missing(Missing::DontKnow),
                    Some(Answer::Slider(v)) => Cell::Number(i64::from(v.get())),
                    Some(Answer::Choice(key)) => Cell::Text(key.clone()),
                    Some(Answer::Multichoice(keys)) => Cell::List(keys.clone()),
                    Some(Answer::Text(t)) => Cell::Text(clean(t)),
                };
                match protected_value(&column.key) {
                    Some(v) if v != cell.csv() => {
                        protected_values += 1;
                        as_protected(v, &about.groups)
                    }
                    _ => cell,
                }
            })
            .collect();
        ResearchRow {
            id: pseudonym(&self.id_key, &record.id),
            created_at: record.created_at - record.created_at.rem_euclid(86_400),
            role,
            title,
            text,
            cells,
            questionnaire_version: record.questionnaire_version,
            is_complete: record.is_complete,
            consent_quotes: record.consent_quotes,
            protected_values,
            redactions,
            text_deleted,
        }
    }
}

/// The value of an identifying column for every story of the dataset, as the export writes it
/// (an option key, or multichoice keys joined by `;`).
fn identifying_values(data: &ProjectData, column: &str) -> Vec<Option<String>> {
    let n = data.dataset.stories;
    if let Some(Variable::Choice {
        options, values, ..
    }) = data.dataset.variable(column)
    {
        return values
            .iter()
            .map(|v| v.and_then(|i| options.get(usize::from(i)).map(|o| o.key.clone())))
            .collect();
    }
    // A multichoice question: one yes/no variable per option, `key__option`.
    let prefix = format!("{column}__");
    let mut chosen: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut answered = vec![false; n];
    for variable in &data.dataset.variables {
        let Variable::Choice {
            key,
            options,
            values,
            ..
        } = variable
        else {
            continue;
        };
        let Some(option) = key.strip_prefix(&prefix) else {
            continue;
        };
        for (story, value) in values.iter().enumerate() {
            if let Some(i) = value {
                answered[story] = true;
                if options.get(usize::from(i)).is_some_and(|o| o.key == "ja") {
                    chosen[story].push(option);
                }
            }
        }
    }
    chosen
        .into_iter()
        .zip(answered)
        .map(|(keys, answered)| answered.then(|| keys.join(";")))
        .collect()
}

/// The project's value groups of one question.
fn merged_groups(groups: &[ValueGroup], question: &str) -> Vec<MergedGroup> {
    groups
        .iter()
        .filter(|g| g.question == question)
        .map(|g| MergedGroup {
            label: g.label.clone(),
            options: g.options.clone(),
        })
        .collect()
}

/// The answer columns of every questionnaire version (the current one first), each with what
/// it means (from the newest version that has it) and the merged groups that may stand in it.
fn answer_columns(
    db: &Database,
    project: &Project,
) -> Result<(Vec<AnswerColumn>, Vec<ColumnLabels>), ExportError> {
    let mut conn = db.conn()?;
    let stored = projects::versions(&mut conn, &project.slug)?;
    // Every version's wording of every question, oldest version first.
    let mut wordings: HashMap<String, Vec<(i32, String)>> = HashMap::new();
    for (version, questionnaire) in &stored {
        for question in &questionnaire.questions {
            wordings
                .entry(question.key.clone())
                .or_default()
                .push((*version, question.label.clone()));
        }
    }
    // The current questionnaire first, then the others newest first: a question is described
    // as the newest version that has it asks it.
    let versions: Vec<&Questionnaire> = std::iter::once(&project.questionnaire)
        .chain(stored.iter().rev().map(|(_, q)| q))
        .collect();
    let groups = &project.settings.privacy.value_groups;
    let mut columns: Vec<AnswerColumn> = Vec::new();
    let mut labels = Vec::new();
    for questionnaire in versions {
        for question in &questionnaire.questions {
            if columns.iter().any(|c| c.key == question.key) {
                continue;
            }
            columns.push(AnswerColumn {
                key: question.key.clone(),
                kind: question.kind,
            });
            labels.push(ColumnLabels {
                label: question.label.clone(),
                options: question
                    .options
                    .iter()
                    .map(|o| (o.key.clone(), o.label.clone()))
                    .collect(),
                poles: question.left.clone().zip(question.right.clone()),
                groups: merged_groups(groups, &question.key),
                // Only worth saying when the wording changed.
                wordings: wordings
                    .get(&question.key)
                    .filter(|w| w.iter().any(|(_, label)| *label != w[0].1))
                    .cloned()
                    .unwrap_or_default(),
            });
        }
    }
    Ok((columns, labels))
}

/// Decides an export of `selection` without writing anything: which stories, and what the
/// small-cell protection changes (the export page shows this before the download).
/// `filter` describes the selection in words.
pub fn plan(
    db: &Database,
    data: &ProjectData,
    selection: &Selection,
    filter: &str,
    format: Format,
) -> Result<PreparedExport, ExportError> {
    let project = &data.project;
    let privacy = &project.settings.privacy;
    let identifying = privacy.identifying_columns(&project.questionnaire);
    let selected: Vec<usize> = selection
        .keep
        .iter()
        .enumerate()
        .filter(|(_, keep)| **keep)
        .map(|(i, _)| i)
        .collect();
    let all_values: Vec<Vec<Option<String>>> = identifying
        .iter()
        .map(|c| identifying_values(data, c))
        .collect();
    let mut table = IdentifyingTable {
        columns: identifying.clone(),
        rows: selected
            .iter()
            .map(|&i| {
                all_values
                    .iter()
                    .map(|column| column.get(i).cloned().flatten())
                    .collect()
            })
            .collect(),
    };
    let original = table.rows.clone();
    let changes = smallcell::protect(&mut table, privacy.k(), &privacy.value_groups);
    let ids: Vec<String> = selected
        .iter()
        .filter_map(|&i| data.stories.get(i).map(|s| s.id.to_string()))
        .collect();
    let protected = ids
        .iter()
        .zip(table.rows)
        .zip(original)
        .filter(|((_, now), before)| now != before)
        .map(|((id, now), _)| (id.clone(), now))
        .collect();
    let (columns, labels) = answer_columns(db, project)?;
    let header = ExportHeader {
        project: project.slug.clone(),
        exported_at: now_unix(),
        filter: filter.to_string(),
        k: privacy.k(),
        columns,
        labels,
        roles: project
            .questionnaire
            .roles
            .iter()
            .map(|r| (r.key.clone(), r.label.clone()))
            .collect(),
        role_groups: merged_groups(&privacy.value_groups, ROLE_COLUMN),
        table: TableOptions::default(),
    };
    Ok(PreparedExport {
        project: project.clone(),
        header,
        format,
        ids,
        identifying,
        protected,
        changes,
        terms: privacy.extra_terms(),
        id_key: crate::security::random_bytes(),
        all: selection.universe(),
    })
}

/// The export right on `project`; a refusal is written to the audit log (action
/// `export.refused`), whether it comes from the export page, the API or the command line.
pub fn require(db: &Database, who: &Requester, project: &str) -> Result<(), ExportError> {
    if who.may_export(project) {
        return Ok(());
    }
    log_refusal(db, who, project, "geen recht om te exporteren");
    Err(ExportError::NotAllowed)
}

/// Checks the right, [`plan`]s the export and writes the audit entry (who, when, which filter,
/// how many stories); a refusal is logged too.
pub fn prepare(
    db: &Database,
    who: &Requester,
    data: &ProjectData,
    selection: &Selection,
    filter: &str,
    format: Format,
) -> Result<PreparedExport, ExportError> {
    let slug = &data.project.slug;
    require(db, who, slug)?;
    let export = plan(db, data, selection, filter, format)?;
    if let Some(k) = export.too_small() {
        log_refusal(
            db,
            who,
            slug,
            &format!("minder dan {k} verhalen ({filter})"),
        );
        return Err(ExportError::TooFew { k });
    }
    let n = export.count();
    let detail = format!(
        "{} via {}, {} {}, filter: {}, {} waarden beschermd",
        format.key().to_uppercase(),
        who.via,
        n,
        if n == 1 { "verhaal" } else { "verhalen" },
        filter,
        export.changes.total()
    );
    let actor = who.user.map(SignedIn::actor);
    db.write_sync(|conn| {
        audit::log(
            conn,
            actor.as_ref(),
            action::EXPORT,
            Some(slug),
            None,
            &detail,
            export.header.exported_at,
        )
    })?;
    Ok(export)
}

/// An anonymised export from the command line: the project's stories that `filter` selects,
/// written to `out`. Filters that name no question or option of the project are refused.
pub fn export_from_command_line(
    db: &Database,
    slug: &str,
    filter: &StoryFilter,
    format: Format,
    table: TableOptions,
    out: impl Write,
) -> Result<(ExportSummary, Changes), ExportError> {
    let data = super::analysis::load_project(db, slug)?;
    let mut checked = filter.clone();
    if let Some(unknown) = checked.drop_unknown(&data).into_iter().next() {
        return Err(AnalysisError::UnknownFilter(unknown).into());
    }
    let selection = data.select(&checked)?;
    let who = Requester {
        user: None,
        via: "de opdrachtregel",
    };
    let export =
        prepare(db, &who, &data, &selection, &checked.describe(), format)?.with_table(table);
    let summary = export.write(db, out)?;
    Ok((summary, export.changes()))
}
