//! `--store file:DIR`: a [`Bucket`] over a directory, for one host.
//!
//! Layout. A key `a/b` (checked by [`crate::key`]: it cannot name anything outside `DIR`) is
//! the directory `DIR/a/b/`, which holds:
//! - `@object`: the current version: one header line `weft-object 1 <version> <nanos>\n`
//!   (the version token and the write time), then the bytes;
//! - `@lock`: an empty file whose `flock` serializes this key's writes;
//! - `@tmp.<version>`: a write in progress (or left behind by a crash; never read).
//!
//! Guarantee. Every operation on one key is atomic with respect to every other operation on
//! that key, by any thread of any process on this host that uses a `FileBucket` on the same
//! directory of a local filesystem:
//!
//! 1. A write (put or delete, with any condition) takes an exclusive `flock` on `@lock`
//!    (`std::fs::File::lock`), then reads the current version from `@object`, evaluates its
//!    condition, and makes its effect (`rename(@tmp.<v>, @object)` or `unlink(@object)`)
//!    before it unlocks. Check and effect are one step (§2.2); the lock is released by the
//!    kernel when the process dies, even by `kill -9`, so a crash never leaves a key locked.
//! 2. A read (get, head) takes no lock: it opens `@object` once and reads header and bytes
//!    from that one file, and a write replaces `@object` only by `rename` or `unlink`, so a
//!    read sees one whole version, the one current when it opened the file.
//! 3. A put writes and `fsync`s the temporary file before it locks, and `fsync`s the key's
//!    directory after the rename (and after an unlink, and after creating a directory), before
//!    it answers: an acknowledged write survives a crash of the process or of the host.
//! 4. Version tokens are 128 random bits per write ([`crate::clock::fresh_version`]), never
//!    derived from the bytes: writing the same bytes twice gives two versions, and
//!    `put_if_match` compares the stored token for equality, exactly.
//! 5. `put_if_match` / `delete_if_match` on a missing key answer [`StoreError::Absent`];
//!    an unconditional delete of a missing key answers [`StoreError::NotFound`].
//! 6. Every operation ends within [`FileBucket::timeout`] (5 s by default, spec §7.6) or
//!    answers [`StoreError::Unknown`]: the blocking work goes on in the background and may
//!    still take effect. Any I/O error is Unknown too, with its text.
//!
//! Not guaranteed: atomicity over NFS or between hosts (flock is local), or against anything
//! else writing into `DIR`, symbolic links placed there included. Directories of deleted keys
//! and their `@lock` files stay (removing them would race with a concurrent create).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use weft_core::node::WallTime;
use weft_models::mimir::store::{
    Bucket, Cond, Meta, Object, StoreError, StoreResult, StoreVersion,
};

use crate::clock::{fresh_version, wall_now};
use crate::key::{check_key, refused, KeyError};

/// The store-op timeout of spec §7.6.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

const OBJECT: &str = "@object";
const LOCK: &str = "@lock";
const TMP_PREFIX: &str = "@tmp.";
const MAGIC: &str = "weft-object 1";
/// The header is at most this long (magic, 32 hex digits, an i128, spaces and newline).
const MAX_HEADER: usize = 128;

/// The `file:DIR` store (module docs).
#[derive(Clone, Debug)]
pub struct FileBucket {
    root: Arc<PathBuf>,
    timeout: Duration,
}

