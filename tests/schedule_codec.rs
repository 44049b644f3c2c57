//! The schedule codec never panics and round-trips: a proptest property, and a replay of the
//! cargo-fuzz corpus (so stable CI covers what the nightly fuzzer found).

use proptest::prelude::*;
use weft_core::faults::FaultKind;
use weft_sim::codec::{decode, encode, fuzz_check};
use weft_sim::{Decision, Schedule};

fn decision() -> impl Strategy<Value = Decision> {
    prop_oneof![
        any::<u32>().prop_map(Decision::Task),
        (0u32..8).prop_map(Decision::Task),
        any::<u32>().prop_map(Decision::Timer),
        any::<u32>().prop_map(Decision::Choice),
        any::<u64>().prop_map(Decision::Random),
        (0..FaultKind::ALL.len(), 0u32..3).prop_map(|(k, chosen)| Decision::Fault {
            kind: FaultKind::ALL[k],
            chosen
        }),
        (0..FaultKind::ALL.len(), any::<u32>()).prop_map(|(k, chosen)| Decision::Fault {
            kind: FaultKind::ALL[k],
            chosen
        }),
    ]
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(seed in any::<u64>(), decisions in prop::collection::vec(decision(), 0..200)) {
        let s = Schedule { seed, decisions };
        prop_assert_eq!(decode(&encode(&s)).unwrap(), s);
    }

    #[test]
    fn arbitrary_text_never_panics(text in ".{0,80}") {
        fuzz_check(text.as_bytes());
    }

    #[test]
    fn corrupted_strings_are_errors_not_panics(seed in any::<u64>(), decisions in prop::collection::vec(decision(), 1..40), at in any::<prop::sample::Index>(), c in any::<char>()) {
        let text = encode(&Schedule { seed, decisions });
        let mut chars: Vec<char> = text.chars().collect();
        let i = at.index(chars.len());
        chars[i] = c;
        let corrupted: String = chars.into_iter().collect();
        fuzz_check(corrupted.as_bytes());
        if corrupted != text {
            if let Err(e) = decode(&corrupted) {
                prop_assert!(!e.to_string().contains('\n'));
            }
        }
    }
}

/// Characters an edit may use: the whole alphabet, the aliases and case variants an older
/// decoder accepted, and separators.
const EDIT_CHARS: &str = "0123456789abcdefghjkmnpqrstvwxyzABZilou-_ \n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Every single-character substitution, insertion and deletion of a valid string is
    /// rejected, with a position inside (or at the end of) the edited string. Substitutions are
    /// certain to be caught (CRC-32 sees every burst of up to 32 bits); an insertion or deletion
    /// that keeps a canonical length escapes with probability 2^-32 (see `weft_sim::codec`).
    #[test]
    fn every_one_character_edit_is_rejected(seed in any::<u64>(), decisions in prop::collection::vec(decision(), 0..24)) {
        let text = encode(&Schedule { seed, decisions });
        let chars: Vec<char> = text.chars().collect();
        let rejected = |edited: Vec<char>, what: &str| -> Result<(), TestCaseError> {
            let edited: String = edited.into_iter().collect();
            match decode(&edited) {
                Ok(s) => Err(TestCaseError::fail(format!("{what}: {edited:?} decoded to {s:?} (from {text:?})"))),
                Err(e) => {
                    prop_assert!(e.position <= edited.len(), "{}: position {} past the end", what, e.position);
                    Ok(())
                }
            }
        };
        for i in 0..=chars.len() {
            for c in EDIT_CHARS.chars() {
                let mut inserted = chars.clone();
                inserted.insert(i, c);
                rejected(inserted, &format!("insert {c:?} at {i}"))?;
                if i < chars.len() && chars[i] != c {
                    let mut substituted = chars.clone();
                    substituted[i] = c;
                    rejected(substituted, &format!("substitute {c:?} at {i}"))?;
                }
            }
            if i < chars.len() {
                let mut deleted = chars.clone();
                deleted.remove(i);
                rejected(deleted, &format!("delete at {i}"))?;
            }
        }
    }
}

#[test]
fn fuzz_corpus_replays_without_panics() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/schedule_codec");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).expect("the corpus directory is checked in") {
        let path = entry.unwrap().path();
        fuzz_check(&std::fs::read(&path).unwrap());
        n += 1;
    }
    assert!(n >= 5, "corpus has {n} entries");
}

/// The corpus holds format 3 strings with fault decisions of several kinds, and a format 2
/// body relabelled as format 3 (rejected: the version is under the checksum).
#[test]
fn fuzz_corpus_covers_fault_decisions() {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/schedule_codec");
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let s = decode(&read("faults_v3")).expect("a valid format 3 entry");
    let kinds: Vec<FaultKind> = s
        .decisions
        .iter()
        .filter_map(|d| match d {
            Decision::Fault { kind, .. } => Some(*kind),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            FaultKind::Crash,
            FaultKind::Loss,
            FaultKind::Loss,
            FaultKind::Partition
        ]
    );
    assert!(decode(&read("one_fault_v3")).is_ok());
    assert!(decode(&read("v2_body_as_v3")).is_err());
}
