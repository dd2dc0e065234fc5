//! Timestamps in files and pages: UTC, whole seconds, RFC 3339 (`2026-11-22T09:29:11Z`).

use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

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
}
