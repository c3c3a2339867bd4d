//! `sfgen login`.

use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use clap::Args;
use sfgen::login::store::KeySource;
use sfgen::login::{LoginOptions, DEFAULT_CALLBACK_URL, DEFAULT_CLIENT_ID};
use sfgen_runtime::secrecy::SecretString;
use sfgen_runtime::{LoginHost, Scopes, Url};

const EXAMPLES: &str = "\
Examples:
  sfgen login --alias my-org                          production, the Salesforce CLI's connected app
  sfgen login --sandbox --alias my-sandbox
  sfgen login --login-url https://acme.my.salesforce.com --alias acme
  sfgen login --client-id 3MVG9... --client-secret ... --callback-url http://localhost:8080/callback --alias acme
  sfgen fetch --target-org my-org                     then use the saved connection
  sfgen login --rotate-key                            re-encrypt the saved tokens with a new key

The callback URL must be registered on the connected app exactly as given.
Connections are saved in $SFGEN_HOME (default ~/.sfgen): tokens encrypted in tokens.json,
public details in orgs.json. The tokens' key is taken from SFGEN_TOKEN_KEY when set, else
from the OS keychain (macOS Keychain, Windows Credential Manager, Secret Service; service
`sfgen`), else from token.key (mode 0600; refused when group or others can read it).
SFGEN_KEYCHAIN=off keeps the key in token.key. --rotate-key stores the new key where the
old one was; with SFGEN_TOKEN_KEY, put the new key in SFGEN_NEW_TOKEN_KEY first.";

/// Log in to an org with the OAuth 2.0 web server flow (PKCE) and save the connection.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct LoginArgs {
    /// Log in at https://test.salesforce.com.
    #[arg(long, conflicts_with = "login_url")]
    sandbox: bool,
    /// Log in at this URL (My Domain) instead of https://login.salesforce.com.
    #[arg(long, value_name = "URL")]
    login_url: Option<String>,
    /// The connected app's Consumer Key (client id).
    #[arg(long, env = "SALESFORCE_CLIENT_ID", hide_env_values = true, value_name = "CONSUMER_KEY", default_value = DEFAULT_CLIENT_ID)]
    client_id: String,
    /// The connected app's Consumer Secret (client secret), if it has one.
    #[arg(long, env = "SALESFORCE_CLIENT_SECRET", hide_env_values = true, value_name = "SECRET", value_parser = parse_secret)]
    client_secret: Option<SecretString>,
    /// The callback URL, exactly as registered on the connected app (served on this machine).
    #[arg(long, value_name = "URL", default_value = DEFAULT_CALLBACK_URL)]
    callback_url: String,
    /// Save the connection under this alias (default: the username).
    #[arg(long)]
    alias: Option<String>,
    /// OAuth scopes, space-separated.
    #[arg(long, default_value = "api refresh_token")]
    scopes: String,
    /// Do not try to open a browser; only print the URL.
    #[arg(long)]
    no_browser: bool,
    /// Seconds to wait for the browser to come back.
    #[arg(long, default_value_t = 300, value_name = "SECONDS")]
    timeout: u64,
    /// Print the saved connection as JSON.
    #[arg(long)]
    json: bool,
    /// Do not log in: re-encrypt every saved token with a new key, stored where the old key was.
    #[arg(long, conflicts_with_all = ["sandbox", "login_url", "alias", "no_browser"])]
    rotate_key: bool,
}

fn parse_secret(value: &str) -> Result<SecretString, String> {
    Ok(SecretString::from(value.to_owned()))
}

/// Runs `sfgen login`.
pub fn run(args: LoginArgs) -> anyhow::Result<ExitCode> {
    if args.rotate_key {
        return rotate_key(args.json);
    }
    let login = match (&args.login_url, args.sandbox) {
        (Some(url), _) => {
            let url = Url::parse(url).with_context(|| format!("--login-url `{url}`"))?;
            // Before anything is sent: the code, PKCE verifier and client secret go there.
            sfgen_runtime::require_https(&url, "--login-url")?;
            LoginHost::MyDomain(url)
        }
        (None, true) => LoginHost::Sandbox,
        (None, false) => LoginHost::Production,
    };
    let callback_url = Url::parse(&args.callback_url)
        .with_context(|| format!("--callback-url `{}`", args.callback_url))?;
    let options = LoginOptions {
        login,
        client_id: args.client_id,
        client_secret: args.client_secret,
        callback_url,
        alias: args.alias,
        scopes: Scopes::parse(&args.scopes),
        open_browser: !args.no_browser,
        timeout: Duration::from_secs(args.timeout),
    };
    let home = super::home()?;
    let done = super::runtime()?.block_on(async {
        let mut stdout = std::io::stdout();
        sfgen::login::login(options, &home, &mut stdout).await
    })?;
    let entry = &done.entry;
    if args.json {
        let json = serde_json::json!({
            "alias": done.alias,
            "instanceUrl": entry.instance_url,
            "orgId": entry.org_id,
            "userId": entry.user_id,
            "username": entry.username,
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        println!(
            "logged in as {} (org {}, {}); saved as `{}`: use --target-org {}",
            entry.username.as_deref().unwrap_or("?"),
            entry.org_id.as_deref().unwrap_or("?"),
            entry.instance_url,
            done.alias,
            done.alias
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `sfgen login --rotate-key`.
fn rotate_key(json: bool) -> anyhow::Result<ExitCode> {
    let home = super::home()?;
    let rotated = super::runtime()?.block_on(home.rotate_key())?;
    let env_hint = matches!(rotated.source, KeySource::Env)
        .then_some("now move the new key from SFGEN_NEW_TOKEN_KEY into SFGEN_TOKEN_KEY");
    if json {
        let json = serde_json::json!({
            "entries": rotated.entries,
            "key": rotated.source.to_string(),
            "next": env_hint,
        });
        println!("{}", serde_json::to_string_pretty(&json)?);
    } else {
        println!(
            "re-encrypted {} saved entr{} with a new key, kept in {}",
            rotated.entries,
            if rotated.entries == 1 { "y" } else { "ies" },
            rotated.source
        );
        if let Some(hint) = env_hint {
            println!("{hint}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
