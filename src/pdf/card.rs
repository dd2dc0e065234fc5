//! The observatiekaart as PDF: one A4 landscape page (title, chart and figures on the left;
//! description, the two interpretations and quotes on the right; story ids, project, date and
//! the disclaimer at the foot), then the typical stories on following pages. A deck is the
//! cards one after another; the booklet holds the stories alone, for the tables.

use super::flow::{
    full_width, Column, Weight, Writer, ACCENT, GREY, HEIGHT, INK, LIGHT, MARGIN, WIDTH,
};
use super::PdfError;

/// One story as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct CardStory {
    pub id: String,
    pub title: String,
    pub role: String,
    pub body: String,
}

/// The figures of the pattern as they were taken.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardFigures {
    /// The questions, e.g. "Gehoord × Rol".
    pub questions: String,
    /// Test, n and q in one line.
    pub summary: String,
    /// Which stories and when: filters and the date of the figures.
    pub scope: String,
    /// Per group (a slider by a choice, or the cells of two choices).
    pub groups: Vec<GroupFigures>,
    /// Deviating combinations: answer, together with, observed, expected.
    pub cells: Vec<(String, String, u64, f64)>,
    /// Two sliders: stories per cell of a grid.
    pub density: Option<CardDensity>,
}

/// Stories per cell of a grid over two sliders: `counts[y][x]`, low values first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CardDensity {
    pub counts: Vec<Vec<u64>>,
    pub x_label: String,
    pub y_label: String,
}

/// The figures of one group.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GroupFigures {
    pub label: String,
    pub n: u64,
    pub mean: Option<f64>,
    pub sd: Option<f64>,
    pub skewness: Option<f64>,
    pub kurtosis: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Card {
    pub title: String,
    pub theme: String,
    pub project: String,
    pub date: String,
    pub description: String,
    pub interpretation_a: String,
    pub interpretation_b: String,
    pub figures: Option<CardFigures>,
    /// (quote, story id)
    pub quotes: Vec<(String, String)>,
    pub quotes_removed: usize,
    pub stories: Vec<CardStory>,
}

const DISCLAIMER: &str = "Deze cijfers komen van mensen die zelf kozen om hun ervaring te delen. Ze zijn niet representatief. Ze laten zien wat opvalt, niet waarom: dat bespreken we samen.";
const FOOT: f32 = 46.0;
const GAP: f32 = 24.0;
const LEFT_WIDTH: f32 = 340.0;

fn number(value: Option<f64>, decimals: usize) -> String {
    value.map_or("–".into(), |v| {
        format!("{v:.decimals$}").replace('.', ",")
    })
}

fn left_column(top: f32) -> Column {
    Column {
        x: MARGIN,
        top,
        width: LEFT_WIDTH,
        bottom: HEIGHT - MARGIN - FOOT,
    }
}

fn right_column(top: f32) -> Column {
    let x = MARGIN + LEFT_WIDTH + GAP;
    Column {
        x,
        top,
        width: WIDTH - MARGIN - x,
        bottom: HEIGHT - MARGIN - FOOT,
    }
}

/// Bars of the group means on the 0–100 scale, with the numbers beside them.
fn mean_chart(w: &mut Writer, figures: &CardFigures) {
    let groups: Vec<&GroupFigures> = figures.groups.iter().filter(|g| g.mean.is_some()).collect();
    if groups.is_empty() {
        return;
    }
    let (label_width, bar_width, row) = (120.0, LEFT_WIDTH - 120.0 - 56.0, 16.0);
    w.line("Gemiddelde per groep (0–100)", 9.5, Weight::Bold, INK);
    for GroupFigures { label, n, mean, .. } in groups {
        w.need(row);
        let y = w.y;
        let x = w.column.x;
        let shown: String = label.chars().take(24).collect();
        w.text_at(x, y + 1.0, &shown, 8.0, Weight::Regular);
        let value = mean.unwrap_or(0.0).clamp(0.0, 100.0);
        w.rect(x + label_width, y + 1.0, bar_width, 10.0, LIGHT);
        w.rect(
            x + label_width,
            y + 1.0,
            bar_width * value as f32 / 100.0,
            10.0,
            ACCENT,
        );
        w.text_at(
            x + label_width + bar_width + 4.0,
            y + 1.0,
            &format!("{} (n={n})", number(*mean, 0)),
            8.0,
            Weight::Regular,
        );
        w.y += row;
    }
    w.y += 6.0;
}

