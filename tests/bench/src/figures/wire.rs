//! A counting TCP proxy in front of the fake org: forwards HTTP/1.1 bytes
//! untouched both ways and tallies the responses to requests whose path
//! contains a pattern (figure 10 counts `/query`), body bytes apart from the
//! head and the chunked framing. The runtime is not touched: a client reaches
//! the org through [`CountingProxy::url`].

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use anyhow::Context;
use sfgen_runtime::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};

/// What the counted responses brought, since the last [`CountingProxy::take`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Counted responses.
    pub responses: u64,
    /// Their body bytes (chunk payloads, without the chunked framing).
    pub body_bytes: u64,
    /// Every byte they took on the wire: status line, headers, framing, body.
    pub wire_bytes: u64,
}

/// A proxy on a local port that forwards to the org and counts.
pub struct CountingProxy {
    url: Url,
    tally: Arc<Mutex<Tally>>,
    task: JoinHandle<()>,
}

impl CountingProxy {
    /// Listens on a free local port and forwards every connection to
    /// `upstream` (`http://host:port`), counting the responses to requests
    /// whose path contains `pattern`.
    pub async fn start(upstream: &str, pattern: &'static str) -> anyhow::Result<CountingProxy> {
        let upstream_url = Url::parse(upstream).context("the org's URL")?;
        let upstream: SocketAddr = upstream_url
            .socket_addrs(|| Some(80))
            .context("the org's address")?
            .into_iter()
            .next()
            .context("the org's URL names no address")?;
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .context("binding the counting proxy")?;
        let local = listener.local_addr()?;
        let url = Url::parse(&format!("http://{local}")).context("the proxy's URL")?;
        let tally = Arc::new(Mutex::new(Tally::default()));
        let task = tokio::spawn({
            let tally = tally.clone();
            async move {
                // Dropped with the task on shutdown: that aborts the connections.
                let mut connections = JoinSet::new();
                while let Ok((client, _)) = listener.accept().await {
                    let tally = tally.clone();
                    connections.spawn(async move {
                        // A connection that fails only ends itself.
                        let _ = serve(client, upstream, pattern, tally).await;
                    });
                    while connections.try_join_next().is_some() {}
                }
            }
        });
        Ok(CountingProxy { url, tally, task })
    }

