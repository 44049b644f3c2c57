//! How an S3 server's answers map onto the store contract's results (`config-concurrency.md`
//! §2.1, §2.3), as the rules "Answers" of [`crate::s3_store`] list them: [`failure`] for an
//! HTTP status and S3 error code, `sendable` for a version token that no S3 object can have.

use weft_models::mimir::store::{StoreError, StoreVersion};

/// Which operation an answer is for, as [`failure`] needs it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum S3Op {
    /// `GET`.
    Get,
    /// `HEAD`.
    Head,
    /// `PUT` without a condition.
    Put,
    /// `PUT` with `If-None-Match: *`.
    PutIfAbsent,
    /// `PUT` with `If-Match`.
    PutIfMatch,
    /// `DELETE` without a condition.
    Delete,
    /// `DELETE` with `If-Match`.
    DeleteIfMatch,
}

/// The contract's result for a failed answer (`s3_store` module docs, "Answers"): `status` and the S3
/// error `code` from the body, if any.
pub fn failure(op: S3Op, status: u16, code: Option<&str>) -> StoreError {
    use S3Op::*;
    let unexpected = || {
        StoreError::Unknown(match code {
            Some(code) => format!("the store answered HTTP {status} {code}"),
            None => format!("the store answered HTTP {status}"),
        })
    };
    match (status, op) {
        (404, _) if code == Some("NoSuchBucket") => {
            StoreError::Unknown("the store answered 404 NoSuchBucket".to_owned())
        }
        (404, Get | Head | Delete) => StoreError::NotFound,
        (404, PutIfMatch | DeleteIfMatch) => StoreError::Absent,
        (412, PutIfAbsent) => StoreError::Exists,
        (412, PutIfMatch | DeleteIfMatch) => StoreError::Mismatch,
        (409, _) => StoreError::Conflict,
        (429 | 503, _) => StoreError::Throttled,
        (501, _) => StoreError::Unsupported,
        _ => unexpected(),
    }
}

/// Whether `version` can be an S3 ETag (`s3_store` module docs, "Answers", rule 5): RFC 9110's `etagc` without obs-text.
pub(crate) fn sendable(version: &StoreVersion) -> bool {
    !version.0.is_empty()
        && version
            .0
            .bytes()
            .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b))
}
