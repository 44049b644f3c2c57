//! [`Config::validate`]: settings that would make a run check nothing, or that would be
//! silently ignored, are errors before anything runs. The rules are listed in the
//! [`Config`] documentation table; each message names the setter and the env var.

use crate::config::{
    Config, ConfigError, ENV_CHECK_DETERMINISM, ENV_ITERATIONS, ENV_MAX_STEPS, ENV_MAX_STEP_OPS,
    ENV_PREEMPTION_BOUND, ENV_REGRESSIONS, ENV_SCHEDULE, ENV_SEED, ENV_STRATEGY,
};

impl Config {
    /// Checks that every setting applies and that the run will execute something; the first
    /// problem is a one-line error naming the setter and the env var. [`Sim::run`] calls
    /// this before running anything.
    ///
    /// [`Sim::run`]: crate::Sim::run
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.iterations == 0 {
            return Err(ConfigError(format!(
                "iterations is 0 (Config::iterations / {ENV_ITERATIONS}): a run of zero \
                 executions checks nothing; use at least 1"
            )));
        }
        if self.max_steps == 0 {
            return Err(ConfigError(format!(
                "max_steps is 0 (Config::max_steps / {ENV_MAX_STEPS}): no execution could take \
                 a single step; use at least 1"
            )));
        }
        if self.max_step_ops == 0 {
            return Err(ConfigError(format!(
                "max_step_ops is 0 (Config::max_step_ops / {ENV_MAX_STEP_OPS}): no step could make \
                 a single weft operation; use at least 1"
            )));
        }
        self.strategy
            .validate()
            .map_err(|e| ConfigError(format!("Config::strategy / {ENV_STRATEGY}: {e}")))?;
        let bounded = self.strategy.takes_preemption_bound();
        if let (Some(k), false) = (self.preemption_bound, bounded) {
            return Err(ConfigError(format!(
                "a preemption bound ({k}, Config::preemption_bound / {ENV_PREEMPTION_BOUND}) \
                 applies only to the dfs, icb and hunt strategies, but the strategy is {}",
                self.strategy
            )));
        }
        if let Some(key) = &self.regression_key {
            crate::regression::check_key(key)?;
        }
        Ok(())
    }
}

/// Env vars that a `WEFT_SCHEDULE` replay would ignore: it runs the one recorded execution
/// with the schedule's own seed, and skips the regression file.
const IGNORED_BY_REPLAY: [&str; 5] = [
    ENV_SEED,
    ENV_ITERATIONS,
    ENV_STRATEGY,
    ENV_PREEMPTION_BOUND,
    ENV_REGRESSIONS,
];

/// The env-only rules of [`Config::from_env`]: `is_set` tells which variables were given.
pub(crate) fn env_combination(
    c: &Config,
    is_set: impl Fn(&str) -> bool,
) -> Result<(), ConfigError> {
    if !is_set(ENV_SCHEDULE) {
        return Ok(());
    }
    let ignored = IGNORED_BY_REPLAY
        .iter()
        .copied()
        .find(|name| is_set(name))
        .or(c.check_determinism.then_some(ENV_CHECK_DETERMINISM));
    match ignored {
        Some(name) => Err(ConfigError(format!(
            "{name} does not apply with {ENV_SCHEDULE}: a replay runs exactly the recorded \
             execution (its own seed, no exploration, no regression file); unset {name}"
        ))),
        None => Ok(()),
    }
}
