//! How a duidingssessie is named in pages and mails alike: its title, place and purpose, and
//! its day and time as Dutch readers write them ("dinsdag 1 december 2026, 19:30").

use crate::domain::sensemaking::Phase;
use crate::service::sensemaking::SessionRecord;
use serde::Serialize;
use time::OffsetDateTime;

const DAYS: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

/// A session's start as typed (wall-clock time stored as if UTC): "dinsdag 1 december 2026,
/// 19:30".
pub fn wall_clock(unix: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{} {} {} {}, {:02}:{:02}",
        DAYS[usize::from(t.weekday().number_days_from_monday())],
        t.day(),
        super::dates::MONTHS_NL[usize::from(u8::from(t.month())) - 1],
        t.year(),
        t.hour(),
        t.minute()
    )
}

/// The date and time fields of a session's start, for editing: (`jjjj-mm-dd`, `uu:mm`).
pub fn date_and_time(unix: i64) -> (String, String) {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    (
        format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day()),
        format!("{:02}:{:02}", t.hour(), t.minute()),
    )
}

#[derive(Serialize)]
pub struct SessionInfo {
    pub id: String,
    pub title: String,
    pub when: String,
    pub date: String,
    pub time: String,
    pub duration_minutes: i32,
    pub place: String,
    pub online: bool,
    pub purpose: String,
    pub closed: bool,
    pub after_close: String,
    pub max_cards: i32,
    pub max_stories: i32,
    pub votes_per_person: i32,
}

impl SessionInfo {
    pub fn new(r: &SessionRecord) -> Self {
        let (date, time) = date_and_time(r.starts_at);
        SessionInfo {
            id: r.id.clone(),
            title: r.title.clone(),
            when: wall_clock(r.starts_at),
            date,
            time,
            duration_minutes: r.duration_minutes,
            place: if r.is_online && r.place.is_empty() {
                "Online".into()
            } else {
                r.place.clone()
            },
            online: r.is_online,
            purpose: r.purpose.clone(),
            closed: r.closed_at.is_some(),
            after_close: r.after_close.clone(),
            max_cards: r.max_cards,
            max_stories: r.max_stories,
            votes_per_person: r.votes_per_person,
        }
    }
}

/// One step of the session's phases, as the tables and the cockpit show the row of them.
#[derive(Serialize)]
pub struct PhaseStep {
    pub label: &'static str,
    /// "gedaan", "nu" or "straks".
    pub state: &'static str,
}

/// The phase a session is in, with its timer, as every table and the cockpit see it.
#[derive(Serialize)]
pub struct PhaseView {
    pub key: &'static str,
    pub label: &'static str,
    pub instruction: &'static str,
    pub timed: bool,
    /// Whole seconds left on the timer at `now` (0 when it ran out or there is none).
    pub seconds_left: i64,
    /// The same as people read it: "nog 12 minuten", "nog 40 seconden", "de tijd is om".
    pub left: String,
    pub over: bool,
    pub steps: Vec<PhaseStep>,
}

impl PhaseView {
    /// `None` before the begeleider started the first phase.
    pub fn of(r: &SessionRecord, now: i64) -> Option<Self> {
        let phase = Phase::parse(&r.phase)?;
        let at = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        let seconds_left = r.phase_ends_at.map_or(0, |end| (end - now).max(0));
        let over = r.phase_ends_at.is_some() && seconds_left == 0;
        let left = match (r.phase_ends_at, seconds_left) {
            (None, _) => String::new(),
            (Some(_), 0) => "de tijd is om".to_string(),
            (Some(_), s) if s < 60 => format!("nog {s} seconden"),
            (Some(_), s) => {
                let minutes = (s + 59) / 60;
                if minutes == 1 {
                    "nog 1 minuut".to_string()
                } else {
                    format!("nog {minutes} minuten")
                }
            }
        };
        Some(PhaseView {
            key: phase.key(),
            label: phase.label(),
            instruction: phase.instruction(),
            timed: r.phase_ends_at.is_some(),
            seconds_left,
            left,
            over,
            steps: Phase::ALL
                .iter()
                .enumerate()
                .map(|(i, p)| PhaseStep {
                    label: p.label(),
                    state: match i.cmp(&at) {
                        std::cmp::Ordering::Less => "gedaan",
                        std::cmp::Ordering::Equal => "nu",
                        std::cmp::Ordering::Greater => "straks",
                    },
                })
                .collect(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_reads_as_typed() {
        let day = crate::exchange::timestamp::parse_date("2026-12-01").expect("date");
        assert_eq!(
            wall_clock(day + 19 * 3600 + 30 * 60),
            "dinsdag 1 december 2026, 19:30"
        );
        assert_eq!(
            date_and_time(day + 9 * 3600 + 5 * 60),
            ("2026-12-01".to_string(), "09:05".to_string())
        );
    }

    #[test]
    fn a_phase_reads_its_time_left_in_words() {
        let day = crate::exchange::timestamp::parse_date("2026-12-01").expect("date");
        let record = |phase: &str, ends: Option<i64>| SessionRecord {
            id: "SE-1".into(),
            project_slug: "p".into(),
            title: "t".into(),
            starts_at: day,
            duration_minutes: 120,
            place: String::new(),
            is_online: false,
            purpose: String::new(),
            code_hash: String::new(),
            code_salt: String::new(),
            closed_at: None,
            after_close: "lezen".into(),
            max_cards: 5,
            max_stories: 10,
            votes_per_person: 3,
            created_by: None,
            created_at: day,
            updated_at: day,
            phase: phase.into(),
            phase_started_at: Some(day),
            phase_ends_at: ends,
            votes_revealed_at: None,
        };
        assert!(PhaseView::of(&record("", None), day).is_none());
        let now = day + 100;
        let v = PhaseView::of(&record("stemmen", Some(now + 12 * 60 - 30)), now).expect("phase");
        assert_eq!(
            (v.label, v.left.as_str(), v.over),
            ("Stemmen", "nog 12 minuten", false)
        );
        let states: Vec<&str> = v.steps.iter().map(|s| s.state).collect();
        assert_eq!(states, ["gedaan", "gedaan", "gedaan", "nu", "straks"]);
        let v = PhaseView::of(&record("lezen", Some(now + 40)), now).expect("phase");
        assert_eq!(v.left, "nog 40 seconden");
        let v = PhaseView::of(&record("lezen", Some(now - 5)), now).expect("phase");
        assert_eq!(
            (v.left.as_str(), v.over, v.seconds_left),
            ("de tijd is om", true, 0)
        );
        let v = PhaseView::of(&record("lezen", None), now).expect("phase");
        assert_eq!((v.timed, v.left.as_str()), (false, ""));
    }
}
