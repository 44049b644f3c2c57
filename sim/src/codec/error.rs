//! [`DecodeError`]: why a schedule string could not be decoded, with the character position
//! and a one-line message.

use std::fmt;

use super::{PREFIX, VERSION, VERSION_FAULTS};

/// Why a schedule string could not be decoded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DecodeError {
    /// Character position in the input where the problem was found.
    pub position: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// The kinds of [`DecodeError`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The string does not start with `weft<version>-`.
    MissingPrefix,
    /// A version this build does not understand.
    UnsupportedVersion(u32),
    /// A character outside the base32 alphabet.
    BadCharacter(char),
    /// The data ends in the middle of a value.
    Truncated,
    /// A varint longer than 64 bits.
    Overflow,
    /// More decisions than a schedule may hold.
    TooLong(u64),
    /// Bytes left after the checksum.
    TrailingData,
    /// The checksum does not match: a character was changed, dropped or added.
    ChecksumMismatch,
    /// A task, timer or choice value that does not fit 32 bits.
    ValueOutOfRange(u64),
    /// The body is not the one canonical spelling of its bytes: a character too many at the
    /// end, or unused bits of the last character that are not zero.
    NotCanonical,
    /// A format 3 string without any fault decision (its canonical form is format 2).
    NoFaultDecision,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "bad schedule string at character {}: ", self.position)?;
        match &self.problem {
            Problem::MissingPrefix => write!(f, "expected it to start with `{PREFIX}{VERSION}-`"),
            Problem::UnsupportedVersion(v) => write!(
                f,
                "format version {v} is not supported by this build (it reads versions {VERSION} \
                 and {VERSION_FAULTS})"
            ),
            Problem::BadCharacter(c) => write!(f, "{c:?} is not a schedule character"),
            Problem::Truncated => {
                write!(f, "the string ends in the middle of a value (truncated?)")
            }
            Problem::Overflow => write!(f, "a number is longer than 64 bits"),
            Problem::TooLong(n) => write!(f, "{n} decisions is more than a schedule may hold"),
            Problem::TrailingData => write!(f, "unexpected data after the end of the schedule"),
            Problem::ChecksumMismatch => {
                write!(
                    f,
                    "checksum mismatch (a character was changed, lost or added)"
                )
            }
            Problem::ValueOutOfRange(v) => write!(f, "value {v} does not fit a decision"),
            Problem::NoFaultDecision => write!(
                f,
                "a version {VERSION_FAULTS} string holds no fault decision (its canonical form is \
                 version {VERSION})"
            ),
            Problem::NotCanonical => write!(
                f,
                "the last character is not the canonical end of the string (one added or changed?)"
            ),
        }
    }
}

impl std::error::Error for DecodeError {}
