//! The oracle columns of `config-concurrency.md` §7.5: for each row of
//! [`protocol_matrix`](super::protocol_matrix), the verdict §7.5 expects of O1, O2, O3 and O4
//! separately ([`expected`]), and the row's plan checking one column's oracles only
//! ([`plan`]), so that a checker run per cell reproduces the table cell by cell (the scenario
//! itself stops at the first oracle that fails: it names one cause per row).
//!
//! A column's oracles: O1 is `no-lost-update` and `linearizable` (O1 a, b and c); O2
//! `lock-exclusion`; O3 `no-leaked-lock`; O4 the plan's own `bounded-recovery`. A cell has no plan where §7.5
//! says "n/a" (no lock under protocol A; O3 after a crash) and where the row's plan has no
//! recovery write to time (O4 needs one, §6: a write started after the faults, alone): only
//! the R4 and R5 rows have it.

use super::plan::Plan;
use super::protocol_matrix::{self, MatrixRow};
use crate::mimir::model::oracles::Oracle;

/// One oracle column of §7.5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Column {
    /// O1: no lost update, linearizable history.
    O1,
    /// O2: lock mutual exclusion at the store.
    O2,
    /// O3: no leaked lock at quiescence.
    O3,
    /// O4: bounded recovery.
    O4,
}

impl Column {
    /// The four, in table order.
    pub const ALL: [Column; 4] = [Column::O1, Column::O2, Column::O3, Column::O4];

    /// Its oracles (O4's are the plan's own: they need its recovery write).
    fn oracles(self) -> &'static [Oracle] {
        match self {
            Column::O1 => &[Oracle::NoLostUpdate, Oracle::Linearizable],
            Column::O2 => &[Oracle::LockExclusion],
            Column::O3 => &[Oracle::NoLeakedLock],
            Column::O4 => &[],
        }
    }
}

/// What §7.5 expects of one cell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cell {
    /// The oracle holds in every execution.
    Pass,
    /// Some execution violates it.
    Fail,
    /// §7.5's "may fail (harmless)": either verdict is as expected.
    MayFail,
    /// §7.5's "n/a".
    NotApplicable,
}

/// §7.5's expectations for `row`, in [`Column::ALL`] order.
pub fn expected(row: MatrixRow) -> [Cell; 4] {
    use Cell::{Fail, MayFail, NotApplicable as Na, Pass};
    match row {
        MatrixRow::ACasFull | MatrixRow::AS3Nov2024 => [Pass, Na, Na, Pass],
        MatrixRow::ABroken => [Fail, Na, Na, Pass],
        MatrixRow::BDoubleSteal => [Fail, Fail, Pass, Pass],
        MatrixRow::B412Leak => [Pass, Pass, Fail, Fail],
        MatrixRow::BHolderCrash => [Pass, Pass, Na, Fail],
        MatrixRow::BPrimeCasFull => [Pass, MayFail, Pass, Pass],
        MatrixRow::BPrimeUnfencedLate => [Fail, Fail, Pass, Pass],
        MatrixRow::BPrimeUnfencedBounded => [Pass, Pass, Pass, Pass],
        MatrixRow::BPrimeMinioLike => [Fail, Fail, Pass, Pass],
        MatrixRow::BClockSkew => [Fail, Fail, Pass, Pass],
    }
}

/// Where this model's verdict differs from §7.5's, the verdict and why. One cell: `b-double-steal`
/// O3. The row runs B as written, which also answers 412 without releasing its lock (R4,
/// §4.2 as the issue reads); when one observer's config check fails (the other wrote first),
/// its 412 leaves the lock behind. §7.5 counts that leak in the next row, for a plan that only
/// reaches it there; here the same rules reach both.
pub fn deviation(row: MatrixRow, column: Column) -> Option<(Cell, &'static str)> {
    match (row, column) {
        (MatrixRow::BDoubleSteal, Column::O3) => Some((
            Cell::Fail,
            "B as written answers 412 without releasing (R4): an observer whose config check \
             fails leaves its lock",
        )),
        _ => None,
    }
}

/// The verdicts this model should give: [`expected`], with [`deviation`]'s cells in place.
pub fn measured(row: MatrixRow) -> [Cell; 4] {
    let mut cells = expected(row);
    for (i, column) in Column::ALL.iter().enumerate() {
        if let Some((cell, _)) = deviation(row, *column) {
            cells[i] = cell;
        }
    }
    cells
}

/// The plan of `row` checking only the oracles of `column` (O4: the plan's own, which carries
/// its recovery write and bound); `None` for a cell §7.5 marks n/a, and for O4 where the plan
/// has no recovery write.
pub fn plan(row: MatrixRow, column: Column) -> Option<Plan> {
    let index = Column::ALL.iter().position(|c| *c == column)?;
    if expected(row)[index] == Cell::NotApplicable {
        return None;
    }
    let mut plan = protocol_matrix::plan(row);
    plan.oracles = match column {
        Column::O4 => plan
            .oracles
            .iter()
            .copied()
            .filter(|o| matches!(o, Oracle::BoundedRecovery { .. }))
            .collect(),
        _ => column.oracles().to_vec(),
    };
    (!plan.oracles.is_empty()).then_some(plan)
}
