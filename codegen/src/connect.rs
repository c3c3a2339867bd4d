//! The connection options every command that talks to an org shares, and how
//! they become a connected [`Client`].
//!
//! Ways to connect, first match wins:
//!
//! 1. `--instance-url` + `--access-token`;
//! 2. `--target-org ALIAS`: an alias saved by `sfgen login`, or else one the
//!    Salesforce CLI knows (`sf org display --json --target-org ALIAS`);
//! 3. JWT bearer: `--jwt-key-file`, `--username`, `--client-id` (and
//!    `--sandbox` or `--login-url` for a sandbox or My Domain);
//! 4. `SF_INSTANCE_URL` + `SF_ACCESS_TOKEN`;
//! 5. `SF_TARGET_ORG`.
//!
//! Giving two ways on the command line is an error, not a guess.

use std::fmt;
use std::path::PathBuf;

use serde::Deserialize;
use sfgen_runtime::secrecy::SecretString;
use sfgen_runtime::{
    Client, ClientBuilder, Credentials, JwtBearer, LoginHost, OAuthApp, Request, SfCli, Url,
};

use crate::login::store::{ids_from_identity_url, Home, StoreError};

/// How to connect, as the three ways a command's error message lists them.
pub const HOW_TO_CONNECT: &str = "connect in one of three ways:\n  \
    1. log in once with `sfgen login --alias my-org` (or use an org the Salesforce CLI knows, \
       `sf org login web --alias my-org`), then pass `--target-org my-org` (or set SF_TARGET_ORG)\n  \
    2. pass `--instance-url https://mydomain.my.salesforce.com --access-token <session id>` \
       (or set SF_INSTANCE_URL and SF_ACCESS_TOKEN)\n  \
    3. JWT bearer: `--jwt-key-file server.key --username user@example.com --client-id <Consumer Key>` \
       (add --sandbox or --login-url for a sandbox or My Domain)";

/// Connection options (flatten into a command's arguments).
#[derive(Clone, Default, clap::Args)]
pub struct ConnectArgs {
    /// Org to use: an alias from `sfgen login`, or else an alias or username the
    /// Salesforce CLI knows [env: SF_TARGET_ORG].
    #[arg(long, value_name = "ALIAS", help_heading = "Connection")]
    pub target_org: Option<String>,
    /// Instance URL for --access-token [env: SF_INSTANCE_URL].
    #[arg(long, value_name = "URL", help_heading = "Connection")]
    pub instance_url: Option<String>,
    /// Session id (access token) for --instance-url [env: SF_ACCESS_TOKEN].
    #[arg(long, value_name = "TOKEN", help_heading = "Connection", value_parser = parse_secret)]
    pub access_token: Option<SecretString>,
    /// JWT bearer: the private key (PEM) whose certificate is on the connected app.
    #[arg(long, value_name = "FILE", help_heading = "Connection", requires_all = ["username", "client_id"])]
    pub jwt_key_file: Option<PathBuf>,
    /// JWT bearer: the user to act as.
    #[arg(long, value_name = "USERNAME", help_heading = "Connection")]
    pub username: Option<String>,
    /// JWT bearer: the connected app's Consumer Key (client id).
    #[arg(long, value_name = "CONSUMER_KEY", help_heading = "Connection")]
    pub client_id: Option<String>,
    /// JWT bearer: log in at this URL (My Domain) instead of <https://login.salesforce.com>.
    #[arg(
        long,
        value_name = "URL",
        help_heading = "Connection",
        conflicts_with = "sandbox"
    )]
    pub login_url: Option<String>,
    /// JWT bearer: log in at <https://test.salesforce.com>.
    #[arg(long, help_heading = "Connection")]
    pub sandbox: bool,
    /// REST API version, e.g. 62.0 (default: the newest the org serves).
    #[arg(long, value_name = "VERSION", help_heading = "Connection")]
    pub api_version: Option<String>,
}

