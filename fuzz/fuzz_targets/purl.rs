//! purl parsing, and a purl written out and read again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| banscan_fuzz::purl(text));
