//! The server secret and what is derived from it: CSRF tokens, withdrawal codes and the signed
//! token that carries a teller's context answers to their next story.
//!
//! The secret is read from `VERTELPUNT_SECRET` or, when unset, generated once and kept in the
//! database, so that every instance sharing the database signs and checks alike.

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use serde::{de::DeserializeOwned, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Arc;

pub mod login_delay;
pub mod passwords;

type HmacSha256 = Hmac<Sha256>;

#[derive(Clone)]
pub struct Secret(Arc<Vec<u8>>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    rand::rng().fill_bytes(&mut bytes);
    bytes
}

/// A random token for URLs, forms and cookies (base64url, no padding).
pub fn random_token() -> String {
    B64.encode(random_bytes::<18>())
}

pub fn sha256_hex(input: &str) -> String {
    hex::encode(Sha256::digest(input.as_bytes()))
}

impl Secret {
    /// At least 32 bytes, given as hex (64+ characters).
    pub fn from_hex(hex_secret: &str) -> Option<Self> {
        let bytes = hex::decode(hex_secret.trim()).ok()?;
        (bytes.len() >= 32).then(|| Self(Arc::new(bytes)))
    }

    pub fn generate_hex() -> String {
        hex::encode(random_bytes::<32>())
    }

    fn mac(&self, purpose: &str) -> HmacSha256 {
        // new_from_slice accepts keys of any length for HMAC.
        let mut mac = HmacSha256::new_from_slice(&self.0).unwrap_or_else(|_| unreachable!());
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac
    }

    pub fn sign(&self, purpose: &str, data: &[u8]) -> Vec<u8> {
        let mut mac = self.mac(purpose);
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    /// Constant-time check of a signature made by [`Secret::sign`].
    pub fn verify(&self, purpose: &str, data: &[u8], signature: &[u8]) -> bool {
        let mut mac = self.mac(purpose);
        mac.update(data);
        mac.verify_slice(signature).is_ok()
    }

    /// The form token that belongs to a CSRF cookie value.
    pub fn csrf_token(&self, cookie_value: &str) -> String {
        B64.encode(self.sign("csrf", cookie_value.as_bytes()))
    }

    pub fn csrf_valid(&self, cookie_value: &str, token: &str) -> bool {
        match B64.decode(token.trim()) {
            Ok(sig) => {
                !cookie_value.is_empty() && self.verify("csrf", cookie_value.as_bytes(), &sig)
            }
            Err(_) => false,
        }
    }

    /// The withdrawal code of the story submitted with this form key. Derived rather than
    /// stored, so that a resubmitted form can show the same code again; only its hash is kept.
    pub fn withdrawal_code(&self, submission_key: &str) -> String {
        let sig = self.sign("withdrawal-code", submission_key.as_bytes());
        crate::domain::codes::withdrawal_code(&sig[..8])
    }

    /// The resume code of a draft first saved from this form key ("Later verder"): derived
    /// like the withdrawal code, but for another purpose, so neither gives the other away.
    pub fn resume_code(&self, form_key: &str) -> String {
        let sig = self.sign("resume-code", form_key.as_bytes());
        crate::domain::codes::withdrawal_code(&sig[..8])
    }

    /// `payload` as `base64(json).base64(hmac)`, readable only as a whole.
    pub fn seal<T: Serialize>(&self, purpose: &str, payload: &T) -> String {
        let json = serde_json::to_vec(payload).unwrap_or_default();
        let sig = self.sign(purpose, &json);
        format!("{}.{}", B64.encode(&json), B64.encode(sig))
    }

    pub fn open<T: DeserializeOwned>(&self, purpose: &str, sealed: &str) -> Option<T> {
        let (body, sig) = sealed.trim().split_once('.')?;
        let json = B64.decode(body).ok()?;
        let sig = B64.decode(sig).ok()?;
        if !self.verify(purpose, &json, &sig) {
            return None;
        }
        serde_json::from_slice(&json).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Secret {
        Secret::from_hex(&"ab".repeat(32)).unwrap()
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Secret::from_hex("abcd").is_none());
        assert!(Secret::from_hex("zz").is_none());
        assert!(Secret::from_hex(&Secret::generate_hex()).is_some());
    }

    #[test]
    fn csrf_tokens_bind_to_their_cookie() {
        let s = secret();
        let token = s.csrf_token("koekje");
        assert!(s.csrf_valid("koekje", &token));
        assert!(!s.csrf_valid("ander-koekje", &token));
        assert!(!s.csrf_valid("", &s.csrf_token("")));
        assert!(!s.csrf_valid("koekje", "!!geen base64"));
    }

    #[test]
    fn withdrawal_codes_are_stable_per_key() {
        let s = secret();
        assert_eq!(s.withdrawal_code("k1"), s.withdrawal_code("k1"));
        assert_ne!(s.withdrawal_code("k1"), s.withdrawal_code("k2"));
        let other = Secret::from_hex(&"cd".repeat(32)).unwrap();
        assert_ne!(s.withdrawal_code("k1"), other.withdrawal_code("k1"));
    }

    #[test]
    fn sealed_payloads_detect_tampering() {
        let s = secret();
        let sealed = s.seal("vervolg", &vec!["nijmegen".to_string()]);
        assert_eq!(
            s.open::<Vec<String>>("vervolg", &sealed),
            Some(vec!["nijmegen".into()])
        );
        assert_eq!(s.open::<Vec<String>>("ander-doel", &sealed), None);
        let (body, sig) = sealed.split_once('.').unwrap();
        let forged = format!("{}.{sig}", B64.encode(br#"["wijchen"]"#));
        assert_ne!(body, B64.encode(br#"["wijchen"]"#));
        assert_eq!(s.open::<Vec<String>>("vervolg", &forged), None);
    }
}
