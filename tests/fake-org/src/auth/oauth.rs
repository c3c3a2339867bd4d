//! The OAuth endpoints: authorize, token, revoke, userinfo, introspect, identity.

use std::collections::HashMap;

use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::guard::bearer;
use super::oauth_error::OAuthError;
use super::sessions::AuthCode;
use crate::state::AppState;

const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// The OAuth routes, served at the login URL (the same server).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/services/oauth2/authorize", get(authorize))
        .route("/services/oauth2/token", post(token))
        .route("/services/oauth2/revoke", post(revoke).get(revoke))
        .route("/services/oauth2/userinfo", get(userinfo).post(userinfo))
        .route("/services/oauth2/introspect", post(introspect))
        .route("/id/{org}/{user}", get(identity))
}

/// Form parameters from the query string and a urlencoded body (body wins).
fn params(query: Option<&str>, body: &[u8]) -> HashMap<String, String> {
    let mut out: HashMap<String, String> = HashMap::new();
    for source in [query.unwrap_or_default().as_bytes(), body] {
        out.extend(url::form_urlencoded::parse(source).into_owned());
    }
    out
}

/// `client_id`/`client_secret` from the form or from HTTP Basic authentication.
fn client_credentials(
    headers: &HeaderMap,
    form: &HashMap<String, String>,
) -> (Option<String>, Option<String>) {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|b| String::from_utf8(b).ok())
        .and_then(|s| {
            s.split_once(':')
                .map(|(id, secret)| (id.to_owned(), secret.to_owned()))
        });
    match basic {
        Some((id, secret)) => (Some(id), Some(secret)),
        None => (
            form.get("client_id").cloned(),
            form.get("client_secret").cloned(),
        ),
    }
}

/// Checks the client id and, when given, the secret.
fn check_client(
    state: &AppState,
    id: Option<&str>,
    secret: Option<&str>,
) -> Result<(), OAuthError> {
    if id != Some(state.settings.client_id.as_str()) {
        return Err(OAuthError::invalid_client_id());
    }
    match secret {
        Some(s) if s != state.settings.client_secret => Err(OAuthError::invalid_client()),
        _ => Ok(()),
    }
}

/// The base64 HMAC-SHA256 of `id + issued_at` keyed with the client secret.
fn signature(secret: &str, id: &str, issued_at: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(id.as_bytes());
    mac.update(issued_at.as_bytes());
    STANDARD.encode(mac.finalize().into_bytes())
}

/// A token response as Salesforce sends it (no `expires_in`).
fn token_response(
    state: &AppState,
    user: u16,
    access: &str,
    refresh: Option<&str>,
    scope: &str,
) -> Response {
    let id = state.identity.id_url(user);
    let issued_at = state.clock.now_ms().to_string();
    let mut body = Map::new();
    body.insert("access_token".into(), json!(access));
    if let Some(refresh) = refresh {
        body.insert("refresh_token".into(), json!(refresh));
    }
    body.insert(
        "signature".into(),
        json!(signature(&state.settings.client_secret, &id, &issued_at)),
    );
    body.insert("scope".into(), json!(scope));
    body.insert("instance_url".into(), json!(state.identity.instance_url));
    body.insert("id".into(), json!(id));
    body.insert("token_type".into(), json!("Bearer"));
    body.insert("issued_at".into(), json!(issued_at));
    Json(Value::Object(body)).into_response()
}

