//! Locks: a mutex's locks conflict and two mutexes' do not; a rwlock's reads commute and its
//! writes do not (unless a reader limit of one makes readers compete); a semaphore's acquires
//! conflict, its releases commute, and its close conflicts with all.

use weft_core::sync::{Mutex, RwLock, Semaphore};

use crate::record::record;

#[test]
fn mutex_locks_of_one_mutex_conflict_and_of_two_do_not() {
    let ops = record(|rt| async move {
        let (a, b) = (Mutex::new(&rt, 0), Mutex::new(&rt, 0));
        *a.lock().await += 1;
        *a.lock().await += 1;
        *b.lock().await += 1;
        drop(a.try_lock());
    });
    assert_eq!(
        ops.lines(),
        [
            "mutex.lock #1 Acquire",
            "mutex.unlock #1 Release",
            "mutex.lock #1 Acquire",
            "mutex.unlock #1 Release",
            "mutex.lock #2 Acquire",
            "mutex.unlock #2 Release",
            "mutex.try_lock #1 Acquire",
            "mutex.unlock #1 Release",
        ]
    );
    assert!(ops.conflict(("mutex.unlock", 0), ("mutex.lock", 1)));
    assert!(!ops.conflict(("mutex.unlock", 0), ("mutex.unlock", 1)));
    assert!(!ops.conflict(("mutex.unlock", 0), ("mutex.lock", 2)));
    assert!(ops.conflict(("mutex.lock", 0), ("mutex.lock", 1)));
    assert!(!ops.conflict(("mutex.lock", 0), ("mutex.lock", 2)));
    assert!(ops.conflict(("mutex.lock", 0), ("mutex.try_lock", 0)));
}

#[test]
fn rwlock_reads_commute_writes_do_not_and_a_small_reader_limit_makes_readers_compete() {
    let ops = record(|rt| async move {
        let l = RwLock::new(&rt, 0);
        let one = RwLock::with_max_readers(&rt, 0, 1);
        drop(l.read().await);
        drop(l.try_read());
        *l.write().await += 1;
        drop(one.read().await);
        drop(one.read().await);
    });
    assert_eq!(
        ops.lines(),
        [
            "rwlock.read #1 AcquireShared",
            "rwlock.unlock #1 ReleaseShared",
            "rwlock.try_read #1 AcquireShared",
            "rwlock.unlock #1 ReleaseShared",
            "rwlock.write #1 Acquire",
            "rwlock.unlock #1 Release",
            "rwlock.read #2 Acquire",
            "rwlock.unlock #2 Release",
            "rwlock.read #2 Acquire",
            "rwlock.unlock #2 Release",
        ]
    );
    assert!(!ops.conflict(("rwlock.unlock", 0), ("rwlock.try_read", 0)));
    assert!(ops.conflict(("rwlock.unlock", 0), ("rwlock.write", 0)));
    assert!(!ops.conflict(("rwlock.unlock", 2), ("rwlock.read", 1)));
    assert!(ops.conflict(("rwlock.unlock", 3), ("rwlock.read", 2)));
    assert!(!ops.conflict(("rwlock.read", 0), ("rwlock.try_read", 0)));
    assert!(ops.conflict(("rwlock.read", 0), ("rwlock.write", 0)));
    assert!(ops.conflict(("rwlock.read", 1), ("rwlock.read", 2)));
    assert!(!ops.conflict(("rwlock.write", 0), ("rwlock.read", 1)));
}

#[test]
fn semaphore_acquires_conflict_releases_commute_close_conflicts_with_all() {
    let ops = record(|rt| async move {
        let s = Semaphore::new(&rt, 1);
        drop(s.acquire().await.unwrap());
        drop(s.try_acquire());
        s.add_permits(1);
        s.add_permits(1);
        s.close();
    });
    assert_eq!(
        ops.lines(),
        [
            "semaphore.acquire #1 Acquire",
            "semaphore.release #1 Release",
            "semaphore.try_acquire #1 Acquire",
            "semaphore.release #1 Release",
            "semaphore.add_permits #1 Release",
            "semaphore.add_permits #1 Release",
            "semaphore.close #1 Close",
        ]
    );
    assert!(ops.conflict(("semaphore.acquire", 0), ("semaphore.try_acquire", 0)));
    assert!(!ops.conflict(("semaphore.add_permits", 0), ("semaphore.add_permits", 1)));
    assert!(ops.conflict(("semaphore.add_permits", 0), ("semaphore.acquire", 0)));
    assert!(ops.conflict(("semaphore.close", 0), ("semaphore.add_permits", 0)));
    assert!(ops.conflict(("semaphore.release", 0), ("semaphore.try_acquire", 0)));
    assert!(!ops.conflict(("semaphore.release", 0), ("semaphore.add_permits", 0)));
}
