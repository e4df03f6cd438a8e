//! The top-level fields AKO writes per object type, with the controller's
//! schema default where the schema declares one. Facts from the Avi API
//! swagger (API 30.2.1) as listed in the controller-API notes; the builders
//! that set them are AKO's `internal/rest/avi_obj_*.go` `Avi*Build` functions.
//!
//! The diff uses this table for one thing: a field AKO writes, absent from the
//! desired body, but set on the controller to something other than its
//! default, is a real change (AKO's PUT replaces the whole object).

use serde_json::Value;

use crate::model::AviType;

/// A schema default of a top-level field.
#[derive(Clone, Copy, Debug)]
pub enum FieldDefault {
    /// No declared default: the zero value (false, 0, "", empty) applies.
    Zero,
    Bool(bool),
    Int(i64),
    Str(&'static str),
}

impl FieldDefault {
    /// Whether `v` equals this default. Empty values (null, "", [], {}) always
    /// count as unset; false and 0 only where the default is the zero value.
    pub fn matches(self, v: &Value) -> bool {
        if super::normalize::is_empty(v) {
            return true;
        }
        match self {
            FieldDefault::Zero => super::normalize::is_zero(v),
            FieldDefault::Bool(b) => v.as_bool() == Some(b),
            FieldDefault::Int(i) => v.as_i64() == Some(i),
            FieldDefault::Str(s) => v.as_str() == Some(s),
        }
    }
}

/// Fields AKO writes for `kind` with their defaults.
pub fn fields(kind: AviType) -> &'static [(&'static str, FieldDefault)] {
    match kind {
        AviType::Virtualservice => &[
            ("name", FieldDefault::Zero),
            ("cloud_config_cksum", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("cloud_ref", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("application_profile_ref", FieldDefault::Zero),
            ("se_group_ref", FieldDefault::Zero),
            ("waf_policy_ref", FieldDefault::Zero),
            ("analytics_profile_ref", FieldDefault::Zero),
            ("error_page_profile_ref", FieldDefault::Zero),
            ("enabled", FieldDefault::Bool(true)),
            ("service_metadata", FieldDefault::Zero),
            ("revoke_vip_route", FieldDefault::Zero),
            ("traffic_enabled", FieldDefault::Bool(true)),
            ("vrf_context_ref", FieldDefault::Zero),
            ("enable_rhi", FieldDefault::Zero),
            ("ign_pool_net_reach", FieldDefault::Zero),
            ("pool_group_ref", FieldDefault::Zero),
            ("vsvip_ref", FieldDefault::Zero),
            ("type", FieldDefault::Str("VS_TYPE_NORMAL")),
            ("services", FieldDefault::Zero),
            ("network_profile_ref", FieldDefault::Zero),
            ("vs_datascripts", FieldDefault::Zero),
            ("http_policies", FieldDefault::Zero),
            ("remove_listening_port_on_vs_down", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("l4_policies", FieldDefault::Zero),
            ("pool_ref", FieldDefault::Zero),
            ("analytics_policy", FieldDefault::Zero),
            ("ssl_profile_ref", FieldDefault::Zero),
            ("ssl_key_and_certificate_refs", FieldDefault::Zero),
            ("east_west_placement", FieldDefault::Zero),
            ("icap_request_profile_refs", FieldDefault::Zero),
            ("vh_parent_vs_ref", FieldDefault::Zero),
            ("vh_domain_name", FieldDefault::Zero),
            ("vh_type", FieldDefault::Str("VS_TYPE_VH_SNI")),
            ("vh_matches", FieldDefault::Zero),
            ("min_pools_up", FieldDefault::Zero),
            ("allow_invalid_client_cert", FieldDefault::Zero),
            ("bot_policy_ref", FieldDefault::Zero),
            ("close_client_conn_on_config_update", FieldDefault::Zero),
            ("fqdn", FieldDefault::Zero),
            ("host_name_xlate", FieldDefault::Zero),
            ("network_security_policy_ref", FieldDefault::Zero),
            ("oauth_vs_config", FieldDefault::Zero),
            ("performance_limits", FieldDefault::Zero),
            ("saml_sp_config", FieldDefault::Zero),
            ("security_policy_ref", FieldDefault::Zero),
            ("ssl_sess_cache_avg_size", FieldDefault::Int(1024)),
            ("sso_policy_ref", FieldDefault::Zero),
            ("traffic_clone_profile_ref", FieldDefault::Zero),
        ],
        AviType::Vsvip => &[
            ("name", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("cloud_ref", FieldDefault::Zero),
            ("east_west_placement", FieldDefault::Zero),
            ("dns_info", FieldDefault::Zero),
            ("vip", FieldDefault::Zero),
            ("vsvip_cloud_config_cksum", FieldDefault::Zero),
            ("vrf_context_ref", FieldDefault::Zero),
            ("tier1_lr", FieldDefault::Zero),
            ("bgp_peer_labels", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
        ],
        AviType::Pool => &[
            ("name", FieldDefault::Zero),
            ("cloud_config_cksum", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("cloud_ref", FieldDefault::Zero),
            ("service_metadata", FieldDefault::Zero),
            ("sni_enabled", FieldDefault::Bool(true)),
            ("ssl_profile_ref", FieldDefault::Zero),
            ("ssl_key_and_certificate_ref", FieldDefault::Zero),
            ("pki_profile_ref", FieldDefault::Zero),
            ("host_check_enabled", FieldDefault::Zero),
            ("graceful_disable_timeout", FieldDefault::Int(1)),
            ("placement_networks", FieldDefault::Zero),
            ("vrf_ref", FieldDefault::Zero),
            ("tier1_lr", FieldDefault::Zero),
            ("domain_name", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("application_persistence_profile_ref", FieldDefault::Zero),
            (
                "lb_algorithm",
                FieldDefault::Str("LB_ALGORITHM_LEAST_CONNECTIONS"),
            ),
            (
                "lb_algorithm_hash",
                FieldDefault::Str("LB_ALGORITHM_CONSISTENT_HASH_SOURCE_IP_ADDRESS"),
            ),
            ("lb_algorithm_consistent_hash_hdr", FieldDefault::Zero),
            ("enable_http2", FieldDefault::Zero),
            ("servers", FieldDefault::Zero),
            ("health_monitor_refs", FieldDefault::Zero),
            ("analytics_policy", FieldDefault::Zero),
            ("enabled", FieldDefault::Bool(true)),
            ("min_servers_up", FieldDefault::Zero),
        ],
        AviType::Poolgroup => &[
            ("name", FieldDefault::Zero),
            ("cloud_config_cksum", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("members", FieldDefault::Zero),
            ("cloud_ref", FieldDefault::Zero),
            ("implicit_priority_labels", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
        ],
        AviType::Httppolicyset => &[
            ("name", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("http_request_policy", FieldDefault::Zero),
            ("http_security_policy", FieldDefault::Zero),
            ("http_response_policy", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("cloud_config_cksum", FieldDefault::Zero),
        ],
        AviType::Vsdatascriptset => &[
            ("name", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("datascript", FieldDefault::Zero),
            ("pool_group_refs", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("protocol_parser_refs", FieldDefault::Zero),
        ],
        AviType::Sslkeyandcertificate => &[
            ("name", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("certificate", FieldDefault::Zero),
            ("key", FieldDefault::Zero),
            ("type", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("ca_certs", FieldDefault::Zero),
        ],
        AviType::Pkiprofile => &[
            ("name", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("crl_check", FieldDefault::Bool(true)),
            ("ca_certs", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
        ],
        AviType::L4policyset => &[
            ("name", FieldDefault::Zero),
            ("created_by", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
            ("l4_connection_policy", FieldDefault::Zero),
        ],
        AviType::Vrfcontext => &[("static_routes", FieldDefault::Zero)],
        // AKO: `internal/rest/avi_obj_persistence_profile.go`
        // `AviPersistenceProfileBuild` (no `created_by`).
        AviType::Applicationpersistenceprofile => &[
            ("name", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            (
                "persistence_type",
                FieldDefault::Str("PERSISTENCE_TYPE_CLIENT_IP_ADDRESS"),
            ),
            ("http_cookie_persistence_profile", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
        ],
        AviType::Stringgroup => &[
            ("name", FieldDefault::Zero),
            ("tenant_ref", FieldDefault::Zero),
            ("kv", FieldDefault::Zero),
            ("type", FieldDefault::Str("SG_TYPE_STRING")),
            ("description", FieldDefault::Zero),
            ("longest_match", FieldDefault::Zero),
            ("markers", FieldDefault::Zero),
        ],
    }
}
