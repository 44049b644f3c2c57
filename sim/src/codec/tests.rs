//! The codec's tests: round trips, every-character checks, and the errors of bad input.

use super::*;

fn sample() -> Schedule {
    Schedule {
        seed: 0xdead_beef_1234,
        decisions: vec![
            Decision::Task(0),
            Decision::Task(3),
            Decision::Task(3),
            Decision::Task(3),
            Decision::Timer(1),
            Decision::Choice(2),
            Decision::Random(u64::MAX),
            Decision::Task(u32::MAX),
        ],
    }
}

#[test]
fn round_trip() {
    let s = sample();
    let text = encode(&s);
    assert!(text.starts_with("weft2-"));
    assert_eq!(decode(&text).unwrap(), s);
}

#[test]
fn only_the_canonical_spelling_decodes() {
    let text = encode(&sample());
    let body = &text[6..];
    for other in [
        text.to_uppercase().replacen("WEFT", "weft", 1),
        format!("weft02-{body}"),
        format!(" {text}"),
        format!("{text}\n"),
        text.replace('0', "o"),
    ] {
        assert!(decode(&other).is_err(), "{other:?} must be rejected");
    }
}

#[test]
fn version_1_strings_are_rejected_by_name() {
    let e = decode("weft1-049003rc2c00r4080w20e080rwj0").unwrap_err();
    assert_eq!(e.problem, Problem::UnsupportedVersion(1));
    assert!(e.to_string().contains("reads versions 2 and 3"), "{e}");
}

fn with_faults() -> Schedule {
    let mut s = sample();
    s.decisions.insert(
        2,
        Decision::Fault {
            kind: FaultKind::Crash,
            chosen: 1,
        },
    );
    s.decisions.push(Decision::Fault {
        kind: FaultKind::Partition,
        chosen: 0,
    });
    s.decisions.push(Decision::Fault {
        kind: FaultKind::Partition,
        chosen: 0,
    });
    s.decisions.push(Decision::Fault {
        kind: FaultKind::Ambiguous,
        chosen: u32::MAX,
    });
    s
}

#[test]
fn fault_decisions_round_trip_in_version_3_only() {
    let s = with_faults();
    let text = encode(&s);
    assert!(text.starts_with("weft3-"), "{text}");
    assert_eq!(decode(&text).unwrap(), s);
    assert!(encode(&sample()).starts_with("weft2-"));
    // The version digit is under the checksum: neither string decodes as the other format.
    let as_v2 = text.replacen("weft3-", "weft2-", 1);
    assert_eq!(
        decode(&as_v2).unwrap_err().problem,
        Problem::ChecksumMismatch
    );
    let v2 = encode(&sample());
    let as_v3 = v2.replacen("weft2-", "weft3-", 1);
    assert_eq!(
        decode(&as_v3).unwrap_err().problem,
        Problem::ChecksumMismatch
    );
}

/// A version 3 string whose decisions hold no fault is not canonical.
#[test]
fn version_3_without_a_fault_is_rejected() {
    let s = sample();
    let mut bytes = Vec::new();
    put_varint(&mut bytes, s.seed);
    put_varint(&mut bytes, 1);
    put_varint(&mut bytes, 5 << 3);
    let sum = checksum(VERSION_FAULTS, &bytes);
    bytes.extend_from_slice(&sum);
    let mut text = String::from("weft3-");
    let (mut acc, mut bits) = (0u32, 0);
    for b in bytes {
        acc = (acc << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            text.push(ALPHABET[((acc >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        text.push(ALPHABET[((acc << (5 - bits)) & 31) as usize] as char);
    }
    let e = decode(&text).unwrap_err();
    assert_eq!(e.problem, Problem::NoFaultDecision, "{e}");
    assert_eq!(e.to_string().lines().count(), 1);
}

#[test]
fn long_runs_stay_short() {
    let s = Schedule {
        seed: 1,
        decisions: vec![Decision::Task(1); 100_000],
    };
    let text = encode(&s);
    assert!(text.len() < 30, "{text}");
    assert_eq!(decode(&text).unwrap(), s);
}

#[test]
fn errors_name_position_and_problem() {
    let text = encode(&sample());
    assert_eq!(decode("").unwrap_err().problem, Problem::MissingPrefix);
    assert_eq!(
        decode("weft9-abc").unwrap_err().problem,
        Problem::UnsupportedVersion(9)
    );
    let bad = format!("{}u{}", &text[..8], &text[9..]);
    let e = decode(&bad).unwrap_err();
    assert_eq!((e.position, e.problem), (8, Problem::BadCharacter('u')));
    let e = decode(&text[..text.len() - 3]).unwrap_err();
    assert!(
        matches!(e.problem, Problem::ChecksumMismatch | Problem::NotCanonical),
        "{e}"
    );
    let mut flipped: Vec<char> = text.chars().collect();
    flipped[10] = if flipped[10] == 'a' { 'b' } else { 'a' };
    let e = decode(&flipped.into_iter().collect::<String>()).unwrap_err();
    assert_eq!(e.problem, Problem::ChecksumMismatch);
    assert!(e
        .to_string()
        .starts_with("bad schedule string at character"));
}
