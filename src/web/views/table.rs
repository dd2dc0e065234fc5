//! What the session templates get: plain, serialisable views of a session, its tables and
//! boards, shared by the participant's table, the begeleider's pages and the report.

use crate::domain::sensemaking::{
    note_sentence, Level, NoteKind, Perspective, ProposalStatus, TableColour,
};
pub use crate::render::session::SessionInfo;
use crate::service::proposals::ProposalRecord;
use crate::service::sensemaking::NoteRecord;
use crate::service::sensemaking::{Board, SessionDetail, Source, SourceKind, TableView};
use crate::web::views::story::StoryView;
use serde::Serialize;

#[derive(Serialize)]
pub struct CardView {
    pub id: String,
    pub title: String,
    pub theme: String,
    pub description: String,
    pub interpretation_a: String,
    pub interpretation_b: String,
    /// The interpretations after the first two (a card may have up to five).
    pub more_interpretations: Vec<String>,
    pub quotes: Vec<String>,
}

#[derive(Serialize)]
pub struct ProposalView {
    pub id: String,
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    pub owner_name: String,
    pub owner_email: String,
    pub level: String,
    pub level_key: String,
    pub status: String,
    pub cluster_id: String,
    /// Where it grew from, one line each (filled for the report only, see [`origin_line`]).
    pub origins: Vec<String>,
}

/// One thing a proposal grew from, as the report lists it: "Kaart: …", "Verhaal VP-…: …",
/// "Notitie: the first words …".
pub fn origin_line(source: &Source) -> String {
    let gone = "niet meer te tonen";
    match (source.kind, &source.label) {
        (SourceKind::Card, Some(title)) => format!("Kaart: {title}"),
        (SourceKind::Card, None) => format!("Kaart {} ({gone})", source.id),
        (SourceKind::Story, Some(title)) => format!("Verhaal {}: {title}", source.id),
        (SourceKind::Story, None) => format!("Verhaal {} ({gone})", source.id),
        (SourceKind::Note, Some(text)) => format!("Notitie: {}", first_words(text, 14)),
        (SourceKind::Note, None) => format!("Notitie ({gone})"),
        (SourceKind::Other, _) => format!("Bron {}", source.id),
    }
}

/// The first `n` words of `text`, with "…" when there were more.
fn first_words(text: &str, n: usize) -> String {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() <= n {
        words.join(" ")
    } else {
        format!("{} …", words[..n].join(" "))
    }
}

impl ProposalView {
    pub fn new(p: &ProposalRecord) -> Self {
        ProposalView {
            id: p.id.clone(),
            title: p.title.clone(),
            action: p.action.clone(),
            so_that: p.so_that.clone(),
            first_step: p.first_step.clone(),
            owner_name: p.owner_name.clone(),
            owner_email: p.owner_email.clone(),
            level: Level::parse(&p.level).map_or("", Level::label).to_string(),
            level_key: p.level.clone(),
            status: ProposalStatus::parse(&p.status)
                .map_or("", ProposalStatus::label)
                .to_string(),
            cluster_id: p.cluster_id.clone().unwrap_or_default(),
            origins: Vec::new(),
        }
    }
}

/// A table with its material.
#[derive(Serialize)]
pub struct TableInfo {
    pub id: String,
    pub name: String,
    pub colour: String,
    pub colour_label: String,
    pub cards: Vec<CardView>,
    pub cards_missing: usize,
    pub stories: Vec<StoryView>,
    pub stories_missing: usize,
    pub reopened: Vec<ProposalView>,
    pub warnings: Vec<String>,
    pub participants: Vec<(String, String)>,
    pub notes: i64,
}

impl TableInfo {
    /// A table without its material, for the cockpit: notes there do not say which card or
    /// story they are about (reading every table's material, stories anonymised, on every
    /// update of the room would cost more than that line is worth).
    pub fn bare(id: &str, name: &str, colour: &str) -> Self {
        let colour = TableColour::parse(colour).unwrap_or(TableColour::Grijs);
        TableInfo {
            id: id.to_string(),
            name: name.to_string(),
            colour: colour.key().to_string(),
            colour_label: colour.label().to_string(),
            cards: Vec::new(),
            cards_missing: 0,
            stories: Vec::new(),
            stories_missing: 0,
            reopened: Vec::new(),
            warnings: Vec::new(),
            participants: Vec::new(),
            notes: 0,
        }
    }

