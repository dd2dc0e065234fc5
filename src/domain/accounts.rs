//! People who read stories (storytellers never have an account): their e-mail address, name,
//! password rules, project roles and what each role may do.
//!
//! The rights matrix lives here, in one pure function ([`Access::can`]), so that every page
//! asks the same question and the matrix is tested in one place.

use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;

/// A lower-cased e-mail address with a plausible shape. Delivery is the real test.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EmailAddress(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AccountInputError {
    #[error("Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.")]
    BadEmail,
    #[error("Vul een naam in van hoogstens 100 tekens.")]
    BadName,
    #[error("Kies een wachtwoord van minstens {MIN_PASSWORD_CHARS} tekens.")]
    PasswordTooShort,
    #[error("Het wachtwoord is te lang: gebruik hoogstens {MAX_PASSWORD_CHARS} tekens.")]
    PasswordTooLong,
    #[error("Dit wachtwoord is te makkelijk te raden. Kies een ander wachtwoord.")]
    PasswordTooCommon,
    #[error("De twee wachtwoorden zijn niet gelijk.")]
    PasswordMismatch,
}

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, AccountInputError> {
        let email = raw.trim().to_lowercase();
        let ok = email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !email.contains(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\'])
            && match email.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if ok {
            Ok(Self(email))
        } else {
            Err(AccountInputError::BadEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown to colleagues and in the audit log.
pub fn parse_display_name(raw: &str) -> Result<String, AccountInputError> {
    let name = raw.trim();
    let length = name.chars().count();
    if length == 0 || length > 100 || name.chars().any(char::is_control) {
        return Err(AccountInputError::BadName);
    }
    Ok(name.to_string())
}

pub const MIN_PASSWORD_CHARS: usize = 10;
/// Long enough for any passphrase; short enough that hashing it cannot be used to tire the server.
pub const MAX_PASSWORD_CHARS: usize = 200;

/// Passwords that meet the length rule but are guessed first.
const COMMON_PASSWORDS: &[&str] = &[
    "1234567890",
    "12345678910",
    "0123456789",
    "qwertyuiop",
    "wachtwoord",
    "wachtwoord1",
    "wachtwoord123",
    "password123",
    "password1234",
    "welkom12345",
    "welkom123!",
    "vertelpunt",
    "vertelpunt1",
    "jeugdhulp123",
    "aaaaaaaaaa",
    "abcdefghij",
];

/// A new password, checked (length, not a common one, typed twice alike).
/// Only the hash is ever stored; this type is dropped right after hashing.
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(password: &str, repeated: &str) -> Result<Self, AccountInputError> {
        let length = password.chars().count();
        if length < MIN_PASSWORD_CHARS {
            return Err(AccountInputError::PasswordTooShort);
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(AccountInputError::PasswordTooLong);
        }
        let lower = password.to_lowercase();
        let one_character = lower.chars().all(|c| lower.starts_with(c));
        if one_character || COMMON_PASSWORDS.contains(&lower.as_str()) {
            return Err(AccountInputError::PasswordTooCommon);
        }
        if password != repeated {
            return Err(AccountInputError::PasswordMismatch);
        }
        Ok(Self(password.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

/// A role in one project. Admin is not a project role but a property of the account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProjectRole {
    Begeleider,
    Onderzoeker,
}

impl ProjectRole {
    pub const ALL: [ProjectRole; 2] = [ProjectRole::Begeleider, ProjectRole::Onderzoeker];

    pub fn as_str(self) -> &'static str {
        match self {
            ProjectRole::Begeleider => "begeleider",
            ProjectRole::Onderzoeker => "onderzoeker",
        }
    }

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    pub fn label(self) -> &'static str {
        match self {
            ProjectRole::Begeleider => "Begeleider",
            ProjectRole::Onderzoeker => "Onderzoeker",
        }
    }
}

/// Something a user may want to do within a project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProjectAction {
    /// Read stories, answers and figures.
    Read,
    /// Hide, redact and mark stories as reviewed.
    Moderate,
    /// Change the project's texts, settings and questionnaire.
    Edit,
    /// Export anonymised data for research.
    Export,
    /// Prepare observations and sessions (later stages of the cycle).
    Facilitate,
}

/// Everything one signed-in user may do: admin of the installation and/or roles per project.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Access {
    pub is_admin: bool,
    pub roles: BTreeMap<String, ProjectRole>,
}

impl AsRef<Access> for Access {
    fn as_ref(&self) -> &Access {
        self
    }
}

impl Access {
    /// The rights matrix (docs/security.md shows the same table).
    /// Admins may do everything in every project: they set projects up and must be able to
    /// check them. A begeleider does all project work; an onderzoeker reads and exports only.
    pub fn can(&self, project: &str, action: ProjectAction) -> bool {
        if self.is_admin {
            return true;
        }
        match self.roles.get(project) {
            Some(ProjectRole::Begeleider) => true,
            Some(ProjectRole::Onderzoeker) => {
                matches!(action, ProjectAction::Read | ProjectAction::Export)
            }
            None => false,
        }
    }

    /// Projects this user may open at all.
    pub fn sees_project(&self, project: &str) -> bool {
        self.can(project, ProjectAction::Read)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_addresses_are_normalised_and_checked() {
        assert_eq!(
            EmailAddress::parse("  Anna@Voorbeeld.NL ")
                .unwrap()
                .as_str(),
            "anna@voorbeeld.nl"
        );
        for bad in [
            "",
            "anna",
            "anna@",
            "@voorbeeld.nl",
            "anna@voorbeeld",
            "an na@voorbeeld.nl",
            "anna@@voorbeeld.nl",
            "anna@voorbeeld..nl",
            "anna@voorbeeld.nl\nBcc: x@y.nl",
            "<anna@voorbeeld.nl>",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(AccountInputError::BadEmail),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn names_must_be_present_and_short() {
        assert_eq!(
            parse_display_name(" Anna de Vries ").unwrap(),
            "Anna de Vries"
        );
        assert!(parse_display_name("   ").is_err());
        assert!(parse_display_name(&"a".repeat(101)).is_err());
        assert!(parse_display_name("a\u{0}b").is_err());
    }

    #[test]
    fn passwords_follow_the_rules() {
        let ok = "lange zin van woorden";
        assert_eq!(NewPassword::parse(ok, ok).unwrap().expose(), ok);
        assert_eq!(
            NewPassword::parse("kort", "kort").unwrap_err(),
            AccountInputError::PasswordTooShort
        );
        let long = "x".repeat(MAX_PASSWORD_CHARS + 1);
        assert_eq!(
            NewPassword::parse(&long, &long).unwrap_err(),
            AccountInputError::PasswordTooLong
        );
        assert_eq!(
            NewPassword::parse("Wachtwoord123", "Wachtwoord123").unwrap_err(),
            AccountInputError::PasswordTooCommon
        );
        assert_eq!(
            NewPassword::parse("zzzzzzzzzzzz", "zzzzzzzzzzzz").unwrap_err(),
            AccountInputError::PasswordTooCommon
        );
        assert_eq!(
            NewPassword::parse(ok, "iets anders dan dat").unwrap_err(),
            AccountInputError::PasswordMismatch
        );
        assert!(!format!("{:?}", NewPassword::parse(ok, ok).unwrap()).contains("zin"));
    }

    #[test]
    fn the_rights_matrix() {
        use ProjectAction::*;
        let mut access = Access::default();
        access.roles.insert("a".into(), ProjectRole::Begeleider);
        access.roles.insert("b".into(), ProjectRole::Onderzoeker);
        for action in [Read, Moderate, Edit, Export, Facilitate] {
            assert!(access.can("a", action), "begeleider {action:?}");
            assert!(!access.can("c", action), "no role {action:?}");
        }
        assert!(access.can("b", Read));
        assert!(access.can("b", Export));
        for action in [Moderate, Edit, Facilitate] {
            assert!(!access.can("b", action), "onderzoeker {action:?}");
        }
        let admin = Access {
            is_admin: true,
            roles: BTreeMap::new(),
        };
        assert!(admin.can("c", Edit));
        assert!(!access.sees_project("c"));
    }

    #[test]
    fn roles_round_trip() {
        for role in ProjectRole::ALL {
            assert_eq!(ProjectRole::parse(role.as_str()), Some(role));
        }
        assert_eq!(ProjectRole::parse("admin"), None);
    }
}
