//! The crate in `tests/outside/` is a user's crate: outside the workspace, depending on weft by
//! path. This test builds and tests it the way its user would (`cargo test` in that crate, its
//! own lockfile, no weft-internal features), so the README's one test command covers what a
//! user meets from the outside: a spin, a livelock report, a regression file, a bad env knob,
//! a foreign schedule.

use std::path::Path;
use std::process::Command;

#[test]
fn the_outside_crate_passes_as_its_user_builds_it() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = here.join("outside/Cargo.toml");
    // Its own target directory inside the workspace's, so a build of this crate never waits
    // on the workspace's build lock (held by the `cargo test` that runs this test).
    let target = here.join("../target/outside");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["test", "--locked", "--manifest-path"])
        .arg(&manifest)
        .arg("--target-dir")
        .arg(&target);
    // The outer run's knobs must not leak into the user's tests.
    for (name, _) in std::env::vars() {
        if name.starts_with("WEFT_") {
            cmd.env_remove(name);
        }
    }
    let out = cmd.output().expect("cargo runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the outside crate's tests failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    let passed: u64 = stdout
        .lines()
        .filter_map(|l| l.strip_prefix("test result: ok. "))
        .filter_map(|l| l.split(' ').next()?.parse::<u64>().ok())
        .sum();
    assert!(
        passed >= 6,
        "{passed} tests passed in the outside crate:\n{stdout}"
    );
    println!("{stdout}");
}