async fn authorize(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    let form = params(query.as_deref(), &[]);
    let get = |k: &str| form.get(k).map(String::as_str);
    if get("client_id") != Some(state.settings.client_id.as_str()) {
        return OAuthError::invalid_client_id().into_response();
    }
    let Some(redirect_uri) =
        get("redirect_uri").filter(|r| state.settings.callback_urls.iter().any(|c| c == r))
    else {
        return OAuthError::redirect_uri_mismatch().into_response();
    };
    let Ok(mut target) = url::Url::parse(redirect_uri) else {
        return OAuthError::redirect_uri_mismatch().into_response();
    };
    let method_ok = matches!(get("code_challenge_method"), None | Some("S256"));
    let outcome = if get("response_type") != Some("code") {
        Err(OAuthError::unsupported_response_type())
    } else if !method_ok {
        Err(OAuthError::invalid_request(
            "code challenge method not supported",
        ))
    } else {
        let user = get("login_hint")
            .and_then(|h| state.identity.user_by_name(h))
            .unwrap_or(0);
        Ok(state.sessions.issue_code(AuthCode {
            client_id: state.settings.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            code_challenge: get("code_challenge").map(str::to_owned),
            scope: get("scope").map_or_else(|| state.settings.scope.clone(), str::to_owned),
            user,
            issued_ms: state.clock.now_ms(),
        }))
    };
    {
        let mut pairs = target.query_pairs_mut();
        match &outcome {
            Ok(code) => pairs.append_pair("code", code),
            Err(e) => pairs
                .append_pair("error", e.error)
                .append_pair("error_description", &e.description),
        };
        if let Some(s) = get("state") {
            pairs.append_pair("state", s);
        }
    }
    (StatusCode::FOUND, [(header::LOCATION, target.to_string())]).into_response()
}

fn pkce_matches(challenge: &str, verifier: &str) -> bool {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) == challenge
}

fn authorization_code(
    state: &AppState,
    form: &HashMap<String, String>,
    client: (Option<String>, Option<String>),
) -> Result<Response, OAuthError> {
    let (id, secret) = client;
    check_client(state, id.as_deref(), secret.as_deref())?;
    let now = state.clock.now_ms();
    let code = form
        .get("code")
        .and_then(|c| state.sessions.take_code(c, now))
        .ok_or_else(|| OAuthError::invalid_grant("invalid authorization code"))?;
    if form.get("redirect_uri") != Some(&code.redirect_uri) {
        return Err(OAuthError::redirect_uri_mismatch());
    }
    match (&code.code_challenge, form.get("code_verifier")) {
        (Some(challenge), Some(verifier)) if pkce_matches(challenge, verifier) => {}
        (None, None) => {}
        _ => return Err(OAuthError::invalid_grant("invalid code verifier")),
    }
    if secret.is_none()
        && (state.settings.require_secret_for_web_server_flow || code.code_challenge.is_none())
    {
        return Err(OAuthError::invalid_client());
    }
    let refresh = state
        .sessions
        .issue_refresh(code.user, &code.client_id, &code.scope, now);
    let access =
        state
            .sessions
            .issue_access(code.user, &code.client_id, &code.scope, Some(&refresh), now);
    Ok(token_response(
        state,
        code.user,
        &access,
        Some(&refresh),
        &code.scope,
    ))
}

fn refresh_token(
    state: &AppState,
    form: &HashMap<String, String>,
    client: (Option<String>, Option<String>),
) -> Result<Response, OAuthError> {
    let (id, secret) = client;
    check_client(state, id.as_deref(), secret.as_deref())?;
    let now = state.clock.now_ms();
    let expired = || OAuthError::invalid_grant("expired access/refresh token");
    let presented = form.get("refresh_token").ok_or_else(expired)?;
    let (grant, rotated) = state
        .sessions
        .use_refresh(presented, now)
        .ok_or_else(expired)?;
    let current = rotated.as_deref().unwrap_or(presented);
    let access = state.sessions.issue_access(
        grant.user,
        &grant.client_id,
        &grant.scope,
        Some(current),
        now,
    );
    state.observer.count_refresh();
    Ok(token_response(
        state,
        grant.user,
        &access,
        rotated.as_deref(),
        &grant.scope,
    ))
}

