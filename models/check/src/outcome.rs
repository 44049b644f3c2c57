//! [`Outcome`]: what one check observed (executions, exhaustion, wall time, tolerated
//! findings, the first [`Finding`]), and its [`Verdict`] against the variant's [`Expect`].
//!
//! The verdict rules, in order:
//!
//! 1. tokio without a finding is as expected whatever the variant expects: a stress run is not
//!    expected to find a bug, and the table says so ([`Verdict::NotObserved`] when the variant
//!    expects one);
//! 2. tokio with a finding is as expected when the variant expects any failure: tokio has no
//!    checkers, so it sees a bug's consequence (an oracle, a hang), not the checker finding
//!    the spec names (a WaitGroup misuse shows up as overlapping tasks);
//! 3. otherwise a pass is as expected for [`Expect::Pass`], and a finding when
//!    [`Expect::matches`] its kind and oracle.

use std::time::Duration;

use weft_models::scenario::Expect;
use weft_sim::Tolerated;

use crate::finding::Finding;
use crate::fit::Backend;
use crate::plan::Plan;

/// What a check observed.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// What ran.
    pub plan: Plan,
    /// Executions (sim, shuttle, loom) or runs (tokio).
    pub executions: u64,
    /// For exhaustive searches without a finding: whether the space was exhausted.
    pub exhausted: Option<bool>,
    /// sim ICB: the largest preemption bound fully explored without a failure (with a finding,
    /// the bounds below its [`Finding::preemptions`]).
    pub bound_reached: Option<u32>,
    /// Wall time of the run.
    pub wall: Duration,
    /// sim: checker findings the scenario counts instead of failing on.
    pub tolerated: Vec<Tolerated>,
    /// tokio: how many runs failed.
    pub failed_runs: Option<u64>,
    /// The first failure found.
    pub finding: Option<Finding>,
}

/// An outcome compared with what its variant expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// What the variant expects.
    Expected,
    /// tokio did not observe the bug the variant has: as expected of a stress run.
    NotObserved,
    /// Not what the variant expects.
    Unexpected,
}

impl Verdict {
    /// Whether it counts as expected.
    pub fn is_ok(self) -> bool {
        self != Verdict::Unexpected
    }
}

/// Whether `finding` is what `expect` expects (rule 3 of the module documentation).
fn matches(expect: Expect, finding: &Finding) -> bool {
    expect.matches(finding.kind, finding.oracle)
}

impl Outcome {
    /// The outcome of `plan` before it ran: nothing observed yet.
    pub(crate) fn of(plan: &Plan) -> Outcome {
        Outcome {
            plan: plan.clone(),
            executions: 0,
            exhausted: None,
            bound_reached: None,
            wall: Duration::ZERO,
            tolerated: Vec::new(),
            failed_runs: None,
            finding: None,
        }
    }

    /// The verdict: see the module documentation.
    pub fn verdict(&self) -> Verdict {
        let expect = self.plan.variant().expect;
        let tokio = self.plan.backend().backend() == Backend::Tokio;
        match (&self.finding, expect) {
            (None, Expect::Pass) => Verdict::Expected,
            (None, _) if tokio => Verdict::NotObserved,
            (Some(_), e) if tokio && e != Expect::Pass => Verdict::Expected,
            (Some(f), e) if !tokio && matches(e, f) => Verdict::Expected,
            _ => Verdict::Unexpected,
        }
    }

    /// Panics, naming the plan, what was expected and what was found, unless the verdict is
    /// as expected.
    pub fn assert_expected(&self) {
        if self.verdict().is_ok() {
            return;
        }
        let p = &self.plan;
        let got = match &self.finding {
            Some(f) => format!("{}: {}", f.kind, f.message),
            None => "a pass".to_string(),
        };
        panic!(
            "{} [{}] on {} ({:?}): expected {}, got {got}",
            p.scenario().name,
            p.variant().name,
            p.backend().backend(),
            p.backend(),
            p.variant().expect.describe(),
        );
    }

    /// Panics unless the run found nothing and exhausted its space.
    pub fn assert_exhausted(&self) {
        if self.finding.is_none() {
            let p = &self.plan;
            assert_eq!(
                self.exhausted,
                Some(true),
                "{} [{}] ({:?}): not exhausted after {} executions",
                p.scenario().name,
                p.variant().name,
                p.backend(),
                self.executions
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use weft_core::FailureKind;
    use weft_models::registry;

    use super::*;
    use crate::finding::{Finding, Reproduce};

    fn finding(kind: FailureKind) -> Finding {
        Finding::new(kind, String::new(), 1, Reproduce::Rerun)
    }

    fn verdict(plan: Plan, found: Option<FailureKind>) -> Verdict {
        let mut out = Outcome::of(&plan);
        out.finding = found.map(finding);
        out.verdict()
    }

    /// The rules of the module documentation, on a variant expected to fail with a
    /// contract violation and on one expected to pass.
    #[test]
    fn tokio_sees_consequences_and_checkers_see_the_kind() {
        let info = registry::find("cortex/stop-before-run").unwrap();
        let (buggy, fixed) = (&info.variants[0], &info.variants[1]);
        assert_eq!(fixed.expect, Expect::Pass);
        let tokio = |v| Plan::tokio(info, v, 1).unwrap();
        let sim = |v| Plan::sim(info, v, crate::defaults::SEARCH, 1).unwrap();
        let cv = Some(FailureKind::ContractViolation);
        let leak = Some(FailureKind::Leak);
        assert_eq!(verdict(tokio(buggy), None), Verdict::NotObserved);
        assert_eq!(verdict(tokio(buggy), leak), Verdict::Expected);
        assert_eq!(verdict(tokio(fixed), None), Verdict::Expected);
        assert_eq!(verdict(tokio(fixed), leak), Verdict::Unexpected);
        assert_eq!(verdict(sim(buggy), cv), Verdict::Expected);
        assert_eq!(verdict(sim(buggy), leak), Verdict::Unexpected);
        assert_eq!(verdict(sim(buggy), None), Verdict::Unexpected);
        assert_eq!(verdict(sim(fixed), None), Verdict::Expected);
        assert_eq!(verdict(sim(fixed), cv), Verdict::Unexpected);
        assert!(Verdict::NotObserved.is_ok() && !Verdict::Unexpected.is_ok());
    }
}
