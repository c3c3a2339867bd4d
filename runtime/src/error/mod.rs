//! The runtime's one error type.

mod body;
mod code;
mod oauth;

use std::fmt;

use serde::de::DeserializeOwned;

pub use body::{parse_error_body, ApiErrorDetail};
pub use code::ErrorCode;
pub use oauth::OAuthErrorCode;

use crate::limits::ApiUsage;
use crate::transport::InsecureUrl;
use crate::IdError;

/// The command that brings generated bindings back in line with the org.
pub const REGENERATE_COMMAND: &str = "sfgen fetch && sfgen generate";

/// Everything that can go wrong talking to Salesforce.
///
/// No variant holds an access token, a refresh token, a client secret or an
/// `Authorization` header, so errors are safe to log.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Salesforce answered with an error body (`errorCode` at the top level, or
    /// `statusCode` in a per-record result).
    #[error(
        "Salesforce answered HTTP {status} {code}: {message}{}{}",
        FieldList(fields),
        MoreErrors(more)
    )]
    Api {
        /// The HTTP status.
        status: u16,
        /// The first error's code.
        code: ErrorCode,
        /// The first error's message.
        message: String,
        /// The fields the first error names (e.g. the missing required fields).
        fields: Vec<String>,
        /// Further errors in the same body, if any.
        more: Vec<ApiErrorDetail>,
    },
    /// A field of the generated field list is unknown to the org (`INVALID_FIELD`):
    /// the org's schema changed since the bindings were generated.
    #[error(
        "the org's schema has drifted from the generated bindings for {object}: {message}. \
         Regenerate them from the org: `{regenerate}`"
    )]
    SchemaDrift {
        /// The object whose generated field list was refused.
        object: String,
        /// Salesforce's message, which names the field.
        message: String,
        /// The command that regenerates the bindings in their repository
        /// (`SObject::REGENERATE`, from the project file they were generated with).
        regenerate: &'static str,
    },
    /// The token endpoint refused a login or refresh.
    #[error("OAuth error `{code}`{}. What to do: {hint}", Description(description))]
    Auth {
        /// The OAuth `error` code.
        code: OAuthErrorCode,
        /// Salesforce's `error_description`.
        description: String,
        /// What the user can do about it.
        hint: &'static str,
    },
    /// An API call returned 401 and the session could not be renewed.
    #[error("{}", SessionText { refreshed: *refreshed, message })]
    Session {
        /// Whether a refresh had just succeeded (a 401 right after a refresh).
        refreshed: bool,
        /// Salesforce's message.
        message: String,
    },
    /// The org's API request allocation is spent (403 `REQUEST_LIMIT_EXCEEDED`).
    /// The runtime neither retries nor re-authenticates.
    #[error(
        "the org's API request limit is exceeded ({}): {message}. Wait for the rolling 24-hour \
         allocation to free up or ask Salesforce for a higher one; this call was not retried",
        UsageText(usage)
    )]
    RateLimited {
        /// The latest `Sforce-Limit-Info` figures, when known.
        usage: Option<ApiUsage>,
        /// Salesforce's message.
        message: String,
    },
    /// The request did not complete: connection refused or dropped, TLS, timeout.
    #[error("could not complete the request to Salesforce after {attempts} attempt(s): {source}")]
    Transport {
        /// How many times the request was sent.
        attempts: u32,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// A response body did not have the expected shape.
    #[error(
        "could not decode Salesforce's response at `{path}`: {message}{}",
        Excerpt(excerpt)
    )]
    Decode {
        /// The JSON path that failed, e.g. `records[3].Name`.
        path: String,
        /// What was wrong there.
        message: String,
        /// A short excerpt of the body around the failure (never of token responses).
        excerpt: Option<String>,
    },
    /// A request body could not be encoded as JSON.
    #[error("could not encode the request body as JSON: {0}")]
    Encode(String),
    /// A record id returned by Salesforce is not an id of the expected object.
    #[error("Salesforce returned an unexpected id: {0}")]
    Id(#[from] IdError),
    /// The connection is misconfigured (bad URL, missing setting).
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The org's daily API usage is past this client's share of it
    /// ([`Limits::stop_at_percent`](crate::Limits::stop_at_percent)): the
    /// request was not sent.
    #[error(
        "not sent: the org has used {usage} of its daily API calls (rolling 24 hours), past this \
         client's {share_percent}% share (Limits::stop_at_percent); wait for usage to fall, or \
         raise the share if this integration may use more"
    )]
    ApiBudgetSpent {
        /// The usage Salesforce last reported (`Sforce-Limit-Info`).
        usage: ApiUsage,
        /// The share it passed, in percent.
        share_percent: u8,
    },
    /// A URL that credentials would travel to is not `https` (and not loopback):
    /// an instance URL, a login URL, or an `instance_url` a token response named.
    #[error(transparent)]
    InsecureUrl(#[from] InsecureUrl),
    /// A response body was over the client's cap (`ClientBuilder::max_body_bytes`).
    #[error(
        "the response to {method} {path} is larger than the {limit}-byte cap on response bodies: \
         raise it with ClientBuilder::max_body_bytes, or ask for less per call (fewer fields, a \
         smaller query batch size, Bulk API 2.0 for large results)"
    )]
    BodyTooLarge {
        /// The request's method.
        method: String,
        /// The request's path (without query).
        path: String,
        /// The cap, in bytes.
        limit: usize,
    },
    /// A request's URI and headers would pass Salesforce's 16,384-byte limit
    /// (a `GET` that long is sent as a Composite subrequest instead; other
    /// methods cannot be).
    #[error(
        "{method} {path} would send {bytes} bytes of URI and headers, over Salesforce's \
         {limit}-byte limit (it answers 414 or 431): send less in the URL"
    )]
    RequestTooLarge {
        /// The request's method.
        method: String,
        /// The request's path (without query).
        path: String,
        /// The URI and headers it would send, in bytes.
        bytes: usize,
        /// The limit, in bytes.
        limit: usize,
    },
    /// The token store could not save or load a token.
    #[error("the token store failed: {0}")]
    TokenStore(String),
    /// The Salesforce CLI could not provide a session.
    #[error("the Salesforce CLI could not provide a session: {0}")]
    Cli(String),
    /// A Bulk API 2.0 job failed, was aborted, or did not finish in time.
    #[error("Bulk API 2.0 job {id} ended in state {state}: {message}")]
    BulkJob {
        /// The job id.
        id: String,
        /// Its last known state (`Failed`, `Aborted`, or `InProgress` after a timeout).
        state: String,
        /// Salesforce's `errorMessage`, or what went wrong.
        message: String,
    },
}

