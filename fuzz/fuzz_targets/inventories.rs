//! The inventories input family (see families.txt): the first byte picks the
//! format, the rest is the file, read as a scan reads it.
#![no_main]

use std::sync::LazyLock;

use banscan::input::FormatSpec;
use libfuzzer_sys::fuzz_target;

static FORMATS: LazyLock<Vec<&'static FormatSpec>> =
    LazyLock::new(|| banscan_fuzz::family("inventories"));

fuzz_target!(|data: &[u8]| banscan_fuzz::read_family(&FORMATS, data));
