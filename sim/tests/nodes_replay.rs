//! A failure that needs a crash replays byte for byte from its schedule string (format 3),
//! and its trace names the fault.

mod nodes_system;

use nodes_system::{system, ONE_CRASH};
use weft_sim::{Config, Schedule, Sim, SimRuntime, StrategyKind};

#[test]
fn a_crash_failure_replays_byte_identically_and_names_the_crash() {
    for strategy in [
        StrategyKind::Dfs,
        StrategyKind::Random,
        StrategyKind::Portfolio,
    ] {
        let found = Sim::new(
            Config::default()
                .strategy(strategy)
                .iterations(10_000)
                .faults(ONE_CRASH),
        )
        .run(|rt: SimRuntime| system(rt, true))
        .unwrap_err();
        let found = found.failure().unwrap();
        let text = found.schedule.encode();
        assert!(text.starts_with("weft3-"), "{text}");
        let schedule = Schedule::decode(&text).expect("the printed string decodes");
        assert_eq!(schedule, found.schedule);
        // The replay runs with the same budget (as the check layer does, from the scenario):
        // the budget decides where fault decisions exist, the schedule what they were.
        let replayed = Sim::new(Config::default().schedule(schedule).faults(ONE_CRASH))
            .run(|rt: SimRuntime| system(rt, true))
            .unwrap_err();
        let replayed = replayed.failure().unwrap();
        assert_eq!(replayed.message, found.message);
        assert_eq!(replayed.schedule.encode(), text);
        assert_eq!(replayed.trace_report(), found.trace_report(), "{strategy}");
        let trace = replayed.trace_report();
        assert!(trace.contains("node s1 crashed at step"), "{trace}");
        assert!(
            trace.contains("node s1 restarted (incarnation 2)"),
            "{trace}"
        );
    }
}
