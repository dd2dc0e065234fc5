//! Stories told in the other languages of the interface (issue 20): structured data and the
//! project's own terms are found in English, Turkish, Polish, Ukrainian and Arabic text. The
//! sentences are generated for the test (fictitious numbers, a BSN that passes the 11-proef,
//! addresses in the Netherlands), in the register of the Dutch test sets. What is not found
//! in these languages (names in Arabic script, inflected names) is in docs/anonymisation.md.

use super::tests::kinds;
use super::*;

/// The project's terms of the tests: an organisation and a professional.
fn project_terms() -> ExtraTerms {
    ExtraTerms::new([
        ("Het Baken", Kind::Organisatie),
        ("Jorien Hagenaars", Kind::Naam),
    ])
}

/// Every `(text, kind)` is taken out of `story` as that kind (a span may take in more: a
/// Turkish ending after a name, "Het Baken'deki"), and none of the texts is left in the
/// anonymised story.
fn finds_all(lang: &str, story: &str, expected: &[(&str, Kind)]) {
    let extra = project_terms();
    let found: Vec<(String, Kind)> = find(story, &extra)
        .into_iter()
        .map(|r| (story[r.start..r.end].to_string(), r.kind))
        .collect();
    for (text, kind) in expected {
        assert!(
            found.iter().any(|(s, k)| s.contains(text) && k == kind),
            "{lang}: {text:?} not found as {kind:?}; found {found:?}"
        );
    }
    let clean = anonymise(story, &extra);
    for (text, _) in expected {
        assert!(!clean.contains(text), "{lang}: {text:?} is left in {clean}");
    }
}

/// The structured data every story below carries, in the same forms.
const STRUCTURED: [(&str, Kind); 8] = [
    ("06-12345678", Kind::Telefoon),
    ("jorien@hetbaken.nl", Kind::Email),
    ("Kerkstraat 12, 1234 AB", Kind::Adres),
    ("123456782", Kind::Bsn),
    ("www.jeugdzorg-noord.nl/hulp", Kind::Url),
    ("Het Baken", Kind::Organisatie),
    ("Jorien Hagenaars", Kind::Naam),
    ("7512 XK", Kind::Postcode),
];

