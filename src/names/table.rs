//! The formulas. Each names the AKO file and function it follows; the
//! compile side formats with them and `explain-name` reads names back with
//! them (see [`super`] for the template syntax).

use super::{Formula, Hash};

const SPEC_SHARD: &str =
    "AKO internal/nodes/dequeue_ingestion.go GetShardVSName, pkg/utils/utils.go Bkt";
const SPEC_ENCODE: &str = "AKO internal/lib/lib.go Encode";
const SPEC_EVH: &str = "AKO internal/lib/lib.go GetEvhNodeName, GetEvhPoolName, GetEvhPGName";
const SPEC_PASSTHROUGH: &str =
    "AKO internal/lib/lib.go GetPassthroughShardVSName, GetPassthroughPGName";
const SPEC_GATEWAY: &str =
    "AKO ako-gateway-api/lib/lib.go GetGatewayParentName, GetChildName, GetPoolName";
const SPEC_NO_PG: &str = "AKO internal/lib/lib.go GetSniPoolName, PoolNameSuffixForHttpPolToPool appended in internal/nodes/avi_model_l7_hostname_shard.go";
const SPEC_SVCAPI: &str =
    "AKO internal/lib/lib.go GetL4VSName, GetL4VSVipName, GetSvcApiL4PoolName";

/// The Gateway API container's hashed names: `ako-gw-<cluster>--sha1(...)`
/// (`internal/lib/lib.go` `EncodeWithPrefix` under the prefix set by
/// `cmd/gateway-api/main.go`).
const GW_HASHED: Hash = Hash::Always("ako-gw-<cluster>--<sha1:hex>");

const VS_VSVIP: &[&str] = &["virtualservice", "vsvip"];
const L4_TYPES: &[&str] = &["virtualservice", "vsvip", "l4policyset"];
const POOL_PG: &[&str] = &["pool", "poolgroup"];

const fn f(
    rule: &'static str,
    template: &'static str,
    spec: &'static str,
    types: &'static [&'static str],
    hash: Hash,
    order: &'static [&'static str],
) -> Formula {
    Formula {
        rule,
        template,
        spec,
        types,
        hash,
        order,
        cluster_part: false,
        display: None,
    }
}

// ---- L7: shared, dedicated, SNI and EVH names ----

/// Shard VS (and its vsvip, pool group, datascript, redirect policy):
/// `internal/nodes/dequeue_ingestion.go` `GetShardVSName`.
pub const SHARD_VS: Formula = f(
    "shared L7 parent VS (shard)",
    "<cluster>--[<ako-ns>-]Shared-L7-[<infra>-]<n:digits>",
    SPEC_SHARD,
    &[
        "virtualservice",
        "vsvip",
        "poolgroup",
        "vsdatascriptset",
        "httppolicyset",
    ],
    Hash::Plain,
    &[],
);

/// EVH parent VS: `internal/nodes/avi_model_evh_nodes.go` `DeriveShardVSForEvh`.
pub const EVH_SHARD_VS: Formula = f(
    "EVH parent VS (shard)",
    "<cluster>--[<ako-ns>-]Shared-L7-EVH-[<infra>-]<n:digits>",
    SPEC_EVH,
    VS_VSVIP,
    Hash::Plain,
    &[],
);

/// EVH parent VS with `vipPerNamespace`: `avi_model_evh_nodes.go`
/// `DeriveShardVSForEvh`.
pub const EVH_NAMESPACE_VS: Formula = f(
    "EVH parent VS per namespace (vipPerNamespace)",
    "<cluster>--[<ako-ns>-]Shared-L7-EVH-[<infra>-]NS-<namespace>",
    SPEC_EVH,
    VS_VSVIP,
    Hash::Plain,
    &[],
);

