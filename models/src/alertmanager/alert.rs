//! An alert: a label set, identified by its fingerprint.

use std::collections::BTreeMap;

/// An alert, reduced to what the models route on: its labels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Alert {
    /// Label name → value.
    pub labels: BTreeMap<String, String>,
}

impl Alert {
    /// An alert with the given labels.
    pub fn new<'a>(labels: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        Alert {
            labels: labels
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }

    /// A stable fingerprint of the label set (FNV-1a over the sorted labels).
    pub fn fingerprint(&self) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for (k, v) in &self.labels {
            for b in k.bytes().chain([0xff]).chain(v.bytes()).chain([0xfe]) {
                h ^= u64::from(b);
                h = h.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        h
    }

    /// The fingerprint of the values of `by` (the aggregation-group key of a route).
    pub fn group_key(&self, by: &[&str]) -> u64 {
        let subset = Alert {
            labels: by
                .iter()
                .filter_map(|l| self.labels.get(*l).map(|v| (l.to_string(), v.clone())))
                .collect(),
        };
        subset.fingerprint()
    }
}
