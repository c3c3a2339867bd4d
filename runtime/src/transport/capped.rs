//! Reading a response body into memory, up to a cap.

/// The default cap on a JSON response body: 64 MiB, far above a describe of
/// the widest object (a few MB) or a 2,000-row query page, far below what
/// would hurt a service. Set with `ClientBuilder::max_body_bytes`; Bulk API
/// results are streamed and not capped.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024 * 1024;

/// The cap on token endpoint responses, which are a few hundred bytes.
pub(crate) const TOKEN_BODY_CAP: usize = 1024 * 1024;

/// Why a body was not read.
#[derive(Debug)]
pub(crate) enum TooLarge {
    /// The connection failed while reading.
    Transport(reqwest::Error),
    /// The body is over `limit` bytes (said by `Content-Length`, or found while
    /// reading, which then stops).
    Over {
        /// The cap.
        limit: usize,
    },
}

/// The whole body of `response`, refused as soon as it is known to be over
/// `limit` bytes: from `Content-Length` before reading, or while reading, so
/// memory stays within `limit` plus one chunk (and one copy of the whole body,
/// when the length was not announced) whatever the server sends.
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<bytes::Bytes, TooLarge> {
    let announced = response.content_length();
    if announced.is_some_and(|length| length > limit as u64) {
        return Err(TooLarge::Over { limit });
    }
    // Chunks are kept as they come and joined once at the end, so a body of
    // unknown length is never copied over and over into a doubling buffer.
    let mut chunks = Vec::new();
    let mut total = 0usize;
    while let Some(chunk) = response.chunk().await.map_err(TooLarge::Transport)? {
        total += chunk.len();
        if total > limit {
            return Err(TooLarge::Over { limit });
        }
        chunks.push(chunk);
    }
    if chunks.len() == 1 {
        return Ok(chunks.swap_remove(0));
    }
    let mut body = bytes::BytesMut::with_capacity(total);
    for chunk in chunks {
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}
