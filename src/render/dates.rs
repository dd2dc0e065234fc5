//! Dates as readers of each language write them: "15 december 2026", "15 grudnia 2026".
//!
//! Why a table and not ICU (`icu_datetime`): six languages need twelve month names each and
//! one pattern, "day month year"; ICU's date formatting and its locale data would add minutes
//! to every clean build on the 2-core machines this is built on. The names and patterns follow
//! CLDR's long date format for each language, with Western digits as in the rest of the
//! interface (docs/translations.md).

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

/// The month names of Modern Standard Arabic as CLDR has them (used in Egypt, the Gulf and
/// most media). Syria and Iraq also use the Syriac names (كانون الثاني …); these are the
/// ones every reader of Arabic knows.
const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];

const MONTHS_TR: [&str; 12] = [
    "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim",
    "Kasım", "Aralık",
];

/// Genitive: a Polish date says "the 7th of December" ("7 grudnia"), not "grudzień".
const MONTHS_PL: [&str; 12] = [
    "stycznia",
    "lutego",
    "marca",
    "kwietnia",
    "maja",
    "czerwca",
    "lipca",
    "sierpnia",
    "września",
    "października",
    "listopada",
    "grudnia",
];

/// Genitive, as in Polish: "7 грудня", not "грудень".
const MONTHS_UK: [&str; 12] = [
    "січня",
    "лютого",
    "березня",
    "квітня",
    "травня",
    "червня",
    "липня",
    "серпня",
    "вересня",
    "жовтня",
    "листопада",
    "грудня",
];

/// The month names of a language; Dutch for a language the interface does not have.
fn months(lang: &str) -> &'static [&'static str; 12] {
    match lang {
        "en" => &MONTHS_EN,
        "ar" => &MONTHS_AR,
        "tr" => &MONTHS_TR,
        "pl" => &MONTHS_PL,
        "uk" => &MONTHS_UK,
        _ => &MONTHS_NL,
    }
}

/// The day of `unix` in the Netherlands (tellers and their drafts are there), in words of
/// `lang`: "15 december 2026", "15 December 2026", "15 ديسمبر 2026", "15 Aralık 2026",
/// "15 grudnia 2026", "15 грудня 2026 р.". A language the interface does not have gets Dutch.
pub fn long_date(unix: i64, lang: &str) -> String {
    let t = crate::exchange::timestamp::dutch_time(unix);
    long_date_of(t, lang)
}

fn long_date_of(t: OffsetDateTime, lang: &str) -> String {
    let month = months(lang)[usize::from(u8::from(t.month())) - 1];
    let (day, year) = (t.day(), t.year());
    match lang {
        // Ukrainian writes the year with "р." (року, "of the year"), as CLDR does.
        "uk" => format!("{day} {month} {year} р."),
        _ => format!("{day} {month} {year}"),
    }
}

#[cfg(test)]
mod tests {
    use super::long_date;

    // 2026-12-15 and 2027-01-02, 00:00 UTC (01:00 in the Netherlands).
    const DEC_15: i64 = 1_797_292_800;
    const JAN_2: i64 = 1_798_848_000;

    #[test]
    fn dutch_and_english() {
        assert_eq!(long_date(DEC_15, "nl"), "15 december 2026");
        assert_eq!(long_date(JAN_2, "en"), "2 January 2027");
        assert_eq!(long_date(DEC_15, "en"), "15 December 2026");
    }

    #[test]
    fn arabic_with_western_digits() {
        assert_eq!(long_date(DEC_15, "ar"), "15 ديسمبر 2026");
        assert_eq!(long_date(JAN_2, "ar"), "2 يناير 2027");
    }

    #[test]
    fn turkish_months_have_capitals() {
        assert_eq!(long_date(DEC_15, "tr"), "15 Aralık 2026");
        assert_eq!(long_date(JAN_2, "tr"), "2 Ocak 2027");
    }

    #[test]
    fn polish_and_ukrainian_use_the_genitive() {
        assert_eq!(long_date(DEC_15, "pl"), "15 grudnia 2026");
        assert_eq!(long_date(JAN_2, "pl"), "2 stycznia 2027");
        assert_eq!(long_date(DEC_15, "uk"), "15 грудня 2026 р.");
        assert_eq!(long_date(JAN_2, "uk"), "2 січня 2027 р.");
    }

    #[test]
    fn the_day_is_the_dutch_day_and_unknown_languages_get_dutch() {
        // 2026-06-30 22:30 UTC is already 1 July in the Netherlands (summer time).
        let late = 1_782_858_600;
        assert_eq!(long_date(late, "nl"), "1 juli 2026");
        assert_eq!(long_date(late, "pl"), "1 lipca 2026");
        assert_eq!(long_date(DEC_15, "xx"), "15 december 2026");
    }

    #[test]
    fn every_month_has_a_name_in_every_language() {
        for lang in crate::render::i18n::LANGUAGES {
            let mut seen = std::collections::BTreeSet::new();
            for month in 1..=12u8 {
                let day = crate::exchange::timestamp::parse_date(&format!("2026-{month:02}-10"))
                    .expect("a date");
                let text = long_date(day, lang);
                assert!(text.starts_with("10 ") && text.contains(" 2026"), "{text}");
                seen.insert(text);
            }
            assert_eq!(seen.len(), 12, "{lang}: twelve different months");
        }
    }
}