fn with(extra: &[(&'static str, Kind)]) -> Vec<(&'static str, Kind)> {
    STRUCTURED.iter().chain(extra).copied().collect()
}

#[test]
fn english() {
    finds_all(
        "en",
        "My mentor Jorien Hagenaars at Het Baken gave me her number, 06-12345678, and her \
         e-mail jorien@hetbaken.nl. We lived at Kerkstraat 12, 1234 AB Utrecht, and later near \
         7512 XK. My BSN is 123456782. On 12 March 2010 I was taken into care. The website \
         was www.jeugdzorg-noord.nl/hulp. My aunt in Poland: +48 600 123 456.",
        &with(&[
            ("12 March 2010", Kind::Datum),
            ("+48 600 123 456", Kind::Telefoon),
        ]),
    );
}

#[test]
fn turkish() {
    // Turkish puts its endings after a name with an apostrophe: Het Baken'deki, 2010'da.
    finds_all(
        "tr",
        "Het Baken'deki mentorum Jorien Hagenaars bana numarasını verdi: 06-12345678, \
         e-postası jorien@hetbaken.nl. Kerkstraat 12, 1234 AB Utrecht adresinde oturuyorduk, \
         sonra 7512 XK civarında. BSN numaram 123456782. 12 Mart 2010'da bakıma alındım. Site \
         www.jeugdzorg-noord.nl/hulp idi. Türkiye'deki teyzem: +90 532 123 45 67.",
        &with(&[
            ("12 Mart 2010", Kind::Datum),
            ("+90 532 123 45 67", Kind::Telefoon),
        ]),
    );
}

#[test]
fn polish() {
    finds_all(
        "pl",
        "Mentorka Jorien Hagenaars z Het Baken dała mi swój numer 06-12345678 i e-mail \
         jorien@hetbaken.nl. Mieszkaliśmy przy Kerkstraat 12, 1234 AB Utrecht, potem koło \
         7512 XK. Mój BSN to 123456782. 12 marca 2010 r. trafiłam do placówki. Strona to \
         www.jeugdzorg-noord.nl/hulp. Ciocia w Polsce: +48 600 123 456.",
        &with(&[
            ("12 marca 2010", Kind::Datum),
            ("+48 600 123 456", Kind::Telefoon),
        ]),
    );
}

#[test]
fn ukrainian() {
    finds_all(
        "uk",
        "Моя наставниця Jorien Hagenaars з Het Baken дала мені свій номер 06-12345678 і пошту \
         jorien@hetbaken.nl. Ми жили на Kerkstraat 12, 1234 AB Utrecht, потім біля 7512 XK. Мій \
         BSN 123456782. 12 березня 2010 р. мене забрали в притулок. Сайт \
         www.jeugdzorg-noord.nl/hulp. Тітка в Україні: +380 67 123 4567, або 067 123 4567.",
        &with(&[
            ("12 березня 2010", Kind::Datum),
            ("+380 67 123 4567", Kind::Telefoon),
            ("067 123 4567", Kind::Telefoon),
        ]),
    );
}

#[test]
fn arabic() {
    finds_all(
        "ar",
        "أعطتني مرشدتي Jorien Hagenaars في Het Baken رقمها 06-12345678 وبريدها \
         jorien@hetbaken.nl. كنا نسكن في Kerkstraat 12, 1234 AB Utrecht، ثم قرب 7512 XK. رقمي \
         BSN هو 123456782. في 12 مارس 2010 أخذوني إلى دار رعاية. الموقع \
         www.jeugdzorg-noord.nl/hulp. عمتي في سوريا: +963 944 123 456.",
        &with(&[
            ("12 مارس 2010", Kind::Datum),
            ("+963 944 123 456", Kind::Telefoon),
        ]),
    );
}

/// Digits typed on an Arabic or Persian keyboard, and the Syrian month names.
#[test]
fn arabic_digits_and_month_names() {
    for (text, expected, kind) in [
        ("رقمي ٠٦١٢٣٤٥٦٧٨ اتصل بي", "٠٦١٢٣٤٥٦٧٨", Kind::Telefoon),
        ("رقمي ۰۶-۱۲۳۴۵۶۷۸ اتصل بي", "۰۶-۱۲۳۴۵۶۷۸", Kind::Telefoon),
        (
            "هاتف عمي +٩٦٣ ٩٤٤ ١٢٣ ٤٥٦",
            "+٩٦٣ ٩٤٤ ١٢٣ ٤٥٦",
            Kind::Telefoon,
        ),
        ("رقم BSN ١٢٣٤٥٦٧٨٢ عندي", "١٢٣٤٥٦٧٨٢", Kind::Bsn),
        ("في ١٢-٠٣-٢٠١٠ أخذوني", "١٢-٠٣-٢٠١٠", Kind::Datum),
        ("في 12 آذار 2010 أخذوني", "12 آذار 2010", Kind::Datum),
        ("في ١٢ شباط ٢٠١٠ أخذوني", "١٢ شباط ٢٠١٠", Kind::Datum),
    ] {
        let found = kinds(text);
        assert!(
            found.iter().any(|(s, k)| s == expected && *k == kind),
            "{text}: expected {expected} as {kind:?}, found {found:?}"
        );
    }
}

/// Month names of the other languages need a day and a year, as Dutch ones do: a month alone
/// and a year alone stay.
#[test]
fn months_and_years_alone_stay() {
    for text in [
        "In March 2022 I could go back.",
        "W marcu 2022 wróciłam.",
        "Mart ayında yardım başladı.",
        "У березні 2022 я повернулася.",
        "في مارس عدت إلى البيت.",
    ] {
        let found = kinds(text);
        assert!(
            !found.iter().any(|(_, k)| *k == Kind::Datum),
            "{text}: {found:?}"
        );
    }
}
