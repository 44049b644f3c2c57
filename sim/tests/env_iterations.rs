//! `WEFT_ITERATIONS=0` in the real process environment is an error, from `Sim::from_env`.
//! (Its own test binary with a single test: the environment is process-global.)

#[test]
fn weft_iterations_0_in_the_environment_is_an_error() {
    std::env::set_var(weft_sim::ENV_ITERATIONS, "0");
    let err = weft_sim::Sim::from_env().unwrap_err().to_string();
    std::env::remove_var(weft_sim::ENV_ITERATIONS);
    assert!(
        err.starts_with("iterations is 0 (Config::iterations / WEFT_ITERATIONS)"),
        "{err}"
    );
}
