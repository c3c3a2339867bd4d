//! OAuth error codes from Salesforce's token endpoint, each with what to do about it.

use std::fmt;

/// Defines [`OAuthErrorCode`], its wire strings and its hints from one table.
macro_rules! oauth_codes {
    ($($(#[$doc:meta])* $variant:ident => $wire:literal, $hint:literal;)*) => {
        /// An OAuth `error` code from Salesforce's token endpoint, as an open enum.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum OAuthErrorCode {
            $($(#[$doc])* $variant,)*
            /// A code without a variant of its own, kept as sent.
            Other(String),
        }

        impl OAuthErrorCode {
            /// The code as Salesforce spells it, e.g. `"invalid_grant"`.
            pub fn as_str(&self) -> &str {
                match self {
                    $(OAuthErrorCode::$variant => $wire,)*
                    OAuthErrorCode::Other(code) => code,
                }
            }

            /// The code for a wire string; unknown codes become [`OAuthErrorCode::Other`].
            pub fn parse(code: &str) -> Self {
                match code {
                    $($wire => OAuthErrorCode::$variant,)*
                    other => OAuthErrorCode::Other(other.to_owned()),
                }
            }

            /// What the user can do about this error.
            pub fn hint(&self) -> &'static str {
                match self {
                    $(OAuthErrorCode::$variant => $hint,)*
                    OAuthErrorCode::Other(_) => "see Salesforce's OAuth documentation for this error code",
                }
            }
        }
    };
}

oauth_codes! {
    /// The Consumer Key (client id) is not known to the login host.
    InvalidClientId => "invalid_client_id",
        "the Consumer Key (client id) is not known to this login host: copy it again from the connected app \
         (App Manager > View > Manage Consumer Details), check the login host (production, sandbox or My Domain) \
         and allow up to 10 minutes after creating the app; with a username-password login, a password \
         containing special characters that was not URL-encoded causes this error too";
    /// The client could not be authenticated.
    InvalidClient => "invalid_client",
        "the Consumer Secret (client secret) does not match the Consumer Key (client id), or the connected app \
         does not allow this flow for this client (client credentials need a run-as user; a PKCE-only app \
         needs the code verifier)";
    /// The redirect URI is not registered on the connected app.
    RedirectUriMismatch => "redirect_uri_mismatch",
        "add the exact callback URL (scheme, host, port and path) to the connected app's Callback URL list, \
         or send the redirect URI that is registered there";
    /// The grant (code, refresh token, assertion) was refused.
    InvalidGrant => "invalid_grant",
        "the refresh token or authorization code is expired, revoked, already used or replaced by a rotated \
         refresh token, or the login is outside the user's allowed IP ranges or login hours: re-authorize the \
         user; for JWT bearer, check the certificate uploaded to the connected app, that the user is \
         pre-authorized, and that the audience is the login host";
    /// The connected app does not enable this grant type.
    UnsupportedGrantType => "unsupported_grant_type",
        "enable this flow on the connected app (e.g. \"Enable Client Credentials Flow\") or check the grant type";
    /// A parameter is missing or malformed.
    InvalidRequest => "invalid_request",
        "a parameter is missing or malformed: check the login host, the Consumer Key (client id) and the \
         redirect URI";
    /// A requested scope is not granted by the connected app.
    InvalidScope => "invalid_scope",
        "request only scopes the connected app's Selected OAuth Scopes include";
    /// The user denied access on the consent page.
    AccessDenied => "access_denied",
        "the user denied access on the consent page, or an admin must approve the app for this user";
    /// The user is inactive.
    InactiveUser => "inactive_user",
        "the user is inactive: reactivate the user or connect another one";
    /// The org is locked, closed or suspended.
    InactiveOrg => "inactive_org",
        "the org is locked, closed or suspended";
    /// Too many token requests.
    RateLimitExceeded => "rate_limit_exceeded",
        "too many logins or refreshes in a short time: wait before trying again";
    /// The response type is not supported.
    UnsupportedResponseType => "unsupported_response_type",
        "use the authorization code flow (response_type=code)";
}

impl fmt::Display for OAuthErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_name_what_to_fix() {
        assert!(OAuthErrorCode::parse("invalid_client_id")
            .hint()
            .contains("Consumer Key (client id)"));
        assert!(OAuthErrorCode::parse("invalid_client_id")
            .hint()
            .contains("special characters"));
        assert!(OAuthErrorCode::parse("invalid_client")
            .hint()
            .contains("Consumer Secret (client secret)"));
        assert!(OAuthErrorCode::parse("redirect_uri_mismatch")
            .hint()
            .contains("exact callback URL"));
        let grant = OAuthErrorCode::parse("invalid_grant");
        for needle in ["expired", "revoked", "rotated", "IP ranges"] {
            assert!(grant.hint().contains(needle), "{needle}");
        }
        assert_eq!(
            OAuthErrorCode::parse("weird"),
            OAuthErrorCode::Other("weird".into())
        );
    }
}
