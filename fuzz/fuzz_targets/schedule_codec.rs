#![no_main]
//! Decoding arbitrary input never panics; whatever decodes round-trips.
libfuzzer_sys::fuzz_target!(|data: &[u8]| weft_sim::codec::fuzz_check(data));
