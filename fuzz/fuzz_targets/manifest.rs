//! Manifest decoding: any bytes as a manifest file (UTF-8 check included).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = akoctl::fuzzing::manifest(data) {
        assert!(!e.starts_with(akoctl::fuzzing::INVARIANT), "{e}");
    }
});
