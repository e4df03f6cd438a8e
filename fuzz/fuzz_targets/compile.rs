//! Decode a manifest, then compile it with the default settings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = akoctl::fuzzing::compile(data) {
        assert!(!e.starts_with(akoctl::fuzzing::INVARIANT), "{e}");
    }
});
