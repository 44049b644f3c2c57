//! What a scenario is: a setup, a workload, its oracles, and its variants, written once over
//! [`Runtime`] so that any backend can run it.
//!
//! A scenario does not know which backend runs it. It declares what a backend must offer
//! ([`Info::max_tasks`], [`Info::needs_quiescence`]); the caller (the `weft` CLI, a test)
//! decides which backends qualify.
//!
//! # Variants and oracles are typed ids
//!
//! A scenario's variants are a fieldless enum (its [`Scenario::Variant`]), declared with the
//! [`variants!`](crate::variants) macro from **one list**: each entry gives the enum value and
//! its description ([`Variant`]: the name on the command line, a summary, the expected
//! verdict). The macro emits the enum and its [`VariantId`] impl, whose [`VariantId::ALL`]
//! and [`VariantId::DESCRIPTIONS`] come from the same list, so they cannot disagree in length
//! or order. [`Scenario::run`] takes the typed value and matches it exhaustively: a new
//! variant does not compile until `run` says what it runs, and no code is picked by comparing
//! names.
//!
//! Why a macro and one list: [`Info`] must stay a non-generic constant (the CLI lists every
//! scenario's, `registry::all` returns `&'static Info`), so it holds the descriptions, not the
//! typed values; and stable Rust cannot build a `&'static [Variant]` constant from an enum
//! through a trait method. A hand-written enum beside a hand-written description list would be
//! two lists that can drift (a swapped pair would run the fix under the buggy name); the macro
//! writes both from one. What is left is one line per scenario,
//! `variants: <Self::Variant as VariantId>::DESCRIPTIONS`, and a registry-wide unit test
//! checks it for every scenario. Callers holding a description (the CLI parsed `--variant`, a
//! test iterates [`Info::variants`]) run it with [`Scenario::run_variant`], which maps it back
//! to the typed value ([`VariantId::of`]).
//!
//! A scenario oracle is an [`OracleId`] constant declared once, next to the code that checks
//! it ([`crate::oracle`]); [`Info::oracles`] lists every oracle the scenario arms, and
//! [`Expect::Fail`] names one by id. A registry-wide unit test checks that every expected
//! oracle is listed.

use weft_core::faults::Budget;
use weft_core::{BoxFuture, FailureKind, OracleId, Runtime};

/// What a variant is expected to do under an exhaustive or well-budgeted search.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// No failure.
    Pass,
    /// A failure of this kind; for assertions, this oracle (see [`crate::oracle`]).
    Fail(FailureKind, Option<OracleId>),
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

    /// Whether a failure of `kind`, breaking `oracle` (if any), is what this expects.
    pub fn matches(self, kind: FailureKind, oracle: Option<OracleId>) -> bool {
        match self {
            Expect::Pass => false,
            Expect::FailAny => true,
            Expect::Fail(k, None) => k == kind,
            Expect::Fail(k, Some(o)) => k == kind && oracle == Some(o),
        }
    }
}

/// A variant's description: which code runs (the pre-fix code, the fix, a partial fix). The
/// typed value is the scenario's [`Scenario::Variant`]; see the module documentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Variant {
    /// Its name on the command line (`buggy`, `fixed`, ...).
    pub name: &'static str,
    /// One line on what it runs.
    pub summary: &'static str,
    /// The verdict it must get.
    pub expect: Expect,
    /// Its own fault budget, where it differs from the scenario's ([`Info::budget`]): a
    /// variant per row of a table whose rows assume different faults (`mimir/protocol-matrix`,
    /// spec `config-concurrency.md` §7.5).
    pub budget: Option<Budget>,
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
    /// Its variants' descriptions, always `<Self::Variant as VariantId>::DESCRIPTIONS` (see
    /// the module documentation); the first is the buggy one.
    pub variants: &'static [Variant],
    /// Every oracle the scenario arms (checks in some execution), in the order its spec names
    /// them.
    pub oracles: &'static [OracleId],
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
    /// The nodes it starts and the faults a checker may inject ([`Faults`]).
    pub faults: Faults,
}

/// What a scenario declares about nodes and faults (`weft_core::node`, `weft_core::faults`):
/// the backends that can run it follow from it (the check layer's fit rules), and a checker
/// runs it with this budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Faults {
    /// The names of the nodes it starts (empty: it starts none).
    pub nodes: &'static [&'static str],
    /// The faults a checker may inject per execution.
    pub budget: Budget,
    /// The names of its crash points (`Runtime::crash_point`), for listings.
    pub crash_points: &'static [&'static str],
}

impl Faults {
    /// No nodes, no faults.
    pub const NONE: Faults = Faults {
        nodes: &[],
        budget: Budget::NONE,
        crash_points: &[],
    };

    /// Whether it declares nodes or a fault budget.
    pub fn any(&self) -> bool {
        !self.nodes.is_empty() || !self.budget.is_zero()
    }
}

