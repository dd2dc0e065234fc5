//! The verslag of a duidingssessie as PDF, A4 portrait: the session (title, project, when,
//! where, purpose, participants), then per table who sat there, what they read, their notes
//! in clusters (most votes first) and loose, and their verbetervoorstellen with the
//! handschoenoppakker. Shared with the participants and with decision makers, so the texts are
//! plain (B1) and nothing is cut: everything wraps and flows on to the next page.

use super::flow::{Column, Weight, Writer, ACCENT, GREY, INK, LIGHT};
use super::PdfError;

/// A whole session as reported.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SessionReport {
    /// The project's name.
    pub project: String,
    /// The session's title.
    pub title: String,
    /// When, already formatted, e.g. "dinsdag 24 november 2026, 19:30".
    pub when: String,
    /// "Online" or a place.
    pub place: String,
    /// What the session was for; may be empty.
    pub purpose: String,
    pub participants: usize,
    /// The date the report was made, formatted.
    pub generated: String,
    pub tables: Vec<ReportTable>,
    /// The begeleider has not shown the votes yet: no cluster's votes are known (all 0 here).
    pub votes_hidden: bool,
    /// The clusters of every table by votes, once they are shown (empty while hidden).
    pub ranking: Vec<ReportRank>,
}

/// A place in the plenary ranking of the clusters of all tables.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportRank {
    pub place: usize,
    pub cluster: String,
    pub table: String,
    pub votes: i64,
    pub notes: usize,
}

/// One table of the session.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportTable {
    pub name: String,
    /// The table's colour as a label, e.g. "Blauw" (text only).
    pub colour: String,
    /// Who sat there: perspective and how many, e.g. ("Jongere", 2).
    pub perspectives: Vec<(String, usize)>,
    /// Titles of the observation cards read.
    pub cards: Vec<String>,
    /// (story id, story title) of the stories read.
    pub stories: Vec<(String, String)>,
    /// Titles of earlier proposals opened again at this table.
    pub reopened: Vec<String>,
    pub clusters: Vec<ReportCluster>,
    /// Notes in no cluster.
    pub loose_notes: Vec<ReportNote>,
    pub proposals: Vec<ReportProposal>,
}

/// Notes put together, with the votes the cluster got.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportCluster {
    pub name: String,
    pub votes: i64,
    pub notes: Vec<ReportNote>,
}

/// One note as written at the table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportNote {
    /// "Idee", "Verbazing", "Zorg" or "Kans".
    pub kind: String,
    /// The full sentence.
    pub text: String,
    /// The display name with the perspective, e.g. "Sam (jongere)".
    pub author: String,
}

/// A verbetervoorstel with the one who takes it up.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReportProposal {
    pub title: String,
    pub action: String,
    pub so_that: String,
    pub first_step: String,
    /// The handschoenoppakker.
    pub owner: String,
    /// "Lokaal" etc.
    pub level: String,
    pub status: String,
    /// Where it grew from, e.g. "Kaart: …", "Verhaal VP-…".
    pub sources: Vec<String>,
}

const PRIVACY: &str = "In dit verslag staan geen persoonsgegevens. Alleen de namen die deelnemers zelf kozen om te laten zien, staan erin.";
const INTRO: &str = "Aan gemengde tafels zaten jongeren, ouders, professionals en beleidsmakers. Ze lazen observatiekaarten en verhalen en schreven notities. Die legden ze in groepjes en ze stemden op de groepjes die ze het belangrijkst vonden. Daarna schreven ze verbetervoorstellen, elk met iemand die het oppakt.";
/// Space between a label and the text beside it.
const LABEL_GAP: f32 = 8.0;
const NOTE_SIZE: f32 = 9.5;
const FIELD_SIZE: f32 = 9.5;
/// The widest kind label that still goes beside the note ("Verbazing" and the like).
const KIND_WIDTH: f32 = 70.0;

fn plural(n: usize, one: &str, more: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {more}")
    }
}

fn votes(n: i64) -> String {
    match n {
        0 => "geen stemmen".into(),
        1 => "1 stem".into(),
        n => format!("{n} stemmen"),
    }
}

