//! Round trip of every formula: random parts → format → parse gives the
//! parts back among its readings; for a hashed name, the sha1 part is the
//! hash of the filled template, which itself reads back into the parts.

use super::table::ALL;
use super::*;

/// A small deterministic generator (xorshift), so that a failure is
/// reproducible from the printed seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    /// An RFC 1123 label of 1..=10 characters, dashes inside but never two
    /// in a row.
    fn label(&mut self) -> String {
        const A: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let n = 1 + self.below(10);
        let mut s = String::new();
        for i in 0..n {
            if i > 0 && i + 1 < n && !s.ends_with('-') && self.below(4) == 0 {
                s.push('-');
            } else {
                s.push(A[self.below(A.len())] as char);
            }
        }
        s
    }
    fn labels(&mut self, min: usize) -> String {
        let n = min + self.below(3);
        (0..n).map(|_| self.label()).collect::<Vec<_>>().join(".")
    }
    fn path(&mut self) -> String {
        (0..self.below(3))
            .map(|_| format!("/{}", self.label()))
            .collect()
    }
    fn value(&mut self, kind: Kind) -> String {
        match kind {
            Kind::Label | Kind::InfraName | Kind::NoDot | Kind::Any | Kind::User => self.label(),
            Kind::Cluster => self.label(),
            Kind::Subdomain => self.labels(1),
            Kind::Host => {
                let h = self.labels(2);
                if self.below(5) == 0 {
                    format!("*.{h}")
                } else {
                    h
                }
            }
            Kind::Path | Kind::Text => self.path(),
            Kind::Digits => self.next().to_string(),
            Kind::Hex40 => sha1_hex(&self.label()),
            Kind::Protocol => ["TCP", "UDP", "SCTP"][self.below(3)].into(),
            Kind::DefaultCert => "router-certs-default".into(),
            Kind::GatewayUser => format!("ako-gw-{}", self.label()),
        }
    }
}

fn part_kinds(t: &'static str) -> Vec<(&'static str, Kind, bool)> {
    fn walk(ts: &[Tok], opt: bool, out: &mut Vec<(&'static str, Kind, bool)>) {
        for t in ts {
            match t {
                Tok::Part(k, kind) => out.push((k, *kind, opt)),
                Tok::Opt(g) => walk(g, true, out),
                Tok::Lit(_) => {}
            }
        }
    }
    let mut v = Vec::new();
    walk(&tokens(t), false, &mut v);
    v
}

/// Random parts for a template: optional parts are left out at random.
fn random_parts(rng: &mut Rng, f: &Formula, cluster: &str) -> Vec<(&'static str, String)> {
    let mut parts = Vec::new();
    let mut kinds = part_kinds(f.template);
    if let Hash::Always(outer) = f.hash {
        kinds.extend(part_kinds(outer));
    }
    for (k, kind, opt) in kinds {
        let hashed = matches!(f.hash, Hash::Always(_)) && k == "sha1";
        if hashed || parts.iter().any(|(p, _)| *p == k) {
            continue;
        }
        if k == "cluster" {
            parts.push((k, cluster.to_string()));
        } else if opt && rng.below(2) == 0 {
            parts.push((k, String::new()));
        } else {
            parts.push((k, rng.value(kind)));
        }
    }
    if !parts.iter().any(|(k, _)| *k == "cluster") {
        // `Encode` prefixes the cluster name even where the template has none.
        parts.push(("cluster", cluster.to_string()));
    }
    parts
}

fn reported(f: &Formula, parts: &[(&'static str, String)]) -> Vec<(&'static str, String)> {
    let optional: Vec<&str> = part_kinds(f.template)
        .into_iter()
        .filter(|p| p.2)
        .map(|p| p.0)
        .collect();
    parts
        .iter()
        .filter(|(k, v)| {
            !(v.is_empty() && optional.contains(k)) && (*k != "cluster" || f.cluster_part)
        })
        .cloned()
        .collect()
}

fn borrowed<'a>(parts: &'a [(&'static str, String)]) -> Vec<(&'a str, &'a str)> {
    parts.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

#[test]
fn every_formula_round_trips() {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for f in ALL {
        for i in 0..400 {
            let cluster = rng.label();
            let parts = random_parts(&mut rng, f, &cluster);
            let evh = i % 2 == 1;
            let name = format(f, &borrowed(&parts), evh);
            let text = hashed_text(f, &borrowed(&parts));
            let want = reported(f, &parts);
            match f.hash {
                Hash::Plain => {
                    let got = parse(f, &name, Some(&cluster));
                    assert!(
                        got.iter().any(|p| p.parts == want),
                        "{}: {name} read as {got:?}, want {want:?}",
                        f.rule
                    );
                }
                Hash::Evh => {
                    if evh {
                        assert_eq!(
                            name,
                            format!("{cluster}--{}", sha1_hex(&text)),
                            "{}",
                            f.rule
                        );
                        let got = parse(&table::ENCODED, &name, Some(&cluster));
                        assert_eq!(got.len(), 1, "{name}");
                        assert_eq!(got[0].parts, vec![("sha1", sha1_hex(&text))]);
                    } else {
                        assert_eq!(name, text);
                    }
                    let got = parse_text(f, &text, Some(&cluster));
                    assert!(
                        got.iter().any(|p| p.parts == want),
                        "{}: {text} read as {got:?}, want {want:?}",
                        f.rule
                    );
                }
                Hash::Always(_) => {
                    let outer = parse(f, &name, Some(&cluster));
                    assert!(
                        outer.iter().any(|p| p
                            .parts
                            .iter()
                            .any(|(k, v)| *k == "sha1" && *v == sha1_hex(&text))),
                        "{}: {name} read as {outer:?}",
                        f.rule
                    );
                    let inner: Vec<(&'static str, String)> = want
                        .iter()
                        .filter(|(k, _)| part_kinds(f.template).iter().any(|p| p.0 == *k))
                        .cloned()
                        .collect();
                    let got = parse_text(f, &text, Some(&cluster));
                    assert!(
                        got.iter().any(|p| p.parts == inner),
                        "{}: {text} read as {got:?}, want {inner:?}",
                        f.rule
                    );
                }
            }
        }
    }
}

#[test]
fn shown_formulas() {
    assert_eq!(
        table::SNI_POOL.formula(),
        "<cluster>--[<infra>-]<namespace>-<host><path_>-<ingress>"
    );
    assert_eq!(
        table::DEDICATED_EVH_VS.formula(),
        "<cluster>--sha1(<cluster>--[<infra>-]<host>-L7-dedicated)-EVH"
    );
    assert_eq!(
        table::STRING_GROUP.formula(),
        "ako-<cluster>-sha1(<host><path>)"
    );
    assert_eq!(
        table::GW_POOL.formula(),
        "ako-gw-<cluster>--sha1(<gateway-namespace>-<gateway>-<route-namespace>-<route>-<rule>-<backend-namespace>-<backend>-<port>)"
    );
}

#[test]
fn readings_are_every_split() {
    let r = parse(
        &table::GW_PARENT_VS,
        "ako-gw-cluster--my-ns-my-gw-EVH",
        None,
    );
    let splits: Vec<_> = r.iter().map(|p| p.parts.clone()).collect();
    assert_eq!(
        splits,
        vec![
            vec![("namespace", "my".into()), ("gateway", "ns-my-gw".into())],
            vec![("namespace", "my-ns".into()), ("gateway", "my-gw".into())],
            vec![("namespace", "my-ns-my".into()), ("gateway", "gw".into())],
        ]
    );
    assert_eq!(r[0].cluster.as_deref(), Some("cluster"));
}
