//! Accounts: the first admin, logging in and out, sessions, invitations, password resets,
//! roles and deactivation. Everything here is synchronous (password hashing is CPU work);
//! the web layer calls it on the blocking pool.

use super::audit::{self, action, Actor};
use crate::domain::accounts::{
    parse_display_name, Access, AccountInputError, EmailAddress, NewPassword, ProjectRole,
};
use crate::security::login_delay::{DelayPolicy, FailedLogins};
use crate::security::passwords::{HashError, PasswordHasher, Verified};
use crate::security::{random_token, sha256_hex};
use crate::service::error::{require_admin, Refusal, Refused, ServiceError};
use crate::store::accounts::{self as store, ThrottleRecord, TokenRecord};
use crate::store::outbox;
use crate::store::{projects, AnyConnection, Database, StoreError};
use std::collections::BTreeMap;

pub use crate::store::accounts::UserRecord;
pub use crate::store::outbox::{OutboxRecord, OutgoingMail};
pub use crate::store::projects::ProjectSummary;

/// How long one-time links stay valid.
pub const SETUP_TOKEN_SECONDS: i64 = 24 * 3600;
pub const INVITE_TOKEN_SECONDS: i64 = 7 * 24 * 3600;
pub const RESET_TOKEN_SECONDS: i64 = 3600;
/// At most this many reset mails per account per hour.
const RESETS_PER_HOUR: i64 = 3;
/// A session's last-seen time is written at most this often (fewer writes per page view).
const TOUCH_INTERVAL: i64 = 60;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    Setup,
    Invite,
    Reset,
}

