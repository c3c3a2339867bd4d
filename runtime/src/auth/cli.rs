//! Sessions from the Salesforce CLI: `sf org display --json --target-org <alias>`.

use std::ffi::OsString;
use std::time::Duration;

use secrecy::SecretString;
use serde::Deserialize;
use url::Url;

use crate::error::{Error, Result};

/// An org the Salesforce CLI (`sf`) is logged in to, by alias or username.
///
/// The CLI keeps the org's refresh token itself; the runtime asks it for the
/// current session with `sf org display --json --target-org <alias>` when it
/// connects and again whenever the session expires.
#[derive(Debug, Clone)]
pub struct SfCli {
    target_org: String,
    program: OsString,
    timeout: Duration,
}

/// What `sf org display --json` reports.
#[derive(Debug, Clone)]
pub(crate) struct CliSession {
    pub(crate) access_token: SecretString,
    pub(crate) instance_url: Url,
    pub(crate) api_version: Option<String>,
}

#[derive(Deserialize)]
struct Output {
    status: Option<i64>,
    result: Option<OrgResult>,
    message: Option<String>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OrgResult {
    access_token: Option<String>,
    instance_url: Option<String>,
    api_version: Option<String>,
}

impl SfCli {
    /// The org the CLI knows by this alias or username.
    pub fn new(target_org: impl Into<String>) -> Self {
        SfCli {
            target_org: target_org.into(),
            program: OsString::from("sf"),
            timeout: Duration::from_secs(60),
        }
    }

    /// Runs another program than `sf` found on `PATH` (a full path, or a test double).
    pub fn program(mut self, program: impl Into<OsString>) -> Self {
        self.program = program.into();
        self
    }

    /// How long the CLI may take (default 60 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The alias or username.
    pub fn target_org(&self) -> &str {
        &self.target_org
    }

    /// Runs `sf org display --json --target-org <alias>` and reads the session.
    pub(crate) async fn display(&self) -> Result<CliSession> {
        tracing::debug!(target_org = %self.target_org, "asking the Salesforce CLI for a session");
        let mut command = tokio::process::Command::new(&self.program);
        command
            .args(["org", "display", "--json", "--target-org", &self.target_org])
            .stdin(std::process::Stdio::null())
            .kill_on_drop(true);
        let output = tokio::time::timeout(self.timeout, command.output())
            .await
            .map_err(|_| Error::Cli(format!("`sf org display` did not finish within {:?}", self.timeout)))?
            .map_err(|e| {
                Error::Cli(format!(
                    "cannot run `{}`: {e}; install the Salesforce CLI or set its path with SfCli::program",
                    self.program.to_string_lossy()
                ))
            })?;
        // stdout holds the access token: it is parsed, never logged or quoted.
        let parsed: Output = serde_json::from_slice(&output.stdout).map_err(|e| {
            Error::Cli(format!(
                "`sf org display --json` printed no JSON ({e}); exit status {}",
                output.status
            ))
        })?;
        self.session(parsed)
    }

    fn session(&self, output: Output) -> Result<CliSession> {
        let failed = output.status.is_some_and(|s| s != 0);
        let result = match output.result {
            Some(result) if !failed => result,
            _ => {
                return Err(Error::Cli(format!(
                    "no session for `{}`: {}{}. Log in with `sf org login web --alias {}`",
                    self.target_org,
                    output.name.map(|n| format!("{n}: ")).unwrap_or_default(),
                    output
                        .message
                        .unwrap_or_else(|| "the CLI reported an error".into()),
                    self.target_org,
                )))
            }
        };
        let access_token = result
            .access_token
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                Error::Cli(format!(
                    "`sf org display` gave no access token for `{}`",
                    self.target_org
                ))
            })?;
        let instance = result.instance_url.ok_or_else(|| {
            Error::Cli(format!(
                "`sf org display` gave no instance URL for `{}`",
                self.target_org
            ))
        })?;
        let instance_url = Url::parse(&instance).map_err(|e| {
            Error::Cli(format!(
                "`sf org display` gave an instance URL that is not a URL: {e}"
            ))
        })?;
        Ok(CliSession {
            access_token: SecretString::from(access_token),
            instance_url,
            api_version: result.api_version,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<CliSession> {
        SfCli::new("dev").session(serde_json::from_str(json).expect("test JSON"))
    }

    #[test]
    fn reads_the_session_and_reports_cli_errors() {
        let ok = parse(
            r#"{"status":0,"result":{"id":"00D","apiVersion":"62.0","accessToken":"00D!x","instanceUrl":"https://acme.my.salesforce.com","username":"a@b.c","connectedStatus":"Connected"}}"#,
        )
        .expect("a session");
        assert_eq!(ok.api_version.as_deref(), Some("62.0"));
        assert_eq!(ok.instance_url.as_str(), "https://acme.my.salesforce.com/");
        let err = parse(r#"{"status":1,"name":"NoAuthInfoFound","message":"No authorization information found for dev."}"#)
            .expect_err("no org");
        let text = err.to_string();
        assert!(
            text.contains("NoAuthInfoFound") && text.contains("sf org login web --alias dev"),
            "{text}"
        );
    }
}