fn jwt_bearer(state: &AppState, form: &HashMap<String, String>) -> Result<Response, OAuthError> {
    let verifier = state
        .jwt
        .as_ref()
        .ok_or_else(|| OAuthError::invalid_grant("invalid assertion"))?;
    let assertion = form
        .get("assertion")
        .ok_or_else(|| OAuthError::invalid_grant("invalid assertion"))?;
    let now = state.clock.now();
    let claims = verifier.verify(
        assertion,
        &state.settings.client_id,
        &state.identity.login_url,
        now.timestamp(),
    )?;
    let user = state
        .identity
        .user_by_name(&claims.username)
        .ok_or_else(|| OAuthError::invalid_grant("user hasn't approved this consumer"))?;
    let scope = &state.settings.scope;
    let access = state.sessions.issue_access(
        user,
        &state.settings.client_id,
        scope,
        None,
        now.timestamp_millis(),
    );
    Ok(token_response(state, user, &access, None, scope))
}

fn client_credentials_grant(
    state: &AppState,
    client: (Option<String>, Option<String>),
) -> Result<Response, OAuthError> {
    let (id, secret) = client;
    check_client(state, id.as_deref(), secret.as_deref())?;
    if secret.is_none() {
        return Err(OAuthError::invalid_client());
    }
    let user = 1;
    let scope = &state.settings.scope;
    let access = state.sessions.issue_access(
        user,
        &state.settings.client_id,
        scope,
        None,
        state.clock.now_ms(),
    );
    Ok(token_response(state, user, &access, None, scope))
}

fn password_grant(
    state: &AppState,
    form: &HashMap<String, String>,
    client: (Option<String>, Option<String>),
) -> Result<Response, OAuthError> {
    let (id, secret) = client;
    check_client(state, id.as_deref(), secret.as_deref())?;
    let user = form
        .get("username")
        .and_then(|u| state.identity.user_by_name(u));
    let user = match (user, form.get("password")) {
        (Some(user), Some(p)) if *p == state.settings.password => user,
        _ => return Err(OAuthError::invalid_grant("authentication failure")),
    };
    let scope = &state.settings.scope;
    let access = state.sessions.issue_access(
        user,
        &state.settings.client_id,
        scope,
        None,
        state.clock.now_ms(),
    );
    Ok(token_response(state, user, &access, None, scope))
}

async fn token(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = params(query.as_deref(), &body);
    let grant_type = form.get("grant_type").cloned().unwrap_or_default();
    let client = client_credentials(&headers, &form);
    let result = match grant_type.as_str() {
        "authorization_code" => authorization_code(&state, &form, client),
        "refresh_token" => refresh_token(&state, &form, client),
        JWT_BEARER => jwt_bearer(&state, &form),
        "client_credentials" => client_credentials_grant(&state, client),
        "password" => password_grant(&state, &form, client),
        _ => Err(OAuthError::unsupported_grant_type()),
    };
    if result.is_ok() {
        state.observer.count_grant(&grant_type);
    }
    result.unwrap_or_else(IntoResponse::into_response)
}

async fn revoke(State(state): State<AppState>, RawQuery(query): RawQuery, body: Bytes) -> Response {
    let form = params(query.as_deref(), &body);
    match form.get("token") {
        Some(t) if state.sessions.revoke(t) => StatusCode::OK.into_response(),
        _ => {
            let body = json!({"error": "invalid_token", "error_description": "invalid token"});
            (StatusCode::BAD_REQUEST, Json(body)).into_response()
        }
    }
}

