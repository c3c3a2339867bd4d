//! OAuth 2.0 at the org's login URL, and the session check of data routes.

mod guard;
mod jwt;
mod oauth;
mod oauth_error;
mod sessions;

pub use guard::{data_guard, version_guard, ApiVersion};
pub use jwt::JwtVerifier;
pub use oauth::routes;
pub use sessions::{Caller, Sessions};