/// Passthrough shard VS: `internal/lib/lib.go` `GetPassthroughShardVSName`.
pub const PASSTHROUGH_VS: Formula = f(
    "passthrough shard VS",
    "<cluster>--[<ako-ns>-]Shared-Passthrough-[<infra>-]<n:digits>",
    SPEC_PASSTHROUGH,
    &["virtualservice", "vsvip", "vsdatascriptset", "poolgroup"],
    Hash::Plain,
    &[],
);

/// The insecure companion of a passthrough shard VS: the shard name and
/// `lib.PassthroughInsecure` (`internal/nodes/avi_model_tls_passthrough.go`).
pub const PASSTHROUGH_INSECURE_VS: Formula = f(
    "insecure companion of a passthrough shard VS",
    "<cluster>--[<ako-ns>-]Shared-Passthrough-[<infra>-]<n:digits>-insecure",
    SPEC_PASSTHROUGH,
    &["virtualservice", "vsvip", "vsdatascriptset", "poolgroup"],
    Hash::Plain,
    &[],
);

/// Pool group of a passthrough host (`GetPassthroughPGName`).
pub const PASSTHROUGH_PG: Formula = f(
    "passthrough pool group (one per host)",
    "<cluster>--[<infra:infra>-]<host:host>",
    "AKO internal/lib/lib.go GetPassthroughPGName",
    &["poolgroup"],
    Hash::Plain,
    &["host"],
);

/// Pool of a passthrough host's Service (`GetPassthroughPoolName`).
pub const PASSTHROUGH_POOL: Formula = f(
    "passthrough pool (one per host and Service)",
    "<cluster>--[<infra:infra>-]<host:host>-<service:label>",
    "AKO internal/lib/lib.go GetPassthroughPoolName",
    &["pool"],
    Hash::Plain,
    &["service", "host"],
);

/// Dedicated VS: `GetShardVSName` with shard size 0 (`lib.DedicatedSuffix`).
pub const DEDICATED_VS: Formula = f(
    "dedicated virtual service",
    "<cluster>--[<infra:infra>-]<host:host>-L7-dedicated",
    "AKO internal/nodes/dequeue_ingestion.go GetShardVSName with lib.DedicatedSuffix",
    &["virtualservice", "vsvip", "httppolicyset"],
    Hash::Evh,
    &["host"],
);

/// Dedicated EVH VS: `avi_model_evh_nodes.go` `GetDedicatedVSName`,
/// `Encode(dedicated VS name) + lib.EVHSuffix`.
pub const DEDICATED_EVH_VS: Formula = f(
    "dedicated EVH virtual service",
    "<cluster>--[<infra:infra>-]<host:host>-L7-dedicated",
    SPEC_EVH,
    VS_VSVIP,
    Hash::Always("<cluster>--<sha1:hex>-EVH"),
    &[],
);

/// Insecure Ingress pool on the shard VS: `internal/lib/lib.go` `GetL7PoolName`.
pub const INSECURE_POOL: Formula = f(
    "insecure Ingress pool (on the shard VS)",
    "<cluster>--[<infra:nodot>-]<host:host><path_:path>-<namespace:label>-<ingress:sub>",
    "AKO internal/lib/lib.go GetL7PoolName",
    &["pool"],
    Hash::Plain,
    &["ingress", "namespace", "host"],
);

/// SNI child VS and its certificate (`GetSniNodeName`,
/// `GetTLSKeyCertNodeName`); hashed in EVH mode (`GetEvhNodeName`).
pub const SNI_VS: Formula = f(
    "SNI child virtual service / its certificate",
    "<cluster>--[<infra:infra>-]<host:host>",
    "AKO internal/lib/lib.go GetSniNodeName, GetTLSKeyCertNodeName, GetEvhNodeName",
    &["virtualservice", "sslkeyandcertificate"],
    Hash::Evh,
    &["host"],
);

