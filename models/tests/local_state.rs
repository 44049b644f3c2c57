//! Consul's local state on its own (`shared/specs/consul-alias.md` §2.1-§2.6), under
//! weft-sim: the notify slot's overwrite and delete-whoever semantics, non-blocking sends,
//! `RemoveCheck`, and updates dropped on deleted checks.

use std::sync::Arc;

use weft_core::sync::mpsc;
use weft_models::consul::{CheckDef, Fixes, Oracles, Probe, State, Status};
use weft_sim::{Config, Sim, SimRuntime};

fn state(rt: &SimRuntime, fixes: Fixes) -> Arc<State<SimRuntime>> {
    let probe = Arc::new(Probe::new(
        rt,
        Oracles {
            alive: false,
            slot: false,
            bound: false,
        },
        "alias",
        "web",
    ));
    // Generations 1 and 2, for the channels registered below.
    probe.spawned();
    probe.spawned();
    Arc::new(State::new(rt, fixes, probe))
}

fn check(id: &str, service: &str, status: Status) -> CheckDef {
    CheckDef {
        id: id.into(),
        service: service.into(),
        status,
        alias_of: None,
    }
}

fn sim() -> Sim {
    Sim::new(Config::default().iterations(200))
}

#[test]
fn the_slot_is_overwritten_by_a_second_registration_and_deleted_whoever_filled_it() {
    sim().check(|rt| async move {
        let s = state(&rt, Fixes::CORRECTED);
        s.add_check(&check("p", "web", Status::Passing)).await;
        let (tx1, mut rx1) = mpsc::channel(&rt, 1);
        let (tx2, mut rx2) = mpsc::channel(&rt, 1);
        let _keep = (tx1.clone(), tx2.clone());
        s.add_alias_check("alias", "web", 1, tx1).await;
        s.add_alias_check("alias", "web", 2, tx2).await;
        s.update_check("p", Status::Critical).await;
        assert!(rx1.try_recv().is_err(), "the first channel lost the slot");
        assert!(rx2.try_recv().is_ok(), "the second one owns it");
        // Removal by (S, A) deletes the slot, whoever registered it: nobody is notified now.
        s.remove_alias_check("alias", "web").await;
        s.update_check("p", Status::Passing).await;
        assert!(rx2.try_recv().is_err());
    });
}

#[test]
fn sends_never_block_and_a_pending_token_absorbs_later_changes() {
    sim().check(|rt| async move {
        let s = state(&rt, Fixes::CORRECTED);
        s.add_check(&check("p", "web", Status::Passing)).await;
        let (tx, mut rx) = mpsc::channel(&rt, 1);
        s.add_alias_check("alias", "web", 1, tx).await;
        for status in [Status::Critical, Status::Passing, Status::Warning] {
            s.update_check("p", status).await;
        }
        assert!(rx.try_recv().is_ok());
        assert!(
            rx.try_recv().is_err(),
            "capacity 1: one token for three changes"
        );
        // An unchanged status is a no-op: no notification.
        s.update_check("p", Status::Warning).await;
        assert!(rx.try_recv().is_err());
    });
}

#[test]
fn remove_check_notifies_marks_deleted_and_later_updates_are_dropped() {
    sim().check(|rt| async move {
        let s = state(&rt, Fixes::CORRECTED);
        s.add_check(&check("p", "web", Status::Critical)).await;
        s.add_check(&check("alias", "sidecar", Status::Critical))
            .await;
        let (tx, mut rx) = mpsc::channel(&rt, 1);
        s.add_alias_check("alias", "web", 1, tx).await;
        s.remove_check("p").await.unwrap();
        assert!(
            rx.try_recv().is_ok(),
            "removal notifies the aliased service"
        );
        assert!(s.check("p").await.is_none());
        assert!(!s.checks().await.contains_key("p"));
        assert_eq!(
            s.remove_check("p").await.unwrap_err(),
            "check \"p\" does not exist"
        );
        s.update_check("p", Status::Passing).await;
        assert!(
            rx.try_recv().is_err(),
            "an update of a deleted check is dropped"
        );
        // Without `web`'s check the alias's inputs say passing ("No checks found.").
        assert_eq!(
            s.alias_view("alias", "web").await,
            Some((Status::Critical, Status::Passing))
        );
    });
}

/// Copy-on-write: a record handed out by `Check(id)` is never written again; the update
/// installs a new one (spec §4, fix 1b). Without it, the same record changes in place.
#[test]
fn copy_on_write_keeps_handed_out_records_frozen() {
    for (fixes, frozen) in [(Fixes::CLONE_ONLY, true), (Fixes::PRE_5876, false)] {
        sim().check(move |rt| async move {
            let s = state(&rt, fixes);
            s.add_check(&check("p", "web", Status::Passing)).await;
            let held = s.check("p").await.unwrap();
            s.update_check("p", Status::Critical).await;
            let expected = if frozen {
                Status::Passing
            } else {
                Status::Critical
            };
            assert_eq!(held.status(), expected);
            assert_eq!(s.check("p").await.unwrap().status(), Status::Critical);
        });
    }
}
