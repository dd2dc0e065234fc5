//! Identifiers people read or type: story ids, withdrawal codes, participant ids.
//!
//! They use Crockford's base32 alphabet (no I, L, O, U), so a code read aloud or typed from a
//! phone survives confusion between 0/O and 1/I/L.

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Encodes bytes as Crockford base32 (5 bits a character), `len` characters long (shorter
/// when `bytes` has fewer bits). Bytes beyond `len` characters are not read.
pub fn base32(bytes: &[u8], len: usize) -> String {
    let mut out = String::with_capacity(len);
    let mut buffer: u64 = 0;
    let mut bits = 0;
    for &b in bytes {
        // Once the code is long enough the rest is not needed (and would overflow the buffer).
        if out.len() >= len {
            break;
        }
        buffer = (buffer << 8) | b as u64;
        bits += 8;
        while bits >= 5 && out.len() < len {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    out
}

/// A new story id such as `VP-7K3M9QX2` from 40 random bits.
pub fn story_id(random: [u8; 5]) -> String {
    format!("VP-{}", base32(&random, 8))
}

/// An anonymous participant id that links the stories of one visit.
pub fn participant_id(random: [u8; 10]) -> String {
    format!("P-{}", base32(&random, 16))
}

/// Formats 60 bits as a withdrawal code of three groups of four: `7K3M-9QX2-ABCD`.
pub fn withdrawal_code(bytes: &[u8]) -> String {
    let raw = base32(bytes, 12);
    format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12])
}

/// Normalises what a person typed as a withdrawal code: case, spaces, dashes and the
/// characters people confuse. Returns `None` when it cannot be a code.
pub fn normalize_withdrawal_code(input: &str) -> Option<String> {
    let mut raw = String::with_capacity(12);
    for c in input.chars() {
        let c = match c.to_ascii_uppercase() {
            ' ' | '-' | '.' | '\t' => continue,
            'O' => '0',
            'I' | 'L' => '1',
            c if ALPHABET.contains(&(c as u8)) && c.is_ascii() => c,
            _ => return None,
        };
        raw.push(c);
    }
    (raw.len() == 12).then(|| format!("{}-{}-{}", &raw[0..4], &raw[4..8], &raw[8..12]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_encodes_known_values() {
        assert_eq!(base32(&[0, 0, 0, 0, 0], 8), "00000000");
        assert_eq!(base32(&[0xff; 5], 8), "ZZZZZZZZ");
        assert_eq!(base32(&[0b0000_1000, 0, 0, 0, 0], 8), "10000000");
    }

    #[test]
    fn base32_of_a_long_input_takes_only_what_it_needs() {
        // An HMAC of 32 bytes made into a 20-character code (as the session links do).
        assert_eq!(base32(&[0xff; 32], 20), "Z".repeat(20));
        assert_eq!(base32(&[0; 32], 26).len(), 26);
    }

    #[test]
    fn ids_have_their_shape() {
        assert_eq!(story_id([1, 2, 3, 4, 5]).len(), 11);
        assert!(participant_id([9; 10]).starts_with("P-"));
        let code = withdrawal_code(&[0xab; 8]);
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
    }

    #[test]
    fn typed_codes_are_normalised() {
        let code = withdrawal_code(&[0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0]);
        let sloppy = code.to_lowercase().replace('-', " ");
        assert_eq!(normalize_withdrawal_code(&sloppy), Some(code.clone()));
        assert_eq!(
            normalize_withdrawal_code("oooo-iiii-llll"),
            Some("0000-1111-1111".into())
        );
        assert_eq!(normalize_withdrawal_code("te kort"), None);
        assert_eq!(normalize_withdrawal_code("ABCD-EFGH-JKMÜ"), None);
    }
}
