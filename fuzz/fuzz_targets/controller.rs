//! Controller answers: login replies, collection pages, error bodies.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = akoctl::fuzzing::controller(data) {
        assert!(!e.starts_with(akoctl::fuzzing::INVARIANT), "{e}");
    }
});
