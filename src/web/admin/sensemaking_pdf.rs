//! The session report as plain data for the PDF layer.

use crate::pdf::{
    ReportCluster, ReportNote, ReportProposal, ReportRank, ReportTable, SessionReport,
};
use crate::web::sensemaking::ReportView;
use crate::web::views::table::NoteView;

fn note(n: &NoteView) -> ReportNote {
    ReportNote {
        kind: n.kind_label.clone(),
        text: n.sentence.clone(),
        author: if n.perspective.is_empty() {
            n.author.clone()
        } else {
            format!("{} ({})", n.author, n.perspective.to_lowercase())
        },
    }
}

pub fn document(project: &str, report: &ReportView) -> SessionReport {
    SessionReport {
        project: project.to_string(),
        title: report.session.title.clone(),
        when: report.session.when.clone(),
        place: report.session.place.clone(),
        purpose: report.session.purpose.clone(),
        participants: report.participants,
        generated: crate::web::views::story::nl_date(crate::exchange::timestamp::now_unix()),
        votes_hidden: report.votes_hidden,
        ranking: report
            .ranking
            .iter()
            .map(|r| ReportRank {
                place: r.place,
                cluster: r.name.clone(),
                table: r.table.clone(),
                votes: r.votes,
                notes: r.notes,
            })
            .collect(),
        tables: report
            .tables
            .iter()
            .map(|(t, b)| {
                let mut perspectives: Vec<(String, usize)> = Vec::new();
                for (_, p) in &t.participants {
                    let label = if p.is_empty() { "Anders" } else { p.as_str() };
                    match perspectives.iter_mut().find(|(l, _)| l == label) {
                        Some((_, n)) => *n += 1,
                        None => perspectives.push((label.to_string(), 1)),
                    }
                }
                ReportTable {
                    name: t.name.clone(),
                    colour: t.colour_label.clone(),
                    perspectives,
                    cards: t.cards.iter().map(|c| c.title.clone()).collect(),
                    stories: t
                        .stories
                        .iter()
                        .map(|s| (s.id.clone(), s.title.clone()))
                        .collect(),
                    reopened: t.reopened.iter().map(|p| p.title.clone()).collect(),
                    clusters: b
                        .clusters
                        .iter()
                        .map(|c| ReportCluster {
                            name: c.name.clone(),
                            votes: c.votes,
                            notes: c.notes.iter().map(note).collect(),
                        })
                        .collect(),
                    loose_notes: b.loose.iter().map(note).collect(),
                    proposals: b
                        .proposals
                        .iter()
                        .map(|p| ReportProposal {
                            title: p.title.clone(),
                            action: p.action.clone(),
                            so_that: p.so_that.clone(),
                            first_step: p.first_step.clone(),
                            owner: p.owner_name.clone(),
                            level: p.level.clone(),
                            status: p.status.clone(),
                            sources: p.origins.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}
