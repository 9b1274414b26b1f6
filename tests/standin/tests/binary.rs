//! The binary, started the way other languages' tests start it.

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;

#[test]
fn the_binary_prints_its_url_and_stops_when_stdin_closes() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_airbyte-standin"))
        .args(["--port", "0", "--token-lifetime", "42", "--no-auth"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn airbyte-standin");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let base = line.trim().strip_prefix("listening on ").expect(&line).to_owned();
    assert!(base.starts_with("http://127.0.0.1:"), "{base}");

    let health = send("GET", &format!("{base}/api/public/v1/health"), &[], None);
    assert_eq!(health.status, 200);
    // --no-auth: no token needed.
    let jobs = send("GET", &format!("{base}/api/public/v1/jobs"), &[], None);
    assert_eq!(jobs.status, 200);
    let config = send("GET", &format!("{base}/_standin/config"), &[], None).json();
    assert_eq!(
        (config["token_lifetime_secs"].as_u64(), config["auth"].as_bool()),
        (Some(42), Some(false))
    );

    drop(child.stdin.take());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the stand-in did not stop after stdin closed");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
}

#[test]
fn bad_arguments_exit_2_with_usage() {
    let output = Command::new(env!("CARGO_BIN_EXE_airbyte-standin"))
        .arg("--port=none")
        .stdin(Stdio::null())
        .output()
        .expect("run airbyte-standin");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("--port: `none` is not a whole number") && stderr.contains("usage:"),
        "{stderr}"
    );
}