impl ConnectArgs {
    /// Whether any connection option was given on the command line.
    pub fn is_given(&self) -> bool {
        self.target_org.is_some()
            || self.instance_url.is_some()
            || self.access_token.is_some()
            || self.jwt_key_file.is_some()
            || self.username.is_some()
            || self.client_id.is_some()
            || self.login_url.is_some()
            || self.sandbox
            || self.api_version.is_some()
    }
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(value.to_owned()))
}

impl fmt::Debug for ConnectArgs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectArgs")
            .field("target_org", &self.target_org)
            .field("instance_url", &self.instance_url)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "[REDACTED]"),
            )
            .field("jwt_key_file", &self.jwt_key_file)
            .field("username", &self.username)
            .field("client_id", &self.client_id)
            .field("login_url", &self.login_url)
            .field("sandbox", &self.sandbox)
            .field("api_version", &self.api_version)
            .finish()
    }
}

/// What can go wrong connecting.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    /// No way to connect was given.
    #[error("no org connected: {HOW_TO_CONNECT}")]
    NotConnected,
    /// Two ways to connect were given.
    #[error("{first} and {second} are two ways to connect: give one")]
    Ambiguous {
        /// One way.
        first: &'static str,
        /// Another.
        second: &'static str,
    },
    /// Half of an instance URL + access token pair.
    #[error("{given} needs {missing} too")]
    Incomplete {
        /// What was given.
        given: &'static str,
        /// What is missing.
        missing: &'static str,
    },
    /// A URL option is not a URL.
    #[error("{option} `{value}` is not a URL: {reason}")]
    BadUrl {
        /// The option.
        option: &'static str,
        /// Its value.
        value: String,
        /// Why.
        reason: String,
    },
    /// A URL option is plain http to a host that is not loopback.
    #[error(transparent)]
    Insecure(#[from] sfgen_runtime::InsecureUrl),
    /// The saved logins could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The runtime could not connect.
    #[error("cannot connect to {target}: {source}")]
    Runtime {
        /// The org, as the user named it.
        target: String,
        /// Why.
        source: Box<sfgen_runtime::Error>,
    },
    /// The org serves no REST API version.
    #[error("{instance} lists no REST API version at /services/data: pass --api-version")]
    NoApiVersion {
        /// The instance URL.
        instance: String,
    },
}

/// The way to connect that the options and environment select.
#[derive(Debug, Clone)]
pub enum Way {
    /// An instance URL and a session id.
    AccessToken {
        /// The instance URL.
        instance_url: Url,
        /// The session id.
        access_token: SecretString,
    },
    /// An alias from `sfgen login` or the Salesforce CLI.
    TargetOrg(String),
    /// The JWT bearer flow.
    Jwt {
        /// The private key file.
        key_file: PathBuf,
        /// The user.
        username: String,
        /// The Consumer Key.
        client_id: String,
        /// Where to log in.
        login: LoginHost,
    },
}

/// Who and where a connection is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    /// The org id (`00D…`), when known.
    pub org_id: Option<String>,
    /// The user id (`005…`), when known.
    pub user_id: Option<String>,
    /// The username, when known.
    pub username: Option<String>,
}

/// A connected client and what a snapshot records about it.
#[derive(Debug, Clone)]
pub struct Connection {
    /// The client every call goes through.
    pub client: Client,
    /// The REST API version calls use (explicit, or the org's newest).
    pub api_version: String,
    /// The org and user.
    pub identity: Identity,
}

/// `value` as a URL that credentials may be sent to (https, or http to loopback).
fn url(option: &'static str, value: &str) -> Result<Url, ConnectError> {
    let url = Url::parse(value).map_err(|e| ConnectError::BadUrl {
        option,
        value: value.to_owned(),
        reason: e.to_string(),
    })?;
    sfgen_runtime::require_https(&url, option)?;
    Ok(url)
}