impl std::fmt::Display for Faults {
    /// `nodes; 1 crash`, `nodes`, `1 loss`: what `weft list` shows in brackets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.nodes.is_empty(), self.budget.is_zero()) {
            (true, true) => Ok(()),
            (false, true) => f.write_str("nodes"),
            (true, false) => write!(f, "{}", self.budget),
            (false, false) => write!(f, "nodes; {}", self.budget),
        }
    }
}

impl Info {
    /// The fault budget a checker runs `variant` with: its own, or the scenario's.
    pub fn budget(&self, variant: &Variant) -> Budget {
        variant.budget.unwrap_or(self.faults.budget)
    }

    /// Whether some variant runs with a fault budget (what the fit rules refuse backends
    /// without fault injection for).
    pub fn any_budget(&self) -> Option<Budget> {
        std::iter::once(self.faults.budget)
            .chain(self.variants.iter().filter_map(|v| v.budget))
            .find(|b| !b.is_zero())
    }

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

/// A scenario's typed variants: a fieldless enum declared with [`variants!`](crate::variants),
/// which writes this impl from the same list as the enum.
pub trait VariantId: Copy + Eq + std::fmt::Debug + Send + Sync + 'static {
    /// Every value, in declaration order.
    const ALL: &'static [Self];
    /// Their descriptions, in the same order.
    const DESCRIPTIONS: &'static [Variant];

    /// This value's description.
    fn describe(self) -> &'static Variant {
        let i = Self::ALL.iter().position(|v| *v == self);
        &Self::DESCRIPTIONS[i.expect("VariantId::ALL lists every value")]
    }

    /// The value `description` describes (matched by its name), if it is one of these.
    fn of(description: &Variant) -> Option<Self> {
        Self::DESCRIPTIONS
            .iter()
            .position(|d| d.name == description.name)
            .map(|i| Self::ALL[i])
    }
}

/// Declares a scenario's variants from one list: a fieldless enum and its [`VariantId`] impl.
///
/// ```ignore
/// variants! {
///     /// What `cortex/stop-before-run` runs.
///     pub enum StopBeforeRunVariant {
///         Buggy { name: "buggy", summary: "pre-7618 ...", expect: Expect::Fail(..) },
///         Fixed { name: "fixed", summary: "PR 7618 ...", expect: Expect::Pass },
///     }
/// }
/// ```
///
/// Each value's rustdoc is its summary. An entry may end with `budget: <Budget>`: that
/// variant's own fault budget ([`Variant::budget`]).
#[macro_export]
macro_rules! variants {
    (
        $(#[$meta:meta])*
        $vis:vis enum $enum:ident {
            $($value:ident {
                name: $name:expr, summary: $summary:expr, expect: $expect:expr
                $(, budget: $budget:expr)? $(,)?
            }),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $enum {
            $(#[doc = $summary] $value,)+
        }

        impl $crate::scenario::VariantId for $enum {
            const ALL: &'static [Self] = &[$($enum::$value),+];
            const DESCRIPTIONS: &'static [$crate::scenario::Variant] = &[$(
                $crate::scenario::Variant {
                    name: $name,
                    summary: $summary,
                    expect: $expect,
                    budget: $crate::variants!(@budget $($budget)?),
                }
            ),+];
        }
    };
    (@budget) => { None };
    (@budget $budget:expr) => { Some($budget) };
}

/// A runnable scenario.
pub trait Scenario: Sync + 'static {
    /// Its variants (see the module documentation).
    type Variant: VariantId;

    /// Name, variants, oracles and requirements.
    const INFO: Info;

    /// One execution of `variant` at `scale` on `rt`. The returned future is the root task:
    /// it sets the system up, runs the workload, and checks the oracles that can be checked
    /// from inside; the backend checks the rest (races, WaitGroup contract, deadlock, leaks).
    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture;

    /// [`run`](Scenario::run) for the variant `variant` describes (one of
    /// [`Info::variants`], such as [`Info::variant`] returns).
    ///
    /// # Panics
    ///
    /// If `variant` is not one of this scenario's (a caller's bug: descriptions come from
    /// this scenario's [`Info`]).
    fn run_variant<R: Runtime>(rt: R, variant: &Variant, scale: Scale) -> BoxFuture {
        let typed = Self::Variant::of(variant).unwrap_or_else(|| {
            panic!(
                "variant {:?} is not one of {}'s",
                variant.name,
                Self::INFO.name
            )
        });
        Self::run(rt, typed, scale)
    }
}

/// Something to do with a scenario, whatever its type (the caller's half of the registry).
pub trait Visitor {
    /// What visiting returns.
    type Output;
    /// Called with the scenario's type.
    fn visit<S: Scenario>(self) -> Self::Output;
}