/// Alternate certificate (`GetTLSKeyCertNodeName` with `secret + "-alt"`).
pub const ALT_CERT: Formula = f(
    "alternate certificate (alt.crt/alt.key)",
    "<cluster>--[<infra:infra>-]<host:host>-alt",
    "AKO internal/lib/lib.go GetTLSKeyCertNodeName",
    &["sslkeyandcertificate"],
    Hash::Evh,
    &["host"],
);

/// CA certificate of a Route (`GetCACertNodeName`).
pub const CA_CERT: Formula = f(
    "CA certificate",
    "<cluster>--[<infra:infra>-]<host:host>-cacert",
    "AKO internal/lib/lib.go GetCACertNodeName",
    &["sslkeyandcertificate"],
    Hash::Evh,
    &["host"],
);

/// The `ako.vmware.com/enable-tls` certificate (`GetTLSKeyCertNodeName`
/// with `lib.DefaultRouteCert`).
pub const DEFAULT_CERT: Formula = Formula {
    display: Some("<cluster>--router-certs-default[-alt]"),
    ..f(
        "default certificate (ako.vmware.com/enable-tls)",
        "<cluster>--<secret:defaultcert>",
        "AKO internal/lib/lib.go GetTLSKeyCertNodeName",
        &["sslkeyandcertificate"],
        Hash::Evh,
        &[],
    )
};

/// SNI pool, pool group and HTTP policy-set map (`GetSniPoolName`,
/// `GetSniPGName`); hashed in EVH mode (`GetEvhPGName`).
pub const SNI_POOL: Formula = f(
    "SNI pool / pool group (secure Ingress host)",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>",
    "AKO internal/lib/lib.go GetSniPoolName, GetSniPGName, GetSniHppMapName, GetEvhPGName",
    POOL_PG,
    Hash::Evh,
    &["ingress", "host", "namespace"],
);

/// Dedicated-mode pool and pool group (`GetSniPoolName` + `DedicatedSuffix`).
pub const DEDICATED_POOL: Formula = f(
    "dedicated pool / pool group",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>-L7-dedicated",
    "AKO internal/lib/lib.go GetSniPoolName, GetSniPGName, GetSniHppMapName, GetEvhPGName",
    POOL_PG,
    Hash::Evh,
    &["ingress", "host", "namespace"],
);

/// SNI pool chosen by the policy itself with `noPGForSNI`: the
/// `GetSniPoolName` name, `--` and `lib.PoolNameSuffixForHttpPolToPool`
/// (`internal/nodes/avi_model_l7_hostname_shard.go`).
pub const SNI_POOL_NO_PG: Formula = f(
    "SNI pool (noPGForSNI)",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>--policy-to-pool",
    SPEC_NO_PG,
    &["pool"],
    Hash::Plain,
    &["ingress", "host", "namespace"],
);

/// [`SNI_POOL_NO_PG`] of a dedicated VS (`GetSniPoolName` +
/// `DedicatedSuffix`, then the noPGForSNI suffix).
pub const DEDICATED_POOL_NO_PG: Formula = f(
    "dedicated SNI pool (noPGForSNI)",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>-L7-dedicated--policy-to-pool",
    SPEC_NO_PG,
    &["pool"],
    Hash::Plain,
    &["ingress", "host", "namespace"],
);

/// EVH pool (`GetEvhPoolName`, `GetEvhPoolNameNoEncoding`).
pub const EVH_POOL: Formula = f(
    "EVH pool, Route pool",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>-<service:label>",
    "AKO internal/lib/lib.go GetEvhPoolName, GetEvhPoolNameNoEncoding",
    &["pool"],
    Hash::Evh,
    &["service", "ingress", "host", "namespace"],
);

/// EVH pool in dedicated mode (`GetEvhPoolName` + `DedicatedSuffix`).
pub const EVH_POOL_DEDICATED: Formula = f(
    "EVH pool, Route pool (dedicated)",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host><path_:path>-<ingress:sub>-<service:label>-L7-dedicated",
    "AKO internal/lib/lib.go GetEvhPoolName, GetEvhPoolNameNoEncoding",
    &["pool"],
    Hash::Evh,
    &["service", "ingress", "host", "namespace"],
);