/// For two choice questions: the combinations that deviate most, seen against expected.
fn cells_chart(w: &mut Writer, figures: &CardFigures) {
    let max = figures
        .cells
        .iter()
        .map(|c| (c.2 as f64).max(c.3))
        .fold(0.0, f64::max);
    if figures.cells.is_empty() || max <= 0.0 {
        return;
    }
    let (bar_width, row) = (LEFT_WIDTH - 90.0, 14.0);
    w.line(
        "Gezien (donker) en verwacht (licht)",
        9.5,
        Weight::Bold,
        INK,
    );
    for (first, second, observed, expected) in &figures.cells {
        w.need(row * 2.0 + 4.0);
        let x = w.column.x;
        let label: String = format!("{first} · {second}").chars().take(60).collect();
        w.text_at(x, w.y, &label, 8.0, Weight::Regular);
        w.y += row - 2.0;
        let y = w.y;
        let scale = bar_width / max as f32;
        w.rect(x, y, *expected as f32 * scale, 5.0, LIGHT);
        w.rect(x, y + 5.0, *observed as f32 * scale, 5.0, ACCENT);
        w.text_at(
            x + bar_width + 4.0,
            y,
            &format!("{observed} / {}", number(Some(*expected), 1)),
            8.0,
            Weight::Regular,
        );
        w.y += row;
    }
    w.y += 6.0;
}

/// For two sliders: a grid shaded by the number of stories in each cell (darker is more),
/// high values of the second question at the top.
fn density_chart(w: &mut Writer, figures: &CardFigures) {
    let Some(d) = &figures.density else {
        return;
    };
    let rows = d.counts.len();
    let columns = d.counts.first().map_or(0, Vec::len);
    let max = d.counts.iter().flatten().copied().max().unwrap_or(0);
    if rows == 0 || columns == 0 || max == 0 {
        return;
    }
    let cell = (LEFT_WIDTH - 40.0) / columns as f32;
    let cell = cell.min(18.0);
    w.line(
        "Verhalen per vak (donkerder is meer)",
        9.5,
        Weight::Bold,
        INK,
    );
    w.paragraph(&format!("↑ {}", d.y_label), 8.0, Weight::Regular, GREY);
    w.need(cell * rows as f32 + 30.0);
    let (x0, y0) = (w.column.x + 12.0, w.y);
    for (r, row) in d.counts.iter().enumerate() {
        // The first row holds the lowest values: draw it at the bottom.
        let y = y0 + (rows - 1 - r) as f32 * cell;
        for (c, &count) in row.iter().enumerate() {
            let share = count as f32 / max as f32;
            let shade = |light: u8, dark: u8| {
                (f32::from(light) + (f32::from(dark) - f32::from(light)) * share).round() as u8
            };
            let colour = if count == 0 {
                (245, 245, 245)
            } else {
                (
                    shade(LIGHT.0, ACCENT.0),
                    shade(LIGHT.1, ACCENT.1),
                    shade(LIGHT.2, ACCENT.2),
                )
            };
            w.rect(x0 + c as f32 * cell, y, cell - 1.0, cell - 1.0, colour);
        }
    }
    w.text_at(x0 - 12.0, y0, "100", 6.0, Weight::Regular);
    w.text_at(
        x0 - 12.0,
        y0 + rows as f32 * cell - 7.0,
        "0",
        6.0,
        Weight::Regular,
    );
    w.y = y0 + rows as f32 * cell + 2.0;
    w.paragraph(
        &format!("0 → 100 {}", d.x_label),
        8.0,
        Weight::Regular,
        GREY,
    );
}

