//! One store-contract suite (`support/contract.rs`, spec §2.1) run against every store the
//! service can use: `memory` (weft-models' `LocalBucket`) and `file:` (`FileBucket`).

mod support;

mod memory {
    crate::contract_suite!(crate::support::backends::memory());
}

mod file {
    crate::contract_suite!(crate::support::backends::file());
}
