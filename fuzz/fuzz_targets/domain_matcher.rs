//! Hosts and host rules through their parsers and the built-in library's
//! host matcher; any bytes through the safety net's literal search.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| banscan_fuzz::hosts(data));