fn figures_block(w: &mut Writer, figures: &CardFigures) {
    w.paragraph(&figures.questions, 12.0, Weight::Bold, INK);
    mean_chart(w, figures);
    cells_chart(w, figures);
    density_chart(w, figures);
    if !figures.groups.is_empty() {
        w.line(
            "Groep · n · gem. · sd · scheefheid · welving",
            8.5,
            Weight::Bold,
            INK,
        );
        for GroupFigures {
            label,
            n,
            mean,
            sd,
            skewness: skew,
            kurtosis: kurt,
        } in &figures.groups
        {
            w.paragraph(
                &format!(
                    "{label} · {n} · {} · {} · {} · {}",
                    number(*mean, 1),
                    number(*sd, 1),
                    number(*skew, 2),
                    number(*kurt, 2)
                ),
                8.5,
                Weight::Regular,
                INK,
            );
        }
    }
    if !figures.cells.is_empty() {
        w.line("Combinaties die het meest afwijken", 9.0, Weight::Bold, INK);
        for (row, column, observed, expected) in &figures.cells {
            w.paragraph(
                &format!(
                    "{row} samen met {column}: {observed} gezien, {} verwacht",
                    number(Some(*expected), 1)
                ),
                8.0,
                Weight::Regular,
                INK,
            );
        }
    }
    w.paragraph(&figures.summary, 8.0, Weight::Regular, GREY);
    w.paragraph(&figures.scope, 8.0, Weight::Regular, GREY);
}

/// Both interpretations side by side when they fit next to each other here, else one after
/// the other (so that a long one flows on to the next page instead of being cut).
fn interpretations(w: &mut Writer, a: &str, b: &str) {
    let column = w.column;
    let half = (column.width - 12.0) / 2.0;
    let (size, leading) = (10.5, 10.5 * 1.35);
    let height = |text: &str| {
        (w.wrap(text, size, Weight::Regular, half - 8.0).len() as f32 + 1.5) * leading + 8.0
    };
    let needed = height(a).max(height(b));
    if w.y + needed <= column.bottom {
        let top = w.y;
        let page = w.page();
        for (i, (head, text)) in [("Duiding 1", a), ("Duiding 2", b)].iter().enumerate() {
            let x = column.x + i as f32 * (half + 12.0);
            w.rect(x, top, half, 2.0, ACCENT);
            w.go_to(
                page,
                Column {
                    x: x + 4.0,
                    top: top + 6.0,
                    width: half - 8.0,
                    bottom: column.bottom,
                },
            );
            w.line(head, 11.0, Weight::Bold, INK);
            w.paragraph(text, size, Weight::Regular, INK);
        }
        w.go_to(page, column);
        w.y = top + needed;
    } else {
        for (head, text) in [("Duiding 1", a), ("Duiding 2", b)] {
            w.line(head, 11.0, Weight::Bold, INK);
            w.paragraph(text, size, Weight::Regular, INK);
        }
    }
}

fn foot(w: &mut Writer, card: &Card) {
    let ids: Vec<&str> = card.stories.iter().map(|s| s.id.as_str()).collect();
    let ids = if ids.is_empty() {
        "nog geen".to_string()
    } else {
        ids.join(", ")
    };
    let mut line = format!("Verhalen: {ids} · {} · {}", card.project, card.date);
    if w.width_of(&line, 7.5, Weight::Regular) > WIDTH - 2.0 * MARGIN {
        // Too many to name here: each is named with its story on the pages that follow.
        line = format!(
            "{} verhalen, met hun nummer op de volgende bladzijden · {} · {}",
            card.stories.len(),
            card.project,
            card.date
        );
    }
    let y = HEIGHT - MARGIN - FOOT + 10.0;
    w.rect(MARGIN, y - 4.0, WIDTH - 2.0 * MARGIN, 0.8, INK);
    w.text_at(MARGIN, y, &line, 7.5, Weight::Regular);
    w.text_at(MARGIN, y + 12.0, DISCLAIMER, 7.5, Weight::Regular);
}

