//! Many connections in one process, keyed by an id the service chooses.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::sync::{Arc, RwLock};

use crate::client::Client;
use crate::error::Result;

/// The key of a connection: a tenant and a user, a tenant's org-level
/// (integration user) connection, or any alias.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(String);

impl ConnectionId {
    /// Any id (an alias, a key from the service's own database).
    pub fn new(id: impl Into<String>) -> Self {
        ConnectionId(id.into())
    }

    /// A user's own connection within a tenant: `<tenant>/user/<user>`.
    pub fn user(tenant: &str, user: &str) -> Self {
        ConnectionId(format!("{tenant}/user/{user}"))
    }

    /// A tenant's org-level connection (an integration user through client
    /// credentials or JWT bearer): `<tenant>/org`.
    pub fn org(tenant: &str) -> Self {
        ConnectionId(format!("{tenant}/org"))
    }

    /// The id as a string (the token store's key).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ConnectionId({})", self.0)
    }
}

impl fmt::Display for ConnectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A registry of connected [`Client`]s, cheap to clone and share.
///
/// Per-user connections and an org-level connection to the same org sit side by
/// side; [`Connections::for_user`] prefers the user's own connection and falls
/// back to the org-level one, as unified auth services model installation and
/// user credentials.
#[derive(Clone, Default)]
pub struct Connections {
    clients: Arc<RwLock<HashMap<ConnectionId, Client>>>,
}

impl fmt::Debug for Connections {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connections")
            .field("ids", &self.ids())
            .finish()
    }
}

impl Connections {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<ConnectionId, Client>> {
        // The map is only ever changed by single inserts and removes.
        self.clients
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<ConnectionId, Client>> {
        self.clients
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Adds or replaces a connection; returns the one it replaced.
    pub fn insert(&self, id: ConnectionId, client: Client) -> Option<Client> {
        self.write().insert(id, client)
    }

    /// The connection with this id.
    pub fn get(&self, id: &ConnectionId) -> Option<Client> {
        self.read().get(id).cloned()
    }

    /// Removes a connection.
    pub fn remove(&self, id: &ConnectionId) -> Option<Client> {
        self.write().remove(id)
    }

    /// The ids of every connection, sorted.
    pub fn ids(&self) -> Vec<ConnectionId> {
        let mut ids: Vec<_> = self.read().keys().cloned().collect();
        ids.sort();
        ids
    }

    /// The user's own connection in `tenant`, or else the tenant's org-level one.
    pub fn for_user(&self, tenant: &str, user: &str) -> Option<Client> {
        self.get(&ConnectionId::user(tenant, user))
            .or_else(|| self.get(&ConnectionId::org(tenant)))
    }

    /// The connection with this id, connecting with `connect` if there is none.
    /// When two tasks connect the same id at once, the first to finish wins and
    /// both get its client.
    pub async fn get_or_connect<F>(&self, id: &ConnectionId, connect: F) -> Result<Client>
    where
        F: Future<Output = Result<Client>>,
    {
        if let Some(client) = self.get(id) {
            return Ok(client);
        }
        let client = connect.await?;
        Ok(self.write().entry(id.clone()).or_insert(client).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_keep_users_and_org_apart() {
        assert_eq!(
            ConnectionId::user("acme", "alice").as_str(),
            "acme/user/alice"
        );
        assert_eq!(ConnectionId::org("acme").as_str(), "acme/org");
        assert_ne!(ConnectionId::user("acme", "org"), ConnectionId::org("acme"));
    }
}
