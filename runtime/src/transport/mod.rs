//! What the runtime refuses on the wire, whatever the server or the caller says:
//! credentials over plain HTTP to a host that is not this machine
//! ([`require_https`]), and response bodies larger than a cap ([`read_capped`]).

mod capped;
mod https;

pub use capped::DEFAULT_MAX_BODY_BYTES;
pub(crate) use capped::{read_capped, TooLarge, TOKEN_BODY_CAP};
pub use https::{is_loopback, require_https, InsecureUrl};
