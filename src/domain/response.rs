//! The response monitor's rules: place links, the three stages a form goes through (opened,
//! started, sent), how long sending took as a histogram and its median, targets, and the
//! warnings when one role or one tone dominates. Pure: the service counts, this decides.
//!
//! Nothing here is about one person. An event only adds one to a count of its project, day,
//! role, place and language; a duration only adds one to a bucket of its day.

use std::collections::BTreeMap;

/// The place of a form opened with a code the project does not know.
pub const UNKNOWN_PLACE: &str = "onbekend";

/// Longest place code and name.
pub const MAX_CODE_CHARS: usize = 32;
pub const MAX_PLACE_NAME_CHARS: usize = 80;

/// A warning when one role has more than this share of the stories.
pub const DOMINANT_ROLE_SHARE: f64 = 0.60;

/// Warnings about the mix only from this many stories on: with fewer, a share says little.
pub const MIN_STORIES_FOR_WARNING: u64 = 10;

/// A story is "negative" when its answer to this slider of the `kern` module ("Kreeg het kind
/// of het gezin de hulp die nodig was?", 0 = "Niet de hulp die nodig was") is below
/// [`NEGATIVE_BELOW`]: the left third of the slider. Stories without an answer to it (skipped,
/// "weet ik niet", or a project without the module) are not counted either way.
pub const TONE_QUESTION: &str = "juiste_hulp";
pub const NEGATIVE_BELOW: u8 = 34;

/// The share of negative stories a project expects when the begeleider set none, in %.
pub const DEFAULT_EXPECTED_NEGATIVE_PERCENT: u32 = 40;

/// A warning when the share of negative stories is more than this many percentage points
/// away from what the project expects.
pub const TONE_TOLERANCE_POINTS: f64 = 20.0;

/// Durations longer than this are not counted (a form left open overnight says nothing about
/// the questionnaire's length).
pub const MAX_DURATION_SECONDS: i64 = 24 * 3600;

/// The last, open-ended bucket of the duration histogram starts here (two hours).
pub const LAST_BUCKET_SECONDS: i64 = 7200;

/// Highest target a begeleider can set (stories per role or gemeente).
pub const MAX_TARGET: u64 = 100_000;

/// What the tables of stories per day and week are split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    #[default]
    Role,
    Channel,
    /// From the counters: stories sent online, per place link (never stored with a story).
    Place,
    Gemeente,
    Language,
    Completeness,
}

pub const SPLITS: [Split; 6] = [
    Split::Role,
    Split::Channel,
    Split::Place,
    Split::Gemeente,
    Split::Language,
    Split::Completeness,
];

impl Split {
    /// In the page's address (`?per=`).
    pub fn key(self) -> &'static str {
        match self {
            Split::Role => "rol",
            Split::Channel => "kanaal",
            Split::Place => "plek",
            Split::Gemeente => "gemeente",
            Split::Language => "taal",
            Split::Completeness => "volledigheid",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Split::Role => "Rol",
            Split::Channel => "Kanaal",
            Split::Place => "Plek-link (alleen online verstuurd)",
            Split::Gemeente => "Gemeente",
            Split::Language => "Taal",
            Split::Completeness => "Hoeveel duidingsvragen beantwoord",
        }
    }

    /// An unknown or missing key is the default split, by role.
    pub fn parse(key: &str) -> Split {
        SPLITS
            .into_iter()
            .find(|s| s.key() == key)
            .unwrap_or_default()
    }
}

/// The ISO week ("2026-W49") of a day written as `YYYY-MM-DD`; `None` for anything else.
pub fn week_of_day(day: &str) -> Option<String> {
    let mut parts = day.splitn(3, '-');
    let year: i32 = parts.next()?.parse().ok()?;
    let month: u8 = parts.next()?.parse().ok()?;
    let date: u8 = parts.next()?.parse().ok()?;
    let date =
        time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, date).ok()?;
    let (year, week, _) = date.to_iso_week_date();
    Some(format!("{year}-W{week:02}"))
}

/// Where a form is in the teller's path. Counted per project, day, role, place and language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    /// The form for a role was opened (GET of the empty form).
    Opened,
    /// The first post of that form with some text in the title or the story: a send, "later
    /// verder", another language or role. Counted once per form: the form carries that it was
    /// counted (a signed hidden field), not the teller.
    Started,
    /// A new story was stored from the online form.
    Sent,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Opened, Stage::Started, Stage::Sent];

    /// As stored in `response_counts.stage`.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Opened => "geopend",
            Stage::Started => "begonnen",
            Stage::Sent => "verstuurd",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// A place code as it may appear in a link: lower case letters, digits and `-`, 1 to 32
