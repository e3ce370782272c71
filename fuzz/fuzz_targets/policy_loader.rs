//! Policy, product and profile YAML through the loader, validation,
//! compilation and the policies' own examples.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| banscan_fuzz::load_policy_text(data));
