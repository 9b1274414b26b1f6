//! The `airbyte` program end to end: against its embedded stand-in, and against a stand-in
//! started here (through `AIRBYTE_URL` and client credentials), with faults injected.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::process::{Command, Output};

use airbyte_standin::{ids, Fault, FaultKind, FaultMatch, Handle, Options, Standin};
use serde_json::Value;

fn airbyte(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_airbyte"));
    command.args(args);
    for name in [
        "AIRBYTE_URL",
        "AIRBYTE_CLIENT_ID",
        "AIRBYTE_CLIENT_SECRET",
        "AIRBYTE_TOKEN",
        "AIRBYTE_API",
    ] {
        command.env_remove(name);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn standin() -> Handle {
    Standin::start(Options::default()).unwrap()
}

fn env_for(handle: &Handle) -> Vec<(&'static str, String)> {
    vec![
        ("AIRBYTE_URL", handle.base_url().to_owned()),
        ("AIRBYTE_CLIENT_ID", handle.client_id().to_owned()),
        ("AIRBYTE_CLIENT_SECRET", handle.client_secret().to_owned()),
    ]
}

fn run_against(handle: &Handle, args: &[&str]) -> Output {
    let env = env_for(handle);
    let env: Vec<(&str, &str)> = env.iter().map(|(n, v)| (*n, v.as_str())).collect();
    airbyte(args, &env)
}

#[test]
fn sync_and_wait_on_the_embedded_default() {
    let connection = ids::CONNECTION_OK.to_string();
    let output = airbyte(&["sync", &connection, "--wait", "--poll", "0.05"], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(stderr(&output).contains("using an embedded stand-in at http://127.0.0.1:"));
    assert!(
        stdout(&output).starts_with("job 4 succeeded: 3,750 rows, 776.4 KiB in "),
        "{}",
        stdout(&output)
    );
    // Progress went to standard error, one line per change (not a terminal here).
    assert!(stderr(&output).contains("job 4 running "), "{}", stderr(&output));
    assert!(stderr(&output).contains("job 4 succeeded"), "{}", stderr(&output));
}

#[test]
fn a_failed_sync_exits_with_one_and_shows_the_failure() {
    let connection = ids::CONNECTION_FAILING.to_string();
    for api in ["public", "config"] {
        let output = airbyte(&["--api", api, "sync", &connection, "--wait", "--poll", "0.05"], &[]);
        assert_eq!(output.status.code(), Some(1), "{api}: {}", stderr(&output));
        assert!(stdout(&output).starts_with("job 4 failed"), "{api}: {}", stdout(&output));
    }
    let output = airbyte(
        &["--api", "config", "sync", &connection, "--wait", "--poll", "0.05", "--json"],
        &[],
    );
    let report: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(report["outcome"], "failed");
    assert_eq!(report["progress"]["status"], "failed");
    assert_eq!(
        report["failure_summary"],
        "The source rejected the credentials: Invalid API Key provided (HTTP 401). Update the source's \
         credentials and try again. (config_error, source)"
    );
}

#[test]
fn a_timeout_cancels_the_job_and_exits_with_one() {
    let handle = standin();
    let connection = ids::CONNECTION_SLOW.to_string();
    let output =
        run_against(&handle, &["sync", &connection, "--wait", "--poll", "0.05", "--timeout", "0"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(
        stdout(&output).starts_with("job 4 timed out and was cancelled"),
        "{}",
        stdout(&output)
    );
    let cancels = handle.requests().into_iter().filter(|r| r.method == "DELETE").count();
    assert_eq!(cancels, 1);
}

#[test]
fn lists_page_through_everything_with_client_credentials() {
    let handle = standin();
    let output = run_against(&handle, &["workspaces", "list", "--json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let workspaces: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let ids: Vec<&str> =
        workspaces.as_array().unwrap().iter().map(|w| w["workspaceId"].as_str().unwrap()).collect();
    assert_eq!(ids, [ids::WORKSPACE_ANALYTICS.to_string(), ids::WORKSPACE_MARKETING.to_string()]);

    handle.clear_requests();
    let output = run_against(&handle, &["connections", "list"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let lines: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(lines.len(), 1 + ids::ACTIVE_CONNECTIONS);
    assert!(lines[0].starts_with("CONNECTION ID"));
    let paths: Vec<String> = handle
        .requests()
        .into_iter()
        .map(|r| r.path)
        .filter(|p| p.contains("/connections"))
        .collect();
    assert_eq!(
        paths,
        [
            "/api/public/v1/connections?limit=100",
            "/api/public/v1/connections?limit=100&offset=100",
        ],
        "the 25 connections, then the empty page that ends the walk (the next link says offset=100)",
    );
}

#[test]
fn retries_server_errors_and_refreshes_expired_tokens() {
    let handle = standin();
    handle.add_faults([
        Fault {
            matcher: FaultMatch {
                method: Some("GET".into()),
                path_prefix: Some("/api/public/v1/jobs/".into()),
            },
            times: 2,
            kind: FaultKind::Status {
                status: 503,
                body: None,
                content_type: None,
                retry_after: Some("0".into()),
            },
        },
        Fault {
            matcher: FaultMatch {
                method: Some("GET".into()),
                path_prefix: Some("/api/public/v1/jobs/".into()),
            },
            times: 1,
            kind: FaultKind::ExpireTokens,
        },
    ]);
    let connection = ids::CONNECTION_OK.to_string();
    let output = run_against(&handle, &["sync", &connection, "--wait", "--poll", "0.05"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let requests = handle.requests();
    let token_requests =
        requests.iter().filter(|r| r.path.ends_with("/applications/token")).count();
    assert_eq!(token_requests, 2, "one token at the start, one after the expiry");
    let faulted = requests.iter().filter(|r| r.fault.is_some()).count();
    assert_eq!(faulted, 3, "two 503s and one token expiry were injected and all consumed");
}

#[test]
fn a_second_sync_is_refused_unless_attached() {
    let handle = standin();
    let connection = ids::CONNECTION_SLOW.to_string();
    let first = run_against(&handle, &["sync", &connection]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stdout(&first), "started job 4 (pending)\n");

    let second = run_against(&handle, &["sync", &connection]);
    assert_eq!(second.status.code(), Some(3));
    assert!(stderr(&second).contains("HTTP 409"), "{}", stderr(&second));

    let attached =
        run_against(&handle, &["sync", &connection, "--wait", "--attach", "--poll", "0.01"]);
    assert_eq!(attached.status.code(), Some(0), "{}", stderr(&attached));
    assert!(
        stdout(&attached).contains("(attached to a job that was already running)"),
        "{}",
        stdout(&attached)
    );
}

#[test]
fn jobs_list_get_and_cancel() {
    let handle = standin();
    let connection = ids::CONNECTION_SLOW.to_string();
    run_against(&handle, &["sync", &connection]);
    let output = run_against(&handle, &["jobs", "get", "4", "--json"]);
    let job: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(
        (job["jobId"].as_i64(), job["connectionId"].as_str()),
        (Some(4), Some(connection.as_str()))
    );

    let output = run_against(&handle, &["jobs", "list", "--connection", &connection]);
    let text = stdout(&output);
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("JOB ID"));
    assert!(lines.iter().any(|l| l.starts_with("4 ")), "{lines:?}");

    let output = run_against(&handle, &["jobs", "cancel", "4"]);
    assert_eq!((output.status.code(), stdout(&output)), (Some(0), "job 4: cancelled\n".to_owned()));
    let output = run_against(&handle, &["--api", "config", "jobs", "get", "4", "--json"]);
    let job: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert_eq!(job["job"]["status"], "cancelled");
}

#[test]
fn bad_credentials_and_bad_urls_are_clear_and_secret_free() {
    let handle = standin();
    let output = airbyte(
        &["workspaces", "list"],
        &[
            ("AIRBYTE_URL", handle.base_url()),
            ("AIRBYTE_CLIENT_ID", "x"),
            ("AIRBYTE_CLIENT_SECRET", "hunter2-secret"),
        ],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(stderr(&output)
        .starts_with("airbyte: the token request failed: createAccessToken: HTTP 401"));
    assert!(!stderr(&output).contains("hunter2-secret"));

    let output = airbyte(&["--url", "localhost:8000", "health"], &[]);
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(
        stderr(&output),
        "airbyte: the server URL `localhost:8000` has no scheme: write it as http://localhost:8000 or \
         https://localhost:8000\n"
    );
    let output = airbyte(&["--client-id", "only-the-id", "health"], &[]);
    assert_eq!(output.status.code(), Some(2));
}

#[test]
fn health_on_both_apis() {
    let handle = standin();
    for api in ["public", "config"] {
        let output = run_against(&handle, &["--api", api, "health"]);
        assert_eq!((output.status.code(), stdout(&output)), (Some(0), "ok\n".to_owned()), "{api}");
    }
}