/// characters. `None` for anything else.
pub fn clean_code(raw: &str) -> Option<String> {
    let code = raw.trim().to_ascii_lowercase();
    let ok = !code.is_empty()
        && code.len() <= MAX_CODE_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    ok.then_some(code)
}

/// A new place code from random bytes: six Crockford characters in lower case.
pub fn place_code(random: [u8; 4]) -> String {
    super::codes::base32(&random, 6).to_ascii_lowercase()
}

/// What a begeleider typed as a place's name, or why it cannot be one.
pub fn place_name(raw: &str) -> Result<String, &'static str> {
    let name = raw.split_whitespace().collect::<Vec<_>>().join(" ");
    if name.is_empty() {
        Err("Geef de plek een naam, bijvoorbeeld 'Wachtkamer huisarts Beek'.")
    } else if name.chars().count() > MAX_PLACE_NAME_CHARS {
        Err("Die naam is te lang. Gebruik hoogstens 80 tekens.")
    } else {
        Ok(name)
    }
}

/// The place a form is counted under: '' without a code, the code when the project has it,
/// [`UNKNOWN_PLACE`] for any other code.
pub fn resolve_place<'a>(raw: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    if raw.trim().is_empty() {
        return String::new();
    }
    match clean_code(raw) {
        Some(code) if known.into_iter().any(|k| k == code) => code,
        _ => UNKNOWN_PLACE.to_string(),
    }
}

/// The histogram bucket (its lower bound in seconds) of a duration: a minute wide up to half
/// an hour, five minutes wide up to two hours, then one open bucket. `None` for a duration
/// below zero or above [`MAX_DURATION_SECONDS`].
pub fn duration_bucket(seconds: i64) -> Option<i64> {
    if !(0..=MAX_DURATION_SECONDS).contains(&seconds) {
        return None;
    }
    Some(if seconds < 1800 {
        seconds / 60 * 60
    } else if seconds < LAST_BUCKET_SECONDS {
        seconds / 300 * 300
    } else {
        LAST_BUCKET_SECONDS
    })
}

/// The width of the bucket starting at `lower`; `None` for the open last one.
pub fn bucket_width(lower: i64) -> Option<i64> {
    if lower < 1800 {
        Some(60)
    } else if lower < LAST_BUCKET_SECONDS {
        Some(300)
    } else {
        None
    }
}

/// The median of a duration histogram (bucket lower bound → count), in seconds, read as the
/// median of grouped data: the bucket where half of the durations is reached, and within it
/// linearly, `L + (n/2 − F) / f · w` (F: the durations in earlier buckets, f: in this one, w:
/// its width). In the open last bucket the median is its lower bound. `None` when empty.
pub fn median_seconds(histogram: &BTreeMap<i64, u64>) -> Option<f64> {
    let n: u64 = histogram.values().sum();
    if n == 0 {
        return None;
    }
    let half = n as f64 / 2.0;
    let mut before = 0u64;
    for (&lower, &count) in histogram {
        if count == 0 {
            continue;
        }
        if (before + count) as f64 >= half {
            let Some(width) = bucket_width(lower) else {
                return Some(lower as f64);
            };
            let within = (half - before as f64) / count as f64;
            return Some(lower as f64 + within * width as f64);
        }
        before += count;
    }
    None
}

/// The funnel of one group (a role, a day): how many forms were opened, started and sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Funnel {
    pub opened: u64,
    pub started: u64,
    pub sent: u64,
}

impl Funnel {
    pub fn add(&mut self, stage: Stage, count: u64) {
        match stage {
            Stage::Opened => self.opened += count,
            Stage::Started => self.started += count,
            Stage::Sent => self.sent += count,
        }
    }

    /// The share of opened forms that were sent, in whole percent; `None` without openings.
    pub fn sent_percent(&self) -> Option<u64> {
        (self.opened > 0).then(|| (self.sent * 100 + self.opened / 2) / self.opened)
    }

    /// The share of started forms that were not sent, in whole percent.
    pub fn dropped_after_start_percent(&self) -> Option<u64> {
        (self.started > 0).then(|| {
            let dropped = self.started.saturating_sub(self.sent);
            (dropped * 100 + self.started / 2) / self.started
        })
    }
}

/// How far a count is towards its target, in whole percent (at most 100 for the bar).
pub fn progress_percent(count: u64, target: u64) -> u64 {
    if target == 0 {
        return 100;
    }
    (count.saturating_mul(100) / target).min(100)
}

/// A target as typed: empty is "no target", else a whole number from 1 to [`MAX_TARGET`].
pub fn parse_target(raw: &str) -> Result<Option<u64>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<u64>() {
        Ok(n) if (1..=MAX_TARGET).contains(&n) => Ok(Some(n)),
        _ => Err("Vul een heel getal in van 1 tot 100.000, of laat het vak leeg."),
    }
}

