//! HTTPRoute rule `sessionPersistence` → an Avi ApplicationPersistenceProfile
//! referenced by every pool of the rule (translation-extended.md §5.2, §5.4).
//! AKO: `ako-gateway-api/nodes/avi_model_l7_translator.go`
//! `BuildApplicationPersistenceProfile`, `parseGatewayDurationToMinutes`,
//! `BuildPGPool`; `ako-gateway-api/lib/lib.go` `GetPersistenceProfileName`;
//! REST `internal/rest/avi_obj_persistence_profile.go`
//! `AviPersistenceProfileBuild` (no `created_by`), created from the pools
//! (`internal/rest/dequeue_nodes.go` `PoolCU`).

use serde_json::{Value, json};

use super::names;
use crate::compile::common::tenant_ref;
use crate::kube::gateway::SessionPersistence;

/// The Avi persistence type of a `Cookie` session persistence.
pub const HTTP_COOKIE: &str = "PERSISTENCE_TYPE_HTTP_COOKIE";

/// A rule's cookie persistence as AKO models it
/// (`HTTPCookiePersistenceProfileNode`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Persistence {
    pub cookie_name: String,
    /// Minutes; `None` when `absoluteTimeout` is absent.
    pub timeout: Option<i32>,
    pub permanent: bool,
}

/// `BuildApplicationPersistenceProfile`: `Err` for a type other than
/// `Cookie` (the default), for which AKO builds no profile. The route
/// validator has already refused `Header` and an empty `sessionName`.
pub fn parse(
    sp: &SessionPersistence,
    warn: &mut impl FnMut(String),
) -> Result<Persistence, String> {
    let ty = sp.type_.as_deref().unwrap_or("Cookie");
    if ty != "Cookie" {
        return Err(format!(
            "unsupported session persistence type {ty}: no persistence profile is built"
        ));
    }
    Ok(Persistence {
        cookie_name: sp.session_name.clone().unwrap_or_default(),
        timeout: sp.absolute_timeout.as_deref().map(|d| {
            let m = duration_minutes(d);
            match go_parse_duration(d) {
                None => warn(format!(
                    "sessionPersistence absoluteTimeout {d:?} is not a Go duration: AKO sends timeout 0 (no timeout)"
                )),
                Some(n) if n < 0 => warn(format!(
                    "sessionPersistence absoluteTimeout {d:?} is negative: AKO sends timeout 0 (no timeout)"
                )),
                Some(_) if m == 14400 => warn(format!(
                    "sessionPersistence absoluteTimeout {d:?} is clamped to Avi's maximum of 14400 minutes"
                )),
                _ => {}
            }
            m
        }),
        permanent: sp
            .cookie_config
            .as_ref()
            .and_then(|c| c.lifetime_type.as_deref())
            == Some("Permanent"),
    })
}

/// `parseGatewayDurationToMinutes`: Go `time.ParseDuration`, then whole
/// minutes; unparsable or negative → 0 (no timeout), positive below a
/// minute → 1, above 14400 → 14400.
pub fn duration_minutes(s: &str) -> i32 {
    match go_parse_duration(s) {
        None => 0,
        Some(d) if d < 0 => 0,
        Some(d) => {
            let m = d / 60_000_000_000;
            if d > 0 && m == 0 {
                1
            } else if m > 14400 {
                14400
            } else {
                m as i32
            }
        }
    }
}

