//! Store keys: which strings the real stores accept as object keys.
//!
//! Keys come from tenant ids that the handler has already validated, so a key refused here is
//! a bug upstream; the stores still check, because a key is about to become a file path
//! (`file:`) or a URL path (`s3:`), and both resolve `..`. Rules, checked by [`check_key`]:
//!
//! 1. a key is 1 to [`MAX_KEY_LEN`] bytes of `/`-separated segments;
//! 2. no segment is empty (no leading or trailing `/`, no `//`: so no absolute path);
//! 3. no segment is `.` or `..`, or starts with `.` or `@` (the file store's own names
//!    start with `@`; hidden files are refused with them);
//! 4. no byte is NUL or another ASCII control character, and no segment holds a `\`
//!    (a path separator elsewhere);
//! 5. a segment is at most [`MAX_SEGMENT_LEN`] bytes (a file name's limit on Linux).
//!
//! So a valid key maps to a path strictly under the store's root, one directory per segment.

use std::fmt;

/// The longest key accepted, in bytes.
pub const MAX_KEY_LEN: usize = 1024;

/// The longest segment accepted, in bytes (`NAME_MAX` on Linux).
pub const MAX_SEGMENT_LEN: usize = 255;

/// Why a key was refused (module docs, rule by rule).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyError {
    /// Empty.
    Empty,
    /// Longer than [`MAX_KEY_LEN`] bytes.
    TooLong(usize),
    /// An empty segment: a leading, trailing or doubled `/`.
    EmptySegment,
    /// A `.` or `..` segment.
    DotSegment,
    /// A segment starting with `.` or `@` (reserved).
    Reserved,
    /// A NUL or other control byte.
    ControlByte,
    /// A backslash.
    Backslash,
    /// A segment longer than [`MAX_SEGMENT_LEN`] bytes.
    SegmentTooLong(usize),
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeyError::Empty => f.write_str("the key is empty"),
            KeyError::TooLong(n) => write!(f, "the key is {n} bytes, over {MAX_KEY_LEN}"),
            KeyError::EmptySegment => {
                f.write_str("the key has an empty segment (a leading, trailing or double '/')")
            }
            KeyError::DotSegment => f.write_str("the key has a '.' or '..' segment"),
            KeyError::Reserved => f.write_str("a key segment starts with '.' or '@' (reserved)"),
            KeyError::ControlByte => f.write_str("the key holds a NUL or control character"),
            KeyError::Backslash => f.write_str("the key holds a backslash"),
            KeyError::SegmentTooLong(n) => {
                write!(f, "a key segment is {n} bytes, over {MAX_SEGMENT_LEN}")
            }
        }
    }
}

impl std::error::Error for KeyError {}

/// Checks `key` against the module's rules and returns its segments.
pub fn check_key(key: &str) -> Result<Vec<&str>, KeyError> {
    if key.is_empty() {
        return Err(KeyError::Empty);
    }
    if key.len() > MAX_KEY_LEN {
        return Err(KeyError::TooLong(key.len()));
    }
    if key.bytes().any(|b| b.is_ascii_control()) {
        return Err(KeyError::ControlByte);
    }
    if key.contains('\\') {
        return Err(KeyError::Backslash);
    }
    let segments: Vec<&str> = key.split('/').collect();
    for segment in &segments {
        match *segment {
            "" => return Err(KeyError::EmptySegment),
            "." | ".." => return Err(KeyError::DotSegment),
            s if s.starts_with('.') || s.starts_with('@') => return Err(KeyError::Reserved),
            s if s.len() > MAX_SEGMENT_LEN => return Err(KeyError::SegmentTooLong(s.len())),
            _ => {}
        }
    }
    Ok(segments)
}

/// The store error for a refused key: [`StoreError::Unknown`] with the reason, because the
/// contract has no "bad request" result and an adapter never claims "not applied" for
/// anything but the contract's own failures (nothing was applied here, all the same).
///
/// [`StoreError::Unknown`]: weft_models::mimir::store::StoreError::Unknown
pub(crate) fn refused(key: &str, why: &KeyError) -> weft_models::mimir::store::StoreError {
    let shown: String = key.chars().take(64).collect();
    weft_models::mimir::store::StoreError::Unknown(format!("invalid store key {shown:?}: {why}"))
}