/// The expected share of negative stories as typed: empty is the default, else 0 to 100.
pub fn parse_expected_negative(raw: &str) -> Result<Option<u32>, &'static str> {
    let raw = raw.trim().trim_end_matches('%').trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match raw.parse::<u32>() {
        Ok(n) if n <= 100 => Ok(Some(n)),
        _ => Err("Vul een percentage in van 0 tot 100, of laat het vak leeg."),
    }
}

/// Whether a slider answer counts as a negative experience.
pub fn is_negative(value: u8) -> bool {
    value < NEGATIVE_BELOW
}

/// A warning about the mix of stories, with whom to reach next.
#[derive(Debug, Clone, PartialEq)]
pub enum Warning {
    /// One role has more than [`DOMINANT_ROLE_SHARE`] of the stories; `reach` are the other
    /// roles, fewest stories first.
    RoleDominates {
        role: String,
        percent: u64,
        reach: Vec<String>,
    },
    /// The share of negative stories is far above what the project expects.
    MoreNegative { percent: u64, expected: u32 },
    /// The share of negative stories is far below what the project expects.
    LessNegative { percent: u64, expected: u32 },
}

/// The role that dominates, if any: `counts` are (role, stories) in the questionnaire's
/// order.
pub fn role_warning(counts: &[(String, u64)]) -> Option<Warning> {
    let total: u64 = counts.iter().map(|(_, n)| n).sum();
    if total < MIN_STORIES_FOR_WARNING {
        return None;
    }
    let (role, top) = counts.iter().max_by_key(|(_, n)| *n)?;
    if (*top as f64) / (total as f64) <= DOMINANT_ROLE_SHARE {
        return None;
    }
    let mut others: Vec<&(String, u64)> = counts.iter().filter(|(r, _)| r != role).collect();
    others.sort_by_key(|(_, n)| *n);
    Some(Warning::RoleDominates {
        role: role.clone(),
        percent: (top * 100 + total / 2) / total,
        reach: others.into_iter().map(|(r, _)| r.clone()).collect(),
    })
}

