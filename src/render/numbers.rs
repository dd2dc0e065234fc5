//! Whole numbers as readers of each language write them on a teller's page: "25.000" in
//! Dutch and Turkish, "25,000" in English and Arabic (with Western digits, as everywhere in the
//! interface), "25 000" in Polish and Ukrainian. The staff pages are Dutch and use
//! `analysis::numbers`.
//!
//! A table of two facts per language instead of ICU (`fixed_decimal`, `icu_decimal`): that is
//! all a count needs, and ICU's data would cost minutes per clean build. The facts are CLDR's.

/// How a language groups the thousands of a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Grouping {
    /// Between groups of three digits.
    pub separator: &'static str,
    /// Digits there must be before the first separator: 1 groups "1.234"; 2 (Polish) leaves
    /// "1234" as it is and groups from "12 345" on (CLDR's minimum grouping digits).
    pub min_digits: usize,
}

/// No-break space: a number is never broken over two lines.
const NBSP: &str = "\u{a0}";

/// The grouping of a language; Dutch for a language the interface does not have.
pub fn grouping(lang: &str) -> Grouping {
    let (separator, min_digits) = match lang {
        "en" | "ar" => (",", 1),
        "pl" => (NBSP, 2),
        "uk" => (NBSP, 1),
        // Dutch and Turkish.
        _ => (".", 1),
    };
    Grouping {
        separator,
        min_digits,
    }
}

/// `n` with its thousands grouped the way of `lang`.
pub fn grouped(n: u64, lang: &str) -> String {
    let Grouping {
        separator,
        min_digits,
    } = grouping(lang);
    let digits = n.to_string();
    if digits.len() < 3 + min_digits {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * separator.len());
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::grouped;

    #[test]
    fn dutch_and_turkish_group_with_a_point() {
        assert_eq!(grouped(1234, "nl"), "1.234");
        assert_eq!(grouped(25000, "nl"), "25.000");
        assert_eq!(grouped(1_234_567, "tr"), "1.234.567");
        assert_eq!(grouped(999, "nl"), "999");
        assert_eq!(grouped(0, "tr"), "0");
    }

    #[test]
    fn english_and_arabic_group_with_a_comma() {
        assert_eq!(grouped(1234, "en"), "1,234");
        assert_eq!(grouped(1_234_567, "en"), "1,234,567");
        assert_eq!(grouped(25000, "ar"), "25,000");
    }

    #[test]
    fn polish_and_ukrainian_group_with_a_no_break_space() {
        assert_eq!(grouped(1234, "uk"), "1\u{a0}234");
        assert_eq!(grouped(1_234_567, "uk"), "1\u{a0}234\u{a0}567");
        // Polish leaves four digits together.
        assert_eq!(grouped(1234, "pl"), "1234");
        assert_eq!(grouped(12345, "pl"), "12\u{a0}345");
        assert_eq!(grouped(25000, "pl"), "25\u{a0}000");
    }

    #[test]
    fn a_language_the_interface_does_not_have_gets_dutch() {
        assert_eq!(grouped(25000, "xx"), "25.000");
        assert_eq!(grouped(u64::MAX, "en"), "18,446,744,073,709,551,615");
    }
}