/// The runtime's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// The [`Error::Api`] for an error response's status and body, in any of the
    /// shapes Salesforce uses ([`parse_error_body`]); a body of no known shape
    /// gives the code `HTTP_<status>` and an excerpt. Layers that receive
    /// sub-responses (composite, collections) use it to report them.
    pub fn from_response_body(status: u16, body: &[u8]) -> Self {
        Self::from_body(status, body)
    }

    /// See [`Error::from_response_body`].
    pub(crate) fn from_body(status: u16, body: &[u8]) -> Self {
        let mut details = parse_error_body(body).into_iter();
        match details.next() {
            Some(first) => Error::Api {
                status,
                code: first.code,
                message: first.message,
                fields: first.fields,
                more: details.collect(),
            },
            None => Error::Api {
                status,
                code: ErrorCode::Other(format!("HTTP_{status}")),
                message: excerpt_from_start(body),
                fields: Vec::new(),
                more: Vec::new(),
            },
        }
    }

    /// The Salesforce error code, for [`Error::Api`].
    pub fn api_code(&self) -> Option<&ErrorCode> {
        match self {
            Error::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    /// The OAuth error code, for [`Error::Auth`].
    pub fn oauth_code(&self) -> Option<&OAuthErrorCode> {
        match self {
            Error::Auth { code, .. } => Some(code),
            _ => None,
        }
    }

    /// An [`Error::Auth`] for an OAuth error code and description.
    pub(crate) fn oauth(code: &str, description: Option<&str>) -> Self {
        let code = OAuthErrorCode::parse(code);
        let hint = code.hint();
        Error::Auth {
            code,
            description: description.unwrap_or_default().to_owned(),
            hint,
        }
    }

    /// Turns `INVALID_FIELD` into [`Error::SchemaDrift`] for a request built from
    /// `object`'s generated fields (a record body or field list, where every
    /// field named is a generated one).
    pub(crate) fn drift_for(self, object: &str) -> Self {
        self.drift_in(object, None, REGENERATE_COMMAND)
    }

    /// Turns `INVALID_FIELD` into [`Error::SchemaDrift`] when the refused field
    /// is one of `generated` (all fields named when `None`); otherwise keeps
    /// Salesforce's error, without the query text and caret line it echoes.
    pub(crate) fn drift_in(
        self,
        object: &str,
        generated: Option<&[String]>,
        regenerate: &'static str,
    ) -> Self {
        match self {
            Error::Api {
                status,
                code: ErrorCode::InvalidField,
                message,
                fields,
                more,
            } => {
                let refused = refused_field(&message);
                let drift = match (generated, refused) {
                    (None, _) => true,
                    (Some(list), Some(field)) => list.iter().any(|f| f.eq_ignore_ascii_case(field)),
                    (Some(_), None) => false,
                };
                let message = without_query_echo(&message);
                if drift {
                    Error::SchemaDrift {
                        object: object.to_owned(),
                        message,
                        regenerate,
                    }
                } else {
                    Error::Api {
                        status,
                        code: ErrorCode::InvalidField,
                        message,
                        fields,
                        more,
                    }
                }
            }
            other => other,
        }
    }
}

/// The field an `INVALID_FIELD` message names: `No such column 'X' on entity 'Y'`.
fn refused_field(message: &str) -> Option<&str> {
    let rest = &message[message.find("No such column '")? + "No such column '".len()..];
    Some(&rest[..rest.find('\'')?])
}

/// Salesforce's `INVALID_FIELD` message without the query text and caret line
/// it repeats (`\nSELECT …\n   ^\nERROR at Row:1:Column:8\nNo such column …`).
fn without_query_echo(message: &str) -> String {
    let from = message.find("ERROR at Row").unwrap_or(0);
    message[from..]
        .split('\n')
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(": ")
}

/// Decodes JSON, naming the failing path and keeping a short excerpt of the body.
pub(crate) fn decode_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    decode(body, true)
}

