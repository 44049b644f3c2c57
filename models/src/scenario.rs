//! What a scenario is: a setup, a workload, its oracles, and its variants, written once over
//! [`Runtime`] so that any backend can run it.
//!
//! A scenario does not know which backend runs it. It declares what a backend must offer
//! ([`Info::max_tasks`], [`Info::needs_quiescence`]); the caller (the `weft` CLI, a test)
//! decides which backends qualify.

use weft_core::{BoxFuture, FailureKind, Runtime};

/// What a variant is expected to do under an exhaustive or well-budgeted search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No failure.
    Pass,
    /// A failure of this kind; for assertions, this oracle (see [`crate::oracle`]).
    Fail(FailureKind, Option<&'static str>),
    /// Some failure, of whichever kind the schedule meets first (a pre-fix system with several
    /// bugs at once).
    FailAny,
}

impl Expect {
    /// One word for tables: `pass`, or the failure kind (and oracle).
    pub fn describe(self) -> String {
        match self {
            Expect::Pass => "pass".into(),
            Expect::Fail(kind, None) => kind.to_string(),
            Expect::Fail(kind, Some(oracle)) => format!("{kind} ({oracle})"),
            Expect::FailAny => "any failure".into(),
        }
    }

    /// Whether a failure of `kind` with `message` is what this expects.
    pub fn matches(self, kind: FailureKind, message: &str) -> bool {
        match self {
            Expect::Pass => false,
            Expect::FailAny => true,
            Expect::Fail(k, None) => k == kind,
            Expect::Fail(k, Some(o)) => k == kind && crate::oracle::name_of(message) == Some(o),
        }
    }
}

/// A variant: which code runs (the pre-fix code, the fix, a partial fix).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Its name on the command line (`buggy`, `fixed`, ...).
    pub name: &'static str,
    /// One line on what it runs.
    pub summary: &'static str,
    /// The verdict it must get.
    pub expect: Expect,
}

/// Everything about a scenario except its body.
#[derive(Clone, Copy, Debug)]
pub struct Info {
    /// `system/bug`, such as `cortex/stop-before-run`. Fixed: the CLI and external checks use it.
    pub name: &'static str,
    /// The system it models.
    pub system: &'static str,
    /// One line: the bug and the oracle.
    pub summary: &'static str,
    /// Where in the spec it comes from.
    pub spec: &'static str,
    /// Its variants; the first is the buggy one.
    pub variants: &'static [Variant],
    /// The most tasks one execution spawns at [`Scale::Minimal`], the root included (loom
    /// has 5 thread slots per execution).
    pub max_tasks: usize,
    /// Whether an oracle of a buggy variant is only observable at quiescence (a leak), which a
    /// production runtime cannot tell from "still working".
    pub needs_quiescence: bool,
    /// Whether the verdict depends on timers firing at their deadlines with nothing else to
    /// run in between: a clock that advances only when the system is idle (weft-sim's
    /// virtual time, tokio's paused clock), not loom's and shuttle's logical time, where a
    /// timer may fire at any later point.
    pub needs_clock: bool,
    /// Checker findings (data races, WaitGroup contract violations) that this scenario counts
    /// instead of failing on, as Go's race detector reports and goes on: its verdict is the
    /// state the system ends in. Only a checker that can go on past a finding (weft-sim) runs
    /// such a scenario.
    pub tolerates: &'static [FailureKind],
    /// Task-name prefixes that may legitimately outlive the root (untracked tasks upstream
    /// does not join, such as `ag.run`); they exit on their own after the root.
    pub may_outlive: &'static [&'static str],
}

impl Info {
    /// The variant called `name`, or a one-line error naming the choices.
    pub fn variant(&self, name: &str) -> Result<&'static Variant, String> {
        self.variants
            .iter()
            .find(|v| v.name == name)
            .ok_or_else(|| {
                format!(
                    "unknown variant {name:?} for {}: expected one of {}",
                    self.name,
                    self.variants
                        .iter()
                        .map(|v| v.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
    }
}

/// How big a workload to run.
///
/// Exhaustive search wants the smallest shape that still has the bug (the spec's §5 model),
/// because its cost grows exponentially with the workload; sampling strategies want the
/// shape of the upstream regression test, where more repetitions make a bug likelier in every
/// execution. Most scenarios are the same at both scales.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// For DFS and loom: the minimal model.
    Minimal,
    /// For PCT, random, shuttle's samplers and tokio stress runs: the regression-test shape.
    Full,
}

/// A runnable scenario.
pub trait Scenario: Sync + 'static {
    /// Name, variants and requirements.
    const INFO: Info;

    /// One execution of `variant` (a name from [`Info::variants`]) at `scale` on `rt`. The returned future
    /// is the root task: it sets the system up, runs the workload, and checks the oracles
    /// that can be checked from inside; the backend checks the rest (races, WaitGroup
    /// contract, deadlock, leaks).
    fn run<R: Runtime>(rt: R, variant: &'static Variant, scale: Scale) -> BoxFuture;
}

/// Something to do with a scenario, whatever its type (the caller's half of the registry).
pub trait Visitor {
    /// What visiting returns.
    type Output;
    /// Called with the scenario's type.
    fn visit<S: Scenario>(self) -> Self::Output;
}
