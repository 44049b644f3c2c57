//! Check status and the alias's function of it (spec §1.5).

use std::fmt;

/// A check's status, ordered by severity (`Passing < Warning < Critical`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Status {
    /// `passing`
    Passing,
    /// `warning`
    Warning,
    /// `critical`
    Critical,
}

impl Status {
    /// The other one of passing and critical (a flap).
    pub fn flipped(self) -> Status {
        match self {
            Status::Passing => Status::Critical,
            _ => Status::Passing,
        }
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Status::Passing => "passing",
            Status::Warning => "warning",
            Status::Critical => "critical",
        })
    }
}

/// Whether a check of `service` is an input of an alias of `aliased` (`processChecks`, spec
/// §1.5): checks of the aliased service, and node-level checks (service `""`). The alias's
/// own check belongs to its own service, so it is never its own input.
pub fn mirrors(aliased: &str, service: &str) -> bool {
    service.is_empty() || service == aliased
}

/// The alias's status over its inputs' statuses: the most severe, or passing when there is
/// none ("No checks found.").
pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Status {
    statuses.into_iter().max().unwrap_or(Status::Passing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alias_takes_the_most_severe_of_the_service_and_node_checks() {
        let checks = [
            ("web", Status::Passing),
            ("", Status::Warning),
            ("sidecar", Status::Critical),
        ];
        let of = |aliased: &str| {
            worst(
                checks
                    .iter()
                    .filter(|(s, _)| mirrors(aliased, s))
                    .map(|(_, st)| *st),
            )
        };
        assert_eq!(of("web"), Status::Warning);
        assert_eq!(worst([]), Status::Passing);
        assert!(!mirrors("web", "sidecar"));
    }
}
