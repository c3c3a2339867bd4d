//! The shared state every handler sees: [`AppState`].

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::api::query::Cursors;
use crate::auth::{JwtVerifier, Sessions};
use crate::clock::Clock;
use crate::config::Settings;
use crate::faults::Faults;
use crate::ids::SfId;
use crate::observe::Observer;
use crate::store::Store;

/// A user of the org.
#[derive(Debug, Clone)]
pub(crate) struct OrgUser {
    pub id: SfId,
    pub username: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

/// Who and where the org is.
#[derive(Debug, Clone)]
pub(crate) struct Identity {
    pub instance_url: String,
    pub login_url: String,
    pub org_id: SfId,
    /// User 0 is the default user, user 1 the integration user.
    pub users: Vec<OrgUser>,
}

impl Identity {
    /// The identity URL of a user: `<login>/id/<org id>/<user id>`.
    pub fn id_url(&self, user: u16) -> String {
        let user_id = self
            .users
            .get(usize::from(user))
            .map(|u| u.id.to_string())
            .unwrap_or_default();
        format!("{}/id/{}/{}", self.login_url, self.org_id, user_id)
    }

    /// The user index of a username (case-insensitive).
    pub fn user_by_name(&self, username: &str) -> Option<u16> {
        self.users
            .iter()
            .position(|u| u.username.eq_ignore_ascii_case(username))
            .and_then(|i| u16::try_from(i).ok())
    }
}

/// The daily API request allocation and what is spent of it.
#[derive(Debug)]
pub(crate) struct ApiUsage {
    used: AtomicU64,
    max: AtomicU64,
}

impl ApiUsage {
    pub fn new(max: u64) -> ApiUsage {
        ApiUsage {
            used: AtomicU64::new(0),
            max: AtomicU64::new(max),
        }
    }

    /// Counts one API request, or refuses it when the allocation is spent.
    pub fn try_consume(&self) -> bool {
        let max = self.max.load(Ordering::Relaxed);
        self.used
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |u| {
                (u < max).then_some(u + 1)
            })
            .is_ok()
    }

    /// `(used, max)`.
    pub fn get(&self) -> (u64, u64) {
        (
            self.used.load(Ordering::Relaxed),
            self.max.load(Ordering::Relaxed),
        )
    }

    pub fn set_used(&self, used: u64) {
        self.used.store(used, Ordering::Relaxed);
    }

    pub fn set_max(&self, max: u64) {
        self.max.store(max, Ordering::Relaxed);
    }
}

/// Everything a running org shares between requests.
#[derive(Debug)]
pub struct OrgState {
    pub(crate) settings: Settings,
    pub(crate) identity: Identity,
    pub(crate) store: Store,
    pub(crate) clock: Clock,
    pub(crate) sessions: Sessions,
    pub(crate) usage: ApiUsage,
    pub(crate) faults: Faults,
    pub(crate) observer: Observer,
    pub(crate) cursors: Cursors,
    pub(crate) jwt: Option<JwtVerifier>,
}

/// The state type of the org's axum router (`Router<AppState>`); route modules
/// such as Bulk API 2.0 take it with `State<AppState>`.
pub type AppState = Arc<OrgState>;

impl OrgState {
    /// The newest API version served (e.g. `"66.0"`).
    pub(crate) fn latest_version(&self) -> &str {
        self.settings
            .api_versions
            .last()
            .map_or("66.0", String::as_str)
    }
}
