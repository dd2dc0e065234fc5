//! The cockpit of a duidingssessie on paper, A4 landscape: the whole room at one moment —
//! every table side by side (three to a page) with its groepjes, their notes and votes, its
//! loose notes and its verbetervoorstellen — and then, once the votes are shown, the ranking of
//! the groepjes of all tables. For the report: where the verslag (`report`) tells each table in
//! full, this shows the room at a glance. Long tables flow on to the next page in their own
//! column; nothing is cut but the notes beyond the first few of a groepje, which are counted.

use super::flow::{Column, Weight, Writer, ACCENT, GREY, INK, LIGHT};
use super::report::{ReportNote, ReportTable, SessionReport};
use super::PdfError;

/// Tables side by side on one page.
const PER_PAGE: usize = 3;
/// Notes shown under each groepje (the rest is counted), so a page stays an overview.
const NOTES_SHOWN: usize = 4;
const GAP: f32 = 14.0;
const SIZE: f32 = 8.5;

fn count(n: usize, one: &str, more: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {more}")
    }
}

fn wrapped(w: &mut Writer, text: &str, size: f32, weight: Weight, colour: (u8, u8, u8)) {
    for line in w.wrap(text, size, weight, w.column.width) {
        w.line(&line, size, weight, colour);
    }
}

fn notes(w: &mut Writer, notes: &[ReportNote]) {
    for n in notes.iter().take(NOTES_SHOWN) {
        wrapped(w, &format!("• {}", n.text), SIZE, Weight::Regular, INK);
    }
    if notes.len() > NOTES_SHOWN {
        wrapped(
            w,
            &format!("en nog {} (zie het verslag)", notes.len() - NOTES_SHOWN),
            SIZE,
            Weight::Regular,
            GREY,
        );
    }
}

fn table(w: &mut Writer, t: &ReportTable, votes_hidden: bool) {
    let column = w.column;
    w.rect(column.x, w.y, column.width, 3.0, ACCENT);
    w.y += 6.0;
    wrapped(
        w,
        &format!("{} ({})", t.name, t.colour),
        12.0,
        Weight::Bold,
        INK,
    );
    let people: usize = t.perspectives.iter().map(|(_, n)| n).sum();
    let written = t.clusters.iter().map(|c| c.notes.len()).sum::<usize>() + t.loose_notes.len();
    wrapped(
        w,
        &format!(
            "{} · {} · {}",
            count(people, "deelnemer", "deelnemers"),
            count(written, "notitie", "notities"),
            count(t.proposals.len(), "voorstel", "voorstellen")
        ),
        SIZE,
        Weight::Regular,
        GREY,
    );
    w.y += 4.0;
    for c in &t.clusters {
        let head = if votes_hidden {
            format!(
                "{} · {}",
                c.name,
                count(c.notes.len(), "notitie", "notities")
            )
        } else {
            format!(
                "{} · {} · {}",
                c.name,
                count(c.notes.len(), "notitie", "notities"),
                count(usize::try_from(c.votes).unwrap_or(0), "stem", "stemmen")
            )
        };
        let lines = w.wrap(&head, 9.5, Weight::Bold, column.width - 8.0);
        let height = lines.len() as f32 * 9.5 * 1.35 + 4.0;
        w.need(height + 2.0 * SIZE * 1.35);
        w.rect(column.x, w.y, column.width, height, LIGHT);
        w.y += 2.0;
        w.column = Column {
            x: column.x + 4.0,
            width: column.width - 8.0,
            ..column
        };
        for line in lines {
            w.line(&line, 9.5, Weight::Bold, INK);
        }
        w.y += 2.0;
        notes(w, &c.notes);
        w.column = column;
        w.y += 4.0;
    }
    if !t.loose_notes.is_empty() {
        wrapped(
            w,
            &format!(
                "Nog niet in een groepje: {}",
                count(t.loose_notes.len(), "notitie", "notities")
            ),
            9.5,
            Weight::Bold,
            INK,
        );
        notes(w, &t.loose_notes);
        w.y += 4.0;
    }
    if t.clusters.is_empty() && t.loose_notes.is_empty() {
        wrapped(w, "Nog geen notities.", SIZE, Weight::Regular, GREY);
    }
    if !t.proposals.is_empty() {
        wrapped(w, "Verbetervoorstellen", 9.5, Weight::Bold, ACCENT);
        for p in &t.proposals {
            wrapped(
                w,
                &format!("• {} (handschoenoppakker: {})", p.title, p.owner),
                SIZE,
                Weight::Regular,
                INK,
            );
        }
    }
}

