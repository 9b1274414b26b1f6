//! `airbyte-standin [--port N] [--token-lifetime SECS] [--no-auth]`: starts the stand-in server,
//! prints `listening on http://127.0.0.1:PORT` on one line, and serves until it is killed or,
//! when standard input is a pipe or socket, until that is closed.

use std::io::{Read, Write};
use std::process::ExitCode;

use airbyte_standin::{Options, Standin};

const USAGE: &str = "usage: airbyte-standin [--port N] [--token-lifetime SECS] [--no-auth]
                       [--client-id ID] [--client-secret SECRET]
                       [--pending-polls N] [--running-polls N] [--slow-running-polls N]

Serves a stand-in Airbyte server on 127.0.0.1 (port 0, the default, picks a free one), prints
`listening on http://127.0.0.1:PORT`, and runs until killed or until standard input (when it is
a pipe) is closed. Controls: GET http://127.0.0.1:PORT/_standin";

fn parse_args(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_owned())),
            _ => (arg.as_str(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            inline
                .clone()
                .or_else(|| iter.next().cloned())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        let number = |name: &str, text: String| -> Result<u64, String> {
            text.parse().map_err(|_| format!("{name}: `{text}` is not a whole number"))
        };
        let small =
            |name: &str, n: u64| u32::try_from(n).map_err(|_| format!("{name} is too large"));
        match flag {
            "--port" => {
                let n = number(flag, value(flag)?)?;
                options.port =
                    u16::try_from(n).map_err(|_| format!("--port: {n} is not a port"))?;
            }
            "--token-lifetime" => options.token_lifetime_secs = number(flag, value(flag)?)?,
            "--no-auth" => options.auth = false,
            "--client-id" => options.client_id = value(flag)?,
            "--client-secret" => options.client_secret = value(flag)?,
            "--pending-polls" => options.polls.pending = small(flag, number(flag, value(flag)?)?)?,
            "--running-polls" => options.polls.running = small(flag, number(flag, value(flag)?)?)?,
            "--slow-running-polls" => {
                options.polls.slow_running = small(flag, number(flag, value(flag)?)?)?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    Ok(options)
}

/// Whether standard input is a pipe or a socket, so that its end means the parent is gone.
#[cfg(unix)]
fn stdin_is_pipe() -> bool {
    use std::os::unix::fs::FileTypeExt;
    std::fs::metadata("/proc/self/fd/0")
        .or_else(|_| std::fs::metadata("/dev/stdin"))
        .map(|m| m.file_type().is_fifo() || m.file_type().is_socket())
        .unwrap_or(false)
}

#[cfg(not(unix))]
fn stdin_is_pipe() -> bool {
    false
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let options = match parse_args(&args) {
        Ok(options) => options,
        Err(message) => {
            let mut err = std::io::stderr().lock();
            if message.is_empty() {
                let _ = writeln!(err, "{USAGE}");
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(err, "airbyte-standin: {message}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let handle = match Standin::start(options) {
        Ok(handle) => handle,
        Err(e) => {
            let _ = writeln!(std::io::stderr().lock(), "airbyte-standin: cannot listen: {e}");
            return ExitCode::FAILURE;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        if writeln!(out, "listening on {}", handle.base_url()).and_then(|()| out.flush()).is_err() {
            return ExitCode::FAILURE;
        }
    }
    if stdin_is_pipe() {
        // Serve until the parent closes our standard input (or dies).
        let mut sink = [0u8; 1024];
        let mut stdin = std::io::stdin().lock();
        while matches!(stdin.read(&mut sink), Ok(n) if n > 0) {}
        handle.stop();
    } else {
        loop {
            std::thread::park();
        }
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn arguments_parse() {
        let options =
            parse_args(&args("--port 8123 --token-lifetime=5 --no-auth --running-polls 7"))
                .unwrap();
        assert_eq!((options.port, options.token_lifetime_secs, options.auth), (8123, 5, false));
        assert_eq!(options.polls.running, 7);
        assert_eq!(parse_args(&args("--port 70000")).unwrap_err(), "--port: 70000 is not a port");
        assert_eq!(parse_args(&args("--port")).unwrap_err(), "--port needs a value");
        assert!(parse_args(&args("--bogus")).unwrap_err().contains("unknown argument"));
        assert_eq!(parse_args(&args("--help")).unwrap_err(), "");
    }
}