impl FileBucket {
    /// The store in `dir`, created if missing.
    pub fn open(dir: impl AsRef<Path>) -> io::Result<FileBucket> {
        let dir = dir.as_ref();
        fs::create_dir_all(dir)?;
        let root = dir.canonicalize()?;
        if !root.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a directory",
                root.display()
            )));
        }
        Ok(FileBucket {
            root: Arc::new(root),
            timeout: DEFAULT_TIMEOUT,
        })
    }

    /// The same store with another operation timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> FileBucket {
        self.timeout = timeout;
        self
    }

    /// The operation timeout.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// The store's directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The directory that holds `key`'s files: always strictly under [`FileBucket::root`].
    pub fn key_dir(&self, key: &str) -> Result<PathBuf, KeyError> {
        let mut path = PathBuf::from(self.root.as_path());
        for segment in check_key(key)? {
            path.push(segment);
        }
        Ok(path)
    }

    async fn run<T, F>(&self, key: &str, op: F) -> StoreResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&Path, &Path) -> StoreResult<T> + Send + 'static,
    {
        let dir = self.key_dir(key).map_err(|e| refused(key, &e))?;
        let root = Arc::clone(&self.root);
        let task = tokio::task::spawn_blocking(move || op(&root, &dir));
        match tokio::time::timeout(self.timeout, task).await {
            Ok(Ok(result)) => result,
            Ok(Err(join)) => Err(StoreError::Unknown(format!(
                "file store task failed: {join}"
            ))),
            Err(_) => Err(StoreError::Unknown(format!(
                "file store operation timed out after {:?}",
                self.timeout
            ))),
        }
    }
}

fn unknown(what: &str, path: &Path, e: io::Error) -> StoreError {
    StoreError::Unknown(format!("{what} {}: {e}", path.display()))
}

/// The header line of a version.
fn header(version: &str, at: WallTime) -> String {
    format!("{MAGIC} {version} {}\n", at.0)
}

/// Splits a stored file into its meta and the offset of its bytes.
fn parse_header(data: &[u8], path: &Path) -> StoreResult<(Meta, usize)> {
    let corrupt = || StoreError::Unknown(format!("corrupt object file {}", path.display()));
    let end = data
        .iter()
        .take(MAX_HEADER)
        .position(|&b| b == b'\n')
        .ok_or_else(corrupt)?;
    let line = std::str::from_utf8(&data[..end]).map_err(|_| corrupt())?;
    let rest = line.strip_prefix(MAGIC).ok_or_else(corrupt)?;
    let mut fields = rest.split(' ').skip(1);
    let (Some(version), Some(nanos), None) = (fields.next(), fields.next(), fields.next()) else {
        return Err(corrupt());
    };
    let nanos: i128 = nanos.parse().map_err(|_| corrupt())?;
    if version.is_empty() {
        return Err(corrupt());
    }
    let meta = Meta {
        version: StoreVersion(version.to_owned()),
        last_modified: WallTime(nanos),
    };
    Ok((meta, end + 1))
}

/// Reads `dir/@object` whole, or `None` if the key (or its directory) does not exist.
fn read_object(dir: &Path) -> StoreResult<Option<(Meta, Vec<u8>)>> {
    let path = dir.join(OBJECT);
    let mut data = Vec::new();
    match File::open(&path) {
        Ok(mut f) => f
            .read_to_end(&mut data)
            .map_err(|e| unknown("read", &path, e))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unknown("open", &path, e)),
    };
    let (meta, start) = parse_header(&data, &path)?;
    data.drain(..start);
    Ok(Some((meta, data)))
}

/// Reads only the meta of `dir/@object`, or `None` if absent.
fn read_meta(dir: &Path) -> StoreResult<Option<Meta>> {
    let path = dir.join(OBJECT);
    let file = match File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unknown("open", &path, e)),
    };
    let mut head = Vec::with_capacity(MAX_HEADER);
    file.take(MAX_HEADER as u64)
        .read_to_end(&mut head)
        .map_err(|e| unknown("read", &path, e))?;
    parse_header(&head, &path).map(|(meta, _)| Some(meta))
}

fn sync_dir(dir: &Path) -> StoreResult<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| unknown("fsync directory", dir, e))
}

/// Creates `dir` and any missing parents up to `root`, syncing each parent that gained an
/// entry (module docs, rule 3).
fn ensure_dir(root: &Path, dir: &Path) -> StoreResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    let rel = dir.strip_prefix(root).map_err(|_| {
        StoreError::Unknown(format!("{} is not under {}", dir.display(), root.display()))
    })?;
    let mut path = root.to_path_buf();
    for part in rel.components() {
        let parent = path.clone();
        path.push(part);
        match fs::create_dir(&path) {
            Ok(()) => sync_dir(&parent)?,
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(unknown("create directory", &path, e)),
        }
    }
    Ok(())
}

