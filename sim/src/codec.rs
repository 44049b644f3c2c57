//! The schedule string: compact, versioned, copy-pasteable, checked.
//!
//! Layout: the prefix `weft2-`, then Crockford base32 (lowercase digits and letters, without
//! `i l o u`), of these bytes:
//!
//! ```text
//! varint seed · varint decision count · decisions · 4-byte checksum (CRC-32, little endian)
//! decision = varint (value << 2 | tag); tag 0 task, 1 timer, 2 choice
//!          | varint 3, varint value          (a random draw: all 64 bits)
//!          | varint (n << 2 | 3), n >= 1     (the previous decision, n more times)
//! ```
//!
//! Format 3 (`weft3-`) is used exactly for schedules that hold a fault decision
//! ([`Decision::Fault`]); a schedule without one is always written in format 2, so format 2
//! strings stay valid and a format 3 string without a fault decision is not canonical (and
//! rejected). Format 3 widens the tag to 3 bits and covers the version in the checksum (the
//! CRC-32 of the byte `3` followed by the payload), so changing the version digit of a valid
//! string is a checksum mismatch:
//!
//! ```text
//! decision = varint (value << 3 | tag); tag 0 task, 1 timer, 2 choice,
//!                                      4 fault (value = chosen << 3 | kind code)
//!          | varint 3, varint value          (a random draw)
//!          | varint (n << 3 | 7), n >= 1     (the previous decision, n more times)
//! ```
//!
//! The repeat code keeps the string short for long executions (a spin loop that hit the step
//! bound repeats one decision thousands of times).
//!
//! Decoding never panics: every problem is a [`DecodeError`] naming the character position
//! (counted from the start of the string) and what is wrong. The version number after `weft`
//! changes whenever the meaning of a decision or the layout changes, so an old string is
//! rejected by name instead of replaying something else (version 1 had a 16-bit checksum
//! that did not cover the last character's bits).
//!
//! ## Every character is checked
//!
//! A string decodes only in its one canonical spelling, so no edit of a valid string replays a
//! different schedule:
//!
//! - The version is the exact decimal `2` (`weft02-` is rejected), the body uses only the
//!   lowercase alphabet (no case folding, no look-alike aliases), and surrounding whitespace is
//!   the caller's to trim (the CLI, `WEFT_SCHEDULE` and regression files do).
//! - The body has the canonical length for its bytes, and the unused low bits of the last
//!   character are zero: a character added or dropped at the end, or a last character changed
//!   only in its padding, is rejected by position.
//! - CRC-32 detects every error burst of up to 32 bits, so every single-character substitution
//!   (a change of at most 5 consecutive bits) is a checksum mismatch. An insertion or deletion
//!   inside the body either breaks the canonical length (rejected by position) or shifts the
//!   rest of the bytes; that shift escapes CRC-32 with probability 2^-32.

use weft_core::faults::FaultKind;

use crate::schedule::{Decision, Schedule};

mod error;
#[cfg(test)]
mod tests;

pub use self::error::{DecodeError, Problem};

/// The format version of schedules without fault decisions.
pub const VERSION: u32 = 2;
/// The format version of schedules with at least one fault decision.
pub const VERSION_FAULTS: u32 = 3;
const PREFIX: &str = "weft";
const ALPHABET: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";
/// Longest decision list accepted (a guard against absurd allocations from bad input).
const MAX_DECISIONS: u64 = 1 << 24;

/// Bytes of the checksum that ends the data.
const CHECKSUM_BYTES: usize = 4;

/// The checksum of `bytes` in format `version`: format 3 covers its version too.
fn checksum(version: u32, bytes: &[u8]) -> [u8; CHECKSUM_BYTES] {
    let mut h = crc32fast::Hasher::new();
    if version == VERSION_FAULTS {
        h.update(b"3");
    }
    h.update(bytes);
    h.finalize().to_le_bytes()
}

/// Width in bits of a decision's tag in format `version`.
fn tag_bits(version: u32) -> u32 {
    if version == VERSION_FAULTS {
        3
    } else {
        2
    }
}

