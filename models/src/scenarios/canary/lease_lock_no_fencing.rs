//! `canary/lease-lock-no-fencing`: a lease lock without a fencing token. A client pauses
//! after checking its lease and before writing; the lease expires and is granted to the other
//! client, which writes; the paused client resumes and overwrites the new holder's write
//! (Kleppmann, "How to do distributed locking", 2016).
//!
//! Protocol. The root creates a lock service ([`LockService`]) and a storage ([`Storage`]),
//! each `Arc`'d outside the nodes (servers the clients call, which no pause stops), and starts
//! two clients, nodes `c1` and `c2`. Per write of its workload, a client:
//!
//! 1. asks the service for the lease. The service grants it if it is free, or if its holder's
//!    lease expired by the service's clock (the runtime's time), with the next token (1, 2,
//!    ...), for [`LEASE`]; otherwise the client sleeps [`RETRY`] and asks again;
//! 2. reaches crash point `acquired`;
//! 3. checks on its own monotonic clock (`local_now`) that less than [`LEASE`] passed since it
//!    asked; if not, it starts over at 1;
//! 4. reaches crash point `checked`;
//! 5. writes its value, with its token, to the storage:
//!    - **buggy**: the storage applies every write;
//!    - **fixed**: the storage rejects a write whose token is lower than the highest it has
//!      seen (the fencing token), and the client learns that its lease was lost;
//! 6. releases the lease (a release under a token that no longer holds it is ignored).
//!
//! A pause at `checked` longer than the lease lets the other client take the expired lease
//! (token t+1), write and release before the paused client resumes and writes under token t.
//! A pause at `acquired` is caught by the check in step 3.
//!
//! Oracle (`no-stale-overwrite`): the tokens of the writes the storage applied, in the order
//! it applied them, never decrease: no write made under a lease is applied after one made under
//! a later lease. The root checks it after [`SETTLE`], when both clients are done. Budget: one
//! pause of [`PAUSE`] (twice the lease), at any of the crash points `acquired` and `checked`;
//! no crash. Workload: one write per client at [`Scale::Minimal`], two at [`Scale::Full`].
//! Tasks: the root and the two clients.

use std::fmt;
use std::sync::{Arc, Mutex as StdMutex};
use std::time::Duration;

use weft_core::faults::{Budget, FaultKind};
use weft_core::node::NodeSpec;
use weft_core::{BoxFuture, FailureKind, Instant, OracleId, Runtime};

use super::SYSTEM;
use crate::oracle;
use crate::scenario::{Expect, Faults, Info, Scale, Scenario, VariantId};

/// The storage never applies a write made under a lease after one made under a later lease.
pub const NO_STALE_OVERWRITE: OracleId = OracleId::new("no-stale-overwrite");

/// How long a lease lasts, by the service's clock.
pub const LEASE: Duration = Duration::from_secs(1);
/// How long an injected pause lasts: longer than a lease.
const PAUSE: Duration = Duration::from_secs(2);
/// How long a client waits before it asks again for a lease that is held.
const RETRY: Duration = Duration::from_millis(300);
/// How long the root waits before it checks the storage: longer than both clients' work, a
/// pause included.
const SETTLE: Duration = Duration::from_secs(10);

/// The clients, as node names.
const CLIENTS: [&str; 2] = ["c1", "c2"];

/// One write, as the storage records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Write {
    /// The client that made it.
    writer: &'static str,
    /// Its place in the writer's workload (1, 2).
    round: u32,
    /// The token of the lease it was made under.
    token: u64,
}

impl fmt::Display for Write {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{} (token {})", self.writer, self.round, self.token)
    }
}

/// The lease currently granted.
#[derive(Clone, Copy, Debug)]
struct Lease {
    token: u64,
    expires: Instant,
}

/// The lock service: one lease at a time, each with the next token.
#[derive(Debug, Default)]
struct LockService {
    /// The last token granted (0: none yet).
    last_token: u64,
    holder: Option<Lease>,
}

impl LockService {
    /// Grants the lease at `now` if it is free or expired (step 1): its token.
    fn acquire(&mut self, now: Instant) -> Option<u64> {
        if self.holder.is_some_and(|l| now < l.expires) {
            return None;
        }
        self.last_token += 1;
        self.holder = Some(Lease {
            token: self.last_token,
            expires: now + LEASE,
        });
        Some(self.last_token)
    }

    /// Releases the lease if `token` still holds it (step 6).
    fn release(&mut self, token: u64) {
        if self.holder.is_some_and(|l| l.token == token) {
            self.holder = None;
        }
    }
}

