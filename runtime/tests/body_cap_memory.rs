//! A 1 GiB response body stays out of memory: with the default cap the client
//! stops reading at 64 MiB. Its own test binary, so the peak resident set
//! (`VmHWM`) it reads is this test's alone. Linux only (`/proc/self/status`).
#![cfg(target_os = "linux")]

use sfgen_runtime::{Client, Credentials, Error, Limits, Request, Url, DEFAULT_MAX_BODY_BYTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const GIB: usize = 1024 * 1024 * 1024;

/// Peak resident set size of this process so far, in bytes.
fn peak_rss() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("reads /proc/self/status");
    let line = status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .expect("a VmHWM line");
    let kib: usize = line
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .expect("a number of kB");
    kib * 1024
}

#[tokio::test]
async fn a_gibibyte_body_is_refused_within_bounded_memory() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("binds");
    let addr = listener.local_addr().expect("an address");
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let mut buf = vec![0u8; 64 * 1024];
        let _ = socket.read(&mut buf).await;
        // Chunked, so the client cannot refuse it from Content-Length alone.
        let head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n";
        if socket.write_all(head.as_bytes()).await.is_err() {
            return;
        }
        let size = 1024 * 1024;
        let chunk = format!("{size:x}\r\n{}\r\n", " ".repeat(size));
        for _ in 0..GIB / size {
            if socket.write_all(chunk.as_bytes()).await.is_err() {
                return;
            }
        }
        let _ = socket.write_all(b"0\r\n\r\n").await;
    });
    let before = peak_rss();
    let instance = Url::parse(&format!("http://{addr}")).expect("a URL");
    let client = Client::builder()
        .limits(Limits::unlimited())
        .connect(Credentials::access_token(instance, "00D!token"))
        .await
        .expect("an access token connects without a request");
    let err = client
        .send(Request::get("sobjects/Account/describe"))
        .await
        .expect_err("a 1 GiB body is over the default cap");
    assert!(
        matches!(err, Error::BodyTooLarge { limit, .. } if limit == DEFAULT_MAX_BODY_BYTES),
        "{err:?}"
    );
    let grown = peak_rss().saturating_sub(before);
    // The cap, plus chunks in flight and allocator slack: far from the 1 GiB sent.
    assert!(
        grown < 2 * DEFAULT_MAX_BODY_BYTES,
        "peak RSS grew by {} MiB reading a capped body",
        grown / (1024 * 1024)
    );
    eprintln!("peak RSS grew by {} MiB", grown / (1024 * 1024));
}
