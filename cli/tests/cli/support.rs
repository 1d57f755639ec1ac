//! Runs the built `ecosuite` binary as a user would, against a local server.

use std::io::Write as _;
use std::process::{Command, Stdio};

use serde_json::Value;

/// The token every test passes; the server must see it, raw, as `Authorization`.
pub const TOKEN: &str = "test-token.abc";

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// Runs `ecosuite ARGS...` with `stdin` piped in, no ECOSUITE_* settings from the environment
/// the tests run in, and stderr not a terminal (so no spinner).
pub async fn ecosuite(args: Vec<String>, stdin: Option<Vec<u8>>) -> Run {
    ecosuite_with_env(args, stdin, Vec::new()).await
}

/// [`ecosuite`], with `env` as the only ECOSUITE_* settings.
pub async fn ecosuite_with_env(
    args: Vec<String>,
    stdin: Option<Vec<u8>>,
    env: Vec<(&'static str, String)>,
) -> Run {
    tokio::task::spawn_blocking(move || {
        let mut command = Command::new(env!("CARGO_BIN_EXE_ecosuite"));
        command.args(&args);
        for (name, _) in std::env::vars() {
            if name.starts_with("ECOSUITE_") {
                command.env_remove(name);
            }
        }
        // Sessions go to a directory of the test's own, never to the user's configuration.
        if !env.iter().any(|(name, _)| *name == "ECOSUITE_CONFIG_DIR") {
            command.env("ECOSUITE_CONFIG_DIR", TempDir::new().forget());
        }
        command.envs(env);
        command
            .stdin(if stdin.is_some() {
                Stdio::piped()
            } else {
                Stdio::null()
            })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        let mut child = command.spawn().expect("the ecosuite binary runs");
        if let Some(bytes) = stdin {
            child.stdin.take().unwrap().write_all(&bytes).unwrap();
        }
        let output = child.wait_with_output().unwrap();
        Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    })
    .await
    .unwrap()
}

/// `["a", "b"]` -> owned arguments.
pub fn argv(parts: &[&str]) -> Vec<String> {
    parts.iter().map(|s| s.to_string()).collect()
}

/// A scratch file that is removed when dropped.
pub struct TempFile(pub std::path::PathBuf);

impl TempFile {
    pub fn new(name: &str, contents: &[u8]) -> Self {
        let dir = std::env::temp_dir().join(format!("ecosuite-cli-tests-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    pub fn path(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A scratch directory, removed when dropped; it is created by whoever writes into it.
pub struct TempDir(pub std::path::PathBuf);

impl TempDir {
    pub fn new() -> Self {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        TempDir(std::env::temp_dir().join(format!(
            "ecosuite-cli-tests-{}/config-{n}",
            std::process::id()
        )))
    }

    pub fn path(&self) -> String {
        self.0.display().to_string()
    }

    /// The path, for a run that leaves nothing behind worth keeping.
    fn forget(self) -> std::path::PathBuf {
        let path = self.0.clone();
        std::mem::forget(self);
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
