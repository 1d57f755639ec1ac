//! A spinner on stderr while a call is slow, so a person at a terminal knows it is working.
//!
//! It appears only when stderr is a terminal (never in a pipe, a log or a test), and only
//! after a short delay, so fast calls print nothing at all. Stopping it erases its line.

use std::io::{IsTerminal as _, Write as _};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

/// How long a call runs before the spinner shows.
const DELAY: Duration = Duration::from_millis(300);
const FRAME: Duration = Duration::from_millis(100);
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

pub struct Spinner {
    running: Option<(mpsc::Sender<()>, JoinHandle<()>)>,
}

impl Spinner {
    /// Starts a spinner labelled `label` if stderr is a terminal; otherwise does nothing.
    pub fn start(label: String) -> Spinner {
        if !std::io::stderr().is_terminal() {
            return Spinner { running: None };
        }
        let (stop, stopped) = mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            if !matches!(stopped.recv_timeout(DELAY), Err(RecvTimeoutError::Timeout)) {
                return;
            }
            let mut shown = 0;
            for frame in FRAMES.iter().cycle() {
                let line = format!("{frame} {label}");
                shown = line.chars().count();
                let mut stderr = std::io::stderr().lock();
                let _ = write!(stderr, "\r{line}");
                let _ = stderr.flush();
                drop(stderr);
                if !matches!(stopped.recv_timeout(FRAME), Err(RecvTimeoutError::Timeout)) {
                    break;
                }
            }
            let _ = write!(std::io::stderr(), "\r{}\r", " ".repeat(shown));
        });
        Spinner {
            running: Some((stop, thread)),
        }
    }

    /// Stops and erases the spinner, before anything else is written.
    pub fn stop(mut self) {
        self.finish();
    }

    fn finish(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            let _ = stop.send(());
            let _ = thread.join();
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.finish();
    }
}

/// The spinner's text for a call: `GET /projects/{projectId} (project)`.
pub fn label(method: &str, path: &str, operation_id: &str) -> String {
    format!("{method} {path} ({operation_id})")
}
