//! Bad bytes on the socket get a 4xx/5xx answer and never take the server down.

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;

#[allow(clippy::unwrap_used)]
fn raw(port: u16, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    stream.write_all(bytes).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    String::from_utf8_lossy(&answer).into_owned()
}

#[test]
fn malformed_requests_get_error_statuses() {
    let standin = start();
    let port = standin.port();
    for (bytes, status) in [
        (&b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"[..], "505"),
        (b"GET / HTTP/3\r\n\r\n", "505"),
        (b"GET /x HTTP/1.1\r\nNo colon here\r\n\r\n", "400"),
        (b"POST /api/v1/jobs/get HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", "413"),
        (b"POST /api/v1/jobs/get HTTP/1.1\r\nContent-Length: x\r\n\r\n", "400"),
        (
            b"POST /api/v1/jobs/get HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "400",
        ),
        (b"POST /api/v1/jobs/get HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n", "501"),
        (b"POST /api/v1/jobs/get HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "400"),
        (b"GET /\xff\xfe HTTP/1.1\r\n\r\n", "400"),
    ] {
        let answer = raw(port, bytes);
        assert!(
            answer.starts_with(&format!("HTTP/1.1 {status}")),
            "{}: {answer}",
            String::from_utf8_lossy(bytes)
        );
    }
    // A chunked body and keep-alive: two requests on one connection.
    let answer = raw(
        port,
        b"POST /api/v1/applications/token HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\
          Content-Type: application/json\r\n\r\n\
          10\r\n{\"client_id\":\"st\r\n2f\r\nandin-client\",\"client_secret\":\"standin-secret\"}\r\n0\r\n\r\n\
          GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(answer.matches("HTTP/1.1 200 OK").count(), 2, "{answer}");
    assert!(answer.contains("access_token") && answer.contains("\"available\":true"), "{answer}");
    // Still serving.
    assert_eq!(send("GET", &format!("{}/health", standin.public_root()), &[], None).status, 200);
}