/// The storage: a value, and every write it applied.
#[derive(Debug, Default)]
struct Storage {
    /// The highest token it has seen.
    highest: u64,
    /// The writes it applied, in order; the last is its value.
    applied: Vec<Write>,
}

impl Storage {
    /// Applies `write`, unless `fencing` and a later token was seen (step 5): `Err` carries
    /// the highest token seen.
    fn write(&mut self, write: Write, fencing: bool) -> Result<(), u64> {
        if fencing && write.token < self.highest {
            return Err(self.highest);
        }
        self.highest = self.highest.max(write.token);
        self.applied.push(write);
        Ok(())
    }
}

/// See the module documentation.
#[derive(Debug)]
pub struct LeaseLockNoFencing;

crate::variants! {
    /// The variants of [`LeaseLockNoFencing`].
    pub enum LeaseLockNoFencingVariant {
        Buggy {
            name: "buggy",
            summary: "the storage applies every write, whatever its lease's token",
            expect: Expect::Fail(FailureKind::Assertion, Some(NO_STALE_OVERWRITE)),
        },
        Fixed {
            name: "fixed",
            summary: "the storage rejects a write whose token is lower than one it has seen",
            expect: Expect::Pass,
        },
    }
}

/// One client: `writes` rounds of acquire, check, write, release.
async fn client<R: Runtime>(
    rt: R,
    name: &'static str,
    writes: u32,
    lock: Arc<StdMutex<LockService>>,
    storage: Arc<StdMutex<Storage>>,
    variant: LeaseLockNoFencingVariant,
) {
    let fencing = variant == LeaseLockNoFencingVariant::Fixed;
    for round in 1..=writes {
        let token = loop {
            let asked = rt.local_now();
            let granted = lock.lock().unwrap().acquire(rt.now());
            let Some(token) = granted else {
                rt.sleep(RETRY).await;
                continue;
            };
            rt.crash_point("acquired").await;
            if rt.local_now() - asked < LEASE {
                break token;
            }
        };
        rt.crash_point("checked").await;
        let write = Write {
            writer: name,
            round,
            token,
        };
        // Fixed: a rejected write tells the client its lease was lost; it has nothing to undo.
        let _ = storage.lock().unwrap().write(write, fencing);
        lock.lock().unwrap().release(token);
    }
}

impl Scenario for LeaseLockNoFencing {
    type Variant = LeaseLockNoFencingVariant;

    const INFO: Info = Info {
        name: "canary/lease-lock-no-fencing",
        system: SYSTEM,
        summary: "a lease lock without a fencing token: a paused holder overwrites the next \
                  holder's write",
        spec: "issue 13 §5(c)",
        variants: <Self::Variant as VariantId>::DESCRIPTIONS,
        oracles: &[NO_STALE_OVERWRITE],
        max_tasks: 3,
        needs_quiescence: false,
        needs_clock: true,
        tolerates: &[],
        may_outlive: &[],
        faults: Faults {
            nodes: &CLIENTS,
            budget: Budget::NONE.with(FaultKind::Pause, 1).pausing_for(PAUSE),
            crash_points: &["acquired", "checked"],
        },
    };

    fn run<R: Runtime>(rt: R, variant: Self::Variant, scale: Scale) -> BoxFuture {
        Box::pin(async move {
            let writes = match scale {
                Scale::Minimal => 1,
                Scale::Full => 2,
            };
            let lock = Arc::new(StdMutex::new(LockService::default()));
            let storage = Arc::new(StdMutex::new(Storage::default()));
            for name in CLIENTS {
                let spec = {
                    let (rt, lock, storage) = (rt.clone(), lock.clone(), storage.clone());
                    NodeSpec::new(name, move || {
                        let (lock, storage) = (lock.clone(), storage.clone());
                        Box::pin(client(rt.clone(), name, writes, lock, storage, variant))
                    })
                };
                rt.start_node(spec);
            }
            rt.sleep(SETTLE).await;
            let applied = storage.lock().unwrap().applied.clone();
            if let Some(w) = applied.windows(2).find(|w| w[1].token < w[0].token) {
                let shown: Vec<String> = applied.iter().map(Write::to_string).collect();
                oracle::violated(
                    &rt,
                    NO_STALE_OVERWRITE,
                    format!(
                        "{} overwrote {}: the storage applied {}",
                        w[1],
                        w[0],
                        shown.join(", ")
                    ),
                );
            }
        })
    }
}