/// Lines of `text` in the current column, without the space after a paragraph.
fn lines(w: &mut Writer, text: &str, size: f32, weight: Weight, colour: (u8, u8, u8)) {
    for line in w.wrap(text, size, weight, w.column.width) {
        w.line(&line, size, weight, colour);
    }
}

/// A heading that does not stay alone at the foot of a page: `keep` points of what follows
/// come with it.
fn heading(w: &mut Writer, text: &str, size: f32, colour: (u8, u8, u8), keep: f32) {
    let height = w.wrap(text, size, Weight::Bold, w.column.width).len() as f32 * size * 1.35;
    w.need(height + keep);
    w.paragraph(text, size, Weight::Bold, colour);
}

/// `text` beside a bold `label` in a margin of `label_width` (a hanging indent), wrapped and
/// flowing on. A label too wide for the margin goes on its own line above the text.
fn labelled(
    w: &mut Writer,
    label: &str,
    label_width: f32,
    text: &str,
    size: f32,
    colour: (u8, u8, u8),
) {
    let outer = w.column;
    let leading = size * 1.35;
    let text = if text.trim().is_empty() { "–" } else { text };
    let beside = w.width_of(label, size, Weight::Bold) <= label_width - LABEL_GAP;
    if !label.is_empty() && !beside {
        w.need(leading * 2.0);
        lines(w, label, size, Weight::Bold, INK);
    }
    w.column = Column {
        x: outer.x + label_width,
        width: outer.width - label_width,
        ..outer
    };
    w.need(leading * 2.0_f32.min(w.wrap(text, size, Weight::Regular, w.column.width).len() as f32));
    if !label.is_empty() && beside {
        let y = w.y;
        w.text_at(outer.x, y, label, size, Weight::Bold);
    }
    lines(w, text, size, Weight::Regular, colour);
    // A new page may have moved the top of the column down under the running head.
    w.column = Column {
        top: w.column.top,
        ..outer
    };
}

/// A line of bold text on a light band over the column's width (a cluster's name). Too long
/// for one page, it is a plain heading.
fn band(w: &mut Writer, text: &str, size: f32) {
    let outer = w.column;
    let leading = size * 1.35;
    let wrapped = w.wrap(text, size, Weight::Bold, outer.width - 12.0);
    let height = wrapped.len() as f32 * leading + 6.0;
    if height > (outer.bottom - outer.top) / 2.0 {
        heading(w, text, size, INK, 0.0);
        return;
    }
    // The band and the first note stay together.
    w.need(height + 3.0 * NOTE_SIZE * 1.35);
    w.rect(outer.x, w.y, outer.width, height, LIGHT);
    w.y += 3.0;
    w.column = Column {
        x: outer.x + 6.0,
        width: outer.width - 12.0,
        ..outer
    };
    for line in wrapped {
        w.line(&line, size, Weight::Bold, INK);
    }
    w.column = outer;
    w.y += 3.0 + 4.0;
}

fn note(w: &mut Writer, note: &ReportNote) {
    // A note of a few lines is not split over two pages, nor its author put on the next one.
    let text_lines = w
        .wrap(
            &note.text,
            NOTE_SIZE,
            Weight::Regular,
            w.column.width - KIND_WIDTH,
        )
        .len()
        .max(1);
    let height = text_lines as f32 * NOTE_SIZE * 1.35 + 8.0 * 1.35;
    if height < (w.column.bottom - w.column.top) / 3.0 {
        w.need(height);
    }
    labelled(w, &note.kind, KIND_WIDTH, &note.text, NOTE_SIZE, INK);
    if !note.author.trim().is_empty() {
        let outer = w.column;
        w.column = Column {
            x: outer.x + KIND_WIDTH,
            width: outer.width - KIND_WIDTH,
            ..outer
        };
        lines(w, &format!("— {}", note.author), 8.0, Weight::Regular, GREY);
        w.column = Column {
            top: w.column.top,
            ..outer
        };
    }
    w.y += 5.0;
}

/// A list of short items, one under the other, each with a bullet.
fn list(w: &mut Writer, head: &str, items: &[String]) {
    if items.is_empty() {
        return;
    }
    heading(w, head, 9.5, INK, 9.5 * 1.35);
    let indent = w.width_of("•", 9.5, Weight::Bold) + LABEL_GAP;
    for item in items {
        labelled(w, "•", indent, item, 9.5, INK);
    }
    w.y += 4.0;
}

