//! One store-contract suite (`support/contract.rs`, spec §2.1) run against every store the
//! service can use: `memory` (weft-models' `LocalBucket`), `file:` (`FileBucket`) and `s3:`
//! (`S3Bucket` on the SeaweedFS that `.ci/run` starts; see `support/backends.rs` for what
//! happens without it).

mod support;

mod memory {
    crate::contract_suite!(crate::support::backends::memory());
}

mod file {
    crate::contract_suite!(crate::support::backends::file());
}

mod s3 {
    crate::contract_suite!(crate::support::backends::s3());
}
