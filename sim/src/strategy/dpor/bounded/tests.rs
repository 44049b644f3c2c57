//! Bounded POR's own unit tests (its soundness against plain ICB is `sim/tests/bounded_por.rs`).

use super::BoundedPor;
use crate::strategy::{Icb, Strategy};

#[test]
fn a_fresh_search_describes_itself_as_icb() {
    let b = BoundedPor::new(Some(2));
    assert_eq!(b.describe(), "icb(max bound 2)");
    assert_eq!(b.bound_reached(), None);
    assert_eq!(b.stats(), super::BoundedStats::default());
    assert_eq!(Icb::plain(None).describe(), "icb");
}
