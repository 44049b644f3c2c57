//! The startup capability probe (`config-concurrency.md` §2.4): a store that silently ignores
//! a condition turns every protocol into blind writes with no error, so before serving, the
//! server tries each condition on a scratch key and picks the protocol from what held.
//!
//! Protocol. On `alertmanager-probe/<server id>`:
//! 1. `delete` it (leftovers of an earlier probe);
//! 2. `put_if_absent` twice: the first must succeed, the second must fail;
//! 3. `put_if_match` with a token no store issued: must fail, and the object stay unchanged;
//! 4. `delete_if_match` with that token: must fail, and the object still be there;
//! 5. `delete` it.
//!
//! All three hold → protocol A (§3); `put_if_absent` and `put_if_match` without
//! `delete_if_match` → A, with conditional DELETEs answered 501; `put_if_absent` only → C
//! (§4.5: B' cannot be built safely on it); none → [`Protocol::Refuse`] (501 for every
//! conditional write, and 428 mode stays off). An unknown outcome anywhere is an error: the
//! probe must be run again, never guessed.

use std::fmt;

use super::settings::{Protocol, Settings};
use super::store::{Bucket, Cond, StoreError, StoreResult, StoreVersion};

/// What the probe found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// `put_if_absent` refuses an existing key.
    pub put_if_absent: bool,
    /// `put_if_match` refuses a wrong version and leaves the object alone.
    pub put_if_match: bool,
    /// `delete_if_match` refuses a wrong version and leaves the object alone.
    pub delete_if_match: bool,
}

impl Capabilities {
    /// The protocol these capabilities support (module docs).
    pub fn protocol(self) -> Protocol {
        match (self.put_if_absent, self.put_if_match) {
            (true, true) => Protocol::A,
            (true, false) => Protocol::C,
            (false, _) => Protocol::Refuse,
        }
    }

    /// The settings a server runs with over a store with these capabilities, from the ones it
    /// was asked for (`wanted`): the protocol they support, conditional DELETEs only if
    /// `delete_if_match` held (501 otherwise), and 428 mode only if some precondition can be
    /// honoured. The one home of that rule: the model's servers and the real service both
    /// start through it.
    pub fn settings(self, wanted: Settings) -> Settings {
        let protocol = self.protocol();
        Settings {
            protocol,
            delete_if_match: self.delete_if_match,
            require_preconditions: wanted.require_preconditions && protocol != Protocol::Refuse,
            ..wanted
        }
    }
}

impl fmt::Display for Capabilities {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let yes = |b: bool| if b { "yes" } else { "no" };
        write!(
            f,
            "put_if_absent {}, put_if_match {}, delete_if_match {} => protocol {}",
            yes(self.put_if_absent),
            yes(self.put_if_match),
            yes(self.delete_if_match),
            self.protocol().name()
        )
    }
}

/// A version token no store hands out.
fn wrong_version() -> StoreVersion {
    StoreVersion("weft-probe-no-such-version".into())
}

/// Refused as it should be (the outcome is known and not applied).
fn refused<T>(r: &StoreResult<T>) -> StoreResult<bool> {
    match r {
        Ok(_) => Ok(false),
        Err(e @ StoreError::Unknown(_)) => Err(e.clone()),
        Err(_) => Ok(true),
    }
}

/// Runs the probe on `store` for server `id` (module docs).
pub async fn probe<S: Bucket>(store: &S, id: &str) -> StoreResult<Capabilities> {
    let key = format!("alertmanager-probe/{id}");
    match store.delete(&key, Cond::Always).await {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e),
    }
    let first = b"probe 1".to_vec();
    store.put(&key, first.clone(), Cond::IfAbsent).await?;
    let second = store.put(&key, b"probe 2".to_vec(), Cond::IfAbsent).await;
    let mut put_if_absent = refused(&second)?;
    // What is there now is what later steps must leave alone.
    let before = store.get(&key).await?;
    put_if_absent &= before.bytes == first;

    let r = store
        .put(&key, b"probe 3".to_vec(), Cond::IfMatch(wrong_version()))
        .await;
    let after = store.get(&key).await?;
    let put_if_match =
        refused(&r)? && !matches!(r, Err(StoreError::Unsupported)) && after == before;

    let r = store.delete(&key, Cond::IfMatch(wrong_version())).await;
    let still = store.get(&key).await;
    let delete_if_match = refused(&r)?
        && !matches!(r, Err(StoreError::Unsupported))
        && still.as_ref().is_ok_and(|o| *o == after);

    match store.delete(&key, Cond::Always).await {
        Ok(()) | Err(StoreError::NotFound) => {}
        Err(e) => return Err(e),
    }
    Ok(Capabilities {
        put_if_absent,
        put_if_match,
        delete_if_match,
    })
}