/// Takes `dir/@lock` exclusively; `None` if the key's directory does not exist (then the key
/// is absent, and stays so until a put creates the directory). Unlocked when dropped.
fn lock_key(dir: &Path) -> StoreResult<Option<File>> {
    let path = dir.join(LOCK);
    let file = match OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(unknown("open lock", &path, e)),
    };
    file.lock().map_err(|e| unknown("lock", &path, e))?;
    Ok(Some(file))
}

/// Evaluates a write's condition against the current version (`None`: absent).
fn check(cond: &Cond, current: Option<&Meta>) -> StoreResult<()> {
    match (cond, current) {
        (Cond::Always, _) => Ok(()),
        (Cond::IfAbsent, None) => Ok(()),
        (Cond::IfAbsent, Some(_)) => Err(StoreError::Exists),
        (Cond::IfMatch(_), None) => Err(StoreError::Absent),
        (Cond::IfMatch(want), Some(cur)) if &cur.version == want => Ok(()),
        (Cond::IfMatch(_), Some(_)) => Err(StoreError::Mismatch),
    }
}

fn put_blocking(root: &Path, dir: &Path, bytes: &[u8], cond: &Cond) -> StoreResult<StoreVersion> {
    ensure_dir(root, dir)?;
    let version = fresh_version().map_err(|e| StoreError::Unknown(format!("random: {e}")))?;
    let tmp = dir.join(format!("{TMP_PREFIX}{version}"));
    let written = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(header(&version, wall_now()).as_bytes())?;
        f.write_all(bytes)?;
        f.sync_all()
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(unknown("write", &tmp, e));
    }
    let result = (|| {
        let Some(_lock) = lock_key(dir)? else {
            return Err(StoreError::Unknown(format!("{} vanished", dir.display())));
        };
        check(cond, read_meta(dir)?.as_ref())?;
        let object = dir.join(OBJECT);
        fs::rename(&tmp, &object).map_err(|e| unknown("rename onto", &object, e))?;
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map(|()| StoreVersion(version))
}

fn delete_blocking(dir: &Path, cond: &Cond) -> StoreResult<()> {
    let lock = lock_key(dir)?;
    let current = match lock {
        Some(_) => read_meta(dir)?,
        None => None,
    };
    match (cond, &current) {
        (Cond::IfAbsent, _) => return Err(StoreError::Unsupported),
        (Cond::Always, None) => return Err(StoreError::NotFound),
        _ => check(cond, current.as_ref())?,
    }
    let object = dir.join(OBJECT);
    fs::remove_file(&object).map_err(|e| unknown("unlink", &object, e))?;
    sync_dir(dir)?;
    drop(lock);
    Ok(())
}

impl Bucket for FileBucket {
    async fn get(&self, key: &str) -> StoreResult<Object> {
        self.run(key, |_, dir| match read_object(dir)? {
            Some((meta, bytes)) => Ok(Object { bytes, meta }),
            None => Err(StoreError::NotFound),
        })
        .await
    }

    async fn head(&self, key: &str) -> StoreResult<Meta> {
        self.run(key, |_, dir| read_meta(dir)?.ok_or(StoreError::NotFound))
            .await
    }

    async fn put(&self, key: &str, bytes: Vec<u8>, cond: Cond) -> StoreResult<StoreVersion> {
        self.run(key, move |root, dir| put_blocking(root, dir, &bytes, &cond))
            .await
    }

    async fn delete(&self, key: &str, cond: Cond) -> StoreResult<()> {
        if cond == Cond::IfAbsent {
            return Err(StoreError::Unsupported);
        }
        self.run(key, move |_, dir| delete_blocking(dir, &cond))
            .await
    }
}
