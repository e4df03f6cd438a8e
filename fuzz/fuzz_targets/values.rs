//! Settings: any bytes as a helm values.yaml.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = akoctl::fuzzing::values(data) {
        assert!(!e.starts_with(akoctl::fuzzing::INVARIANT), "{e}");
    }
});
