//! The one TLS crypto provider of the process.
//!
//! Every TLS user in akoctl (the controller client through reqwest, the live
//! cluster client through kube, the dev controller's server) runs on rustls
//! with the `ring` provider; no other provider is compiled in (Cargo.toml keeps
//! reqwest on `rustls-no-provider`). reqwest and kube then take the process
//! default, which [`install_crypto_provider`] sets before the first connection.

/// Make rustls use the ring provider for every connection of the process.
///
/// A second call, or a provider installed earlier by someone else, is fine.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}