fn proposal(w: &mut Writer, p: &ReportProposal, label_width: f32) {
    // The bar, the title and the first field stay together.
    w.need(70.0);
    let column = w.column;
    w.rect(column.x, w.y, column.width, 1.5, ACCENT);
    w.y += 5.0;
    let title = if p.title.trim().is_empty() {
        "Voorstel zonder titel"
    } else {
        p.title.as_str()
    };
    w.paragraph(title, 12.0, Weight::Bold, INK);
    let owner = if p.owner.trim().is_empty() {
        "Nog niemand"
    } else {
        p.owner.as_str()
    };
    for (label, text) in [
        ("Wat we gaan doen", p.action.as_str()),
        ("Zodat", p.so_that.as_str()),
        ("Eerste stap", p.first_step.as_str()),
        ("Handschoenoppakker", owner),
        ("Niveau", p.level.as_str()),
        ("Status", p.status.as_str()),
    ] {
        labelled(w, label, label_width, text, FIELD_SIZE, INK);
        w.y += 2.0;
    }
    origins(w, &p.sources, label_width);
    w.y += 8.0;
}

/// "Gegroeid uit" beside the first of a proposal's sources, each source a bulleted item with
/// its own hanging indent. Nothing when no sources were recorded.
fn origins(w: &mut Writer, sources: &[String], label_width: f32) {
    let sources: Vec<&String> = sources.iter().filter(|s| !s.trim().is_empty()).collect();
    if sources.is_empty() {
        return;
    }
    let outer = w.column;
    // The label and the first source's first two lines stay together.
    w.need(FIELD_SIZE * 1.35 * 2.0);
    let y = w.y;
    w.text_at(outer.x, y, "Gegroeid uit", FIELD_SIZE, Weight::Bold);
    w.column = Column {
        x: outer.x + label_width,
        width: outer.width - label_width,
        ..outer
    };
    let indent = w.width_of("•", FIELD_SIZE, Weight::Bold) + LABEL_GAP;
    for source in sources {
        labelled(w, "•", indent, source, FIELD_SIZE, INK);
        w.y += 1.0;
    }
    w.column = Column {
        top: w.column.top,
        ..outer
    };
    w.y += 1.0;
}

/// The margin the labels of a proposal need.
fn proposal_labels(w: &Writer) -> f32 {
    [
        "Wat we gaan doen",
        "Zodat",
        "Eerste stap",
        "Handschoenoppakker",
        "Niveau",
        "Status",
        "Gegroeid uit",
    ]
    .iter()
    .map(|l| w.width_of(l, FIELD_SIZE, Weight::Bold))
    .fold(0.0, f32::max)
        + LABEL_GAP
        + 4.0
}

