//! Token stores with real connections: saved on connect and renewal, reloaded later.

use std::sync::Arc;

use sfgen_fake_org::FakeOrg;
use sfgen_runtime::secrecy::ExposeSecret;
use sfgen_runtime::{
    ConnectionId, Credentials, EncryptedFileTokenStore, MemoryTokenStore, TokenKey, TokenStore,
};

use crate::common::{app, builder, login, org_with, Acct, NewAcct};

#[tokio::test]
async fn an_encrypted_file_store_keeps_each_connection_across_restarts() {
    let org = org_with(FakeOrg::builder().rotate_refresh_tokens(true)).await;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tokens.json");
    let key = TokenKey::generate();
    let key_text = key.to_base64();
    let store = Arc::new(EncryptedFileTokenStore::new(&path, key));
    let alice = ConnectionId::user("acme", "alice");
    let org_level = ConnectionId::org("acme");

    let client = builder()
        .connection_id(alice.clone())
        .token_store(Arc::clone(&store))
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("connects");
    let id = client
        .create(&NewAcct {
            name: "Stored".into(),
            industry: None,
        })
        .await
        .expect("creates");
    builder()
        .connection_id(org_level.clone())
        .token_store(Arc::clone(&store))
        .connect(Credentials::client_credentials(app(&org), login(&org)))
        .await
        .expect("connects the org-level user");

    org.expire_all_sessions();
    client.get(id).await.expect("renews (rotating) and reads");
    let saved = store
        .load(&alice)
        .await
        .expect("loads")
        .expect("alice's entry");
    let live = client.stored_token();
    assert_eq!(
        saved
            .refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned()),
        live.refresh_token
            .as_ref()
            .map(|t| t.expose_secret().to_owned()),
        "the rotated refresh token is in the file"
    );
    assert!(
        store.load(&org_level).await.expect("loads").is_some(),
        "one entry per connection id"
    );
    let file = std::fs::read_to_string(&path).expect("the file exists");
    assert!(!file.contains(org.refresh_token()) && !file.contains(org.client_secret()));

    // A new process: the same file and key, the session expired meanwhile.
    drop(client);
    org.expire_all_sessions();
    let reopened = EncryptedFileTokenStore::new(
        &path,
        TokenKey::parse(key_text.expose_secret()).expect("the key reads back"),
    );
    let stored = reopened
        .load(&alice)
        .await
        .expect("loads")
        .expect("alice's entry");
    let credentials = stored
        .into_credentials(app(&org), login(&org))
        .expect("usable tokens");
    let client = builder()
        .connect(credentials)
        .await
        .expect("reconnects without a request");
    let record: Acct = client
        .get(id)
        .await
        .expect("renews with the stored refresh token");
    assert_eq!(record.name, "Stored");
}

#[tokio::test]
async fn a_memory_store_sees_every_renewal() {
    let org = org_with(FakeOrg::builder()).await;
    let store = Arc::new(MemoryTokenStore::new());
    let id = ConnectionId::new("alias");
    let client = builder()
        .connection_id(id.clone())
        .token_store(Arc::clone(&store))
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect("connects");
    let first = store
        .load(&id)
        .await
        .expect("loads")
        .expect("saved on connect");
    client.renew_session().await.expect("renews");
    let second = store
        .load(&id)
        .await
        .expect("loads")
        .expect("saved on renewal");
    let token = |t: &sfgen_runtime::StoredToken| {
        t.access_token
            .as_ref()
            .map(|a| a.expose_secret().to_owned())
    };
    assert_ne!(
        token(&first),
        token(&second),
        "the new access token was saved"
    );

    let no_id = builder()
        .token_store(Arc::clone(&store))
        .connect(Credentials::refresh_token(
            app(&org),
            login(&org),
            org.refresh_token(),
        ))
        .await
        .expect_err("a store needs an id");
    assert!(no_id.to_string().contains("connection id"), "{no_id}");
}