    pub fn new(t: &TableView, session: &SessionDetail) -> Self {
        TableInfo {
            id: t.record.id.clone(),
            name: t.record.name.clone(),
            colour: t.colour.key().to_string(),
            colour_label: t.colour.label().to_string(),
            cards: t
                .cards
                .iter()
                .map(|c| CardView {
                    id: c.record.id.clone(),
                    title: c.record.title.clone(),
                    theme: c.record.theme.clone(),
                    description: c.record.description.clone(),
                    interpretation_a: c.record.interpretation_a.clone(),
                    interpretation_b: c.record.interpretation_b.clone(),
                    more_interpretations: c
                        .interpretations
                        .iter()
                        .skip(crate::domain::observation::MIN_INTERPRETATIONS)
                        .cloned()
                        .collect(),
                    quotes: c.quotes.iter().map(|q| q.text.clone()).collect(),
                })
                .collect(),
            cards_missing: t.cards_missing,
            stories: t
                .stories
                .iter()
                .map(|(s, q)| StoryView::new(s.clone(), q.as_ref()))
                .collect(),
            stories_missing: t.stories_missing,
            reopened: t.reopened.iter().map(ProposalView::new).collect(),
            warnings: t.warnings.clone(),
            participants: session
                .participants
                .iter()
                .filter(|p| p.table_id == t.record.id)
                .map(|p| (p.display_name.clone(), perspective_label(&p.perspective)))
                .collect(),
            notes: session.note_counts.get(&t.record.id).copied().unwrap_or(0),
        }
    }
}

fn perspective_label(key: &str) -> String {
    Perspective::parse(key)
        .map_or("", Perspective::label)
        .to_string()
}

#[derive(Serialize, Clone)]
pub struct NoteView {
    pub id: String,
    pub kind: String,
    pub kind_label: String,
    pub sentence: String,
    pub author: String,
    pub perspective: String,
    /// The title of the card or story it is about ('' for none).
    pub about: String,
    pub mine: bool,
    pub cluster_id: String,
    /// The table it was written at, when that is not the board's own ('' otherwise).
    pub from_table: String,
}

/// A note of this table that a begeleider put in a groep of another table.
#[derive(Serialize)]
pub struct MovedNoteView {
    pub note: NoteView,
    pub cluster: String,
    pub table: String,
}

#[derive(Serialize)]
pub struct ClusterInfo {
    pub id: String,
    pub name: String,
    pub votes: i64,
    pub mine: i32,
    pub notes: Vec<NoteView>,
}

#[derive(Serialize)]
pub struct BoardView {
    pub revision: i64,
    pub clusters: Vec<ClusterInfo>,
    pub loose: Vec<NoteView>,
    pub elsewhere: Vec<MovedNoteView>,
    pub proposals: Vec<ProposalView>,
    pub votes_left: i64,
    pub note_count: usize,
    pub votes_hidden: bool,
    pub votes_cast: i64,
}

impl BoardView {
    pub fn new(board: &Board, table: &TableInfo, viewer: Option<&str>) -> Self {
        let note = |n: &NoteRecord| {
            let kind = NoteKind::parse(&n.kind).unwrap_or(NoteKind::Verbazing);
            let about = match (&n.observation_id, &n.story_id) {
                (Some(o), _) => table
                    .cards
                    .iter()
                    .find(|c| c.id == *o)
                    .map_or(String::new(), |c| format!("Kaart: {}", c.title)),
                (_, Some(s)) => table
                    .stories
                    .iter()
                    .find(|st| st.id == *s)
                    .map_or(String::new(), |st| format!("Verhaal: {}", st.title)),
                _ => String::new(),
            };
            NoteView {
                id: n.id.clone(),
                kind: kind.key().to_string(),
                kind_label: kind.label().to_string(),
                sentence: note_sentence(kind, &n.body, &n.so_that),
                author: n.author_name.clone(),
                perspective: perspective_label(&n.perspective),
                about,
                mine: viewer.is_some() && n.participant_id.as_deref() == viewer,
                cluster_id: n.cluster_id.clone().unwrap_or_default(),
                from_table: if n.table_id == table.id {
                    String::new()
                } else {
                    board
                        .table_names
                        .get(&n.table_id)
                        .cloned()
                        .unwrap_or_default()
                },
            }
        };
        BoardView {
            revision: board.revision,
            clusters: board
                .clusters
                .iter()
                .map(|c| ClusterInfo {
                    id: c.record.id.clone(),
                    name: c.record.name.clone(),
                    votes: c.votes,
                    mine: c.mine,
                    notes: c.notes.iter().map(note).collect(),
                })
                .collect(),
            loose: board.loose.iter().map(note).collect(),
            elsewhere: board
                .elsewhere
                .iter()
                .map(|m| MovedNoteView {
                    note: note(&m.note),
                    cluster: m.cluster.clone(),
                    table: m.table.clone(),
                })
                .collect(),
            proposals: board.proposals.iter().map(ProposalView::new).collect(),
            votes_left: board.votes_left,
            note_count: board.note_count,
            votes_hidden: board.votes_hidden,
            votes_cast: board.votes_cast,
        }
    }
}
