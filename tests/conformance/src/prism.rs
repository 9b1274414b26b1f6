//! Starting and stopping Prism (`@stoplight/prism-cli`) on 127.0.0.1.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running Prism process; stopped when dropped.
pub(crate) struct Prism {
    child: Child,
    /// Where it listens.
    pub(crate) url: String,
    log: Arc<Mutex<Vec<String>>>,
}

fn free_port() -> Result<u16, String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    listener.local_addr().map(|a| a.port()).map_err(|e| e.to_string())
}

impl Prism {
    /// Starts `prism <mode…> <spec> <after…>` on a free loopback port and waits until it
    /// listens.
    pub(crate) fn start(
        prism: &Path,
        mode: &[&str],
        spec: &Path,
        after: &[&str],
    ) -> Result<Self, String> {
        let port = free_port()?;
        let mut child = Command::new(prism)
            .args(mode)
            .arg(spec)
            .args(after)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", prism.display()))?;
        let log = Arc::new(Mutex::new(Vec::new()));
        for stream in [
            child.stdout.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
            child.stderr.take().map(|s| Box::new(s) as Box<dyn std::io::Read + Send>),
        ]
        .into_iter()
        .flatten()
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if let Ok(mut log) = log.lock() {
                        log.push(line);
                    }
                }
            });
        }
        let prism = Self { child, url: format!("http://127.0.0.1:{port}"), log };
        let started = Instant::now();
        loop {
            if prism.log_lines().iter().any(|l| l.contains("is listening on")) {
                return Ok(prism);
            }
            let fatal =
                prism.log_lines().into_iter().find(|l| l.contains("fatal") || l.contains("Error"));
            if let Some(line) = fatal {
                return Err(format!("prism failed to start on {}: {line}", spec.display()));
            }
            if started.elapsed() > Duration::from_secs(120) {
                return Err(format!("prism did not start on {} within 120 s", spec.display()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Everything Prism printed so far.
    pub(crate) fn log_lines(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