/// The room at one moment. `moment` says when and in which phase, e.g. "Stemmen, 20:12".
pub fn room_overview(report: &SessionReport, moment: &str) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    let full = w.whole_page();
    wrapped(
        &mut w,
        &format!("COCKPIT DUIDINGSSESSIE · {}", report.project.to_uppercase()),
        8.0,
        Weight::Bold,
        ACCENT,
    );
    wrapped(&mut w, &report.title, 18.0, Weight::Bold, INK);
    let votes = if report.votes_hidden {
        "De stemmen zijn nog niet getoond."
    } else {
        "De stemmen zijn getoond."
    };
    wrapped(
        &mut w,
        &format!(
            "{} · {} aan {} · {moment} · {votes}",
            report.when,
            count(report.participants, "deelnemer", "deelnemers"),
            count(report.tables.len(), "tafel", "tafels"),
        ),
        9.0,
        Weight::Regular,
        GREY,
    );
    w.y += 8.0;
    let width = (full.width - GAP * (PER_PAGE as f32 - 1.0)) / PER_PAGE as f32;
    let mut top = w.y;
    let mut page = w.page();
    for (i, chunk) in report.tables.chunks(PER_PAGE).enumerate() {
        if i > 0 {
            w.column = full;
            w.new_page();
            page = w.page();
            top = full.top;
        }
        let mut last = page;
        for (j, t) in chunk.iter().enumerate() {
            let column = Column {
                x: full.x + j as f32 * (width + GAP),
                top,
                width,
                bottom: full.bottom,
            };
            w.go_to(page, column);
            table(&mut w, t, report.votes_hidden);
            last = last.max(w.page());
        }
        // The next row of tables starts after the longest column of this one.
        w.go_to(last, full);
        page = last;
    }
    if report.tables.is_empty() {
        w.column = full;
        wrapped(
            &mut w,
            "Deze sessie heeft geen tafels.",
            11.0,
            Weight::Regular,
            INK,
        );
    }
    if !report.ranking.is_empty() {
        w.column = full;
        w.new_page();
        wrapped(
            &mut w,
            "Alle groepjes op volgorde van stemmen",
            14.0,
            Weight::Bold,
            INK,
        );
        w.y += 4.0;
        for r in &report.ranking {
            wrapped(
                &mut w,
                &format!(
                    "{}. {} ({}) · {} · {}",
                    r.place,
                    r.cluster,
                    r.table,
                    count(usize::try_from(r.votes).unwrap_or(0), "stem", "stemmen"),
                    count(r.notes, "notitie", "notities")
                ),
                11.0,
                Weight::Regular,
                INK,
            );
        }
    }
    w.finish(&format!("Cockpit · {}", report.title))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::{ReportCluster, ReportRank};

    fn table(i: usize, clusters: usize, notes: usize) -> ReportTable {
        let note = |k: usize| ReportNote {
            kind: "Idee".into(),
            text: format!(
                "We zouden eigenlijk idee {k} van tafel {i} moeten doen, zodat het beter gaat."
            ),
            author: "Sam".into(),
        };
        ReportTable {
            name: format!("Tafel {}", i + 1),
            colour: "Blauw".into(),
            perspectives: vec![("Jongere".into(), 3)],
            clusters: (0..clusters)
                .map(|c| ReportCluster {
                    name: format!("Groep {c} van tafel {}", i + 1),
                    votes: c as i64,
                    notes: (0..notes).map(note).collect(),
                })
                .collect(),
            loose_notes: vec![note(99)],
            ..ReportTable::default()
        }
    }

    fn text(pdf: &[u8]) -> String {
        String::from_utf8_lossy(pdf).into_owned()
    }

    #[test]
    fn five_tables_make_two_pages_of_tables_and_one_of_ranking() {
        let report = SessionReport {
            title: "Sessie".into(),
            participants: 15,
            tables: (0..5).map(|i| table(i, 2, 2)).collect(),
            ranking: vec![ReportRank {
                place: 1,
                cluster: "Groep 1".into(),
                table: "Tafel 1".into(),
                votes: 4,
                notes: 2,
            }],
            ..SessionReport::default()
        };
        let pdf = room_overview(&report, "Stemmen").expect("pdf");
        assert!(pdf.starts_with(b"%PDF-"));
        let pages = text(&pdf)
            .matches("/Type /Page\n")
            .count()
            .max(text(&pdf).matches("/Type /Page ").count());
        assert_eq!(pages, 3);
    }

    #[test]
    fn a_long_table_flows_on_to_more_pages() {
        let report = SessionReport {
            title: "Sessie".into(),
            votes_hidden: true,
            tables: vec![table(0, 30, 6)],
            ..SessionReport::default()
        };
        let pdf = room_overview(&report, "Groeperen").expect("pdf");
        let pages = text(&pdf)
            .matches("/Type /Page\n")
            .count()
            .max(text(&pdf).matches("/Type /Page ").count());
        assert!(pages > 1, "{pages}");
    }
}