/// Decodes a body that may hold secrets (token responses): no excerpt is kept.
pub(crate) fn decode_secret_json<T: DeserializeOwned>(body: &[u8]) -> Result<T> {
    decode(body, false)
}

/// Plain `serde_json` first, the fast path every good response takes; only a
/// body that fails is decoded again with the path tracker, to say where.
fn decode<T: DeserializeOwned>(body: &[u8], keep_excerpt: bool) -> Result<T> {
    if let Ok(value) = serde_json::from_slice(body) {
        return Ok(value);
    }
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize::<_, T>(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        Error::Decode {
            path,
            excerpt: keep_excerpt.then(|| excerpt_around(body, inner.line(), inner.column())),
            message: inner.to_string(),
        }
    })
}

/// How many bytes of a body an excerpt shows on each side of the failure.
const EXCERPT_RADIUS: usize = 60;

/// Up to `2 * EXCERPT_RADIUS` bytes of `body` around 1-based `line`:`column`.
fn excerpt_around(body: &[u8], line: usize, column: usize) -> String {
    let line_start: usize = body
        .split(|b| *b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    let at = (line_start + column.saturating_sub(1)).min(body.len());
    let start = at.saturating_sub(EXCERPT_RADIUS);
    let end = (at + EXCERPT_RADIUS).min(body.len());
    let mut text = clean(&body[start..end]);
    if start > 0 {
        text.insert(0, '…');
    }
    if end < body.len() {
        text.push('…');
    }
    text
}

/// The start of a body, for error bodies of no known shape.
fn excerpt_from_start(body: &[u8]) -> String {
    let end = body.len().min(2 * EXCERPT_RADIUS);
    let mut text = clean(&body[..end]);
    if end < body.len() {
        text.push('…');
    }
    if text.is_empty() {
        text.push_str("(empty body)");
    }
    text
}

/// Lossy UTF-8 with control characters shown as spaces.
fn clean(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_owned()
}

struct FieldList<'a>(&'a [String]);
impl fmt::Display for FieldList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " (fields: {})", self.0.join(", "))
        }
    }
}

struct MoreErrors<'a>(&'a [ApiErrorDetail]);
impl fmt::Display for MoreErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in self.0 {
            write!(f, "; {}: {}{}", d.code, d.message, FieldList(&d.fields))?;
        }
        Ok(())
    }
}

struct Description<'a>(&'a str);
impl fmt::Display for Description<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            Ok(())
        } else {
            write!(f, " ({})", self.0)
        }
    }
}

struct Excerpt<'a>(&'a Option<String>);
impl fmt::Display for Excerpt<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(e) => write!(f, "; near: {e}"),
            None => Ok(()),
        }
    }
}

struct UsageText<'a>(&'a Option<ApiUsage>);
impl fmt::Display for UsageText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(u) => write!(f, "api-usage {u}"),
            None => f.write_str("usage unknown"),
        }
    }
}

