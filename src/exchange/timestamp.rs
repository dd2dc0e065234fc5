//! Timestamps in files and pages: UTC, whole seconds, RFC 3339 (`2026-11-22T09:29:11Z`);
//! and, for what Dutch readers see, the same moment in Dutch time ([`dutch_time`]).

use time::format_description::well_known::Rfc3339;
use time::{Date, Month, OffsetDateTime, Time};

pub fn now_unix() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

pub fn format_utc(unix_seconds: i64) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix_seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// The moment `unix` as a Dutch clock shows it (CET/CEST): the wall-clock time in the
/// Netherlands, carried in an `OffsetDateTime` whose fields read as that time.
pub fn dutch_time(unix: i64) -> OffsetDateTime {
    let utc = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    utc + time::Duration::hours(dutch_offset_hours(utc))
}

/// The calendar day of `unix` in the Netherlands: `2026-11-22`.
pub fn dutch_day(unix: i64) -> String {
    let t = dutch_time(unix);
    format!("{:04}-{:02}-{:02}", t.year(), u8::from(t.month()), t.day())
}

/// Summer time in the EU runs from the last Sunday of March to the last Sunday of October,
/// switching at 01:00 UTC.
fn dutch_offset_hours(utc: OffsetDateTime) -> i64 {
    let switch = |month: Month| {
        // March and October both have 31 days.
        Date::from_calendar_date(utc.year(), month, 31)
            .ok()
            .map(|last| {
                let sunday =
                    last - time::Duration::days(last.weekday().number_days_from_sunday().into());
                sunday
                    .with_time(Time::from_hms(1, 0, 0).unwrap_or(Time::MIDNIGHT))
                    .assume_utc()
            })
    };
    match (switch(Month::March), switch(Month::October)) {
        (Some(start), Some(end)) if utc >= start && utc < end => 2,
        _ => 1,
    }
}

/// Parses RFC 3339 with any offset; fractions of a second are dropped.
pub fn parse_rfc3339(s: &str) -> Option<i64> {
    OffsetDateTime::parse(s.trim(), &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

/// The start of a calendar day (`2026-11-22`) in UTC.
pub fn parse_date(s: &str) -> Option<i64> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s.trim(), &format)
        .ok()
        .map(|d| d.midnight().assume_utc().unix_timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(
            parse_rfc3339("2026-11-22T10:29:11+01:00"),
            Some(1_795_339_751)
        );
        assert_eq!(format_utc(1_795_339_751), "2026-11-22T09:29:11Z");
        assert_eq!(parse_rfc3339("gisteren"), None);
        assert_eq!(parse_date("2026-11-22"), Some(1_795_305_600));
        assert_eq!(parse_date("22-11-2026"), None);
    }

    #[test]
    fn dutch_days_follow_winter_and_summer_time() {
        // 2026-11-22T23:30:00Z is 00:30 the next day in winter time (UTC+1).
        assert_eq!(dutch_day(1_795_390_200), "2026-11-23");
        assert_eq!(dutch_day(1_795_390_200 - 3_600), "2026-11-22");
        // 2026-07-01T22:30:00Z is 00:30 on 2 July in summer time (UTC+2).
        assert_eq!(dutch_day(1_782_945_000), "2026-07-02");
        assert_eq!(dutch_day(1_782_945_000 - 3_600), "2026-07-01");
        assert_eq!(dutch_time(1_782_945_000).hour(), 0);
    }
}