/// Selects the way to connect from the options and the environment (read through `env`).
pub fn resolve(
    args: &ConnectArgs,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Way, ConnectError> {
    let env = |name: &str| env(name).filter(|v| !v.is_empty());
    let mut ways: Vec<(&'static str, Way)> = Vec::new();
    match (&args.instance_url, &args.access_token) {
        (Some(instance), Some(token)) => ways.push((
            "--access-token",
            Way::AccessToken {
                instance_url: url("--instance-url", instance)?,
                access_token: token.clone(),
            },
        )),
        (Some(_), None) => {
            if let Some(token) = env("SF_ACCESS_TOKEN") {
                let instance_url = url(
                    "--instance-url",
                    args.instance_url.as_deref().unwrap_or_default(),
                )?;
                ways.push((
                    "--instance-url",
                    Way::AccessToken {
                        instance_url,
                        access_token: SecretString::from(token),
                    },
                ));
            } else {
                return Err(ConnectError::Incomplete {
                    given: "--instance-url",
                    missing: "--access-token",
                });
            }
        }
        (None, Some(token)) => {
            let instance = env("SF_INSTANCE_URL").ok_or(ConnectError::Incomplete {
                given: "--access-token",
                missing: "--instance-url",
            })?;
            ways.push((
                "--access-token",
                Way::AccessToken {
                    instance_url: url("SF_INSTANCE_URL", &instance)?,
                    access_token: token.clone(),
                },
            ));
        }
        (None, None) => {}
    }
    if let Some(alias) = &args.target_org {
        ways.push(("--target-org", Way::TargetOrg(alias.clone())));
    }
    if let (Some(key_file), Some(username), Some(client_id)) =
        (&args.jwt_key_file, &args.username, &args.client_id)
    {
        let login = match (&args.login_url, args.sandbox) {
            (Some(login_url), _) => LoginHost::MyDomain(url("--login-url", login_url)?),
            (None, true) => LoginHost::Sandbox,
            (None, false) => LoginHost::Production,
        };
        ways.push((
            "--jwt-key-file",
            Way::Jwt {
                key_file: key_file.clone(),
                username: username.clone(),
                client_id: client_id.clone(),
                login,
            },
        ));
    }
    let mut given = ways.into_iter();
    if let Some((first, way)) = given.next() {
        if let Some((second, _)) = given.next() {
            return Err(ConnectError::Ambiguous { first, second });
        }
        return Ok(way);
    }
    match (env("SF_INSTANCE_URL"), env("SF_ACCESS_TOKEN")) {
        (Some(instance), Some(token)) => {
            return Ok(Way::AccessToken {
                instance_url: url("SF_INSTANCE_URL", &instance)?,
                access_token: SecretString::from(token),
            })
        }
        (Some(_), None) => {
            return Err(ConnectError::Incomplete {
                given: "SF_INSTANCE_URL",
                missing: "SF_ACCESS_TOKEN",
            })
        }
        (None, Some(_)) => {
            return Err(ConnectError::Incomplete {
                given: "SF_ACCESS_TOKEN",
                missing: "SF_INSTANCE_URL",
            })
        }
        (None, None) => {}
    }
    env("SF_TARGET_ORG")
        .map(Way::TargetOrg)
        .ok_or(ConnectError::NotConnected)
}

/// Connects with the options (and the environment), finds the API version and who is connected.
pub async fn connect(args: &ConnectArgs, home: &Home) -> Result<Connection, ConnectError> {
    let way = resolve(args, |name| std::env::var(name).ok())?;
    connect_way(way, args.api_version.as_deref(), home).await
}

/// Connects the selected way.
pub async fn connect_way(
    way: Way,
    api_version: Option<&str>,
    home: &Home,
) -> Result<Connection, ConnectError> {
    let mut builder = Client::builder();
    if let Some(version) = api_version {
        builder = builder.api_version(version);
    }
    let (target, client, saved) = match way {
        Way::AccessToken {
            instance_url,
            access_token,
        } => {
            let target = instance_url.to_string();
            let credentials = Credentials::AccessToken {
                instance_url,
                access_token,
            };
            (
                target.clone(),
                run(&target, builder.connect(credentials)).await?,
                None,
            )
        }
        Way::Jwt {
            key_file,
            username,
            client_id,
            login,
        } => {
            let target = format!("{username} (JWT bearer)");
            let jwt = JwtBearer::from_key_file(client_id, username, login, &key_file).map_err(
                |source| ConnectError::Runtime {
                    target: target.clone(),
                    source: Box::new(source),
                },
            )?;
            (
                target.clone(),
                run(&target, builder.connect(Credentials::JwtBearer(jwt))).await?,
                None,
            )
        }
        Way::TargetOrg(alias) => match home.org(&alias)? {
            Some(entry) => {
                let client = connect_saved(&alias, &entry, builder, home).await?;
                let identity = Identity {
                    org_id: entry.org_id.clone(),
                    user_id: entry.user_id.clone(),
                    username: entry.username.clone(),
                };
                (alias, client, Some(identity))
            }
            None => {
                let target = format!("`{alias}` (Salesforce CLI)");
                (
                    target.clone(),
                    run(
                        &target,
                        builder.connect(Credentials::SfCli(SfCli::new(alias))),
                    )
                    .await?,
                    None,
                )
            }
        },
    };
    let api_version = match api_version {
        Some(version) => version.trim_start_matches('v').to_owned(),
        None => newest_api_version(&client)
            .await
            .map_err(|source| ConnectError::Runtime {
                target: target.clone(),
                source: Box::new(source),
            })?
            .ok_or_else(|| ConnectError::NoApiVersion {
                instance: client.instance_url().to_string(),
            })?,
    };
    let identity = match saved {
        Some(identity) => identity,
        None => identity(&client).await,
    };
    Ok(Connection {
        client,
        api_version,
        identity,
    })
}

async fn run(
    target: &str,
    connect: impl std::future::Future<Output = sfgen_runtime::Result<Client>>,
) -> Result<Client, ConnectError> {
    connect.await.map_err(|source| ConnectError::Runtime {
        target: target.to_owned(),
        source: Box::new(source),
    })
}

/// Reconnects an alias saved by `sfgen login` from the encrypted token store;
/// renewed tokens are saved back to it.
async fn connect_saved(
    alias: &str,
    entry: &crate::login::store::OrgEntry,
    builder: ClientBuilder,
    home: &Home,
) -> Result<Client, ConnectError> {
    let store = home.token_store(false)?;
    let id = sfgen_runtime::ConnectionId::new(alias);
    let token = sfgen_runtime::TokenStore::load(&*store, &id)
        .await
        .map_err(StoreError::from)?;
    let login = LoginHost::MyDomain(url("the saved login URL", &entry.login_url)?);
    let mut app = OAuthApp::new(entry.client_id.clone());
    if entry.has_client_secret {
        app.client_secret = home.client_secret(alias).await?;
    }
    let credentials = token
        .and_then(|t| t.into_credentials(app, login))
        .ok_or_else(|| ConnectError::Runtime {
            target: alias.to_owned(),
            source: Box::new(sfgen_runtime::Error::Config(format!(
            "no tokens are saved for `{alias}`: log in again with `sfgen login --alias {alias}`"
        ))),
        })?;
    run(
        alias,
        builder
            .connection_id(id)
            .token_store(store)
            .connect(credentials),
    )
    .await
}

#[derive(Deserialize)]
struct Version {
    version: String,
}

/// The newest REST API version the org serves (`GET /services/data`).
pub async fn newest_api_version(client: &Client) -> sfgen_runtime::Result<Option<String>> {
    let versions: Vec<Version> = client.send(Request::get("/services/data")).await?.json()?;
    let number = |v: &str| -> (u32, u32) {
        let mut parts = v.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
        (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
    };
    Ok(versions
        .into_iter()
        .map(|v| v.version)
        .max_by_key(|v| number(v)))
}

#[derive(Deserialize)]
struct UserInfo {
    organization_id: Option<String>,
    user_id: Option<String>,
    preferred_username: Option<String>,
}

/// Who is connected: `/services/oauth2/userinfo`, or else the identity URL of
/// the session; unknown parts stay `None` (a session without the scope for it).
pub async fn identity(client: &Client) -> Identity {
    if let Ok(info) = client
        .send(Request::get("/services/oauth2/userinfo"))
        .await
        .and_then(|r| r.json::<UserInfo>())
    {
        return Identity {
            org_id: info.organization_id,
            user_id: info.user_id,
            username: info.preferred_username,
        };
    }
    let ids = client
        .stored_token()
        .identity_url
        .as_deref()
        .and_then(ids_from_identity_url);
    Identity {
        org_id: ids.as_ref().map(|i| i.0.clone()),
        user_id: ids.map(|i| i.1),
        username: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sfgen_runtime::secrecy::ExposeSecret;

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| (*v).to_owned())
        }
    }

    fn args() -> ConnectArgs {
        ConnectArgs::default()
    }

    #[test]
    fn nothing_given_names_the_three_ways() {
        let err = resolve(&args(), env(&[])).expect_err("nothing");
        let text = err.to_string();
        for needle in [
            "sfgen login",
            "--target-org",
            "--access-token",
            "SF_ACCESS_TOKEN",
            "--jwt-key-file",
        ] {
            assert!(text.contains(needle), "{needle} missing from: {text}");
        }
    }

    #[test]
    fn flags_beat_the_environment_and_two_flags_conflict() {
        let vars = [
            ("SF_INSTANCE_URL", "https://env.example"),
            ("SF_ACCESS_TOKEN", "env-token"),
            ("SF_TARGET_ORG", "x"),
        ];
        let a = ConnectArgs {
            target_org: Some("dev".into()),
            ..args()
        };
        assert!(matches!(resolve(&a, env(&vars)), Ok(Way::TargetOrg(alias)) if alias == "dev"));
        match resolve(&args(), env(&vars)).expect("env token") {
            Way::AccessToken {
                instance_url,
                access_token,
            } => {
                assert_eq!(instance_url.as_str(), "https://env.example/");
                assert_eq!(access_token.expose_secret(), "env-token");
            }
            other => panic!("expected the env token, got {other:?}"),
        }
        let both = ConnectArgs {
            target_org: Some("dev".into()),
            instance_url: Some("https://a.example".into()),
            access_token: Some(SecretString::from("t".to_owned())),
            ..args()
        };
        let err = resolve(&both, env(&[])).expect_err("two ways");
        assert_eq!(
            err.to_string(),
            "--access-token and --target-org are two ways to connect: give one"
        );
        assert!(
            matches!(resolve(&args(), env(&[("SF_TARGET_ORG", "ci")])), Ok(Way::TargetOrg(a)) if a == "ci")
        );
    }

    #[test]
    fn half_a_token_pair_says_what_is_missing() {
        let a = ConnectArgs {
            instance_url: Some("https://a.example".into()),
            ..args()
        };
        assert_eq!(
            resolve(&a, env(&[])).expect_err("no token").to_string(),
            "--instance-url needs --access-token too"
        );
        let a = ConnectArgs {
            access_token: Some(SecretString::from("t".to_owned())),
            ..args()
        };
        assert!(matches!(
            resolve(&a, env(&[("SF_INSTANCE_URL", "https://i.example")])),
            Ok(Way::AccessToken { .. })
        ));
        let err = resolve(&args(), env(&[("SF_ACCESS_TOKEN", "t")])).expect_err("no instance");
        assert_eq!(err.to_string(), "SF_ACCESS_TOKEN needs SF_INSTANCE_URL too");
    }

    #[test]
    fn jwt_options_pick_the_login_host() {
        let a = ConnectArgs {
            jwt_key_file: Some("k.pem".into()),
            username: Some("u@example.com".into()),
            client_id: Some("key".into()),
            sandbox: true,
            ..args()
        };
        match resolve(&a, env(&[])).expect("jwt") {
            Way::Jwt {
                login, username, ..
            } => {
                assert_eq!(login, LoginHost::Sandbox);
                assert_eq!(username, "u@example.com");
            }
            other => panic!("expected JWT, got {other:?}"),
        }
    }

    #[test]
    fn debug_hides_the_access_token() {
        let a = ConnectArgs {
            access_token: Some(SecretString::from("00D!secret".to_owned())),
            ..args()
        };
        assert!(!format!("{a:?}").contains("00D!secret"));
    }
}