/// HTTP policy set of a host in a namespace (`GetSniHttpPolName`).
pub const SNI_HTTPPS: Formula = f(
    "SNI HTTP policy set (one per namespace and host)",
    "<cluster>--[<infra:label>-]<namespace:label>-<host:host>",
    "AKO internal/lib/lib.go GetSniHttpPolName",
    &["httppolicyset"],
    Hash::Evh,
    &["host", "namespace"],
);

/// Header rewrite policy set for HostRule `gslb.fqdn` on an insecure host
/// (`internal/nodes/avi_model_l7_hostname_shard.go`, `vsName +
/// "--host-hdr-re-write--" + host`).
pub const HEADER_REWRITE: Formula = Formula {
    display: Some("<shard VS>--host-hdr-re-write--<host>"),
    ..f(
        "header-rewrite HTTP policy set (HostRule gslb.fqdn of an insecure host)",
        "<vs>--host-hdr-re-write--<host>",
        "AKO internal/lib/lib.go GetHeaderRewritePolicy",
        &["httppolicyset"],
        Hash::Plain,
        &[],
    )
};

/// PKI profile of a pool (`GetPoolPKIProfileName`; HTTPRule
/// `BuildPoolHTTPRule`): `Encode(pool + "-pkiprofile")`.
pub const POOL_PKI_PROFILE: Formula = Formula {
    display: Some("<pool name>-pkiprofile"),
    ..f(
        "PKI profile of a pool (Route or HTTPRule destination CA)",
        "<pool>-pkiprofile",
        "AKO internal/lib/lib.go GetPoolPKIProfileName",
        &["pkiprofile"],
        Hash::Evh,
        &[],
    )
};

/// Any name through `Encode` in EVH mode: `<cluster>--sha1(name)`.
pub const ENCODED: Formula = Formula {
    display: Some("<cluster>--sha1(<full name>)"),
    ..f(
        "encoded name",
        "<cluster>--<sha1:hex>",
        SPEC_ENCODE,
        &[
            "virtualservice",
            "vsvip",
            "pool",
            "poolgroup",
            "httppolicyset",
            "sslkeyandcertificate",
            "pkiprofile",
        ],
        Hash::Plain,
        &[],
    )
};

/// Pool and pool group of an SNI host with HostRule `useRegex`
/// (`GetEncodedSniPGPoolNameforRegex`): `<cluster>--sha1(name)`, also
/// without EVH.
pub const REGEX_RENAMED: Formula = Formula {
    display: Some("<cluster>--sha1(<un-hashed name>)"),
    ..f(
        "pool / pool group renamed for HostRule useRegex (SNI mode)",
        "<name>",
        "AKO internal/lib/lib.go GetEncodedStringGroupName, GetEncodedSniPGPoolNameforRegex",
        POOL_PG,
        Hash::Always("<cluster>--<sha1:hex>"),
        &[],
    )
};

/// String group of a regex path (`GetEncodedStringGroupName`): the AKO
/// user `ako-<cluster>[-<namespace>]`, `-`, sha1 of host and path.
pub const STRING_GROUP: Formula = Formula {
    cluster_part: true,
    ..f(
        "string group (HostRule useRegex)",
        "<host:host><path:text>",
        "AKO internal/lib/lib.go GetEncodedStringGroupName, GetEncodedSniPGPoolNameforRegex",
        &["stringgroup"],
        Hash::Always("ako-<cluster:user>-<sha1:hex>"),
        &[],
    )
};

// ---- L4: LoadBalancer Services, shared VIPs, services-API gateways ----

