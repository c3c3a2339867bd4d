//! `https` for every URL that credentials travel to, except loopback hosts.

use std::net::IpAddr;

use url::{Host, Url};

/// A URL that would carry credentials in cleartext: plain `http://` (or another
/// scheme) to a host that is not loopback.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the {role} `{url}` is not https: the access token, authorization code or client secret \
     sent there would travel in cleartext; use https:// (plain http:// is accepted only for \
     loopback hosts: localhost, 127.0.0.0/8, [::1])"
)]
pub struct InsecureUrl {
    /// What the URL is for, e.g. `instance URL`, `login URL`.
    pub role: String,
    /// The URL without query, fragment or user info (which may hold secrets).
    pub url: String,
}

/// Whether `url`'s host is this machine: `localhost`, `127.0.0.0/8` or `::1`.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// `Ok` when credentials may be sent to `url`: it is `https`, or `http` to a
/// loopback host (a local fake org, a test server). `role` names the URL in the
/// error (`instance URL`, `login URL`, `--instance-url`).
pub fn require_https(url: &Url, role: &str) -> Result<(), InsecureUrl> {
    let secure = match url.scheme() {
        "https" => url.host().is_some(),
        "http" => is_loopback(url),
        _ => false,
    };
    if secure {
        return Ok(());
    }
    let mut shown = url.clone();
    shown.set_query(None);
    shown.set_fragment(None);
    // Only fails for URLs that cannot have user info, which then have none.
    let _ = shown.set_username("");
    let _ = shown.set_password(None);
    Err(InsecureUrl {
        role: role.to_owned(),
        url: shown.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(url: &str) -> Result<(), InsecureUrl> {
        require_https(&Url::parse(url).expect("a URL"), "instance URL")
    }

    #[test]
    fn https_anywhere_and_http_only_to_loopback() {
        for ok in [
            "https://acme.my.salesforce.com",
            "https://login.salesforce.com/services/oauth2/token",
            "http://127.0.0.1:8443",
            "http://127.8.9.10/",
            "http://localhost:3000",
            "http://LOCALHOST",
            "http://[::1]:80/services",
            "https://[2001:db8::1]/",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok}");
        }
        for refused in [
            "http://crm.example.com",
            "http://login.example.com/services/oauth2/token",
            "http://10.0.0.1",
            "http://0.0.0.0:8080",
            "http://[2001:db8::1]/",
            "http://localhost.example.com",
            "http://127.0.0.1.nip.io",
            "ftp://acme.my.salesforce.com",
            "ws://127.0.0.1",
            "file:///etc/passwd",
        ] {
            assert!(check(refused).is_err(), "{refused} was accepted");
        }
    }

    #[test]
    fn the_error_names_the_url_and_why_without_its_secrets() {
        let err =
            check("http://user:pa55@crm.example.com/cb?code=s3cret#frag").expect_err("plain http");
        let text = err.to_string();
        assert!(text.contains("`http://crm.example.com/cb`"), "{text}");
        assert!(text.contains("instance URL"), "{text}");
        assert!(text.contains("cleartext"), "{text}");
        for secret in ["pa55", "s3cret", "user", "frag"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
    }
}