    /// Where clients connect instead of the org.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// The tally so far, and zero from now on.
    pub fn take(&self) -> Tally {
        std::mem::take(&mut *self.tally.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// Stops listening and drops every connection.
    pub fn shutdown(self) {
        self.task.abort();
    }
}

/// Forwards one connection both ways until either side closes it.
async fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    pattern: &'static str,
    tally: Arc<Mutex<Tally>>,
) -> std::io::Result<()> {
    let server = TcpStream::connect(upstream).await?;
    client.set_nodelay(true)?;
    server.set_nodelay(true)?;
    let (mut client_read, mut client_write) = client.into_split();
    let (mut server_read, mut server_write) = server.into_split();
    // Whether each request sent and not yet answered is counted, oldest first
    // (HTTP/1.1 answers in order).
    let pending = Arc::new(Mutex::new(VecDeque::<bool>::new()));

    let up = {
        let pending = pending.clone();
        async move {
            let mut framer = Framer::new(Side::Request);
            let mut buf = vec![0u8; 64 * 1024];
            let mut events = Vec::new();
            loop {
                let n = client_read.read(&mut buf).await?;
                if n == 0 {
                    return server_write.shutdown().await;
                }
                // Parsed before it is forwarded: the request is queued before
                // the org can answer it.
                framer.feed(&buf[..n], &mut events);
                for event in events.drain(..) {
                    if let Event::Head { line, .. } = event {
                        let path = line.split(' ').nth(1).unwrap_or("");
                        lock(&pending).push_back(path.contains(pattern));
                    }
                }
                server_write.write_all(&buf[..n]).await?;
            }
        }
    };

    let down = async move {
        let mut framer = Framer::new(Side::Response);
        let mut buf = vec![0u8; 64 * 1024];
        let mut events = Vec::new();
        loop {
            let n = server_read.read(&mut buf).await?;
            if n == 0 {
                framer.finish(&mut events);
            } else {
                framer.feed(&buf[..n], &mut events);
            }
            for event in events.drain(..) {
                if let Event::End { status, wire, body } = event {
                    if status < 200 {
                        continue; // an interim response; the final one follows
                    }
                    if lock(&pending).pop_front().unwrap_or(false) {
                        let mut tally = lock(&tally);
                        tally.responses += 1;
                        tally.body_bytes += body;
                        tally.wire_bytes += wire;
                    }
                }
            }
            if n == 0 {
                return client_write.shutdown().await;
            }
            client_write.write_all(&buf[..n]).await?;
        }
    };

    let (up, down) = tokio::join!(up, down);
    up.and(down)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Which way the bytes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

/// What the framer found in the bytes fed so far.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Event {
    /// A message's head ended: its first line, and its status for a response (0 for a request).
    Head { line: String, status: u16 },
    /// A message ended: its status (0 for a request), its bytes on the wire and its body bytes.
    End { status: u16, wire: u64, body: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Reading the head, up to the empty line.
    Head,
    /// A body of known length: bytes left.
    Body(u64),
    /// A chunk-size line.
    ChunkSize,
    /// Chunk data: bytes left.
    ChunkData(u64),
    /// The CRLF after chunk data: bytes left.
    ChunkEnd(u8),
    /// Trailer lines after the last chunk, up to the empty line.
    Trailers,
    /// A response body that ends when the connection closes.
    UntilClose,
}

/// Finds where HTTP/1.1 messages begin and end in a byte stream, fed as it
/// arrives (responses to `HEAD` are not told apart: the client here sends none).
#[derive(Debug)]
struct Framer {
    side: Side,
    state: State,
    /// The head, or the line being read.
    line: Vec<u8>,
    status: u16,
    wire: u64,
    body: u64,
}

impl Framer {
    fn new(side: Side) -> Framer {
        Framer {
            side,
            state: State::Head,
            line: Vec::new(),
            status: 0,
            wire: 0,
            body: 0,
        }
    }

    /// Reads `data`, pushing what it completes to `events`.
    fn feed(&mut self, mut data: &[u8], events: &mut Vec<Event>) {
        while !data.is_empty() {
            match self.state {
                State::Head => {
                    let from = self.line.len().saturating_sub(3);
                    let before = self.line.len();
                    self.line.extend_from_slice(data);
                    let Some(at) = find(&self.line[from..], b"\r\n\r\n") else {
                        self.wire += data.len() as u64;
                        return;
                    };
                    let end = from + at + 4;
                    let used = end - before;
                    self.wire += used as u64;
                    data = &data[used..];
                    self.line.truncate(end);
                    let head = std::mem::take(&mut self.line);
                    self.head(&head, events);
                }
                State::Body(left) => {
                    let n = (left as usize).min(data.len());
                    self.count(n, true);
                    data = &data[n..];
                    if left == n as u64 {
                        self.end(events);
                    } else {
                        self.state = State::Body(left - n as u64);
                    }
                }
                State::ChunkSize | State::Trailers => {
                    let n = data
                        .iter()
                        .position(|b| *b == b'\n')
                        .map_or(data.len(), |at| at + 1);
                    self.line.extend_from_slice(&data[..n]);
                    self.count(n, false);
                    data = &data[n..];
                    if self.line.last() != Some(&b'\n') {
                        continue;
                    }
                    let line = std::mem::take(&mut self.line);
                    if self.state == State::Trailers {
                        if line.as_slice() == b"\r\n" || line.as_slice() == b"\n" {
                            self.end(events);
                        }
                        continue;
                    }
                    let text = String::from_utf8_lossy(&line);
                    let size = text.split(';').next().unwrap_or("").trim();
                    match u64::from_str_radix(size, 16) {
                        Ok(0) => self.state = State::Trailers,
                        Ok(size) => self.state = State::ChunkData(size),
                        // Not HTTP as expected: count the rest as body.
                        Err(_) => self.state = State::UntilClose,
                    }
                }
                State::ChunkData(left) => {
                    let n = (left as usize).min(data.len());
                    self.count(n, true);
                    data = &data[n..];
                    self.state = if left == n as u64 {
                        State::ChunkEnd(2)
                    } else {
                        State::ChunkData(left - n as u64)
                    };
                }
                State::ChunkEnd(left) => {
                    let n = (left as usize).min(data.len());
                    self.count(n, false);
                    data = &data[n..];
                    self.state = if left as usize == n {
                        State::ChunkSize
                    } else {
                        State::ChunkEnd(left - n as u8)
                    };
                }
                State::UntilClose => {
                    self.count(data.len(), true);
                    return;
                }
            }
        }
    }

    /// The connection closed: a body read until the close ends here.
    fn finish(&mut self, events: &mut Vec<Event>) {
        if self.state == State::UntilClose {
            self.end(events);
        }
    }

    fn count(&mut self, n: usize, body: bool) {
        self.wire += n as u64;
        if body {
            self.body += n as u64;
        }
    }

    /// A head was read: decides how its body is framed.
    fn head(&mut self, head: &[u8], events: &mut Vec<Event>) {
        let text = String::from_utf8_lossy(head);
        let mut lines = text.split("\r\n");
        let first = lines.next().unwrap_or("").to_owned();
        self.status = match self.side {
            Side::Request => 0,
            Side::Response => first
                .split(' ')
                .nth(1)
                .and_then(|s| s.parse().ok())
                .unwrap_or(0),
        };
        let (mut length, mut chunked) = (None, false);
        for line in lines {
            let Some((name, value)) = line.split_once(':') else {
                continue;
            };
            let value = value.trim();
            if name.eq_ignore_ascii_case("content-length") {
                length = value.parse::<u64>().ok();
            } else if name.eq_ignore_ascii_case("transfer-encoding") {
                chunked = value.to_ascii_lowercase().contains("chunked");
            }
        }
        events.push(Event::Head {
            line: first,
            status: self.status,
        });
        let bodiless = self.side == Side::Response
            && (self.status < 200 || self.status == 204 || self.status == 304);
        self.state = if bodiless {
            State::Body(0)
        } else if chunked {
            State::ChunkSize
        } else if let Some(length) = length {
            State::Body(length)
        } else if self.side == Side::Response {
            State::UntilClose
        } else {
            State::Body(0)
        };
        if self.state == State::Body(0) {
            self.end(events);
        }
    }

    fn end(&mut self, events: &mut Vec<Event>) {
        events.push(Event::End {
            status: self.status,
            wire: self.wire,
            body: self.body,
        });
        self.state = State::Head;
        self.status = 0;
        self.wire = 0;
        self.body = 0;
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ends(side: Side, bytes: &[u8], step: usize) -> Vec<(u16, u64, u64)> {
        let mut framer = Framer::new(side);
        let mut events = Vec::new();
        for piece in bytes.chunks(step) {
            framer.feed(piece, &mut events);
        }
        framer.finish(&mut events);
        events
            .into_iter()
            .filter_map(|e| match e {
                Event::End { status, wire, body } => Some((status, wire, body)),
                Event::Head { .. } => None,
            })
            .collect()
    }

    #[test]
    fn frames_length_and_chunked_responses_in_any_pieces() {
        let fixed = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
        let chunked = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=1\r\nde\r\n0\r\n\r\n";
        let interim = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n";
        let mut all = Vec::new();
        all.extend_from_slice(fixed);
        all.extend_from_slice(chunked);
        all.extend_from_slice(interim);
        for step in [1, 2, 7, all.len()] {
            assert_eq!(
                ends(Side::Response, &all, step),
                vec![
                    (200, fixed.len() as u64, 5),
                    (200, chunked.len() as u64, 5),
                    (100, 25, 0),
                    (204, 27, 0),
                ],
                "in pieces of {step}"
            );
        }
    }

    #[test]
    fn a_response_without_length_ends_at_the_close() {
        let bytes = b"HTTP/1.1 200 OK\r\n\r\nabcdef";
        assert_eq!(
            ends(Side::Response, bytes, 4),
            vec![(200, bytes.len() as u64, 6)]
        );
    }

    #[test]
    fn requests_are_seen_at_their_head() {
        let mut framer = Framer::new(Side::Request);
        let mut events = Vec::new();
        framer.feed(
            b"GET /services/data/v66.0/query?q=x HTTP/1.1\r\nhost: a\r\n\r\nPOST /b HTTP/1.1\r\ncontent-length: 2\r\n\r\nok",
            &mut events,
        );
        let heads: Vec<String> = events
            .into_iter()
            .filter_map(|e| match e {
                Event::Head { line, .. } => Some(line),
                Event::End { .. } => None,
            })
            .collect();
        assert_eq!(
            heads,
            [
                "GET /services/data/v66.0/query?q=x HTTP/1.1",
                "POST /b HTTP/1.1"
            ]
        );
    }
}