/// L4 VS, its vsvip and L4 policy set (`GetL4VSName`).
pub const L4_VS: Formula = f(
    "L4 virtual service (Service of type LoadBalancer)",
    "<cluster>--<namespace:label>-<service:sub>",
    "AKO internal/lib/lib.go GetL4VSName, GetL4VSVipName; the L4 policy set takes the VS name",
    L4_TYPES,
    Hash::Evh,
    &["service"],
);

/// Services-API gateway VS (`GetL4VSName` of `gwNs + "-" + gwName`).
pub const SVCAPI_VS: Formula = f(
    "services-API gateway L4 virtual service",
    "<cluster>--<namespace:label>-<gateway:sub>",
    SPEC_SVCAPI,
    L4_TYPES,
    Hash::Evh,
    &["gateway"],
);

/// Shared-VIP VS (`GetL4VSName` of the shared-vip key).
pub const SHARED_VIP_VS: Formula = f(
    "shared-VIP L4 virtual service",
    "<cluster>--<namespace:label>-<shared-vip key:sub>",
    "AKO internal/lib/lib.go GetL4VSName, GetL4VSVipName of the shared-vip key, called by internal/nodes/avi_model_advl4_translator.go",
    L4_TYPES,
    Hash::Evh,
    &["shared-vip"],
);

/// L4 pool, one per Service port (`GetL4PoolName`).
pub const L4_POOL: Formula = f(
    "L4 pool (one per Service port)",
    "<cluster>--<namespace:label>-<service:label>-<PROTOCOL:proto>-<port:digits>",
    "AKO internal/lib/lib.go GetL4PoolName",
    &["pool"],
    Hash::Evh,
    &["service"],
);

/// Services-API gateway pool, one per listener (`GetSvcApiL4PoolName`).
pub const SVCAPI_POOL: Formula = f(
    "services-API gateway pool (one per listener)",
    "<cluster>--<gateway namespace:label>-<service:label>-<gateway:sub>-<PROTOCOL:proto>-<port:digits>",
    SPEC_SVCAPI,
    &["pool"],
    Hash::Evh,
    &["service", "gateway"],
);

/// Shared-VIP pool (`GetSvcApiL4PoolName` with the shared-vip key as gateway).
pub const SHARED_VIP_POOL: Formula = f(
    "shared-VIP L4 pool",
    "<cluster>--<namespace:label>-<service:label>-<shared-vip key>-<PROTOCOL:proto>-<port:digits>",
    "AKO internal/lib/lib.go GetSvcApiL4PoolName with the shared-vip key, called by internal/nodes/avi_model_advl4_translator.go",
    &["pool"],
    Hash::Evh,
    &["service", "shared-vip"],
);

// ---- Gateway API (the ako-gateway-api container) ----

/// Parent VS of a Gateway (`ako-gateway-api/lib/lib.go` `GetGatewayParentName`).
pub const GW_PARENT_VS: Formula = f(
    "Gateway parent virtual service",
    "ako-gw-<cluster>--<namespace:label>-<gateway:sub>-EVH",
    SPEC_GATEWAY,
    VS_VSVIP,
    Hash::Plain,
    &["gateway"],
);

/// Parent VS in dedicated gateway mode (`GetGatewayParentName` with
/// `lib.DedicatedSuffix`).
pub const GW_DEDICATED_VS: Formula = f(
    "dedicated Gateway virtual service",
    "ako-gw-<cluster>--<namespace:label>-<gateway:sub>-L7-dedicated-EVH",
    SPEC_GATEWAY,
    VS_VSVIP,
    Hash::Plain,
    &["gateway"],
);

/// The default-backend policy set (`GetDefaultHTTPPSName`).
pub const GW_DEFAULT_BACKEND: Formula = Formula {
    cluster_part: true,
    ..f(
        "Gateway default-backend HTTP policy set",
        "ako-gw-<cluster>--default-backend",
        SPEC_GATEWAY,
        &["httppolicyset"],
        Hash::Plain,
        &[],
    )
};