/// The tag of a fault decision (format 3).
const FAULT_TAG: u64 = 4;

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Encodes a schedule as its string form.
pub fn encode(schedule: &Schedule) -> String {
    let version = if schedule.decisions.iter().any(Decision::is_fault) {
        VERSION_FAULTS
    } else {
        VERSION
    };
    let bits = tag_bits(version);
    let repeat = (1u64 << bits) - 1;
    let mut bytes = Vec::with_capacity(8 + schedule.decisions.len() * 2);
    put_varint(&mut bytes, schedule.seed);
    put_varint(&mut bytes, schedule.decisions.len() as u64);
    let mut i = 0;
    while i < schedule.decisions.len() {
        let d = &schedule.decisions[i];
        let run = schedule.decisions[i + 1..]
            .iter()
            .take_while(|x| *x == d)
            .count();
        i += 1 + run;
        let (value, tag) = match *d {
            Decision::Task(t) => (u64::from(t), 0),
            Decision::Timer(t) => (u64::from(t), 1),
            Decision::Choice(c) => (u64::from(c), 2),
            Decision::Random(r) => (r, 3),
            Decision::Fault { kind, chosen } => {
                ((u64::from(chosen) << 3) | u64::from(kind.code()), FAULT_TAG)
            }
        };
        if tag == 3 {
            // A random draw uses all 64 bits: tag first, then the value.
            put_varint(&mut bytes, 3);
            put_varint(&mut bytes, value);
        } else {
            put_varint(&mut bytes, (value << bits) | tag);
        }
        if run > 0 {
            put_varint(&mut bytes, ((run as u64) << bits) | repeat);
        }
    }
    let sum = checksum(version, &bytes);
    bytes.extend_from_slice(&sum);
    let mut s = format!("{PREFIX}{version}-");
    let mut acc: u32 = 0;
    let mut bits = 0;
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            s.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        s.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    s
}

fn digit(c: char) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|a| *a as char == c)
        .map(|p| p as u32)
}

struct Reader<'a> {
    bytes: &'a [u8],
    /// Character position where each byte ends (for error positions).
    ends: &'a [usize],
    at: usize,
}

impl Reader<'_> {
    fn position(&self) -> usize {
        self.ends
            .get(self.at)
            .copied()
            .unwrap_or_else(|| self.ends.last().copied().unwrap_or(0))
    }

    fn err(&self, problem: Problem) -> DecodeError {
        DecodeError {
            position: self.position(),
            problem,
        }
    }

    fn varint(&mut self) -> Result<u64, DecodeError> {
        let mut v: u64 = 0;
        let mut shift = 0u32;
        loop {
            let Some(&b) = self.bytes.get(self.at) else {
                return Err(self.err(Problem::Truncated));
            };
            if shift == 63 && b > 1 {
                return Err(self.err(Problem::Overflow));
            }
            v |= u64::from(b & 0x7f) << shift;
            self.at += 1;
            if b & 0x80 == 0 {
                return Ok(v);
            }
            shift += 7;
            if shift > 63 {
                return Err(self.err(Problem::Overflow));
            }
        }
    }
}

