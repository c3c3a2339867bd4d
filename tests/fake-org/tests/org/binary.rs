//! The `sfgen-fake-org` executable.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary and reads its one JSON line.
fn spawn(args: &[&str]) -> (Server, Value) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sfgen-fake-org"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary starts");
    let stdout = child.stdout.take().expect("stdout");
    let server = Server(child);
    let mut line = String::new();
    BufReader::new(stdout)
        .read_line(&mut line)
        .expect("a line on stdout");
    let info: Value = serde_json::from_str(&line).expect("a JSON line");
    (server, info)
}

fn expected_keys(info: &Value) {
    for key in [
        "instance_url",
        "login_url",
        "access_token",
        "refresh_token",
        "client_id",
        "client_secret",
        "username",
    ] {
        assert!(info[key].is_string(), "{key} missing from {info}");
    }
}

#[tokio::test]
async fn prints_its_connection_line_and_serves() {
    let schemas = concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas");
    let (_server, info) = spawn(&["--port", "0", "--schemas", schemas]);
    expected_keys(&info);
    assert!(info.get("ca_cert_pem").is_none());
    let url = format!(
        "{}/services/data/v59.0/sobjects/Account",
        info["instance_url"].as_str().expect("url")
    );
    let response = reqwest::Client::new()
        .post(url)
        .bearer_auth(info["access_token"].as_str().expect("token"))
        .json(&serde_json::json!({"Name": "From the binary"}))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 201);
}

#[tokio::test]
async fn serves_https_with_its_printed_ca() {
    let (_server, info) = spawn(&["--tls"]);
    expected_keys(&info);
    let instance = info["instance_url"].as_str().expect("url");
    assert!(instance.starts_with("https://"), "{instance}");
    let ca = reqwest::Certificate::from_pem(
        info["ca_cert_pem"]
            .as_str()
            .expect("ca_cert_pem")
            .as_bytes(),
    )
    .expect("a PEM certificate");
    let client = reqwest::Client::builder()
        .add_root_certificate(ca)
        .build()
        .expect("client");
    let response = client
        .get(format!("{instance}/services/data/v59.0/limits"))
        .bearer_auth(info["access_token"].as_str().expect("token"))
        .send()
        .await
        .expect("TLS handshake with the printed CA");
    assert_eq!(response.status(), 200);
    // A client that does not trust the CA fails.
    assert!(reqwest::Client::new()
        .get(format!("{instance}/services/data"))
        .send()
        .await
        .is_err());
}
