//! SSORule (`ssorules.ako.vmware.com/v1alpha2`). AKO:
//! `pkg/apis/ako/v1alpha2/ssorule.go`, `common.go`,
//! `helm/ako/crds/ako.vmware.com_ssorules.yaml`.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde::{Deserialize, Serialize};

use super::{CrdStatus, crd_impl};

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoRule {
    #[serde(
        default,
        rename = "apiVersion",
        skip_serializing_if = "Option::is_none"
    )]
    pub api_version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default)]
    pub metadata: ObjectMeta,
    #[serde(default)]
    pub spec: SsoRuleSpec,
    #[serde(default)]
    pub status: CrdStatus,
}
crd_impl!(
    SsoRule,
    "SSORule",
    "v1alpha2",
    "ssorules",
    k8s_openapi::NamespaceResourceScope
);

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SsoRuleSpec {
    pub fqdn: Option<String>,
    pub oauth_vs_config: Option<OauthVsConfig>,
    pub saml_sp_config: Option<SamlSpConfig>,
    pub sso_policy_ref: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OauthVsConfig {
    pub cookie_name: Option<String>,
    /// Schema default 60.
    #[serde(default = "d60")]
    pub cookie_timeout: Option<i32>,
    #[serde(rename = "logoutURI")]
    pub logout_uri: Option<String>,
    #[serde(default)]
    pub oauth_settings: Vec<OauthSettings>,
    #[serde(rename = "postLogoutRedirectURI")]
    pub post_logout_redirect_uri: Option<String>,
    #[serde(rename = "redirectURI")]
    pub redirect_uri: Option<String>,
}

fn d60() -> Option<i32> {
    Some(60)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OauthSettings {
    pub app_settings: Option<AppSettings>,
    pub auth_profile_ref: Option<String>,
    pub resource_server: Option<ResourceServer>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppSettings {
    #[serde(rename = "clientID")]
    pub client_id: Option<String>,
    /// Name of a Secret in the SSORule namespace (data key `clientSecret`).
    pub client_secret: Option<String>,
    pub oidc_config: Option<OidcConfig>,
    #[serde(default)]
    pub scopes: Vec<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OidcConfig {
    pub oidc_enable: Option<bool>,
    /// Schema default `true`.
    #[serde(default = "some_true")]
    pub profile: Option<bool>,
    pub userinfo: Option<bool>,
}

fn some_true() -> Option<bool> {
    Some(true)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceServer {
    pub access_type: Option<String>,
    /// Schema default 0.
    #[serde(default = "d0")]
    pub introspection_data_timeout: Option<i32>,
    pub jwt_params: Option<JwtParams>,
    pub opaque_token_params: Option<OpaqueTokenParams>,
}

fn d0() -> Option<i32> {
    Some(0)
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct JwtParams {
    pub audience: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpaqueTokenParams {
    #[serde(rename = "serverID")]
    pub server_id: Option<String>,
    /// Name of a Secret in the SSORule namespace (data key `serverSecret`).
    pub server_secret: Option<String>,
}

#[derive(Clone, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SamlSpConfig {
    pub acs_index: Option<i32>,
    pub authn_req_acs_type: Option<String>,
    pub cookie_name: Option<String>,
    /// Schema default 60.
    #[serde(default = "d60")]
    pub cookie_timeout: Option<i32>,
    #[serde(rename = "entityID")]
    pub entity_id: Option<String>,
    pub signing_ssl_key_and_certificate_ref: Option<String>,
    #[serde(rename = "singleSignonURL")]
    pub single_signon_url: Option<String>,
    pub use_idp_session_timeout: Option<bool>,
}
