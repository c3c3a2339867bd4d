//! `sfgen login` against the fake org, through the real loopback callback
//! listener: the test plays the browser (authorize, then follow the redirect
//! to the listener), then uses the saved alias.

pub mod support;

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Stdio};

use serde_json::Value;
use sfgen_fake_org::FakeOrg;
use support::{args, json_stdout, path_arg, run_sfgen, sfgen};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("binds")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `sfgen login` and returns it with the authorization URL it printed
/// and a task collecting the rest of its stdout.
async fn start_login(
    org: &sfgen_fake_org::RunningOrg,
    callback: &str,
    home: &std::path::Path,
) -> (Child, String, tokio::task::JoinHandle<String>) {
    let mut child = sfgen()
        .args([
            "login",
            "--login-url",
            org.login_url(),
            "--client-id",
            org.client_id(),
        ])
        .args([
            "--client-secret",
            org.client_secret(),
            "--callback-url",
            callback,
        ])
        .args(["--alias", "fake", "--no-browser", "--timeout", "60"])
        .env("SFGEN_HOME", home)
        .env_remove("SFGEN_TOKEN_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sfgen login starts");
    let stdout = child.stdout.take().expect("piped stdout");
    let (url_tx, url_rx) = tokio::sync::oneshot::channel();
    let rest = tokio::task::spawn_blocking(move || {
        let mut reader = BufReader::new(stdout);
        let mut line = String::new();
        let mut url_tx = Some(url_tx);
        let mut rest = String::new();
        while reader.read_line(&mut line).expect("reads stdout") > 0 {
            match url_tx.take() {
                Some(tx) if line.starts_with("http") => {
                    let _ = tx.send(line.trim().to_owned());
                }
                other => {
                    url_tx = other;
                    rest.push_str(&line);
                }
            }
            line.clear();
        }
        rest
    });
    let url = url_rx
        .await
        .expect("sfgen login prints the authorization URL");
    (child, url, rest)
}

async fn wait(mut child: Child) -> (std::process::ExitStatus, String) {
    tokio::task::spawn_blocking(move || {
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .expect("piped")
            .read_to_string(&mut stderr)
            .expect("reads stderr");
        (child.wait().expect("sfgen login ends"), stderr)
    })
    .await
    .expect("the wait task finishes")
}

fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_through_the_callback_listener_then_fetch_with_the_alias() {
    let callback = format!("http://localhost:{}/OauthRedirect", free_port());
    let org = FakeOrg::builder()
        .callback_url(callback.clone())
        .start()
        .await
        .expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let (child, url, rest) = start_login(&org, &callback, home.path()).await;
    assert!(
        url.starts_with(&format!("{}/services/oauth2/authorize?", org.login_url())),
        "{url}"
    );
    assert!(
        url.contains("code_challenge_method=S256") && url.contains("state="),
        "{url}"
    );

    // The browser: the org redirects to the callback URL, which the listener serves.
    let http = no_redirects();
    let authorized = http
        .get(&url)
        .send()
        .await
        .expect("the authorize endpoint answers");
    assert_eq!(authorized.status().as_u16(), 302);
    let location = authorized.headers()["location"]
        .to_str()
        .expect("ASCII")
        .to_owned();
    assert!(location.starts_with(&callback), "{location}");
    let page = http
        .get(&location)
        .send()
        .await
        .expect("the listener answers");
    assert_eq!(page.status().as_u16(), 200);
    assert!(page.text().await.expect("a page").contains("Logged in"));

    let (status, stderr) = wait(child).await;
    assert!(status.success(), "{stderr}");
    let stdout = rest.await.expect("stdout");
    assert!(stdout.contains("saved as `fake`"), "{stdout}");

    let orgs: Value =
        serde_json::from_slice(&std::fs::read(home.path().join("orgs.json")).expect("orgs.json"))
            .expect("JSON");
    assert_eq!(orgs["fake"]["orgId"], org.org_id().as_str());
    assert_eq!(orgs["fake"]["username"], org.username());
    assert_eq!(orgs["fake"]["hasClientSecret"], true);
    let tokens = std::fs::read_to_string(home.path().join("tokens.json")).expect("tokens.json");
    assert!(tokens.contains("\"fake\"") && tokens.contains("fake#consumer-secret"));
    assert!(
        !tokens.contains(org.client_secret()),
        "the consumer secret is sealed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for file in ["tokens.json", "token.key"] {
            let mode = std::fs::metadata(home.path().join(file))
                .expect("exists")
                .permissions()
                .mode()
                & 0o777;
            assert_eq!(mode, 0o600, "{file}");
        }
    }

    // The saved connection works, and renews itself once its session expires.
    let schemas = tempfile::tempdir().expect("temp");
    let mut fetch = args(&[
        "fetch",
        "--json",
        "--target-org",
        "fake",
        "--objects",
        "Account",
        "--force",
        "--schemas",
    ]);
    fetch.push(path_arg(schemas.path()));
    let report = json_stdout(&run_sfgen(fetch.clone(), home.path()).await, 0);
    assert_eq!(report["written"], serde_json::json!(["Account"]));
    org.expire_all_sessions();
    json_stdout(&run_sfgen(fetch, home.path()).await, 0);
    assert_eq!(
        org.counters().token_refreshes,
        1,
        "the stored refresh token renewed the session"
    );
    org.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_callback_with_a_forged_state_is_refused() {
    let callback = format!("http://localhost:{}/OauthRedirect", free_port());
    let org = FakeOrg::builder()
        .callback_url(callback.clone())
        .start()
        .await
        .expect("starts");
    let home = tempfile::tempdir().expect("temp");
    let (child, _url, _rest) = start_login(&org, &callback, home.path()).await;
    let page = no_redirects()
        .get(format!("{callback}?code=stolen&state=forged"))
        .send()
        .await
        .expect("answers");
    assert_eq!(page.status().as_u16(), 400);
    assert!(page.text().await.expect("a page").contains("Login failed"));
    let (status, stderr) = wait(child).await;
    assert!(!status.success());
    assert!(stderr.contains("state"), "{stderr}");
    assert!(!home.path().join("orgs.json").exists(), "nothing is saved");
    assert_eq!(
        org.counters().grants.get("authorization_code"),
        None,
        "the code was never exchanged"
    );
    org.shutdown().await;
}
