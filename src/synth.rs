//! A synthetic cluster for benchmarks and scale tests: N LoadBalancer
//! Services and M Ingresses with H hosts each, P paths per host, TLS on a
//! share of the hosts, EndpointSlices for every Service. Deterministic from a
//! seed; pure (returns the manifest text).

use std::fmt::Write as _;

/// What to generate.
#[derive(Clone, Debug)]
pub struct GenSpec {
    pub seed: u64,
    /// LoadBalancer Services (each with 2 ports and its own EndpointSlice).
    pub services: usize,
    /// Ingresses (each with its own ClusterIP backend Service).
    pub ingresses: usize,
    /// Hosts per Ingress.
    pub hosts: usize,
    /// Paths per host.
    pub paths: usize,
    /// Percentage (0..=100) of Ingresses whose hosts are TLS.
    pub tls_percent: u32,
    /// Namespaces the objects are spread over.
    pub namespaces: usize,
}

impl Default for GenSpec {
    fn default() -> Self {
        GenSpec {
            seed: 1,
            services: 100,
            ingresses: 100,
            hosts: 2,
            paths: 2,
            tls_percent: 30,
            namespaces: 10,
        }
    }
}

/// SplitMix64: small, fast, good enough to vary names and addresses.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// The quickstart example's self-signed certificate, base64 as in a Secret's
/// `data` (the names AKO builds never depend on certificate content), and a
/// placeholder where the key goes.
const CERT_B64: &str = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJxakNDQVZHZ0F3SUJBZ0lVUDlNM2xjUm9DaHhnMHBycGcyQjBsbGpKc1hrd0NnWUlLb1pJemowRUF3SXcKSERFYU1CZ0dBMVVFQXd3UmMyaHZjQzVoZG1rdWFXNTBaWEp1WVd3d0hoY05Nall4TVRJeU1ETTFNek14V2hjTgpNell4TVRFNU1ETTFNek14V2pBY01Sb3dHQVlEVlFRRERCRnphRzl3TG1GMmFTNXBiblJsY201aGJEQlpNQk1HCkJ5cUdTTTQ5QWdFR0NDcUdTTTQ5QXdFSEEwSUFCSlBBQ2FKcGxObUZadUkwalpWR1g2MTRERkRMWGdkVVlyWngKbUFhYlhEVFFOM3B3K3hOYnpMODZ1NXpuUEl4Z1NJamJLZlJIMXlrS1dGUzZwbTg4Qzk2amNUQnZNQjBHQTFVZApEZ1FXQkJUc3FhV2hJbVVsb1FOcXhnWExyQUwvSHBxMGF6QWZCZ05WSFNNRUdEQVdnQlRzcWFXaEltVWxvUU5xCnhnWExyQUwvSHBxMGF6QVBCZ05WSFJNQkFmOEVCVEFEQVFIL01Cd0dBMVVkRVFRVk1CT0NFWE5vYjNBdVlYWnAKTG1sdWRHVnlibUZzTUFvR0NDcUdTTTQ5QkFNQ0EwY0FNRVFDSUJXMytYclNhTm9lck1qK3hGc0dobnJ4MEFHQgpaRlJuRXVzcVFHWXlNK0NBQWlBdWxNMFpLeU5kYityeGhuanJlZTgvR1p3UndoNGtDZzB5bmFTN2oxMkpidz09Ci0tLS0tRU5EIENFUlRJRklDQVRFLS0tLS0K";
const KEY_B64: &str = "LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCmJlbmNobWFyayBwbGFjZWhvbGRlciwgbm90IGEga2V5Ci0tLS0tRU5EIEVDIFBSSVZBVEUgS0VZLS0tLS0K";

