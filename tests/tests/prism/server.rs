//! Stoplight Prism (pinned in `tests/prism/package.json`) as a child process on a free
//! 127.0.0.1 port, stopped when the handle is dropped, also when a test panics.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, Weak};
use std::thread;
use std::time::{Duration, Instant};

/// How long Prism may take to load the document and listen (about 3 s on a laptop).
const STARTUP_TIMEOUT: Duration = Duration::from_secs(90);

/// Set (non-empty) to make a missing Prism fail the tests instead of skipping them; CI sets it.
const REQUIRE_VAR: &str = "ECOSUITE_REQUIRE_PRISM";

#[derive(Debug, Clone, Copy)]
pub enum Mode {
    /// Responses built from each schema's examples, defaults and types: the same every time.
    Static,
    /// Random schema-valid responses (`--dynamic`), reproducible for a seed when the
    /// requests come in the same order.
    Dynamic { seed: u64 },
}

impl std::fmt::Display for Mode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Mode::Static => f.write_str("static"),
            Mode::Dynamic { seed } => write!(f, "dynamic, seed {seed}"),
        }
    }
}

pub fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn executable() -> PathBuf {
    workspace().join("tests/prism/node_modules/.bin/prism")
}

/// Whether the test `name` can run. When Prism is not installed it says so on the terminal,
/// past the test harness's output capture, and the test passes, unless CI requires Prism.
pub fn available(name: &str) -> bool {
    if executable().exists() {
        return true;
    }
    let missing = "Prism not installed (run npm ci --prefix tests/prism)";
    if std::env::var_os(REQUIRE_VAR).is_some_and(|v| !v.is_empty()) {
        panic!("{name}: {missing}, and {REQUIRE_VAR} says it must run");
    }
    // `eprintln!` output is captured and shown only for failing tests; a direct write is not.
    let _ = writeln!(std::io::stderr(), "\n{name}: skipped: {missing}");
    false
}

/// A running Prism. Dropping it kills the process.
pub struct Prism {
    child: Child,
    port: u16,
    mode: Mode,
    /// The document served, relative to the workspace or absolute.
    document: PathBuf,
    log: Arc<Mutex<Vec<u8>>>,
}

/// The static Prism on `spec/ecosuite.yaml` that tests running at the same time share, so
/// Node loads Prism (about 2 s of CPU) once. Only a weak reference is kept here: the process
/// is killed when the last test holding it ends, as a `static` would never be dropped.
static SHARED_STATIC: Mutex<Weak<Prism>> = Mutex::new(Weak::new());

impl Prism {
    /// Starts Prism on `spec/ecosuite.yaml` and waits until it accepts connections.
    pub fn start(mode: Mode) -> Prism {
        Prism::start_all(&[mode]).pop().unwrap()
    }

    /// The static Prism on `spec/ecosuite.yaml`, shared with the tests running now.
    pub fn shared_static() -> Arc<Prism> {
        let mut shared = SHARED_STATIC.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(prism) = shared.upgrade() {
            return prism;
        }
        let prism = Arc::new(Prism::start(Mode::Static));
        *shared = Arc::downgrade(&prism);
        prism
    }

    /// Starts one Prism per mode, booting them side by side.
    pub fn start_all(modes: &[Mode]) -> Vec<Prism> {
        let document = Path::new("spec/ecosuite.yaml");
        let mut servers: Vec<Prism> = modes
            .iter()
            .map(|mode| Prism::spawn(*mode, document))
            .collect();
        for server in &mut servers {
            server.wait_until_ready();
        }
        servers
    }

    /// Starts Prism on another document.
    pub fn start_document(mode: Mode, document: &Path) -> Prism {
        let mut server = Prism::spawn(mode, document);
        server.wait_until_ready();
        server
    }

    pub fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    fn spawn(mode: Mode, document: &Path) -> Prism {
        let port = free_port();
        let mut command = Command::new(executable());
        command
            .current_dir(workspace())
            .arg("mock")
            .arg(document)
            .args(["--host", "127.0.0.1"])
            .args(["--port", &port.to_string()])
            .args(["--verboseLevel", "warn"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        if let Mode::Dynamic { seed } = mode {
            command.args(["--dynamic", "--seed", &seed.to_string()]);
        }
        let mut child = command.spawn().unwrap_or_else(|e| {
            panic!(
                "cannot start {} (is Node.js on PATH?): {e}",
                executable().display()
            )
        });
        // Prism logs every request; the log is kept for messages and must be drained so a
        // full pipe never blocks it.
        let log = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            child
                .stdout
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
            child
                .stderr
                .take()
                .map(|s| Box::new(s) as Box<dyn Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            thread::spawn(move || drain(stream, &log));
        }
        Prism {
            child,
            port,
            mode,
            document: document.to_path_buf(),
            log,
        }
    }

    fn wait_until_ready(&mut self) {
        let started = Instant::now();
        loop {
            if TcpStream::connect(("127.0.0.1", self.port)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                // Another process took the port between `free_port` and Prism's bind.
                if self.log().contains("EADDRINUSE") && started.elapsed() < STARTUP_TIMEOUT {
                    *self = Prism::spawn(self.mode, &self.document.clone());
                    continue;
                }
                panic!(
                    "Prism ({}, {}) exited with {status} before listening on port {}:\n{}",
                    self.mode,
                    self.document.display(),
                    self.port,
                    self.log()
                );
            }
            if started.elapsed() > STARTUP_TIMEOUT {
                panic!(
                    "Prism ({}) did not listen on port {} within {STARTUP_TIMEOUT:?}:\n{}",
                    self.mode,
                    self.port,
                    self.log()
                );
            }
            thread::sleep(Duration::from_millis(50));
        }
    }

    /// Everything Prism printed so far.
    pub fn log(&self) -> String {
        String::from_utf8_lossy(&self.log.lock().unwrap()).into_owned()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn drain(mut stream: Box<dyn Read + Send>, log: &Mutex<Vec<u8>>) {
    let mut buffer = [0u8; 8192];
    while let Ok(n) = stream.read(&mut buffer) {
        if n == 0 {
            break;
        }
        log.lock().unwrap().extend_from_slice(&buffer[..n]);
    }
}

/// A port nothing listens on right now. Another process could take it before Prism does;
/// Prism then exits at once and is started again on another port.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind an ephemeral port on 127.0.0.1")
        .port()
}
