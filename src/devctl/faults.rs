//! Fault injection: random and scripted faults (where they strike is in
//! `handlers`).

/// Random faults, for tests and benchmarks (deterministic: a seeded
/// generator).
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Delay before answering each request.
    pub latency_ms: u64,
    /// Share of `/api/` requests answered with 503, 0.0–1.0.
    pub error_rate: f64,
    /// Drop every session after this many `/api/` requests (session expiry).
    pub expire_every: Option<u64>,
    /// `(n, status)`: the n-th write (POST/PUT/PATCH/DELETE, counted from 1)
    /// is refused with `status` before it takes effect.
    pub fail_write: Vec<(u64, u16)>,
    /// Scripted faults: `(n, fault)` strikes the n-th API request (counted
    /// from 1 over every authenticated `/api/` request, reads included; see
    /// [`Store::api_requests`]). Each entry fires once.
    pub script: Vec<(u64, Fault)>,
    pub seed: u64,
    pub(super) requests: u64,
    pub(super) writes: u64,
}

/// One scripted fault (see [`Faults::script`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Refused with this status before the request takes effect (a 5xx
    /// burst is several of these in a row).
    Status(u16),
    /// The request takes effect, but the answer is this status: the client
    /// cannot tell that it went through.
    StatusAfterCommit(u16),
    /// The connection is closed without an answer; the request never took
    /// effect.
    Drop,
    /// The request takes effect, then the connection is closed without an
    /// answer.
    DropAfterCommit,
    /// The request takes effect and the answer comes this many milliseconds
    /// late (a latency spike; longer than the client's timeout, the answer
    /// is lost).
    Delay(u64),
    /// Every session is dropped first: the request is answered 401.
    ExpireSessions,
}

impl Faults {
    pub(super) fn next_random(&mut self) -> f64 {
        // xorshift64*
        let mut x = self.seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.seed = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}
