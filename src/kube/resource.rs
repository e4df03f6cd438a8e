//! The `k8s_resource!` macro that gives our own serde types of custom
//! resources the k8s-openapi traits.

/// `k8s_openapi::Resource` and `Metadata` for one of our own serde types of
/// a custom resource (CRDs, Routes, the Gateway APIs), so that they go
/// through the same typed decoding and cluster listing as k8s-openapi's own.
macro_rules! k8s_resource {
    ($t:ty, $group:literal, $version:literal, $kind:literal, $plural:literal, $scope:ty) => {
        impl k8s_openapi::Resource for $t {
            const API_VERSION: &'static str = concat!($group, "/", $version);
            const GROUP: &'static str = $group;
            const KIND: &'static str = $kind;
            const VERSION: &'static str = $version;
            const URL_PATH_SEGMENT: &'static str = $plural;
            type Scope = $scope;
        }

        impl k8s_openapi::Metadata for $t {
            type Ty = k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
            fn metadata(&self) -> &Self::Ty {
                &self.metadata
            }
            fn metadata_mut(&mut self) -> &mut Self::Ty {
                &mut self.metadata
            }
        }
    };
}
pub(crate) use k8s_resource;