/// Writes one card starting on the current page.
fn write_card(w: &mut Writer, card: &Card) {
    w.running_head = None;
    w.column = full_width();
    w.y = MARGIN;
    let kicker = if card.theme.is_empty() {
        "OBSERVATIE".to_string()
    } else {
        format!("OBSERVATIE · {}", card.theme.to_uppercase())
    };
    w.line(&kicker, 8.0, Weight::Bold, ACCENT);
    w.paragraph(&card.title, 22.0, Weight::Bold, INK);
    let first_page = w.page();
    let top = w.y + 4.0;
    foot(w, card);
    w.running_head = Some(card.title.chars().take(80).collect());

    w.go_to(first_page, left_column(top));
    match &card.figures {
        Some(figures) => figures_block(w, figures),
        None => w.paragraph(
            "Zonder patroon begonnen: geen cijfers.",
            9.0,
            Weight::Regular,
            GREY,
        ),
    }

    w.go_to(first_page, right_column(top));
    w.line("Wat we zien", 12.0, Weight::Bold, INK);
    w.paragraph(&card.description, 11.0, Weight::Regular, INK);
    interpretations(w, &card.interpretation_a, &card.interpretation_b);
    if !card.quotes.is_empty() {
        w.line("Uit de verhalen", 12.0, Weight::Bold, INK);
        for (quote, id) in &card.quotes {
            w.paragraph(&format!("“{quote}” ({id})"), 10.5, Weight::Regular, ACCENT);
        }
    }
    if card.quotes_removed > 0 {
        w.paragraph(
            &format!(
                "{} citaat/citaten weggehaald: het verhaal is ingetrokken of verborgen.",
                card.quotes_removed
            ),
            8.0,
            Weight::Regular,
            GREY,
        );
    }

    // The typical stories on the following pages, over the whole width.
    if !card.stories.is_empty() {
        let last = (w.page()).max(first_page);
        w.go_to(last, full_width());
        w.new_page();
        w.column = full_width();
        w.line(
            &format!(
                "Typische verhalen bij ‘{}’",
                card.title.chars().take(80).collect::<String>()
            ),
            12.0,
            Weight::Bold,
            INK,
        );
        write_stories(w, &card.stories);
    }
}

fn write_stories(w: &mut Writer, stories: &[CardStory]) {
    for story in stories {
        w.need(40.0);
        w.paragraph(
            &format!("{} ({})", story.title, story.id),
            10.5,
            Weight::Bold,
            INK,
        );
        w.line(&story.role, 8.5, Weight::Regular, GREY);
        w.paragraph(&story.body, 9.5, Weight::Regular, INK);
        w.y += 6.0;
    }
}

/// One card, or several one after another (a deck), as one PDF.
pub fn deck(cards: &[Card], title: &str) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    for (i, card) in cards.iter().enumerate() {
        if i > 0 {
            w.running_head = None;
            let last = w.page();
            w.go_to(last, full_width());
            w.new_page();
        }
        write_card(&mut w, card);
    }
    if cards.is_empty() {
        w.paragraph(
            "Er zijn nog geen kaarten klaar.",
            12.0,
            Weight::Regular,
            INK,
        );
    }
    w.finish(title)
}