/// Manifests for `spec`, as one multi-document YAML text.
pub fn generate(spec: &GenSpec) -> String {
    let mut rng = Rng(spec.seed);
    let mut out = String::with_capacity((spec.services + spec.ingresses * spec.hosts) * 900);
    let nss = spec.namespaces.max(1);
    let ns = |i: usize| format!("ns-{}", i % nss);
    let _ = writeln!(
        out,
        "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: avi-lb\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\nspec:\n  controller: ako.vmware.com/avi-lb"
    );
    for i in 0..nss {
        let _ = writeln!(
            out,
            "---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: {}",
            ns(i)
        );
    }
    for i in 0..spec.services {
        let name = format!("lb-{i}-{:x}", rng.below(0xffff));
        service(&mut out, &name, &ns(i), "LoadBalancer", &mut rng, i);
    }
    for i in 0..spec.ingresses {
        let n = ns(i);
        let backend = format!("web-{i}");
        service(
            &mut out,
            &backend,
            &n,
            "ClusterIP",
            &mut rng,
            spec.services + i,
        );
        let tls = rng.below(100) < u64::from(spec.tls_percent);
        let hosts: Vec<String> = (0..spec.hosts)
            .map(|h| format!("app{i}-{h}-{:x}.example.com", rng.below(0xfff)))
            .collect();
        let _ = write!(
            out,
            "---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ing-{i}\n  namespace: {n}\nspec:\n"
        );
        if tls {
            let _ = write!(out, "  tls:\n  - secretName: tls-{i}\n    hosts:\n");
            for h in &hosts {
                let _ = writeln!(out, "    - {h}");
            }
        }
        let _ = writeln!(out, "  rules:");
        for h in &hosts {
            let _ = write!(out, "  - host: {h}\n    http:\n      paths:\n");
            for p in 0..spec.paths {
                let _ = write!(
                    out,
                    "      - path: /p{p}\n        pathType: Prefix\n        backend:\n          service:\n            name: {backend}\n            port:\n              number: 80\n"
                );
            }
        }
        if tls {
            let _ = writeln!(
                out,
                "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: tls-{i}\n  namespace: {n}\ntype: kubernetes.io/tls\ndata:\n  tls.crt: {CERT_B64}\n  tls.key: {KEY_B64}"
            );
        }
    }
    out
}

/// A Service with two ports and one EndpointSlice with 1-3 ready addresses.
fn service(out: &mut String, name: &str, ns: &str, kind: &str, rng: &mut Rng, index: usize) {
    let _ = write!(
        out,
        "---\napiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\n  namespace: {ns}\nspec:\n  type: {kind}\n  ipFamilyPolicy: SingleStack\n  ipFamilies: [IPv4]\n  selector:\n    app: {name}\n  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: 8080\n  - name: https\n    port: 443\n    protocol: TCP\n    targetPort: 8443\n"
    );
    let _ = write!(
        out,
        "---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: {name}-s\n  namespace: {ns}\n  labels:\n    kubernetes.io/service-name: {name}\naddressType: IPv4\nports:\n- name: http\n  port: 8080\n  protocol: TCP\n- name: https\n  port: 8443\n  protocol: TCP\nendpoints:\n"
    );
    let count = 1 + rng.below(3);
    for k in 0..count {
        let _ = write!(
            out,
            "- addresses: [10.{}.{}.{}]\n  conditions: {{ready: true}}\n",
            (index >> 16) & 0xff,
            (index >> 8) & 0xff,
            ((index & 0xff) as u64 + k * 7) % 250 + 1
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile::compile;
    use crate::input::{Source, decode};
    use crate::settings::{CloudFacts, Settings};

    fn small() -> GenSpec {
        GenSpec {
            services: 5,
            ingresses: 6,
            hosts: 2,
            paths: 2,
            tls_percent: 50,
            ..GenSpec::default()
        }
    }

    #[test]
    fn same_seed_same_text_other_seed_other_text() {
        assert_eq!(generate(&small()), generate(&small()));
        assert_ne!(
            generate(&small()),
            generate(&GenSpec { seed: 2, ..small() })
        );
    }

    #[test]
    fn generated_cluster_decodes_and_compiles_cleanly() {
        let text = generate(&small());
        let (snap, diags) = decode(
            &[Source {
                name: "gen.yaml".into(),
                text,
            }],
            "default",
        )
        .expect("decodes");
        assert!(
            diags
                .iter()
                .all(|d| d.severity != crate::model::Severity::Error),
            "{diags:?}"
        );
        assert_eq!(snap.services.len(), 11);
        assert_eq!(snap.ingresses.len(), 6);
        let settings = Settings {
            cloud: CloudFacts {
                dns_subdomains: vec!["example.com".into()],
                ..CloudFacts::default()
            },
            ..Settings::default()
        };
        let out = compile(&snap, &settings);
        let l4 = out
            .objects
            .objects
            .iter()
            .filter(|o| o.kind == crate::model::AviType::L4policyset)
            .count();
        assert_eq!(l4, 5);
        assert!(
            out.objects
                .objects
                .iter()
                .any(|o| o.name.contains("Shared-L7-"))
        );
    }
}