/// Go's `time.ParseDuration` in nanoseconds (`None` where Go returns an
/// error): an optional sign, then one or more `<decimal><unit>` with units
/// ns, us, µs, μs, ms, s, m, h; `"0"` alone needs no unit.
pub fn go_parse_duration(orig: &str) -> Option<i64> {
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.chars().next()
        && (c == '-' || c == '+')
    {
        neg = c == '-';
        s = &s[1..];
    }
    if s == "0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    const LIMIT: u64 = 1 << 63;
    let mut d: u64 = 0;
    while !s.is_empty() {
        let b = s.as_bytes()[0];
        if !(b == b'.' || b.is_ascii_digit()) {
            return None;
        }
        // Integer part (`leadingInt`: overflow is an error).
        let digits = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for c in s[..digits].bytes() {
            if v > (LIMIT - 1) / 10 {
                return None;
            }
            v = v * 10 + u64::from(c - b'0');
            if v > LIMIT {
                return None;
            }
        }
        let pre = digits > 0;
        s = &s[digits..];
        // Fraction (`leadingFraction`: digits past overflow are dropped).
        let mut f: u64 = 0;
        let mut scale: f64 = 1.0;
        let mut post = false;
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for c in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (i64::MAX as u64 - 1) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(c - b'0');
                if y > i64::MAX as u64 {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &s[n..];
        }
        if !pre && !post {
            return None;
        }
        let ulen = s
            .char_indices()
            .find(|(_, c)| *c == '.' || c.is_ascii_digit())
            .map_or(s.len(), |(i, _)| i);
        if ulen == 0 {
            return None;
        }
        let unit: u64 = match &s[..ulen] {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => return None,
        };
        s = &s[ulen..];
        if v > LIMIT / unit {
            return None;
        }
        v *= unit;
        if f > 0 {
            v = v.checked_add((f as f64 * (unit as f64 / scale)) as u64)?;
            if v > LIMIT {
                return None;
            }
        }
        d = d.checked_add(v)?;
        if d > LIMIT {
            return None;
        }
    }
    if neg {
        return Some((d as i128).wrapping_neg() as i64);
    }
    if d > LIMIT - 1 {
        return None;
    }
    Some(d as i64)
}

/// `GetPersistenceProfileName`: the persistence type comes before the rule
/// hash (`base-PERSISTENCE_TYPE_HTTP_COOKIE-<fnv>`).
pub fn name(cluster: &str, base: &names::Base, match_name: &str) -> String {
    names::persistence(cluster, base, match_name)
}

/// The REST body (`AviPersistenceProfileBuild`): markers are the rule's
/// pool group markers; `timeout` only when `absoluteTimeout` was given.
pub fn body(name: &str, tenant: &str, p: &Persistence, markers: Value) -> Value {
    let mut cookie = json!({
        "cookie_name": p.cookie_name,
        "is_persistent_cookie": p.permanent,
    });
    if let Some(t) = p.timeout {
        cookie["timeout"] = json!(t);
    }
    json!({
        "name": name,
        "tenant_ref": tenant_ref(tenant),
        "persistence_type": HTTP_COOKIE,
        "http_cookie_persistence_profile": cookie,
        "markers": markers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations() {
        assert_eq!(go_parse_duration("0"), Some(0));
        assert_eq!(go_parse_duration("1h30m"), Some(5_400_000_000_000));
        assert_eq!(go_parse_duration("1.5h"), Some(5_400_000_000_000));
        assert_eq!(go_parse_duration("-2m"), Some(-120_000_000_000));
        assert_eq!(go_parse_duration("300ms"), Some(300_000_000));
        assert_eq!(go_parse_duration("2\u{b5}s"), Some(2_000));
        assert_eq!(go_parse_duration(".5s"), Some(500_000_000));
        assert_eq!(go_parse_duration(""), None);
        assert_eq!(go_parse_duration("10"), None);
        assert_eq!(go_parse_duration("1d"), None);
        assert_eq!(go_parse_duration("."), None);
        assert_eq!(go_parse_duration("1h-1m"), None);
        assert_eq!(go_parse_duration("9999999999h"), None);
    }

    #[test]
    fn minutes_like_ako() {
        assert_eq!(duration_minutes("1h"), 60);
        assert_eq!(duration_minutes("90s"), 1);
        assert_eq!(duration_minutes("30s"), 1);
        assert_eq!(duration_minutes("0s"), 0);
        assert_eq!(duration_minutes("-5m"), 0);
        assert_eq!(duration_minutes("soon"), 0);
        assert_eq!(duration_minutes("300h"), 14400);
        assert_eq!(duration_minutes("240h"), 14400);
        assert_eq!(duration_minutes("239h59m"), 14399);
    }
}