/// Decodes a schedule string; see the module documentation for the error contract. The input
/// must be exactly the canonical string (trim surrounding whitespace first).
pub fn decode(input: &str) -> Result<Schedule, DecodeError> {
    let missing = DecodeError {
        position: 0,
        problem: Problem::MissingPrefix,
    };
    let rest = input.strip_prefix(PREFIX).ok_or(missing.clone())?;
    let dash = rest.find('-').ok_or(missing.clone())?;
    let digits = &rest[..dash];
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(missing);
    }
    let version: u32 = digits.parse().unwrap_or(u32::MAX);
    if !(version == VERSION || version == VERSION_FAULTS) || digits != version.to_string() {
        return Err(DecodeError {
            position: PREFIX.len(),
            problem: Problem::UnsupportedVersion(version),
        });
    }
    let body_start = PREFIX.len() + dash + 1;
    let body = &rest[dash + 1..];
    let mut bytes = Vec::with_capacity(body.len() * 5 / 8 + 1);
    let mut ends = Vec::with_capacity(bytes.capacity());
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut last = body_start;
    for (i, c) in body.char_indices() {
        let position = body_start + i;
        let d = digit(c).ok_or(DecodeError {
            position,
            problem: Problem::BadCharacter(c),
        })?;
        acc = (acc << 5) | d;
        bits += 5;
        last = position;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
            ends.push(position);
            acc &= (1 << bits) - 1;
        }
    }
    // Canonical spelling: fewer than 5 unused bits, all zero. Otherwise the last character
    // was added, or changed where no checksum can see it.
    if bits >= 5 || acc != 0 {
        return Err(DecodeError {
            position: last,
            problem: Problem::NotCanonical,
        });
    }
    let end = body_start + body.len();
    if bytes.len() < CHECKSUM_BYTES {
        return Err(DecodeError {
            position: end,
            problem: Problem::Truncated,
        });
    }
    let (payload, sum) = bytes.split_at(bytes.len() - CHECKSUM_BYTES);
    let mut r = Reader {
        bytes: payload,
        ends: &ends,
        at: 0,
    };
    let parsed = parse_payload(&mut r, version);
    if checksum(version, payload) != sum {
        // A checksum mismatch explains any structural problem better than the structure does.
        return Err(DecodeError {
            position: end,
            problem: Problem::ChecksumMismatch,
        });
    }
    let schedule = parsed?;
    if r.at != payload.len() {
        return Err(r.err(Problem::TrailingData));
    }
    if version == VERSION_FAULTS && !schedule.decisions.iter().any(Decision::is_fault) {
        return Err(DecodeError {
            position: PREFIX.len(),
            problem: Problem::NoFaultDecision,
        });
    }
    Ok(schedule)
}

fn parse_payload(r: &mut Reader<'_>, version: u32) -> Result<Schedule, DecodeError> {
    let bits = tag_bits(version);
    let mask = (1u64 << bits) - 1;
    let seed = r.varint()?;
    let count = r.varint()?;
    if count > MAX_DECISIONS {
        return Err(r.err(Problem::TooLong(count)));
    }
    let mut decisions: Vec<Decision> = Vec::with_capacity((count as usize).min(r.bytes.len()));
    while (decisions.len() as u64) < count {
        let word = r.varint()?;
        if word & mask == mask && word != 3 {
            let n = word >> bits;
            if n == 0 {
                return Err(r.err(Problem::ValueOutOfRange(0)));
            }
            let Some(&last) = decisions.last() else {
                return Err(r.err(Problem::ValueOutOfRange(n)));
            };
            if decisions.len() as u64 + n > count {
                return Err(r.err(Problem::TooLong(decisions.len() as u64 + n)));
            }
            decisions.extend(std::iter::repeat_n(last, n as usize));
            continue;
        }
        let decision = if word == 3 {
            Decision::Random(r.varint()?)
        } else {
            let value = word >> bits;
            // A fault's value is `chosen << 3 | kind`: its 32-bit part is `chosen`.
            let tag = word & mask;
            let wide = if tag == FAULT_TAG { value >> 3 } else { value };
            let v32 = u32::try_from(wide).map_err(|_| r.err(Problem::ValueOutOfRange(value)))?;
            match tag {
                0 => Decision::Task(v32),
                1 => Decision::Timer(v32),
                2 => Decision::Choice(v32),
                FAULT_TAG => {
                    let kind = FaultKind::from_code((value & 7) as u32)
                        .ok_or_else(|| r.err(Problem::ValueOutOfRange(value)))?;
                    Decision::Fault { kind, chosen: v32 }
                }
                _ => return Err(r.err(Problem::ValueOutOfRange(value))),
            }
        };
        decisions.push(decision);
    }
    Ok(Schedule { seed, decisions })
}

/// The fuzzing property, kept here so the fuzz target stays one line: decoding arbitrary
/// bytes never panics, and whatever decodes re-encodes to a string that decodes to the same
/// schedule.
pub fn fuzz_check(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    if let Ok(schedule) = decode(&text) {
        let again = decode(&encode(&schedule)).expect("an encoded schedule decodes");
        assert_eq!(again, schedule, "decode(encode(s)) == s");
    }
}
