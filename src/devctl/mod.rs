//! An in-memory Avi controller for tests (and, later, `akoctl dev-controller`).
//!
//! It behaves like a real controller where akoctl depends on it (see the
//! controller-API notes §7): `POST /login` with JSON or form bodies and
//! password or token, `csrftoken` + session cookies, 401 without a session,
//! CSRF checks on unsafe methods, `X-Avi-Version` required, `X-Avi-Tenant`
//! scoping (`*` for reads only), paginated lists with `count` and absolute
//! `next` links, filters (`name`, `name.contains`, `created_by`,
//! `cloud_ref.name`, `label_key`/`label_value`), refs rendered as
//! `<scheme>://<host>/api/<type>/<uuid>[#name]`, controller-filled fields,
//! redacted private keys, 409 on duplicates, 403 on deleting a referenced
//! object, 400 on fields newer than the request's `X-Avi-Version`
//! ([`versions`]), fault injection ([`Faults`], [`Fault`]) and a request log
//! (status 0: the connection was dropped). Every cloud has its own VRF
//! context `global` (a cloud created over the API gets one), and a ref by
//! name means the object of the referring object's cloud.
//!
//! It only listens on loopback. [`handle`] is the whole controller as a plain
//! function over a [`Store`]; [`FakeController`] serves it over HTTP/1.

pub mod seed;
pub mod serve;
pub mod versions;

mod auth;
mod faults;
mod handlers;
mod store;
mod wire;

pub use faults::{Fault, Faults};
pub use handlers::handle;
pub use serve::FakeController;
pub use store::{LogEntry, Store, Stored};
pub use wire::{Reply, Req};

/// Fake controller settings.
#[derive(Clone, Debug)]
pub struct Config {
    pub version: String,
    /// username -> password.
    pub users: Vec<(String, String)>,
    /// username -> auth token.
    pub tokens: Vec<(String, String)>,
    /// `sessionid` (older controllers) or `avi-sessionid`.
    pub session_cookie_name: String,
    /// Page size when the client sends none.
    pub default_page_size: usize,
    /// Tenants besides `admin`.
    pub tenants: Vec<String>,
    /// Reject requests without `X-Avi-Version`.
    pub require_version: bool,
    /// DNS sub-domains of every cloud.
    pub dns_domains: Vec<String>,
    pub license_tier: String,
    /// The `vtype` of `Default-Cloud`.
    pub cloud_vtype: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            version: "22.1.3".into(),
            users: vec![("admin".into(), "admin".into())],
            tokens: Vec::new(),
            session_cookie_name: "avi-sessionid".into(),
            default_page_size: 25,
            tenants: Vec::new(),
            require_version: true,
            dns_domains: Vec::new(),
            license_tier: "ENTERPRISE".into(),
            cloud_vtype: "CLOUD_VCENTER".into(),
        }
    }
}