/// A warning when the share of negative stories (`negative` of `answered`) is more than
/// [`TONE_TOLERANCE_POINTS`] away from `expected` percent.
pub fn tone_warning(negative: u64, answered: u64, expected: u32) -> Option<Warning> {
    if answered < MIN_STORIES_FOR_WARNING {
        return None;
    }
    let share = negative as f64 * 100.0 / answered as f64;
    let percent = share.round() as u64;
    if share - f64::from(expected) > TONE_TOLERANCE_POINTS {
        Some(Warning::MoreNegative { percent, expected })
    } else if f64::from(expected) - share > TONE_TOLERANCE_POINTS {
        Some(Warning::LessNegative { percent, expected })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_round_trip_and_an_odd_one_is_by_role() {
        for split in SPLITS {
            assert_eq!(Split::parse(split.key()), split);
        }
        assert_eq!(Split::parse("<script>"), Split::Role);
        assert_eq!(Split::parse(""), Split::Role);
    }

    #[test]
    fn the_week_of_a_day_is_its_iso_week() {
        assert_eq!(week_of_day("2026-12-07").as_deref(), Some("2026-W50"));
        // 1 January 2027 is a Friday: it belongs to the last week of 2026.
        assert_eq!(week_of_day("2027-01-01").as_deref(), Some("2026-W53"));
        assert_eq!(week_of_day("2026-13-01"), None);
        assert_eq!(week_of_day("gisteren"), None);
    }

    #[test]
    fn stages_round_trip() {
        for s in Stage::ALL {
            assert_eq!(Stage::parse(s.as_str()), Some(s));
        }
        assert_eq!(Stage::parse("bezocht"), None);
    }

    #[test]
    fn codes_and_places() {
        assert_eq!(clean_code(" School-3 "), Some("school-3".into()));
        assert_eq!(clean_code("<script>"), None);
        assert_eq!(clean_code(""), None);
        assert_eq!(clean_code(&"a".repeat(33)), None);
        let code = place_code([1, 2, 3, 4]);
        assert_eq!(code.len(), 6);
        assert_eq!(clean_code(&code), Some(code.clone()));
        let known = ["wacht1", "school"];
        assert_eq!(resolve_place("", known), "");
        assert_eq!(resolve_place("SCHOOL", known), "school");
        assert_eq!(resolve_place("elders", known), UNKNOWN_PLACE);
        assert_eq!(resolve_place("<x>", known), UNKNOWN_PLACE);
        assert!(place_name("   ").is_err());
        assert_eq!(
            place_name(" Wachtkamer   Beek ").unwrap(),
            "Wachtkamer Beek"
        );
        assert!(place_name(&"x".repeat(81)).is_err());
    }

    #[test]
    fn buckets() {
        assert_eq!(duration_bucket(-1), None);
        assert_eq!(duration_bucket(0), Some(0));
        assert_eq!(duration_bucket(59), Some(0));
        assert_eq!(duration_bucket(61), Some(60));
        assert_eq!(duration_bucket(1799), Some(1740));
        assert_eq!(duration_bucket(1800), Some(1800));
        assert_eq!(duration_bucket(2099), Some(1800));
        assert_eq!(duration_bucket(7200), Some(7200));
        assert_eq!(duration_bucket(MAX_DURATION_SECONDS + 1), None);
    }

    /// Reference values worked out by hand with the grouped-data median
    /// `L + (n/2 − F) / f · w`:
    /// - durations 30, 90, 100, 150, 400 s → buckets 0:1, 60:2, 120:1, 360:1; n = 5, n/2 = 2.5;
    ///   F before bucket 60 is 1, f = 2: 60 + (2.5 − 1) / 2 · 60 = 105 s;
    /// - buckets 0:2, 60:2 → n/2 = 2 is reached at the end of bucket 0: 0 + 2/2 · 60 = 60 s;
    /// - buckets 1800:3, 2100:1 → 1800 + 2/3 · 300 = 2000 s;
    /// - bucket 120:1, 7200:3 → the open last bucket: 7200 s.
    #[test]
    fn median_from_a_histogram() {
        let hist = |pairs: &[(i64, u64)]| pairs.iter().copied().collect::<BTreeMap<_, _>>();
        let from_durations: BTreeMap<i64, u64> =
            [30, 90, 100, 150, 400]
                .iter()
                .fold(BTreeMap::new(), |mut m, d| {
                    *m.entry(duration_bucket(*d).unwrap()).or_insert(0) += 1;
                    m
                });
        assert_eq!(median_seconds(&from_durations), Some(105.0));
        assert_eq!(median_seconds(&hist(&[(0, 2), (60, 2)])), Some(60.0));
        let m = median_seconds(&hist(&[(1800, 3), (2100, 1)])).unwrap();
        assert!((m - 2000.0).abs() < 1e-9);
        assert_eq!(median_seconds(&hist(&[(120, 1), (7200, 3)])), Some(7200.0));
        assert_eq!(median_seconds(&BTreeMap::new()), None);
        assert_eq!(median_seconds(&hist(&[(60, 0)])), None);
    }

    #[test]
    fn funnel() {
        let mut f = Funnel::default();
        f.add(Stage::Opened, 10);
        f.add(Stage::Started, 4);
        f.add(Stage::Sent, 3);
        assert_eq!(f.sent_percent(), Some(30));
        assert_eq!(f.dropped_after_start_percent(), Some(25));
        assert_eq!(Funnel::default().sent_percent(), None);
        assert_eq!(progress_percent(5, 20), 25);
        assert_eq!(progress_percent(50, 20), 100);
    }

    #[test]
    fn targets_as_typed() {
        assert_eq!(parse_target(""), Ok(None));
        assert_eq!(parse_target(" 40 "), Ok(Some(40)));
        assert!(parse_target("0").is_err());
        assert!(parse_target("veel").is_err());
        assert!(parse_target("100001").is_err());
        assert_eq!(parse_expected_negative("35%"), Ok(Some(35)));
        assert!(parse_expected_negative("101").is_err());
    }

    #[test]
    fn a_role_dominates_above_sixty_percent() {
        let counts = |o: u64, j: u64, p: u64| {
            vec![
                ("jongere".to_string(), j),
                ("ouder".to_string(), o),
                ("professional".to_string(), p),
            ]
        };
        // 6 of 10 is exactly 60 %: not more than.
        assert_eq!(role_warning(&counts(6, 2, 2)), None);
        assert_eq!(
            role_warning(&counts(7, 1, 2)),
            Some(Warning::RoleDominates {
                role: "ouder".into(),
                percent: 70,
                reach: vec!["jongere".into(), "professional".into()],
            })
        );
        // Too few stories to say anything.
        assert_eq!(role_warning(&counts(5, 0, 0)), None);
    }

    #[test]
    fn tone_far_from_the_expected_mix() {
        assert!(is_negative(33) && !is_negative(34));
        assert_eq!(tone_warning(6, 10, 40), None);
        assert_eq!(
            tone_warning(7, 10, 40),
            Some(Warning::MoreNegative {
                percent: 70,
                expected: 40
            })
        );
        assert_eq!(
            tone_warning(1, 10, 40),
            Some(Warning::LessNegative {
                percent: 10,
                expected: 40
            })
        );
        assert_eq!(tone_warning(9, 9, 40), None);
    }
}