fn write_table(w: &mut Writer, report: &SessionReport, table: &ReportTable) {
    w.running_head = None;
    w.column = w.whole_page();
    w.need(160.0);
    w.y += 10.0;
    let column = w.column;
    w.rect(column.x, w.y, column.width, 3.0, ACCENT);
    w.y += 8.0;
    let name = if table.colour.trim().is_empty() {
        table.name.clone()
    } else {
        format!("{} · {}", table.name, table.colour)
    };
    w.paragraph(&name, 16.0, Weight::Bold, INK);
    w.running_head = Some(
        format!("{} · {}", report.title, table.name)
            .chars()
            .take(90)
            .collect(),
    );

    let seated = if table.perspectives.is_empty() {
        "Niet bijgehouden".to_string()
    } else {
        table
            .perspectives
            .iter()
            .map(|(who, n)| format!("{who} ({n})"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    labelled(w, "Aan tafel", 70.0, &seated, 9.5, INK);
    w.y += 8.0;

    heading(w, "Wat we lazen", 12.0, ACCENT, 30.0);
    let stories: Vec<String> = table
        .stories
        .iter()
        .map(|(id, title)| {
            if id.trim().is_empty() {
                title.clone()
            } else {
                format!("{title} ({id})")
            }
        })
        .collect();
    list(w, "Observatiekaarten", &table.cards);
    list(w, "Verhalen", &stories);
    list(w, "Eerdere voorstellen, opnieuw besproken", &table.reopened);
    if table.cards.is_empty() && stories.is_empty() && table.reopened.is_empty() {
        w.paragraph(
            "Er is niet vastgelegd wat deze tafel las.",
            9.5,
            Weight::Regular,
            GREY,
        );
    }

    heading(w, "Notities", 12.0, ACCENT, 30.0);
    let notes: usize =
        table.clusters.iter().map(|c| c.notes.len()).sum::<usize>() + table.loose_notes.len();
    if notes == 0 && table.clusters.is_empty() {
        w.paragraph(
            "Aan deze tafel zijn geen notities geschreven.",
            9.5,
            Weight::Regular,
            GREY,
        );
    } else {
        let order = if report.votes_hidden {
            "De stemmen zijn nog niet getoond."
        } else {
            "De groepjes met de meeste stemmen staan bovenaan."
        };
        w.paragraph(
            &format!(
                "{} in {}. {order}",
                plural(notes, "notitie", "notities"),
                plural(table.clusters.len(), "groepje", "groepjes")
            ),
            9.0,
            Weight::Regular,
            GREY,
        );
        let mut clusters: Vec<&ReportCluster> = table.clusters.iter().collect();
        if !report.votes_hidden {
            clusters.sort_by_key(|c| std::cmp::Reverse(c.votes));
        }
        for cluster in clusters {
            let head = if report.votes_hidden {
                cluster.name.clone()
            } else {
                format!("{} · {}", cluster.name, votes(cluster.votes))
            };
            band(w, &head, 10.5);
            if cluster.notes.is_empty() {
                w.paragraph(
                    "In dit groepje staan geen notities.",
                    9.0,
                    Weight::Regular,
                    GREY,
                );
            }
            for n in &cluster.notes {
                note(w, n);
            }
            w.y += 4.0;
        }
        if !table.loose_notes.is_empty() {
            heading(
                w,
                "Notities die in geen groepje zitten",
                10.5,
                INK,
                2.0 * NOTE_SIZE * 1.35,
            );
            for n in &table.loose_notes {
                note(w, n);
            }
        }
    }

    heading(w, "Verbetervoorstellen", 12.0, ACCENT, 60.0);
    if table.proposals.is_empty() {
        w.paragraph(
            "Aan deze tafel is geen verbetervoorstel geschreven.",
            9.5,
            Weight::Regular,
            GREY,
        );
    }
    let label_width = proposal_labels(w);
    for p in &table.proposals {
        proposal(w, p, label_width);
    }
}

/// The plenary ranking: every table's groepjes by their votes, once the votes are shown.
fn ranking(w: &mut Writer, report: &SessionReport) {
    if report.ranking.is_empty() {
        return;
    }
    heading(w, "Alle groepjes op volgorde van stemmen", 14.0, INK, 40.0);
    let place_width = w.width_of("00.", 10.0, Weight::Bold) + LABEL_GAP;
    for r in &report.ranking {
        labelled(
            w,
            &format!("{}.", r.place),
            place_width,
            &format!(
                "{} ({}) · {} · {}",
                r.cluster,
                r.table,
                votes(r.votes),
                plural(r.notes, "notitie", "notities")
            ),
            10.0,
            INK,
        );
        w.y += 1.0;
    }
    w.y += 8.0;
}

/// `text` without the characters the font cannot draw (most emoji, with their skin tones and
/// joiners), instead of empty boxes; spaces left double by that are made single.
fn drawable(w: &Writer, text: &str) -> String {
    if text.chars().all(|c| c.is_whitespace() || w.can_draw(c)) {
        return text.to_string();
    }
    let kept: String = text
        .chars()
        .filter(|&c| c.is_whitespace() || w.can_draw(c))
        .collect();
    kept.lines()
        .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The report with every text made drawable.
fn drawable_report(w: &Writer, report: &SessionReport) -> SessionReport {
    let d = |text: &String| drawable(w, text);
    let all = |texts: &Vec<String>| texts.iter().map(d).collect();
    let note = |n: &ReportNote| ReportNote {
        kind: d(&n.kind),
        text: d(&n.text),
        author: d(&n.author),
    };
    SessionReport {
        project: d(&report.project),
        title: d(&report.title),
        when: d(&report.when),
        place: d(&report.place),
        purpose: d(&report.purpose),
        participants: report.participants,
        generated: d(&report.generated),
        votes_hidden: report.votes_hidden,
        ranking: report
            .ranking
            .iter()
            .map(|r| ReportRank {
                cluster: d(&r.cluster),
                table: d(&r.table),
                ..r.clone()
            })
            .collect(),
        tables: report
            .tables
            .iter()
            .map(|t| ReportTable {
                name: d(&t.name),
                colour: d(&t.colour),
                perspectives: t.perspectives.iter().map(|(p, n)| (d(p), *n)).collect(),
                cards: all(&t.cards),
                stories: t.stories.iter().map(|(id, s)| (d(id), d(s))).collect(),
                reopened: all(&t.reopened),
                clusters: t
                    .clusters
                    .iter()
                    .map(|c| ReportCluster {
                        name: d(&c.name),
                        votes: c.votes,
                        notes: c.notes.iter().map(note).collect(),
                    })
                    .collect(),
                loose_notes: t.loose_notes.iter().map(note).collect(),
                proposals: t
                    .proposals
                    .iter()
                    .map(|p| ReportProposal {
                        title: d(&p.title),
                        action: d(&p.action),
                        so_that: d(&p.so_that),
                        first_step: d(&p.first_step),
                        owner: d(&p.owner),
                        level: d(&p.level),
                        status: d(&p.status),
                        sources: all(&p.sources),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The verslag of one duidingssessie as a PDF.
pub fn session_report(report: &SessionReport) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::portrait()?;
    let report = &drawable_report(&w, report);
    let kicker = if report.project.trim().is_empty() {
        "VERSLAG DUIDINGSSESSIE".to_string()
    } else {
        format!("VERSLAG DUIDINGSSESSIE · {}", report.project.to_uppercase())
    };
    lines(&mut w, &kicker, 8.0, Weight::Bold, ACCENT);
    w.y += 2.0;
    w.paragraph(&report.title, 20.0, Weight::Bold, INK);

    let notes: usize = report
        .tables
        .iter()
        .map(|t| t.clusters.iter().map(|c| c.notes.len()).sum::<usize>() + t.loose_notes.len())
        .sum();
    let proposals: usize = report.tables.iter().map(|t| t.proposals.len()).sum();
    let mut fields = vec![
        ("Wanneer", report.when.clone()),
        ("Waar", report.place.clone()),
    ];
    if !report.purpose.trim().is_empty() {
        fields.push(("Doel", report.purpose.clone()));
    }
    fields.push((
        "Wie",
        format!(
            "{} aan {}",
            plural(report.participants, "deelnemer", "deelnemers"),
            plural(report.tables.len(), "tafel", "tafels")
        ),
    ));
    fields.push((
        "Opbrengst",
        format!(
            "{} en {}",
            plural(notes, "notitie", "notities"),
            plural(proposals, "verbetervoorstel", "verbetervoorstellen")
        ),
    ));
    let label_width = fields
        .iter()
        .map(|(l, _)| w.width_of(l, 10.0, Weight::Bold))
        .fold(0.0, f32::max)
        + LABEL_GAP
        + 4.0;
    for (label, text) in &fields {
        labelled(&mut w, label, label_width, text, 10.0, INK);
        w.y += 2.0;
    }
    w.y += 6.0;
    w.paragraph(INTRO, 9.5, Weight::Regular, GREY);
    if !report.generated.trim().is_empty() {
        w.paragraph(
            &format!("Verslag gemaakt op {}.", report.generated),
            8.5,
            Weight::Regular,
            GREY,
        );
    }
    w.running_head = Some(report.title.chars().take(90).collect());

    ranking(&mut w, report);
    for table in &report.tables {
        write_table(&mut w, report, table);
    }
    if report.tables.is_empty() {
        w.paragraph(
            "Er zijn in deze sessie geen tafels vastgelegd.",
            11.0,
            Weight::Regular,
            INK,
        );
    }

    w.need(40.0);
    w.y += 10.0;
    let column = w.column;
    w.rect(column.x, w.y, column.width, 0.8, INK);
    w.y += 6.0;
    w.paragraph(PRIVACY, 8.5, Weight::Regular, GREY);
    let title = if report.title.trim().is_empty() {
        "Verslag duidingssessie".to_string()
    } else {
        format!("Verslag · {}", report.title)
    };
    w.finish(&title)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages(pdf: &[u8]) -> usize {
        let text = String::from_utf8_lossy(pdf);
        text.matches("/Type /Page\n")
            .count()
            .max(text.matches("/Type /Page ").count())
    }

    fn finished(pdf: &[u8]) -> bool {
        let text = String::from_utf8_lossy(pdf);
        pdf.starts_with(b"%PDF-") && text.trim_end().ends_with("%%EOF")
    }

    fn note(i: usize, words: usize) -> ReportNote {
        ReportNote {
            kind: ["Idee", "Verbazing", "Zorg", "Kans"][i % 4].into(),
            text: format!(
                "We zouden eigenlijk {} moeten doen, zodat jongeren zich gehoord voelen.",
                "vaker samen met de jongere om tafel gaan ".repeat(words)
            ),
            author: "Sam (jongere)".into(),
        }
    }

    fn table(i: usize, notes: usize, words: usize) -> ReportTable {
        ReportTable {
            name: format!("Tafel {}", i + 1),
            colour: ["Blauw", "Groen", "Geel", "Rood"][i % 4].into(),
            perspectives: vec![("Jongere".into(), 2), ("Ouder".into(), 1)],
            cards: vec!["Jongeren voelen zich minder gehoord".into()],
            stories: vec![("VP-1".into(), "Wachten".into())],
            reopened: vec!["Een vast aanspreekpunt".into()],
            clusters: vec![
                ReportCluster {
                    name: "Wachten".into(),
                    votes: 2,
                    notes: (0..notes / 2).map(|n| note(n, words)).collect(),
                },
                ReportCluster {
                    name: "Gehoord worden".into(),
                    votes: 7,
                    notes: (0..notes / 2).map(|n| note(n + 1, words)).collect(),
                },
            ],
            loose_notes: vec![note(3, words)],
            proposals: vec![ReportProposal {
                title: "Een vast gezicht voor elke jongere".into(),
                action: "Elke jongere krijgt één vaste hulpverlener.".into(),
                so_that: "De jongere niet steeds opnieuw zijn verhaal hoeft te vertellen.".into(),
                first_step: "Gesprek met het wijkteam in januari.".into(),
                owner: "Fatima (beleidsmaker)".into(),
                level: "Lokaal".into(),
                status: "Nieuw".into(),
                sources: vec![
                    "Kaart: Jongeren voelen zich minder gehoord".into(),
                    "Verhaal VP-1".into(),
                ],
            }],
        }
    }

    fn report(tables: Vec<ReportTable>) -> SessionReport {
        SessionReport {
            project: "Demo".into(),
            title: "Duidingssessie jeugdhulp".into(),
            when: "dinsdag 24 november 2026, 19:30".into(),
            place: "Online".into(),
            purpose: "Samen kijken wat opvalt.".into(),
            participants: 23,
            generated: "25 november 2026".into(),
            tables,
            ..SessionReport::default()
        }
    }

    #[test]
    fn a_report_is_a_finished_pdf_and_long_tables_flow_onto_more_pages() {
        let short = session_report(&report(vec![table(0, 2, 1)])).unwrap();
        assert!(finished(&short));
        let long = session_report(&report((0..5).map(|i| table(i, 40, 6)).collect())).unwrap();
        assert!(finished(&long));
        assert!(pages(&short) >= 1, "no pages counted");
        assert!(pages(&long) > 1, "{} page(s)", pages(&long));
        assert!(pages(&long) > pages(&short));
    }

    #[test]
    fn a_report_without_tables_or_notes_still_works() {
        assert!(finished(&session_report(&report(Vec::new())).unwrap()));
        assert!(finished(
            &session_report(&SessionReport::default()).unwrap()
        ));
        let empty = ReportTable {
            name: "Tafel 1".into(),
            ..ReportTable::default()
        };
        let proposal = ReportProposal::default();
        let bare = ReportTable {
            proposals: vec![proposal],
            clusters: vec![ReportCluster::default()],
            ..empty.clone()
        };
        assert!(finished(
            &session_report(&report(vec![empty, bare])).unwrap()
        ));
    }

    #[test]
    fn special_characters_and_emoji_do_not_fail() {
        let mut t = table(0, 2, 1);
        t.name = "Tafel ‘één’ – “café” 🙂".into();
        t.clusters[0].name = "Zorg óver überhaupt ë 👍🏽".into();
        t.loose_notes = vec![ReportNote {
            kind: "Zorg".into(),
            text: "Ze zeiden: “dat kan niet” – en toen? 😟 Geen idee…".into(),
            author: "Noël (ouder)".into(),
        }];
        let mut r = report(vec![t]);
        r.title = "Sessie in ’s-Hertogenbosch — één avond 🎉".into();
        assert!(finished(&session_report(&r).unwrap()));
        // What the font cannot draw is left out instead of printed as an empty box.
        let w = Writer::portrait().unwrap();
        assert_eq!(
            drawable(&w, "Top 👍🏽 idee – “café”, één ‘keer’"),
            "Top idee – “café”, één ‘keer’"
        );
        assert_eq!(drawable(&w, "🎉\nTwee regels"), "\nTwee regels");
    }

    #[test]
    fn clusters_are_drawn_most_votes_first_and_texts_are_in_the_pdf() {
        let bytes = session_report(&report(vec![table(0, 2, 1)])).unwrap();
        let Some(text) = pdf_text(&bytes) else {
            return;
        };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for expected in [
            "Duidingssessie jeugdhulp",
            "Tafel 1 · Blauw",
            "Jongere (2), Ouder (1)",
            "Wachten (VP-1)",
            "Handschoenoppakker Fatima (beleidsmaker)",
            "geen persoonsgegevens",
        ] {
            assert!(flat.contains(expected), "{expected:?} not in: {flat}");
        }
        let most = flat.find("Gehoord worden · 7 stemmen");
        let fewer = flat.find("Wachten · 2 stemmen");
        assert!(most.is_some() && fewer.is_some() && most < fewer, "{flat}");
        let empty = session_report(&report(vec![ReportTable {
            name: "Tafel 9".into(),
            ..ReportTable::default()
        }]))
        .unwrap();
        if let Some(text) = pdf_text(&empty) {
            let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains("Aan deze tafel zijn geen notities geschreven."),
                "{flat}"
            );
        }
    }

    #[test]
    fn a_proposal_says_where_it_grew_from_and_nothing_when_nothing_was_recorded() {
        let mut t = table(0, 2, 1);
        let sources = [
            "Kaart: Jongeren voelen zich minder gehoord",
            "Kaart: Wachten duurt lang",
            "Notitie: We zouden eigenlijk vaker samen met de jongere om tafel gaan …",
            "Verhaal VP-1: Wachten",
        ];
        t.proposals[0].sources = sources.iter().map(|s| s.to_string()).collect();
        t.proposals.push(ReportProposal {
            title: "Een kop koffie".into(),
            sources: Vec::new(),
            ..t.proposals[0].clone()
        });
        let bytes = session_report(&report(vec![t])).unwrap();
        assert!(finished(&bytes));
        let Some(text) = pdf_text(&bytes) else {
            return;
        };
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert_eq!(flat.matches("Gegroeid uit").count(), 1, "{flat}");
        assert!(!flat.contains("Gegroeid uit –"), "{flat}");
        for source in sources {
            assert!(flat.contains(source), "{source:?} not in: {flat}");
        }
        let coffee = flat.find("Een kop koffie").unwrap_or(0);
        assert!(
            flat.find("Gegroeid uit").unwrap_or(usize::MAX) < coffee,
            "{flat}"
        );
    }

    /// The text of the PDF by pdftotext (poppler-utils). When that is not installed the test
    /// fails in CI (`CI` set, and not "false"); elsewhere the check is skipped with a note.
    fn pdf_text(bytes: &[u8]) -> Option<String> {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("verslag.pdf");
        std::fs::write(&file, bytes).unwrap();
        let out = match std::process::Command::new("pdftotext")
            .arg("-layout")
            .arg(&file)
            .arg("-")
            .output()
        {
            Ok(out) => out,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
                assert!(!ci, "pdftotext (poppler-utils) is required in CI");
                eprintln!("pdftotext not installed: the text of the report was not checked");
                return None;
            }
            Err(e) => panic!("pdftotext: {e}"),
        };
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }
}