/// Any hashed Gateway API name, read without inputs.
pub const GW_ENCODED: Formula = Formula {
    display: Some(
        "ako-gw-<cluster>--sha1(<gwNs>-<gateway>-<routeNs>-<route>-fnv(<rule>)[-<backendNs>-<service>-<port>]) or sha1(<gwNs>-<gateway>-<routeNs>-<route>-PERSISTENCE_TYPE_HTTP_COOKIE-fnv(<rule>)) or sha1(<gwNs>-<gateway>-<secretNs>-<secret>)",
    ),
    ..f(
        "Gateway API encoded name",
        "ako-gw-<cluster>--<sha1:hex>",
        SPEC_GATEWAY,
        &[
            "virtualservice",
            "poolgroup",
            "pool",
            "httppolicyset",
            "applicationpersistenceprofile",
            "sslkeyandcertificate",
        ],
        Hash::Plain,
        &[],
    )
};

/// Dedicated-mode regex string group (`GetEncodedStringGroupName("", path)`
/// under the container's AKO user `ako-gw-<cluster>-<namespace>`).
pub const GW_STRING_GROUP: Formula = Formula {
    display: Some("ako-gw-<cluster>-<AKO namespace>-sha1(<path>)"),
    ..f(
        "Gateway string group (dedicated mode regex path)",
        "<path:text>",
        "AKO internal/lib/lib.go GetEncodedStringGroupName, called by ako-gateway-api/nodes/avi_model_l7_dedicated_translator.go",
        &["stringgroup"],
        Hash::Always("<user:gwuser>-<sha1:hex>"),
        &[],
    )
};

/// Child VS and its pool group, one per route rule (`GetChildName`,
/// `GetPoolGroupName`); `<rule>` is `Stringify(Hash(...))` of the rule name
/// or of the Go JSON of its matches (`nodes/route_model.go` `ParseRouteConfig`).
pub const GW_CHILD: Formula = f(
    "Gateway child virtual service / pool group (one per route rule)",
    "<gateway-namespace>-<gateway>-<route-namespace>-<route>-<rule:digits>",
    "AKO ako-gateway-api/lib/lib.go GetChildName, GetPoolGroupName",
    &["virtualservice", "poolgroup"],
    GW_HASHED,
    &[],
);

/// Pool of one backendRef of a rule (`GetPoolName`).
pub const GW_POOL: Formula = f(
    "Gateway pool (one per backend of a route rule)",
    "<gateway-namespace>-<gateway>-<route-namespace>-<route>-<rule:digits>-<backend-namespace>-<backend>-<port:digits>",
    "AKO ako-gateway-api/lib/lib.go GetPoolName",
    &["pool"],
    GW_HASHED,
    &[],
);

/// Cookie persistence profile of a rule (`GetPersistenceProfileName`).
pub const GW_PERSISTENCE: Formula = f(
    "Gateway cookie persistence profile (one per route rule)",
    "<gateway-namespace>-<gateway>-<route-namespace>-<route>-PERSISTENCE_TYPE_HTTP_COOKIE-<rule:digits>",
    "AKO ako-gateway-api/lib/lib.go GetPersistenceProfileName",
    &["applicationpersistenceprofile"],
    GW_HASHED,
    &[],
);

/// Listener certificate (`GetTLSKeyCertNodeName`).
pub const GW_CERT: Formula = f(
    "Gateway listener certificate",
    "<gateway-namespace>-<gateway>-<secret-namespace>-<secret>",
    "AKO ako-gateway-api/lib/lib.go GetTLSKeyCertNodeName",
    &["sslkeyandcertificate"],
    GW_HASHED,
    &[],
);

/// Dedicated mode: the one policy set of a route (`GetHttpPolicySetName`).
pub const GW_DEDICATED_POLICY: Formula = f(
    "Gateway HTTP policy set of a route (dedicated mode)",
    "<gateway-namespace>-<gateway>-<route-namespace>-<route>-httproute",
    "AKO ako-gateway-api/lib/lib.go GetHttpPolicySetName",
    &["httppolicyset"],
    GW_HASHED,
    &[],
);

