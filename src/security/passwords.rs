//! Password hashing with Argon2id (RFC 9106) through the `argon2` crate.
//!
//! The hash is a PHC string that names its own parameters, so a hash made with older (weaker)
//! parameters still verifies; [`PasswordHasher::verify`] then says it needs re-hashing, and
//! the login re-hashes it with the current parameters. docs/security.md lists the defaults.

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Argon2id cost: memory in KiB, iterations and lanes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl Default for PasswordParams {
    /// OWASP's first recommended Argon2id setting (19 MiB, 2 passes, 1 lane).
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("password hashing failed: {0}")]
pub struct HashError(String);

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verified {
    No,
    Yes { needs_rehash: bool },
}

#[derive(Clone)]
pub struct PasswordHasher {
    params: PasswordParams,
    argon2: Argon2<'static>,
    /// A hash of a random password, checked when an e-mail address is unknown so that the
    /// answer takes as long as for a known address.
    dummy: String,
}

impl std::fmt::Debug for PasswordHasher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PasswordHasher({:?})", self.params)
    }
}

impl PasswordHasher {
    pub fn new(params: PasswordParams) -> Result<Self, HashError> {
        let argon_params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| HashError(e.to_string()))?;
        let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon_params);
        let mut hasher = Self {
            params,
            argon2,
            dummy: String::new(),
        };
        hasher.dummy = hasher.hash(&super::random_token())?;
        Ok(hasher)
    }

    pub fn params(&self) -> PasswordParams {
        self.params
    }

    pub fn hash(&self, password: &str) -> Result<String, HashError> {
        let salt = SaltString::encode_b64(&super::random_bytes::<16>())
            .map_err(|e| HashError(e.to_string()))?;
        self.argon2
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| HashError(e.to_string()))
    }

    /// Checks `password` against `stored`; `None` (no password set, or unknown user) costs
    /// the same time and never matches. An unreadable stored hash never matches either.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> Verified {
        let candidate = stored.unwrap_or(&self.dummy);
        let Ok(parsed) = PasswordHash::new(candidate) else {
            return Verified::No;
        };
        // The stored hash names its parameters; the default Argon2 verifies with those.
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        if !matches || stored.is_none() {
            return Verified::No;
        }
        Verified::Yes {
            needs_rehash: !self.is_current(&parsed),
        }
    }

    fn is_current(&self, hash: &PasswordHash<'_>) -> bool {
        let value = |name: &str| hash.params.get_decimal(name);
        hash.algorithm.as_str() == "argon2id"
            && hash.version == Some(Version::V0x13.into())
            && value("m") == Some(self.params.memory_kib)
            && value("t") == Some(self.params.iterations)
            && value("p") == Some(self.params.parallelism)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cheap(memory_kib: u32) -> PasswordHasher {
        PasswordHasher::new(PasswordParams {
            memory_kib,
            iterations: 1,
            parallelism: 1,
        })
        .unwrap()
    }

    #[test]
    fn hashes_verify_and_differ_per_salt() {
        let hasher = cheap(1024);
        let a = hasher.hash("een lang wachtwoord").unwrap();
        let b = hasher.hash("een lang wachtwoord").unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert_eq!(
            hasher.verify("een lang wachtwoord", Some(&a)),
            Verified::Yes {
                needs_rehash: false
            }
        );
        assert_eq!(
            hasher.verify("een ander wachtwoord", Some(&a)),
            Verified::No
        );
    }

    #[test]
    fn old_parameters_ask_for_a_rehash() {
        let old = cheap(1024).hash("een lang wachtwoord").unwrap();
        assert_eq!(
            cheap(2048).verify("een lang wachtwoord", Some(&old)),
            Verified::Yes { needs_rehash: true }
        );
    }

    #[test]
    fn missing_or_broken_hashes_never_match() {
        let hasher = cheap(1024);
        assert_eq!(hasher.verify("", None), Verified::No);
        assert_eq!(hasher.verify("x", Some("geen hash")), Verified::No);
    }
}
