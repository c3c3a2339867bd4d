//! Is this connection still usable? Tells revoked credentials from an unreachable org.

use super::request::Request;
use super::Client;
use crate::auth::introspect_refresh_token;
use crate::error::{Error, OAuthErrorCode};

/// The outcome of [`Client::health_check`].
#[derive(Debug)]
#[non_exhaustive]
pub enum Health {
    /// The session works (it may have been renewed along the way).
    Healthy,
    /// The refresh token (or the grant behind the connection) is revoked or
    /// expired: the user must authorize again. Retrying will not help.
    Revoked(Error),
    /// Salesforce could not be reached or failed: the credentials may be fine; try later.
    Unreachable(Error),
    /// Anything else (a misconfigured app, an unexpected answer).
    Failed(Error),
}

impl Health {
    /// Whether the connection works.
    pub fn is_healthy(&self) -> bool {
        matches!(self, Health::Healthy)
    }

    fn of(error: Error) -> Self {
        match &error {
            Error::Auth {
                code: OAuthErrorCode::InvalidGrant | OAuthErrorCode::InactiveUser,
                ..
            }
            | Error::Session { .. } => Health::Revoked(error),
            Error::Transport { .. } => Health::Unreachable(error),
            Error::Api { status, .. } if *status >= 500 => Health::Unreachable(error),
            _ => Health::Failed(error),
        }
    }
}

impl Client {
    /// Checks the connection without changing anything in the org.
    ///
    /// 1. When the connection has a refresh token and the app a Consumer Secret,
    ///    asks `/services/oauth2/introspect` whether the refresh token is active
    ///    (an inactive one is [`Health::Revoked`], without spending a refresh);
    /// 2. calls `/services/oauth2/userinfo` (which costs no API request); when it
    ///    rejects the access token (403 `Bad_OAuth_Token`), renews the session and
    ///    asks again: `invalid_grant` then means [`Health::Revoked`], a connection
    ///    failure [`Health::Unreachable`].
    pub async fn health_check(&self) -> Health {
        match introspect_refresh_token(&self.inner.session).await {
            Some(Ok(false)) => {
                return Health::Revoked(Error::oauth(
                    "invalid_grant",
                    Some("token introspection reports the refresh token as inactive"),
                ))
            }
            Some(Err(error @ Error::Transport { .. })) => return Health::Unreachable(error),
            // Active, not checkable, or introspection unavailable: userinfo decides.
            Some(Ok(true)) | Some(Err(_)) | None => {}
        }
        let first = self.inner.session.snapshot().generation;
        match self.send(Request::get(USERINFO)).await {
            Ok(_) => Health::Healthy,
            // userinfo answers a stale token with 403 `Bad_OAuth_Token` rather than
            // 401; here (and only here) that means the session needs renewing.
            Err(error) if is_bad_token(&error) && self.inner.session.can_renew() => {
                if let Err(error) = self.inner.session.renew(first).await {
                    return Health::of(error);
                }
                match self.send(Request::get(USERINFO)).await {
                    Ok(_) => Health::Healthy,
                    Err(error) if is_bad_token(&error) => Health::Revoked(error),
                    Err(error) => Health::of(error),
                }
            }
            Err(error) if is_bad_token(&error) => Health::Revoked(error),
            Err(error) => Health::of(error),
        }
    }
}

/// The userinfo endpoint, on the instance.
const USERINFO: &str = "/services/oauth2/userinfo";

fn is_bad_token(error: &Error) -> bool {
    matches!(error, Error::Api { status: 403, message, .. } if message.contains("Bad_OAuth_Token"))
}