fn bad_token() -> Response {
    (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response()
}

/// The `urls` of identity and userinfo responses (`{version}` is literal, as Salesforce sends it).
fn urls(state: &AppState) -> Value {
    let base = &state.identity.instance_url;
    let org = state.identity.org_id.as_str();
    json!({
        "enterprise": format!("{base}/services/Soap/c/{{version}}/{org}"),
        "metadata": format!("{base}/services/Soap/m/{{version}}/{org}"),
        "partner": format!("{base}/services/Soap/u/{{version}}/{org}"),
        "rest": format!("{base}/services/data/v{{version}}/"),
        "sobjects": format!("{base}/services/data/v{{version}}/sobjects/"),
        "search": format!("{base}/services/data/v{{version}}/search/"),
        "query": format!("{base}/services/data/v{{version}}/query/"),
        "recent": format!("{base}/services/data/v{{version}}/recent/"),
        "tooling_rest": format!("{base}/services/data/v{{version}}/tooling/"),
        "custom_domain": base,
    })
}

fn user_json(state: &AppState, user: u16) -> Option<Value> {
    let u = state.identity.users.get(usize::from(user))?;
    let id_url = state.identity.id_url(user);
    Some(json!({
        "sub": id_url,
        "user_id": u.id.as_str(),
        "organization_id": state.identity.org_id.as_str(),
        "preferred_username": u.username,
        "nickname": u.last_name.to_lowercase(),
        "name": format!("{} {}", u.first_name, u.last_name),
        "email": u.email,
        "email_verified": true,
        "given_name": u.first_name,
        "family_name": u.last_name,
        "zoneinfo": "GMT",
        "profile": format!("{}/{}", state.identity.instance_url, u.id),
        "urls": urls(state),
        "active": true,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": 0,
        "is_app_installed": true,
    }))
}

async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let now = state.clock.now_ms();
    let caller = bearer(&headers).and_then(|t| state.sessions.check(t, now).ok());
    match caller.and_then(|c| user_json(&state, c.user)) {
        Some(body) => Json(body).into_response(),
        None => bad_token(),
    }
}

async fn identity(
    State(state): State<AppState>,
    Path((org, user)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let now = state.clock.now_ms();
    let Some(caller) = bearer(&headers).and_then(|t| state.sessions.check(t, now).ok()) else {
        return bad_token();
    };
    let wanted = state
        .identity
        .users
        .iter()
        .position(|u| u.id.as_str() == user || u.id.as_str()[..15] == user);
    if org != state.identity.org_id.as_str() || wanted.is_none() {
        return (StatusCode::NOT_FOUND, "Bad_Id").into_response();
    }
    let index = wanted
        .and_then(|i| u16::try_from(i).ok())
        .unwrap_or(caller.user);
    let Some(u) = state.identity.users.get(usize::from(index)) else {
        return bad_token();
    };
    let body = json!({
        "id": state.identity.id_url(index),
        "asserted_user": index == caller.user,
        "user_id": u.id.as_str(),
        "organization_id": state.identity.org_id.as_str(),
        "username": u.username,
        "nick_name": u.last_name.to_lowercase(),
        "display_name": format!("{} {}", u.first_name, u.last_name),
        "email": u.email,
        "email_verified": true,
        "first_name": u.first_name,
        "last_name": u.last_name,
        "timezone": "GMT",
        "active": true,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": 0,
        "urls": urls(&state),
        "is_app_installed": true,
    });
    Json(body).into_response()
}

async fn introspect(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = params(query.as_deref(), &body);
    let (id, secret) = client_credentials(&headers, &form);
    if let Err(e) = check_client(&state, id.as_deref(), secret.as_deref()) {
        return e.into_response();
    }
    if secret.is_none() {
        return OAuthError::invalid_client().into_response();
    }
    let token = form.get("token").map(String::as_str).unwrap_or_default();
    let now = state.clock.now_ms();
    let username = |user: u16| {
        state
            .identity
            .users
            .get(usize::from(user))
            .map(|u| u.username.clone())
    };
    if let Some(session) = state.sessions.peek(token, now) {
        return Json(json!({
            "active": true,
            "scope": session.scope,
            "client_id": session.client_id,
            "username": username(session.user),
            "sub": state.identity.id_url(session.user),
            "token_type": "access_token",
            "exp": (session.last_used_ms + state.sessions.idle_ms()) / 1000,
            "iat": session.issued_ms / 1000,
            "nbf": session.issued_ms / 1000,
        }))
        .into_response();
    }
    if let Some(grant) = state.sessions.grant(token) {
        return Json(json!({
            "active": true,
            "scope": grant.scope,
            "client_id": grant.client_id,
            "username": username(grant.user),
            "sub": state.identity.id_url(grant.user),
            "token_type": "refresh_token",
            "iat": grant.issued_ms / 1000,
            "nbf": grant.issued_ms / 1000,
        }))
        .into_response();
    }
    Json(json!({ "active": false })).into_response()
}
