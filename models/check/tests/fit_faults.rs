//! The fit rules for nodes and fault budgets: sim runs both; tokio runs nodes (as task groups)
//! but refuses a fault budget; loom and shuttle refuse both; each refusal is one line.

use weft_check::{Backend, Unfit};
use weft_core::faults::{Budget, FaultKind};
use weft_models::scenario::{Faults, Info};

const fn info(name: &'static str, faults: Faults) -> Info {
    Info {
        name,
        system: "test",
        summary: "a scenario with nodes",
        spec: "none",
        variants: &[],
        oracles: &[],
        max_tasks: 2,
        needs_quiescence: false,
        needs_clock: false,
        tolerates: &[],
        may_outlive: &[],
        faults,
    }
}

const ONE_CRASH: Budget = Budget::NONE.with(FaultKind::Crash, 1);

static WITH_BUDGET: Info = info(
    "test/crash",
    Faults {
        nodes: &["s1"],
        budget: ONE_CRASH,
        crash_points: &["acked"],
    },
);

static NODES_ONLY: Info = info(
    "test/nodes",
    Faults {
        nodes: &["s1", "s2"],
        budget: Budget::NONE,
        crash_points: &[],
    },
);

static LOSS_ONLY: Info = info(
    "test/loss",
    Faults {
        nodes: &[],
        budget: Budget::NONE.with(FaultKind::Loss, 2),
        crash_points: &[],
    },
);

fn why(backend: Backend, info: &'static Info) -> Option<Unfit> {
    backend.fits(info).err().map(|e| {
        let text = e.to_string();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains(info.name), "{text}");
        e.why
    })
}

#[test]
fn sim_runs_nodes_and_budgets() {
    for info in [&WITH_BUDGET, &NODES_ONLY, &LOSS_ONLY] {
        assert_eq!(why(Backend::Sim, info), None);
    }
}

#[test]
fn tokio_runs_nodes_but_refuses_a_budget() {
    assert_eq!(why(Backend::Tokio, &NODES_ONLY), None);
    assert_eq!(
        why(Backend::Tokio, &WITH_BUDGET),
        Some(Unfit::FaultBudget(ONE_CRASH))
    );
    let text = Backend::Tokio.fits(&WITH_BUDGET).unwrap_err().to_string();
    assert!(text.contains("(1 crash)"), "{text}");
}

#[test]
fn loom_and_shuttle_refuse_nodes_and_budgets() {
    for b in [Backend::Loom, Backend::Shuttle] {
        assert_eq!(why(b, &WITH_BUDGET), Some(Unfit::Nodes));
        assert_eq!(why(b, &NODES_ONLY), Some(Unfit::Nodes));
        assert_eq!(
            why(b, &LOSS_ONLY),
            Some(Unfit::FaultBudget(Budget::NONE.with(FaultKind::Loss, 2)))
        );
    }
}

#[test]
fn the_declaration_prints_for_listings() {
    assert_eq!(WITH_BUDGET.faults.to_string(), "nodes; 1 crash");
    assert_eq!(NODES_ONLY.faults.to_string(), "nodes");
    assert_eq!(LOSS_ONLY.faults.to_string(), "2 losses");
    assert!(!Faults::NONE.any());
}
