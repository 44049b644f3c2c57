//! Backend profiles: how a store evaluates (or fails to evaluate) conditions
//! (`config-concurrency.md` §7.1, from the backend matrix of §2.3).
//!
//! A profile is a value the model store ([`super::memstore::MemStore`]) consults on every
//! conditional operation; the service wraps its real stores with the same rules to show the
//! probe refusing a store that ignores conditions (§2.4, §5 R14).

use std::fmt;
use std::str::FromStr;

/// What a backend does with each conditional operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// GCS, Azure, S3 since 2025-09: every condition evaluated exactly.
    CasFull,
    /// S3 from 2024-11-25: conditional puts, no conditional delete (refused).
    S3_2024_11,
    /// S3 from 2024-08: `put_if_absent` only; `put_if_match` and `delete_if_match` refused.
    S3_2024_08,
    /// MinIO-like: a delete ignores its `If-Match` and deletes anyway (minio#21677).
    MinioLike,
    /// Every condition ignored: conditional writes and deletes are blind.
    Broken,
    /// Azure's codes: a create over an existing blob is 409 (reported as
    /// [`StoreError::Conflict`](super::store::StoreError::Conflict), which an adapter must
    /// not mistake for "retry and it will work").
    AzureCodes,
    /// S3's codes: `If-Match` on an absent key is 404 ([`Absent`]) instead of 412
    /// ([`Mismatch`]), and conditional operations may fail with a spurious 409 (the store
    /// node decides when, under its budget).
    ///
    /// [`Absent`]: super::store::StoreError::Absent
    /// [`Mismatch`]: super::store::StoreError::Mismatch
    S3Codes,
}

impl Profile {
    /// Every profile, in §7.1's order.
    pub const ALL: [Profile; 7] = [
        Profile::CasFull,
        Profile::S3_2024_11,
        Profile::S3_2024_08,
        Profile::MinioLike,
        Profile::Broken,
        Profile::AzureCodes,
        Profile::S3Codes,
    ];

    /// The spec's name for it.
    pub fn name(self) -> &'static str {
        match self {
            Profile::CasFull => "cas-full",
            Profile::S3_2024_11 => "s3-2024-11",
            Profile::S3_2024_08 => "s3-2024-08",
            Profile::MinioLike => "minio-like",
            Profile::Broken => "broken",
            Profile::AzureCodes => "azure-codes",
            Profile::S3Codes => "s3-codes",
        }
    }

    /// Whether `put_if_match` is evaluated (`false`: refused or ignored, see
    /// [`Profile::ignores_conditions`]).
    pub fn has_put_if_match(self) -> bool {
        !matches!(self, Profile::S3_2024_08)
    }

    /// Whether `delete_if_match` is understood at all (`false`: refused).
    pub fn has_delete_if_match(self) -> bool {
        !matches!(self, Profile::S3_2024_11 | Profile::S3_2024_08)
    }

    /// Whether the store silently ignores conditions on puts.
    pub fn ignores_put_conditions(self) -> bool {
        matches!(self, Profile::Broken)
    }

    /// Whether the store silently ignores conditions on deletes.
    pub fn ignores_delete_conditions(self) -> bool {
        matches!(self, Profile::Broken | Profile::MinioLike)
    }

    /// Whether `If-Match` on an absent key reports [`Absent`](super::store::StoreError::Absent)
    /// (S3's 404) rather than a mismatch (412).
    pub fn absent_is_distinct(self) -> bool {
        matches!(self, Profile::S3Codes)
    }

    /// Whether a create over an existing key reports a 409 conflict (Azure).
    pub fn exists_is_conflict(self) -> bool {
        matches!(self, Profile::AzureCodes)
    }
}

impl fmt::Display for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Profile {
    type Err = String;

    fn from_str(s: &str) -> Result<Profile, String> {
        Profile::ALL
            .into_iter()
            .find(|p| p.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
                format!(
                    "unknown store profile {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}
