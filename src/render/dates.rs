//! Dates as readers write them: "15 december 2026", not "2026-12-15".

use time::OffsetDateTime;

pub const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The day of `unix` (UTC) in words: "15 december 2026" (Dutch) or "15 December 2026".
pub fn long_date(unix: i64, lang: &str) -> String {
    let t = OffsetDateTime::from_unix_timestamp(unix).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    let months = if lang == "en" { MONTHS_EN } else { MONTHS_NL };
    format!(
        "{} {} {}",
        t.day(),
        months[usize::from(u8::from(t.month())) - 1],
        t.year()
    )
}

#[cfg(test)]
mod tests {
    use super::long_date;

    #[test]
    fn dates_read_as_people_write_them() {
        // 2026-12-15 and 2027-01-02, 00:00 UTC.
        assert_eq!(long_date(1_797_292_800, "nl"), "15 december 2026");
        assert_eq!(long_date(1_798_848_000, "en"), "2 January 2027");
    }
}
