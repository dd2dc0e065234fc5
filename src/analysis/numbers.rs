//! Figures written the Dutch way, one set of rules for every page, card, PDF and chart:
//! decimal comma, thousands grouped with a dot, small p- and q-values as "< 0,001", and a
//! noun that agrees with its count.

/// A number with a decimal comma and grouped thousands: `1.234,5`. Never "-0".
pub fn decimal(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        return "–".into();
    }
    let text = format!("{:.decimals$}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push('.');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    let zero = out.chars().all(|c| matches!(c, '0' | ',' | '.'));
    if value < 0.0 && !zero {
        format!("-{out}")
    } else {
        out
    }
}

/// A whole count with grouped thousands: `20.000`.
pub fn count(n: u64) -> String {
    decimal(n as f64, 0)
}

/// A probability (p or q) as it follows its name: "= 0,023" or "< 0,001".
pub fn probability(value: f64) -> String {
    if value < 0.001 {
        "< 0,001".into()
    } else {
        format!("= {}", decimal(value, 3))
    }
}

/// A p- or q-value with its name: "q < 0,001", "p = 0,230".
pub fn named_probability(name: &str, value: f64) -> String {
    format!("{name} {}", probability(value))
}

/// A test statistic: two decimals, or grouped whole numbers when it is large.
pub fn statistic(value: f64) -> String {
    if value.abs() >= 1000.0 {
        decimal(value, 0)
    } else {
        decimal(value, 2)
    }
}

/// The strength of a pattern (0–1), as shown wherever patterns are ranked.
pub fn strength(value: f64) -> String {
    decimal(value, 2)
}

/// "1 verhaal", "2 verhalen": the count with the form of the noun that agrees with it.
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_use_a_comma_and_thousands_a_dot() {
        assert_eq!(decimal(0.4249, 2), "0,42");
        assert_eq!(decimal(71.6, 0), "72");
        assert_eq!(decimal(1234.5, 1), "1.234,5");
        assert_eq!(decimal(1_234_567.0, 0), "1.234.567");
        assert_eq!(decimal(-0.0001, 2), "0,00");
        assert_eq!(decimal(-2.5, 1), "-2,5");
        assert_eq!(decimal(f64::NAN, 2), "–");
        assert_eq!(count(20_000), "20.000");
    }

    #[test]
    fn small_probabilities_are_bounded_not_rounded_to_zero() {
        assert_eq!(named_probability("q", 0.000_02), "q < 0,001");
        assert_eq!(named_probability("p", 0.0234), "p = 0,023");
        assert_eq!(named_probability("p", 0.001), "p = 0,001");
    }

    #[test]
    fn statistics_and_strength() {
        assert_eq!(statistic(12.3456), "12,35");
        assert_eq!(statistic(12_345.6), "12.346");
        assert_eq!(strength(0.4849), "0,48");
    }

    #[test]
    fn nouns_agree_with_their_count() {
        assert_eq!(
            counted(1, "sterk patroon", "sterke patronen"),
            "1 sterk patroon"
        );
        assert_eq!(
            counted(0, "sterk patroon", "sterke patronen"),
            "0 sterke patronen"
        );
        assert_eq!(counted(1200, "verhaal", "verhalen"), "1.200 verhalen");
    }
}
