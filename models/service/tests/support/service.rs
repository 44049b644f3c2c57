//! `weft-config-api` as a child process of a test: the built binary, started on a store,
//! with its stdout's one line read for the bound address, its log in a file, and killed
//! (SIGKILL) when dropped, so no test leaves a server behind.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use tempfile::TempDir;
use weft_config_api::any_store::AnyStore;
use weft_config_api::clock::fresh_version;
use weft_config_api::StoreSpec;

use super::backends::{in_ci, S3_BUCKET_VAR, S3_ENDPOINT_VAR};

/// The binary under test.
pub const BINARY: &str = env!("CARGO_BIN_EXE_weft-config-api");

/// How long a server may take to print its address.
const START_LIMIT: Duration = Duration::from_secs(20);

/// A store for servers to run on, and a handle on it for the test's own checks.
#[derive(Debug)]
pub struct TestStore {
    /// `--store`'s value.
    pub arg: String,
    /// `--s3-endpoint`'s, for `s3:`.
    pub s3_endpoint: Option<String>,
    /// The same store, opened by the test.
    pub store: AnyStore,
    /// For `file:`: the store's directory.
    pub dir: Option<PathBuf>,
    /// A directory for logs (and the store, for `file:`), removed on drop.
    pub scratch: TempDir,
    /// A tenant id no other run uses (S3 keeps objects between runs).
    pub tenant: String,
    /// `file` or `s3`.
    pub name: &'static str,
}

/// A fresh `file:` store in a temporary directory (on disk: the servers fsync every write).
pub fn file_store(label: &str) -> TestStore {
    let scratch = tempfile::tempdir().expect("temporary directory");
    let dir = scratch.path().join("store");
    let arg = format!("file:{}", dir.display());
    let store = AnyStore::open(&arg.parse().expect("spec"), None).expect("open the file store");
    TestStore {
        arg,
        s3_endpoint: None,
        store,
        dir: Some(dir),
        scratch,
        tenant: unique_tenant(label),
        name: "file",
    }
}

/// The SeaweedFS of `.ci/run`, or `None` with a SKIPPED line (a panic when `CI` is set), as
/// `backends::s3` does.
pub fn s3_store(label: &str) -> Option<TestStore> {
    let (Ok(endpoint), Ok(bucket)) = (std::env::var(S3_ENDPOINT_VAR), std::env::var(S3_BUCKET_VAR))
    else {
        let why = format!(
            "{S3_ENDPOINT_VAR} and {S3_BUCKET_VAR} are not both set (run the tests under \
             `bash .ci/with-seaweedfs`, as .ci/run does)"
        );
        if in_ci() {
            panic!("CI is set but {why}: the S3 tests cannot run");
        }
        let line = format!("SKIPPED (S3 not tested): {why}\n");
        let _ = std::io::stderr().write_all(line.as_bytes());
        return None;
    };
    let arg = format!("s3:{bucket}");
    let spec: StoreSpec = arg.parse().expect("spec");
    let store = AnyStore::open(&spec, Some(&endpoint)).expect("open the S3 store");
    Some(TestStore {
        arg,
        s3_endpoint: Some(endpoint),
        store,
        dir: None,
        scratch: tempfile::tempdir().expect("temporary directory"),
        tenant: unique_tenant(label),
        name: "s3",
    })
}

impl TestStore {
    /// How to start servers on this store (`--store` = `store_arg`).
    pub fn launch(&self, store_arg: &str) -> Launch {
        Launch {
            store_arg: store_arg.to_owned(),
            s3_endpoint: self.s3_endpoint.clone(),
            log_dir: self.scratch.path().to_owned(),
        }
    }

    /// A server on this store, `--store` as the store's own, with `extra` arguments.
    pub fn server(&self, extra: &[&str], log_name: &str) -> ServerProcess {
        ServerProcess::start(&self.launch(&self.arg), extra, log_name)
    }
}

/// What a server is started with, apart from its own arguments.
#[derive(Clone, Debug)]
pub struct Launch {
    /// `--store`.
    pub store_arg: String,
    /// `--s3-endpoint`.
    pub s3_endpoint: Option<String>,
    /// Where its log goes.
    pub log_dir: PathBuf,
}

/// `label-<12 hex digits>`.
pub fn unique_tenant(label: &str) -> String {
    let v = fresh_version().expect("random");
    format!("{label}-{}", &v[..12])
}

/// A running server (module docs).
#[derive(Debug)]
pub struct ServerProcess {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    /// `127.0.0.1:PORT`.
    pub addr: String,
    /// Its stderr (the log).
    pub log: PathBuf,
}

impl ServerProcess {
    /// Starts the binary as `launch` says, at `127.0.0.1:0` with `extra` arguments, logging
    /// at debug into `log_name.log`; waits for its address line.
    pub fn start(launch: &Launch, extra: &[&str], log_name: &str) -> Self {
        let log = launch.log_dir.join(format!("{log_name}.log"));
        let log_file = std::fs::File::create(&log).expect("log file");
        let mut cmd = Command::new(BINARY);
        cmd.args(["--listen", "127.0.0.1:0", "--store", &launch.store_arg]);
        cmd.args(["--log-level", "debug"]);
        if let Some(endpoint) = &launch.s3_endpoint {
            cmd.args(["--s3-endpoint", endpoint]);
        }
        cmd.args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::from(log_file));
        let mut child = cmd.spawn().expect("spawn weft-config-api");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut line = String::new();
            let _ = BufReader::new(stdout).read_line(&mut line);
            let _ = tx.send(line);
        });
        let line = match rx.recv_timeout(START_LIMIT) {
            Ok(line) => line,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "weft-config-api printed no address in {START_LIMIT:?}: {}",
                    read(&log)
                );
            }
        };
        let Some(addr) = line.trim().strip_prefix("listening on http://") else {
            let _ = child.kill();
            let _ = child.wait();
            panic!("weft-config-api did not start ({line:?}): {}", read(&log));
        };
        ServerProcess {
            child,
            url: format!("http://{addr}"),
            addr: addr.to_owned(),
            log,
        }
    }

    /// Its log so far.
    pub fn log_text(&self) -> String {
        read(&self.log)
    }

    /// `kill -9`, and reaped.
    pub fn kill(mut self) {
        self.kill_now();
    }

    fn kill_now(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill_now();
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}