/// The typical stories of these cards, for reading at the tables ("ervaringen").
pub fn booklet(project: &str, date: &str, cards: &[Card]) -> Result<Vec<u8>, PdfError> {
    let mut w = Writer::new()?;
    w.paragraph(&format!("Ervaringen · {project}"), 18.0, Weight::Bold, INK);
    w.paragraph(
        &format!("Verhalen bij de observaties, {date}. {DISCLAIMER}"),
        9.0,
        Weight::Regular,
        GREY,
    );
    let mut any = false;
    for card in cards.iter().filter(|c| !c.stories.is_empty()) {
        any = true;
        w.need(60.0);
        w.running_head = Some(format!("Ervaringen · {project}"));
        w.paragraph(&card.title, 13.0, Weight::Bold, ACCENT);
        write_stories(&mut w, &card.stories);
    }
    if !any {
        w.paragraph(
            "Er zijn nog geen verhalen gekozen.",
            11.0,
            Weight::Regular,
            INK,
        );
    }
    w.finish(&format!("Ervaringen · {project}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group(
        label: &str,
        n: u64,
        mean: Option<f64>,
        sd: Option<f64>,
        skewness: Option<f64>,
        kurtosis: Option<f64>,
    ) -> GroupFigures {
        GroupFigures {
            label: label.into(),
            n,
            mean,
            sd,
            skewness,
            kurtosis,
        }
    }

    fn card(words: usize) -> Card {
        Card {
            title: "Jongeren voelen zich minder gehoord".into(),
            theme: "Regie".into(),
            project: "Demo".into(),
            date: "22-11-2026".into(),
            description: "Wat we zien. ".repeat(words),
            interpretation_a: "Hulpverleners praten vooral met ouders.".into(),
            interpretation_b: "Jongeren verwachten meer dan er kan.".into(),
            figures: Some(CardFigures {
                questions: "Gehoord × Rol".into(),
                summary: "Kruskal-Wallis H = 61,2 · q < 0,001 · 300 verhalen".into(),
                scope: "Alle verhalen · cijfers van 22-11-2026".into(),
                groups: vec![
                    group(
                        "Jongere",
                        100,
                        Some(30.0),
                        Some(12.0),
                        Some(0.1),
                        Some(-0.5),
                    ),
                    group("Ouder", 100, Some(55.0), Some(11.0), None, None),
                ],
                cells: Vec::new(),
                density: None,
            }),
            quotes: vec![("We wachtten maanden.".into(), "VP-1".into())],
            quotes_removed: 1,
            stories: vec![CardStory {
                id: "VP-1".into(),
                title: "Wachten".into(),
                role: "Ouder".into(),
                body: "We wachtten maanden op hulp. ".repeat(words),
            }],
        }
    }

    #[test]
    fn a_card_is_a_pdf_and_long_texts_flow_onto_more_pages() {
        let short = deck(&[card(3)], "Kaart").unwrap();
        assert!(short.starts_with(b"%PDF-"));
        let long = deck(&[card(3), card(900)], "Deck").unwrap();
        assert!(long.len() > short.len());
        let pages = |pdf: &[u8]| {
            String::from_utf8_lossy(pdf)
                .matches("/Type /Page\n")
                .count()
                .max(String::from_utf8_lossy(pdf).matches("/Type /Page ").count())
        };
        assert!(pages(&long) >= pages(&short));
        assert!(booklet("Demo", "22-11-2026", &[card(2)])
            .unwrap()
            .starts_with(b"%PDF-"));
        assert!(deck(&[], "Leeg").unwrap().starts_with(b"%PDF-"));
        // Two choice questions: the deviating cells, drawn and listed; a card without a
        // pattern has no figures.
        let mut cells = card(3);
        if let Some(f) = cells.figures.as_mut() {
            f.groups.clear();
            f.cells = vec![("Ouder".into(), "Wachtlijst".into(), 40, 22.5)];
        }
        let mut grid = card(2);
        if let Some(f) = grid.figures.as_mut() {
            f.groups.clear();
            f.density = Some(CardDensity {
                counts: (0..10)
                    .map(|y| (0..10).map(|x| (x * y) as u64).collect())
                    .collect(),
                x_label: "Gehoord".into(),
                y_label: "Regie".into(),
            });
        }
        let bare = Card {
            figures: None,
            ..card(1)
        };
        assert!(deck(&[cells, bare, grid], "Cellen")
            .unwrap()
            .starts_with(b"%PDF-"));
    }

    #[test]
    fn lines_are_broken_to_fit_and_long_words_are_split() {
        let w = Writer::new().unwrap();
        let lines = w.wrap(&"woord ".repeat(100), 10.0, Weight::Regular, 200.0);
        assert!(lines.len() > 5);
        assert!(lines
            .iter()
            .all(|l| w.width_of(l, 10.0, Weight::Regular) <= 200.0));
        let long = w.wrap(&"x".repeat(300), 10.0, Weight::Regular, 100.0);
        assert!(long.len() > 2);
        assert_eq!(long.concat(), "x".repeat(300));
    }
}
