//! HTTPS with certificates made at start: a throw-away CA and a server
//! certificate it signs for `localhost` and `127.0.0.1` (rustls, ring provider).

use std::sync::Arc;

use rand::RngCore;
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair};
use rustls::crypto::{
    CryptoProvider, GetRandomFailed, KeyProvider, SecureRandom, WebPkiSupportedAlgorithms,
};
use rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::sign::SigningKey;
use tokio_rustls::TlsAcceptor;

use crate::Error;

/// The server's TLS acceptor and the PEM of the CA clients must trust.
pub(crate) struct Tls {
    pub acceptor: TlsAcceptor,
    pub ca_cert_pem: String,
}

fn tls_error(e: impl std::fmt::Display) -> Error {
    Error::Tls(e.to_string())
}

/// Server-side randomness for rustls, from the operating system.
#[derive(Debug)]
struct OsRandom;

impl SecureRandom for OsRandom {
    fn fill(&self, buf: &mut [u8]) -> Result<(), GetRandomFailed> {
        rand::rngs::OsRng
            .try_fill_bytes(buf)
            .map_err(|_| GetRandomFailed)
    }
}

/// Loads the server key with *ring*'s signers.
#[derive(Debug)]
struct RingKeys;

impl KeyProvider for RingKeys {
    fn load_private_key(
        &self,
        key_der: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        rustls::crypto::ring::sign::any_supported_type(&key_der)
    }
}

/// The server's crypto provider: the process default when the application
/// installed one, otherwise *ring*'s cipher suites and key exchange groups.
///
/// Built from *ring*'s parts rather than `rustls::crypto::ring::default_provider()`,
/// which rustls 0.23.48 deprecates. The server asks for no client certificate,
/// so it verifies no signatures: the verification algorithm list stays empty.
fn provider() -> CryptoProvider {
    if let Some(installed) = CryptoProvider::get_default() {
        return CryptoProvider::clone(installed);
    }
    CryptoProvider {
        cipher_suites: rustls::crypto::ring::DEFAULT_CIPHER_SUITES.to_vec(),
        kx_groups: rustls::crypto::ring::DEFAULT_KX_GROUPS.to_vec(),
        signature_verification_algorithms: WebPkiSupportedAlgorithms {
            all: &[],
            mapping: &[],
        },
        secure_random: &OsRandom,
        key_provider: &RingKeys,
    }
}

/// Makes a CA, a server certificate signed by it, and a rustls acceptor.
pub(crate) fn self_signed() -> Result<Tls, Error> {
    let ca_key = KeyPair::generate().map_err(tls_error)?;
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(tls_error)?;
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "sfgen fake org CA");
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).map_err(tls_error)?;

    let server_key = KeyPair::generate().map_err(tls_error)?;
    let mut server_params =
        CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .map_err(tls_error)?;
    server_params
        .distinguished_name
        .push(DnType::CommonName, "sfgen fake org");
    let server_cert = server_params
        .signed_by(&server_key, &ca)
        .map_err(tls_error)?;

    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
    let provider = Arc::new(provider());
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(vec![server_cert.der().clone(), ca.der().clone()], key)
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Tls {
        acceptor: TlsAcceptor::from(Arc::new(config)),
        ca_cert_pem: ca.pem(),
    })
}