impl TokenPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::Setup => "setup",
            TokenPurpose::Invite => "invite",
            TokenPurpose::Reset => "reset",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("{0}")]
    Input(#[from] AccountInputError),
    #[error("wrong e-mail address or password")]
    InvalidCredentials,
    /// Wrong passwords for this account slowed it down: the next attempt is taken after
    /// `seconds`.
    #[error("too many failed logins; wait {seconds} seconds")]
    Throttled { seconds: i64 },
    #[error("the link is unknown, used or expired")]
    TokenInvalid,
    #[error("this e-mail address already has an account")]
    EmailTaken,
    #[error("not allowed: {0}")]
    NotAllowed(&'static str),
    #[error("no such user")]
    UserNotFound,
    #[error("no such project: {0}")]
    ProjectNotFound(String),
    #[error(transparent)]
    Core(#[from] ServiceError),
    #[error(transparent)]
    Hash(#[from] HashError),
}

crate::core_error!(AccountError);

impl Refused for AccountError {
    fn refusal(&self) -> Refusal {
        match self {
            Self::Core(core) => core.refusal(),
            Self::Input(_) | Self::InvalidCredentials | Self::TokenInvalid => Refusal::Invalid,
            Self::EmailTaken => Refusal::Conflict,
            Self::Throttled { .. } => Refusal::TooMany,
            Self::NotAllowed(_) => Refusal::NotAllowed,
            Self::UserNotFound | Self::ProjectNotFound(_) => Refusal::NotFound,
            Self::Hash(_) => Refusal::Busy,
        }
    }
}

/// Idle and absolute session lifetimes, in seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaffSessionPolicy {
    pub idle: i64,
    pub absolute: i64,
}

/// A signed-in person, as every admin page sees them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SignedIn {
    pub id: String,
    pub email: String,
    pub name: String,
    pub access: Access,
}

impl AsRef<Access> for SignedIn {
    fn as_ref(&self) -> &Access {
        &self.access
    }
}

impl SignedIn {
    pub fn actor(&self) -> Actor {
        Actor {
            id: self.id.clone(),
            email: self.email.clone(),
        }
    }
}

fn new_user_id() -> String {
    format!("u-{}", random_token())
}

fn account_throttle_key(email: &str) -> String {
    format!("account:{}", sha256_hex(email))
}

/// Makes a one-time token and stores its hash; returns the token itself.
fn issue_token(
    conn: &mut AnyConnection,
    purpose: TokenPurpose,
    user_id: Option<&str>,
    lifetime: i64,
    now: i64,
) -> Result<String, AccountError> {
    let token = random_token();
    store::insert_token(
        conn,
        &TokenRecord {
            token_hash: sha256_hex(&token),
            purpose: purpose.as_str().to_string(),
            user_id: user_id.map(String::from),
            created_at: now,
            expires_at: now + lifetime,
            used_at: None,
        },
    )?;
    Ok(token)
}

/// The stored token for `token` if it is of `purpose`, unused and not expired.
fn valid_token(
    conn: &mut AnyConnection,
    token: &str,
    purpose: &[TokenPurpose],
    now: i64,
) -> Result<TokenRecord, AccountError> {
    let record = store::find_token(conn, &sha256_hex(token.trim()))?
        .filter(|t| t.used_at.is_none() && t.expires_at > now)
        .filter(|t| purpose.iter().any(|p| p.as_str() == t.purpose))
        .ok_or(AccountError::TokenInvalid)?;
    Ok(record)
}

// --- first run ------------------------------------------------------------------------------

/// When the installation has no active admin: a fresh one-time setup token (older ones stop
/// working). `None` once an admin exists.
pub fn setup_token_if_needed(db: &Database, now: i64) -> Result<Option<String>, AccountError> {
    transaction(db, |conn| {
        if store::count_active_admins(conn)? > 0 {
            return Ok(None);
        }
        store::expire_tokens(conn, TokenPurpose::Setup.as_str(), None, now)?;
        issue_token(conn, TokenPurpose::Setup, None, SETUP_TOKEN_SECONDS, now).map(Some)
    })
}

/// Whether `token` is a usable setup token (to show the form or a clear refusal).
pub fn setup_token_valid(db: &Database, token: &str, now: i64) -> Result<bool, AccountError> {
    let mut conn = db.conn()?;
    match valid_token(&mut conn, token, &[TokenPurpose::Setup], now) {
        Ok(_) => Ok(store::count_active_admins(&mut conn)? == 0),
        Err(AccountError::TokenInvalid) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates the first admin with the setup token (single use).
pub fn complete_setup(
    db: &Database,
    hasher: &PasswordHasher,
    token: &str,
    email: &str,
    name: &str,
    password: &NewPassword,
    now: i64,
) -> Result<SignedIn, AccountError> {
    let email = EmailAddress::parse(email)?;
    let name = parse_display_name(name)?;
    // A cheap check first: a guessed link must not cost the server a password hash.
    if !setup_token_valid(db, token, now)? {
        return Err(AccountError::TokenInvalid);
    }
    let hash = hasher.hash(password.expose())?;
    transaction(db, |conn| {
        crate::store::lock_for_transaction(conn, "admins")?;
        let record = valid_token(conn, token, &[TokenPurpose::Setup], now)?;
        if store::count_active_admins(conn)? > 0
            || !store::use_token(conn, &record.token_hash, now)?
        {
            return Err(AccountError::TokenInvalid);
        }
        let user = create_user(conn, &email, &name, Some(hash.clone()), true, now)?;
        let actor = Actor {
            id: user.id.clone(),
            email: user.email.clone(),
        };
        audit::log(
            conn,
            Some(&actor),
            action::SETUP,
            None,
            Some(&user.id),
            "",
            now,
        )?;
        Ok(signed_in(conn, &user)?)
    })
}

/// What `vertelpunt user create` made: the user, and a link token when no password was given.
#[derive(Debug)]
pub struct CreatedUser {
    pub user: UserRecord,
    pub password_token: Option<String>,
}

/// Creates an account from the command line; without a password the person gets a one-time
/// link (valid as long as an invitation) to choose one.
pub fn create_user_cli(
    db: &Database,
    hasher: &PasswordHasher,
    email: &str,
    name: Option<&str>,
    admin: bool,
    password: Option<&NewPassword>,
    now: i64,
) -> Result<CreatedUser, AccountError> {
    let email = EmailAddress::parse(email)?;
    let name = match name {
        Some(n) => parse_display_name(n)?,
        None => email
            .as_str()
            .split('@')
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    let hash = password.map(|p| hasher.hash(p.expose())).transpose()?;
    transaction(db, |conn| {
        let user = create_user(conn, &email, &name, hash.clone(), admin, now)?;
        let password_token = match &hash {
            Some(_) => None,
            None => Some(issue_token(
                conn,
                TokenPurpose::Invite,
                Some(&user.id),
                INVITE_TOKEN_SECONDS,
                now,
            )?),
        };
        audit::log(
            conn,
            None,
            action::INVITE,
            None,
            Some(&user.id),
            if admin {
                "beheerder, via de opdrachtregel"
            } else {
                "via de opdrachtregel"
            },
            now,
        )?;
        Ok(CreatedUser {
            user,
            password_token,
        })
    })
}

fn create_user(
    conn: &mut AnyConnection,
    email: &EmailAddress,
    name: &str,
    password_hash: Option<String>,
    is_admin: bool,
    now: i64,
) -> Result<UserRecord, AccountError> {
    if store::find_user_by_email(conn, email.as_str())?.is_some() {
        return Err(AccountError::EmailTaken);
    }
    let user = UserRecord {
        id: new_user_id(),
        email: email.as_str().to_string(),
        display_name: name.to_string(),
        password_hash,
        is_admin,
        is_active: true,
        created_at: now,
        last_login_at: None,
    };
    match store::insert_user(conn, &user) {
        Err(e) if e.is_unique_violation() => Err(AccountError::EmailTaken),
        other => other.map(|_| user).map_err(AccountError::from),
    }
}

fn signed_in(conn: &mut AnyConnection, user: &UserRecord) -> Result<SignedIn, StoreError> {
    Ok(SignedIn {
        id: user.id.clone(),
        email: user.email.clone(),
        name: user.display_name.clone(),
        access: store::access(conn, user)?,
    })
}

/// Runs `f` in one write transaction, keeping `AccountError`s intact.
fn transaction<T>(
    db: &Database,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, AccountError>,
) -> Result<T, AccountError> {
    db.write_with(f)
}

// --- logging in -----------------------------------------------------------------------------

fn failed_logins(record: Option<ThrottleRecord>) -> FailedLogins {
    record
        .map(|t| FailedLogins {
            count: u32::try_from(t.failures).unwrap_or(0),
            last_failure: t.last_failure_at,
            next_attempt: t.blocked_until,
        })
        .unwrap_or_default()
}

/// Checks e-mail and password. On success returns the new session token (for the cookie).
/// Unknown addresses, users without a password and deactivated users all fail exactly like a
/// wrong password, after the same amount of hashing work.
///
/// Wrong passwords slow the account down ([`DelayPolicy::ACCOUNT`]): after the fifth in a
/// row the next attempt waits 2 seconds, then 4, 8, … up to 5 minutes. An attempt during
/// the wait is refused ([`AccountError::Throttled`]) before any hashing and does not count;
/// after the wait the right password is accepted again. So nobody can lock an account (the
/// admin's) out for long by typing wrong passwords for it.
pub fn login(
    db: &Database,
    hasher: &PasswordHasher,
    email_raw: &str,
    password: &str,
    now: i64,
) -> Result<(String, SignedIn), AccountError> {
    let email = email_raw.trim().to_lowercase();
    let throttle_key = account_throttle_key(&email);
    // What the log may show of the typed address: people sometimes type a password there.
    let logged = match EmailAddress::parse(&email) {
        Ok(valid) => valid.as_str().to_string(),
        Err(_) => "(geen geldig e-mailadres)".to_string(),
    };
    // Count this attempt as a failure before the (slow) password check, atomically, so that
    // parallel guesses cannot slip through between reading and writing the counter; a
    // success clears it again.
    let blocked = transaction(db, |conn| {
        crate::store::lock_for_transaction(conn, &throttle_key)?;
        let before = failed_logins(store::find_throttle(conn, &throttle_key)?);
        if let Some(seconds) = before.wait(now) {
            audit::log(conn, None, action::LOGIN_BLOCKED, None, None, &logged, now)?;
            return Ok(Some(seconds));
        }
        let after = before.after_failure(now, DelayPolicy::ACCOUNT);
        store::save_throttle(
            conn,
            &ThrottleRecord {
                key: throttle_key.clone(),
                failures: i32::try_from(after.count).unwrap_or(i32::MAX),
                last_failure_at: after.last_failure,
                blocked_until: after.next_attempt,
            },
        )?;
        Ok(None)
    })?;
    if let Some(seconds) = blocked {
        return Err(AccountError::Throttled { seconds });
    }
    let user = {
        let mut conn = db.conn()?;
        store::find_user_by_email(&mut conn, &email)?
    };
    let verified = hasher.verify(
        password,
        user.as_ref()
            .filter(|u| u.is_active && password.chars().count() <= 1000)
            .and_then(|u| u.password_hash.as_deref()),
    );
    let user = match (verified, user) {
        (Verified::Yes { needs_rehash }, Some(user)) => {
            let rehashed = if needs_rehash {
                Some(hasher.hash(password)?)
            } else {
                None
            };
            (user, rehashed)
        }
        _ => {
            // The attempt is already counted; say whether the next one has to wait.
            let wait = transaction(db, |conn| {
                audit::log(conn, None, action::LOGIN_FAILED, None, None, &logged, now)?;
                Ok(failed_logins(store::find_throttle(conn, &throttle_key)?).wait(now))
            })?;
            return Err(match wait {
                Some(seconds) => AccountError::Throttled { seconds },
                None => AccountError::InvalidCredentials,
            });
        }
    };
    let (user, rehashed) = user;
    let token = random_token();
    let session = db.write_sync(|conn| {
        if let Some(hash) = &rehashed {
            store::set_password_hash(conn, &user.id, hash)?;
        }
        store::clear_throttle(conn, &throttle_key)?;
        store::set_last_login(conn, &user.id, now)?;
        store::insert_session(conn, &sha256_hex(&token), &user.id, now)?;
        let who = signed_in(conn, &user)?;
        audit::log(
            conn,
            Some(&who.actor()),
            action::LOGIN_OK,
            None,
            None,
            if rehashed.is_some() {
                "wachtwoordhash vernieuwd"
            } else {
                ""
            },
            now,
        )?;
        Ok(who)
    })?;
    Ok((token, session))
}

/// The person behind a session cookie, if the session is still valid. Expired sessions are
/// deleted; the last-seen time is refreshed at most once a minute.
pub fn session_user(
    db: &Database,
    token: &str,
    policy: StaffSessionPolicy,
    now: i64,
) -> Result<Option<SignedIn>, AccountError> {
    let hash = sha256_hex(token);
    let mut conn = db.conn()?;
    let Some((session, user)) = store::find_session(&mut conn, &hash)? else {
        return Ok(None);
    };
    let expired =
        now - session.last_seen_at > policy.idle || now - session.created_at > policy.absolute;
    if expired || !user.is_active {
        drop(conn);
        db.write_sync(|conn| store::delete_session(conn, &hash))?;
        return Ok(None);
    }
    let who = signed_in(&mut conn, &user)?;
    drop(conn);
    if now - session.last_seen_at >= TOUCH_INTERVAL {
        db.write_sync(|conn| store::touch_session(conn, &hash, now))?;
    }
    Ok(Some(who))
}

pub fn logout(db: &Database, token: &str, who: &SignedIn, now: i64) -> Result<(), AccountError> {
    db.write_sync(|conn| {
        store::delete_session(conn, &sha256_hex(token))?;
        audit::log(
            conn,
            Some(&who.actor()),
            action::LOGOUT,
            None,
            None,
            "",
            now,
        )
    })?;
    Ok(())
}

/// Removes sessions past their lifetime, stale throttle counters and long-expired links
/// (run now and then by a background task).
pub fn purge_expired(
    db: &Database,
    policy: StaffSessionPolicy,
    now: i64,
) -> Result<usize, AccountError> {
    Ok(db.write_sync(|conn| {
        Ok(
            store::delete_expired_sessions(conn, now - policy.idle, now - policy.absolute)?
                + store::delete_stale(conn, now)?,
        )
    })?)
}

// --- invitations and resets -----------------------------------------------------------------

/// Makes the mail that carries a one-time link; given the user and the token.
pub type Compose<'a> = &'a dyn Fn(&UserRecord, &str, &LinkContext) -> OutgoingMail;

/// What a mail with a one-time link says besides the link: for an invitation, who invited
/// and to which projects in which role (empty for a password reset).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct LinkContext {
    pub inviter: String,
    pub is_admin: bool,
    pub roles: Vec<InvitedRole>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct InvitedRole {
    pub project: String,
    pub role: &'static str,
}

/// The invitation's context: project names as people know them (the slug if one is gone).
fn invite_context(
    conn: &mut AnyConnection,
    inviter: &str,
    is_admin: bool,
    roles: &BTreeMap<String, ProjectRole>,
) -> Result<LinkContext, AccountError> {
    let mut invited = Vec::with_capacity(roles.len());
    for (slug, role) in roles {
        let project = projects::find(conn, slug)?.map_or_else(|| slug.clone(), |p| p.name);
        invited.push(InvitedRole {
            project,
            role: role.label(),
        });
    }
    Ok(LinkContext {
        inviter: inviter.to_string(),
        is_admin,
        roles: invited,
    })
}

/// What an admin fills in to invite someone.
#[derive(Debug, Clone, Default)]
pub struct Invitation {
    pub email: String,
    pub name: String,
    pub is_admin: bool,
    pub roles: BTreeMap<String, ProjectRole>,
}

/// Makes a one-time link for `user` and queues the mail that carries it (inside the caller's
/// transaction, so the link never exists without its mail or the other way round).
fn mail_link(
    conn: &mut AnyConnection,
    user: &UserRecord,
    purpose: TokenPurpose,
    compose: Compose<'_>,
    context: &LinkContext,
    now: i64,
) -> Result<(), AccountError> {
    let lifetime = match purpose {
        TokenPurpose::Reset => RESET_TOKEN_SECONDS,
        TokenPurpose::Invite => INVITE_TOKEN_SECONDS,
        TokenPurpose::Setup => SETUP_TOKEN_SECONDS,
    };
    let token = issue_token(conn, purpose, Some(&user.id), lifetime, now)?;
    outbox::enqueue(conn, &compose(user, &token, context), now)?;
    Ok(())
}

/// Creates the account (without password) and queues the invitation mail, in one transaction.
pub fn invite(
    db: &Database,
    by: &SignedIn,
    invitation: &Invitation,
    compose: Compose<'_>,
    now: i64,
) -> Result<UserRecord, AccountError> {
    if !by.access.is_admin {
        return Err(AccountError::NotAllowed("only admins invite"));
    }
    let email = EmailAddress::parse(&invitation.email)?;
    let name = parse_display_name(&invitation.name)?;
    transaction(db, |conn| {
        check_projects_exist(conn, &invitation.roles)?;
        let user = create_user(conn, &email, &name, None, invitation.is_admin, now)?;
        store::replace_roles(conn, &user.id, &invitation.roles)?;
        let context = invite_context(conn, &by.name, invitation.is_admin, &invitation.roles)?;
        mail_link(conn, &user, TokenPurpose::Invite, compose, &context, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::INVITE,
            None,
            Some(&user.id),
            &describe_roles(invitation.is_admin, &invitation.roles),
            now,
        )?;
        Ok(user)
    })
}

/// Sends a new invitation link to a user who has not chosen a password yet.
pub fn reinvite(
    db: &Database,
    by: &SignedIn,
    user_id: &str,
    compose: Compose<'_>,
    now: i64,
) -> Result<(), AccountError> {
    if !by.access.is_admin {
        return Err(AccountError::NotAllowed("only admins invite"));
    }
    transaction(db, |conn| {
        let user = store::find_user(conn, user_id)?.ok_or(AccountError::UserNotFound)?;
        if user.password_hash.is_some() || !user.is_active {
            return Err(AccountError::NotAllowed("user already has a password"));
        }
        store::expire_tokens(conn, TokenPurpose::Invite.as_str(), Some(&user.id), now)?;
        let roles = store::project_roles(conn, &user.id)?;
        let context = invite_context(conn, &by.name, user.is_admin, &roles)?;
        mail_link(conn, &user, TokenPurpose::Invite, compose, &context, now)?;
        audit::log(
            conn,
            Some(&by.actor()),
            action::INVITE,
            None,
            Some(&user.id),
            "opnieuw verstuurd",
            now,
        )?;
        Ok(())
    })
}

/// Queues a reset mail when the address belongs to an active account with a password; does
/// nothing otherwise. The caller shows the same message either way.
pub fn request_reset(
    db: &Database,
    email_raw: &str,
    compose: Compose<'_>,
    now: i64,
) -> Result<(), AccountError> {
    let Ok(email) = EmailAddress::parse(email_raw) else {
        return Ok(());
    };
    transaction(db, |conn| {
        let Some(user) = store::find_user_by_email(conn, email.as_str())? else {
            return Ok(());
        };
        if !user.is_active {
            return Ok(());
        }
        let recent =
            store::count_recent_tokens(conn, TokenPurpose::Reset.as_str(), &user.id, now - 3600)?;
        if recent >= RESETS_PER_HOUR {
            return Ok(());
        }
        mail_link(
            conn,
            &user,
            TokenPurpose::Reset,
            compose,
            &LinkContext::default(),
            now,
        )?;
        audit::log(
            conn,
            None,
            action::RESET_REQUESTED,
            None,
            Some(&user.id),
            "",
            now,
        )?;
        Ok(())
    })
}

/// Who an invitation or reset link is for, to greet them on the form.
pub fn password_token_owner(
    db: &Database,
    token: &str,
    now: i64,
) -> Result<UserRecord, AccountError> {
    let mut conn = db.conn()?;
    let record = valid_token(
        &mut conn,
        token,
        &[TokenPurpose::Invite, TokenPurpose::Reset],
        now,
    )?;
    let user_id = record.user_id.ok_or(AccountError::TokenInvalid)?;
    store::find_user(&mut conn, &user_id)?
        .filter(|u| u.is_active)
        .ok_or(AccountError::TokenInvalid)
}

/// Sets a new password with an invitation or reset link (single use). All other sessions of
/// the user end, and other open reset links stop working.
pub fn set_password_with_token(
    db: &Database,
    hasher: &PasswordHasher,
    token: &str,
    password: &NewPassword,
    now: i64,
) -> Result<UserRecord, AccountError> {
    password_token_owner(db, token, now)?;
    let hash = hasher.hash(password.expose())?;
    transaction(db, |conn| {
        let record = valid_token(
            conn,
            token,
            &[TokenPurpose::Invite, TokenPurpose::Reset],
            now,
        )?;
        let user_id = record.user_id.clone().ok_or(AccountError::TokenInvalid)?;
        let user = store::find_user(conn, &user_id)?
            .filter(|u| u.is_active)
            .ok_or(AccountError::TokenInvalid)?;
        if !store::use_token(conn, &record.token_hash, now)? {
            return Err(AccountError::TokenInvalid);
        }
        store::set_password_hash(conn, &user.id, &hash)?;
        store::delete_sessions_of(conn, &user.id)?;
        store::expire_tokens(conn, TokenPurpose::Reset.as_str(), Some(&user.id), now)?;
        store::expire_tokens(conn, TokenPurpose::Invite.as_str(), Some(&user.id), now)?;
        let actor = Actor {
            id: user.id.clone(),
            email: user.email.clone(),
        };
        audit::log(
            conn,
            Some(&actor),
            action::PASSWORD_SET,
            None,
            Some(&user.id),
            &record.purpose,
            now,
        )?;
        Ok(user)
    })
}

// --- roles and deactivation -----------------------------------------------------------------

fn check_projects_exist(
    conn: &mut AnyConnection,
    roles: &BTreeMap<String, ProjectRole>,
) -> Result<(), AccountError> {
    for project in roles.keys() {
        if projects::find_summary(conn, project)?.is_none() {
            return Err(AccountError::ProjectNotFound(project.clone()));
        }
    }
    Ok(())
}

fn describe_roles(is_admin: bool, roles: &BTreeMap<String, ProjectRole>) -> String {
    let mut parts: Vec<String> = roles
        .iter()
        .map(|(p, r)| format!("{p}: {}", r.as_str()))
        .collect();
    if is_admin {
        parts.insert(0, "beheerder".into());
    }
    if parts.is_empty() {
        "geen rollen".into()
    } else {
        parts.join(", ")
    }
}

/// Gives a user exactly these roles. Nobody changes their own roles (an admin cannot lock
/// themselves out or lift themselves up), and the last active admin keeps admin rights.
pub fn set_roles(
    db: &Database,
    by: &SignedIn,
    user_id: &str,
    is_admin: bool,
    roles: &BTreeMap<String, ProjectRole>,
    now: i64,
) -> Result<(), AccountError> {
    if !by.access.is_admin {
        return Err(AccountError::NotAllowed("only admins change roles"));
    }
    if by.id == user_id {
        return Err(AccountError::NotAllowed("own roles"));
    }
    transaction(db, |conn| {
        crate::store::lock_for_transaction(conn, "admins")?;
        let user = store::find_user(conn, user_id)?.ok_or(AccountError::UserNotFound)?;
        check_projects_exist(conn, roles)?;
        store::set_admin(conn, &user.id, is_admin)?;
        store::replace_roles(conn, &user.id, roles)?;
        if store::count_active_admins(conn)? == 0 {
            return Err(AccountError::NotAllowed("last admin"));
        }
        audit::log(
            conn,
            Some(&by.actor()),
            action::ROLES,
            None,
            Some(&user.id),
            &describe_roles(is_admin, roles),
            now,
        )?;
        Ok(())
    })
}

/// Switches an account off (its sessions end at once) or on again.
pub fn set_active(
    db: &Database,
    by: &SignedIn,
    user_id: &str,
    active: bool,
    now: i64,
) -> Result<(), AccountError> {
    if !by.access.is_admin {
        return Err(AccountError::NotAllowed("only admins (de)activate"));
    }
    if by.id == user_id {
        return Err(AccountError::NotAllowed("own account"));
    }
    transaction(db, |conn| {
        crate::store::lock_for_transaction(conn, "admins")?;
        if !store::set_active(conn, user_id, active)? {
            return Err(AccountError::UserNotFound);
        }
        if !active {
            store::delete_sessions_of(conn, user_id)?;
        }
        if store::count_active_admins(conn)? == 0 {
            return Err(AccountError::NotAllowed("last admin"));
        }
        audit::log(
            conn,
            Some(&by.actor()),
            if active {
                action::ACTIVATE
            } else {
                action::DEACTIVATE
            },
            None,
            Some(user_id),
            "",
            now,
        )?;
        Ok(())
    })
}

// --- the users pages (admins) ---------------------------------------------------------------

/// A user with their roles per project.
pub type UserWithRoles = (UserRecord, BTreeMap<String, ProjectRole>);

/// Everything the users page shows: the accounts with their roles, the projects to name them
/// by, and the mails that did not arrive (newest first, at most `mails_shown`).
pub struct UserDirectory {
    pub users: Vec<UserWithRoles>,
    pub projects: Vec<ProjectSummary>,
    pub troubled_mails: Vec<OutboxRecord>,
}

pub fn directory(
    db: &Database,
    by: &SignedIn,
    mails_shown: i64,
) -> Result<UserDirectory, AccountError> {
    require_admin(by)?;
    let mut conn = db.conn()?;
    let projects = projects::list(&mut conn)?;
    let mut users = Vec::new();
    for u in store::list_users(&mut conn)? {
        let roles = store::project_roles(&mut conn, &u.id)?;
        users.push((u, roles));
    }
    let troubled_mails = outbox::troubled(&mut conn, mails_shown)?;
    Ok(UserDirectory {
        users,
        projects,
        troubled_mails,
    })
}

/// One account with its roles, and the projects to choose roles in.
pub fn user_with_roles(
    db: &Database,
    by: &SignedIn,
    id: &str,
) -> Result<(UserWithRoles, Vec<ProjectSummary>), AccountError> {
    require_admin(by)?;
    let mut conn = db.conn()?;
    let user = store::find_user(&mut conn, id)?.ok_or(AccountError::UserNotFound)?;
    let roles = store::project_roles(&mut conn, &user.id)?;
    let projects = projects::list(&mut conn)?;
    Ok(((user, roles), projects))
}
