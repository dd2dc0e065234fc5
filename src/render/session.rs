//! How a duidingssessie is named in pages and mails alike: its title, place and purpose, and
//! its day and time as Dutch readers write them ("dinsdag 1 december 2026, 19:30").

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
}