struct SessionText<'a> {
    refreshed: bool,
    message: &'a str,
}
impl fmt::Display for SessionText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.refreshed {
            write!(
                f,
                "Salesforce rejected the session right after refreshing it ({}): the new access token is \
                 refused too. Check the connected app's session policies (IP relaxation, high-assurance \
                 sessions), that the user has the \"API Enabled\" permission, and that the app was not revoked",
                self.message
            )
        } else {
            write!(
                f,
                "the session expired or is invalid ({}) and this connection cannot refresh it (it was made \
                 from an access token alone): connect with a refresh token, JWT bearer, client credentials \
                 or the Salesforce CLI, or supply a new access token",
                self.message
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_errors_show_code_message_and_fields() {
        let e = Error::from_body(
            400,
            br#"[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]"#,
        );
        assert_eq!(
            e.to_string(),
            "Salesforce answered HTTP 400 REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields: Name)"
        );
        assert_eq!(e.api_code(), Some(&ErrorCode::RequiredFieldMissing));
    }

    #[test]
    fn unknown_bodies_keep_the_status_and_an_excerpt() {
        let e = Error::from_body(502, b"<html><body>Bad gateway</body></html>");
        assert_eq!(e.api_code(), Some(&ErrorCode::Other("HTTP_502".into())));
        assert!(e.to_string().contains("Bad gateway"), "{e}");
        let empty = Error::from_body(500, b"");
        assert!(empty.to_string().contains("(empty body)"), "{empty}");
    }

    #[test]
    fn invalid_field_on_a_generated_list_says_to_regenerate() {
        let e = Error::from_body(400, br#"[{"message":"No such column 'Foo__c' on entity 'Account'","errorCode":"INVALID_FIELD"}]"#)
            .drift_for("Account");
        let text = e.to_string();
        assert!(text.contains("schema has drifted"), "{text}");
        assert!(text.contains("Foo__c"), "{text}");
        assert!(text.contains(REGENERATE_COMMAND), "{text}");
    }

    #[test]
    fn invalid_field_outside_the_generated_list_is_the_callers_mistake() {
        let body = br#"[{"message":"\nSELECT Id, Name FROM Account WHERE Shoe_Size__c = 42\n                                  ^\nERROR at Row:1:Column:35\nNo such column 'Shoe_Size__c' on entity 'Account'.","errorCode":"INVALID_FIELD"}]"#;
        let generated = ["Id".to_owned(), "Name".to_owned()];
        let e = Error::from_body(400, body).drift_in(
            "Account",
            Some(&generated),
            "sfgen generate --project sfgen.toml",
        );
        let text = e.to_string();
        assert!(!text.contains("drifted"), "{text}");
        assert!(text.contains("No such column 'Shoe_Size__c'"), "{text}");
        assert!(
            !text.contains("SELECT"),
            "the echoed query is trimmed: {text}"
        );
        assert!(!text.contains('^'), "the caret line is trimmed: {text}");

        let dropped = br#"[{"message":"\nSELECT Id, Name FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'name' on entity 'Account'.","errorCode":"INVALID_FIELD"}]"#;
        let e = Error::from_body(400, dropped).drift_in(
            "Account",
            Some(&generated),
            "sfgen generate --project sfgen.toml",
        );
        let text = e.to_string();
        assert!(text.contains("drifted"), "{text}");
        assert!(
            text.contains("sfgen generate --project sfgen.toml"),
            "{text}"
        );
    }

    #[test]
    fn decode_errors_name_the_path_and_show_an_excerpt() {
        #[derive(Debug, serde::Deserialize)]
        struct Rec {
            #[serde(rename = "Count")]
            _count: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        struct Page {
            #[serde(rename = "records")]
            _records: Vec<Rec>,
        }
        let body = br#"{"records":[{"Count":1},{"Count":"two"}]}"#;
        let err = decode_json::<Page>(body).expect_err("a string is not a u32");
        match &err {
            Error::Decode { path, excerpt, .. } => {
                assert_eq!(path, "records[1].Count");
                assert!(
                    excerpt.as_deref().is_some_and(|e| e.contains("\"two\"")),
                    "{excerpt:?}"
                );
            }
            other => panic!("expected a decode error, got {other:?}"),
        }
        let secret = decode_secret_json::<Page>(br#"{"access_token":"SECRET","records":5}"#)
            .expect_err("not a list");
        assert!(!secret.to_string().contains("SECRET"), "{secret}");
    }

    #[test]
    fn oauth_errors_carry_the_hint() {
        let e = Error::oauth("invalid_client_id", Some("client identifier invalid"));
        let text = e.to_string();
        assert!(
            text.starts_with("OAuth error `invalid_client_id` (client identifier invalid)"),
            "{text}"
        );
        assert!(text.contains("Consumer Key (client id)"), "{text}");
    }
}