/// Dedicated mode pool, hashed from the already hashed pool group name
/// (`GetDedicatedPoolName`).
pub const GW_DEDICATED_POOL: Formula = f(
    "Gateway pool (dedicated mode)",
    "<pool-group>-<backend-namespace>-<backend>-<port:digits>",
    "AKO ako-gateway-api/lib/lib.go GetDedicatedPoolName",
    &["pool"],
    GW_HASHED,
    &[],
);

/// An ako-crd-operator object a Gateway API ExtensionRef names
/// (`ako-crd-operator/internal/lib/lib.go` `GetObjectName`).
pub const CRD_OPERATOR_OBJECT: Formula = f(
    "ako-crd-operator object (named by an ExtensionRef)",
    "<namespace>-<name>",
    "AKO ako-crd-operator/internal/lib/lib.go GetObjectName",
    &["healthmonitor", "applicationprofile", "pkiprofile"],
    Hash::Always("ako-crd-operator-<cluster>--<sha1:hex>"),
    &[],
);

// ---- Istio ----

/// PKI profile of the Istio integration (`internal/lib/lib.go`
/// `GetIstioPKIProfileName`).
pub const ISTIO_PKI_PROFILE: Formula = f(
    "Istio PKI profile",
    "istio-pki-<cluster>-<ako-namespace>",
    "AKO internal/lib/lib.go GetIstioPKIProfileName",
    &["pkiprofile"],
    Hash::Plain,
    &[],
);

/// Workload certificate of the Istio integration (`internal/lib/lib.go`
/// `GetIstioWorkloadCertificateName`).
pub const ISTIO_WORKLOAD_CERT: Formula = f(
    "Istio workload certificate",
    "istio-workload-<cluster>-<ako-namespace>",
    "AKO internal/lib/lib.go GetIstioWorkloadCertificateName",
    &["sslkeyandcertificate"],
    Hash::Plain,
    &[],
);

/// Every formula, for the round-trip test and for listing.
pub const ALL: &[&Formula] = &[
    &SHARD_VS,
    &EVH_SHARD_VS,
    &EVH_NAMESPACE_VS,
    &PASSTHROUGH_VS,
    &PASSTHROUGH_INSECURE_VS,
    &PASSTHROUGH_PG,
    &PASSTHROUGH_POOL,
    &DEDICATED_VS,
    &DEDICATED_EVH_VS,
    &INSECURE_POOL,
    &SNI_VS,
    &ALT_CERT,
    &CA_CERT,
    &DEFAULT_CERT,
    &SNI_POOL,
    &DEDICATED_POOL,
    &SNI_POOL_NO_PG,
    &DEDICATED_POOL_NO_PG,
    &EVH_POOL,
    &EVH_POOL_DEDICATED,
    &SNI_HTTPPS,
    &HEADER_REWRITE,
    &POOL_PKI_PROFILE,
    &ENCODED,
    &REGEX_RENAMED,
    &STRING_GROUP,
    &L4_VS,
    &SVCAPI_VS,
    &SHARED_VIP_VS,
    &L4_POOL,
    &SVCAPI_POOL,
    &SHARED_VIP_POOL,
    &GW_PARENT_VS,
    &GW_DEDICATED_VS,
    &GW_DEFAULT_BACKEND,
    &GW_ENCODED,
    &GW_STRING_GROUP,
    &GW_CHILD,
    &GW_POOL,
    &GW_PERSISTENCE,
    &GW_CERT,
    &GW_DEDICATED_POLICY,
    &GW_DEDICATED_POOL,
    &CRD_OPERATOR_OBJECT,
    &ISTIO_PKI_PROFILE,
    &ISTIO_WORKLOAD_CERT,
];
