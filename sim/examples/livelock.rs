//! Two tasks yielding to each other forever, configured from the `WEFT_*` env vars: prints the
//! size of the failure report (and the report itself with `--print`). For measuring what a
//! long failing execution costs, e.g.
//!
//! ```sh
//! WEFT_MAX_STEPS=1000000 /usr/bin/time -v cargo run -p weft-sim --example livelock
//! ```

use weft_core::Runtime;
use weft_sim::{Sim, SimRuntime};

async fn yield_livelock(rt: SimRuntime) {
    let a = rt.spawn("a", async move {
        loop {
            rt.yield_now().await;
        }
    });
    let b = rt.spawn("b", async move {
        loop {
            rt.yield_now().await;
        }
    });
    a.join().await;
    b.join().await;
}

fn main() {
    let sim = match Sim::from_env() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    match sim.run(yield_livelock) {
        Ok(r) => println!("no failure: {r:?}"),
        Err(e) => {
            let report = e.to_string();
            if std::env::args().any(|a| a == "--print") {
                println!("{report}");
            }
            println!(
                "report: {} bytes, {} lines",
                report.len(),
                report.lines().count()
            );
        }
    }
}
