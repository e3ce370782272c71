//! Each ecosystem's range syntax, and a version checked against a range.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| banscan_fuzz::version_range(data));
