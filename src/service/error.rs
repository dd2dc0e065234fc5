//! The error core of the use cases. Which error type to use where:
//!
//! - A use case with no outcomes of its own returns [`ServiceError`]: not allowed, not found,
//!   or the store failed. These three mean the same everywhere, so they exist only here.
//! - A feature with outcomes of its own (a closed session, no votes left, a quote that is not
//!   in the story …) has one enum in its service module that wraps [`ServiceError`] as its
//!   `Core` variant (`#[error(transparent)] Core(#[from] ServiceError)`) and adds only what
//!   is its own. [`core_error!`] gives it `From<StoreError>` too, so `?` works on store calls.
//! - Rights are checked with [`require`] and [`require_admin`], one rule for every feature:
//!   `domain::accounts::Access::can`. Handlers may ask first (to send strangers away early);
//!   the service asks again, so the command line and later callers cannot skip it.
//! - Each feature error says what kind of refusal it is with [`Refusal`]; the web layer maps
//!   that to a status code in one place (`web::errors`): 403, 404, 409 (the situation does not
//!   allow it now), 422 (the input is wrong), 503/500 (the store). The command line prints the
//!   error's text.

use crate::domain::accounts::{Access, ProjectAction};
pub use crate::store::StoreError;

/// What every use case can fail with.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("not allowed")]
    NotAllowed,
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<diesel::result::Error> for ServiceError {
    fn from(e: diesel::result::Error) -> Self {
        ServiceError::Store(e.into())
    }
}

/// The kind of refusal behind an error, for callers that answer people (status codes, exit
/// codes) without knowing each feature's variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// The person may not do this.
    NotAllowed,
    /// The thing does not exist (or is not theirs to see).
    NotFound,
    /// The request was fine, but the state of things does not allow it now (a closed
    /// session, no votes left, a story withdrawn or changed in the meantime).
    Conflict,
    /// What was typed or sent is not acceptable; the person can correct it.
    Invalid,
    /// Too many attempts; try again later.
    TooMany,
    /// The system is busy (no database connection free, a worker gone); try again soon.
    Busy,
    /// The store or another part of the system failed; not the person's doing.
    Failure,
}

/// Says which kind of refusal an error is; every feature error implements it.
pub trait Refused: std::error::Error {
    fn refusal(&self) -> Refusal;
}

impl Refused for ServiceError {
    fn refusal(&self) -> Refusal {
        match self {
            ServiceError::NotAllowed => Refusal::NotAllowed,
            ServiceError::NotFound => Refusal::NotFound,
            // An exhausted pool, a cancelled task or tables held by other work: busy, try
            // again; anything else failed.
            ServiceError::Store(
                StoreError::Pool(_) | StoreError::Cancelled | StoreError::Busy { .. },
            ) => Refusal::Busy,
            ServiceError::Store(_) => Refusal::Failure,
        }
    }
}

/// The one rights check: may `by` (a signed-in person, an API token's rights) do `what` in
/// `project`?
pub fn require(
    by: impl AsRef<Access>,
    project: &str,
    what: ProjectAction,
) -> Result<(), ServiceError> {
    if by.as_ref().can(project, what) {
        Ok(())
    } else {
        Err(ServiceError::NotAllowed)
    }
}

/// Admins of the installation only.
pub fn require_admin(by: impl AsRef<Access>) -> Result<(), ServiceError> {
    if by.as_ref().is_admin {
        Ok(())
    } else {
        Err(ServiceError::NotAllowed)
    }
}

/// Gives a feature error that wraps [`ServiceError`] as `Core` the conversions from store
/// errors, so that `?` works on store calls inside the feature's service.
#[macro_export]
macro_rules! core_error {
    ($feature:ty) => {
        impl From<$crate::store::StoreError> for $feature {
            fn from(e: $crate::store::StoreError) -> Self {
                Self::Core($crate::service::error::ServiceError::Store(e))
            }
        }
        impl From<diesel::result::Error> for $feature {
            fn from(e: diesel::result::Error) -> Self {
                Self::Core($crate::service::error::ServiceError::Store(e.into()))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::accounts::ProjectRole;

    fn person(admin: bool, role: Option<ProjectRole>) -> Access {
        let mut access = Access {
            is_admin: admin,
            ..Access::default()
        };
        if let Some(role) = role {
            access.roles.insert("jeugdhulp".into(), role);
        }
        access
    }

    #[test]
    fn require_follows_the_rights_matrix() {
        let researcher = person(false, Some(ProjectRole::Onderzoeker));
        assert!(require(&researcher, "jeugdhulp", ProjectAction::Read).is_ok());
        assert!(require(&researcher, "jeugdhulp", ProjectAction::Export).is_ok());
        assert!(matches!(
            require(&researcher, "jeugdhulp", ProjectAction::Facilitate),
            Err(ServiceError::NotAllowed)
        ));
        assert!(matches!(
            require(&researcher, "elders", ProjectAction::Read),
            Err(ServiceError::NotAllowed)
        ));
        assert!(require_admin(&researcher).is_err());
        let admin = person(true, None);
        assert!(require(&admin, "elders", ProjectAction::Edit).is_ok());
        assert!(require_admin(&admin).is_ok());
    }

    #[test]
    fn the_core_refusals_are_what_they_say() {
        assert_eq!(ServiceError::NotAllowed.refusal(), Refusal::NotAllowed);
        assert_eq!(ServiceError::NotFound.refusal(), Refusal::NotFound);
        assert_eq!(
            ServiceError::Store(StoreError::Cancelled).refusal(),
            Refusal::Busy
        );
        assert_eq!(
            ServiceError::Store(StoreError::Corrupt("x".into())).refusal(),
            Refusal::Failure
        );
    }
}
