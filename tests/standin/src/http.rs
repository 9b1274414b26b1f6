//! A small HTTP/1.1 server on std: one thread accepts, one thread serves each connection.
//!
//! It is written on std rather than on a server crate so that faults can act on the connection
//! itself: closing it without an answer is something server crates do not offer.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// Largest request head (request line and headers) accepted.
const MAX_HEAD: usize = 64 * 1024;
/// Largest request body accepted.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// Most connections served at once; more are answered 503 and closed.
const MAX_CONNECTIONS: usize = 256;
/// How often a waiting connection looks at the stop flag.
const POLL: Duration = Duration::from_millis(100);
/// How long an idle keep-alive connection is kept.
const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a started request may take to arrive in full.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// A request as received.
#[derive(Debug, Clone)]
pub(crate) struct HttpRequest {
    /// The method, as sent (`GET`, `POST`, ...).
    pub(crate) method: String,
    /// The path part of the target, still percent-encoded.
    pub(crate) path: String,
    /// The query part of the target without `?`, still percent-encoded.
    pub(crate) query: String,
    /// Header names and values in the order received.
    pub(crate) headers: Vec<(String, String)>,
    /// The body, de-chunked.
    pub(crate) body: Vec<u8>,
}

impl HttpRequest {
    /// The first value of header `name`, matched case-insensitively.
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// The target as sent: path and, when present, `?query`.
    pub(crate) fn target(&self) -> String {
        if self.query.is_empty() {
            self.path.clone()
        } else {
            format!("{}?{}", self.path, self.query)
        }
    }
}

/// A response to send.
#[derive(Debug, Clone)]
pub(crate) struct HttpResponse {
    /// The status code.
    pub(crate) status: u16,
    /// Headers other than `Content-Length` and `Connection`, which are added when writing.
    pub(crate) headers: Vec<(String, String)>,
    /// The body.
    pub(crate) body: Vec<u8>,
}

impl HttpResponse {
    /// A response with a body of the given content type.
    pub(crate) fn new(status: u16, content_type: &str, body: Vec<u8>) -> Self {
        Self { status, headers: vec![("Content-Type".to_owned(), content_type.to_owned())], body }
    }

    /// A JSON response.
    pub(crate) fn json(status: u16, value: &impl serde::Serialize) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::new(status, "application/json", body),
            Err(e) => Self::new(
                500,
                "application/json",
                serde_json::json!({ "message": format!("could not serialize the response: {e}") })
                    .to_string()
                    .into_bytes(),
            ),
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }
}

/// What to do with a request.
pub(crate) enum Outcome {
    /// Send this response.
    Respond(HttpResponse),
    /// Close the connection without answering.
    Close,
}

/// Answers requests; shared by all connection threads.
pub(crate) trait Service: Send + Sync + 'static {
    /// Handles one request.
    fn handle(&self, request: HttpRequest) -> Outcome;
}

/// A running server.
pub(crate) struct Server {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    active: Arc<AtomicUsize>,
    accept: Option<JoinHandle<()>>,
}

impl Server {
    /// Binds `127.0.0.1:port` (0 for any free port), builds the service for the bound address
    /// and starts serving it.
    pub(crate) fn start<S: Service>(
        port: u16,
        make: impl FnOnce(SocketAddr) -> Arc<S>,
    ) -> io::Result<(Self, Arc<S>)> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let addr = listener.local_addr()?;
        let service = make(addr);
        let stop = Arc::new(AtomicBool::new(false));
        let active = Arc::new(AtomicUsize::new(0));
        let accept = {
            let stop = Arc::clone(&stop);
            let active = Arc::clone(&active);
            let shared: Arc<dyn Service> = service.clone();
            thread::Builder::new()
                .name("standin-accept".to_owned())
                .spawn(move || accept_loop(&listener, &shared, &stop, &active))?
        };
        Ok((Self { addr, stop, active, accept: Some(accept) }, service))
    }

    /// The bound address.
    pub(crate) fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Stops accepting, lets connections finish their current request, and waits (at most a
    /// second) for them to close.
    pub(crate) fn stop(&mut self) {
        if self.stop.swap(true, Ordering::SeqCst) {
            return;
        }
        // Wake the accept loop, which is blocked in accept().
        let _ = TcpStream::connect_timeout(&self.addr, Duration::from_secs(1));
        if let Some(accept) = self.accept.take() {
            let _ = accept.join();
        }
        let deadline = Instant::now() + Duration::from_secs(1);
        while self.active.load(Ordering::SeqCst) > 0 && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}

fn accept_loop(
    listener: &TcpListener,
    service: &Arc<dyn Service>,
    stop: &Arc<AtomicBool>,
    active: &Arc<AtomicUsize>,
) {
    for stream in listener.incoming() {
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let Ok(mut stream) = stream else { continue };
        if active.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            let busy = HttpResponse::new(503, "text/plain", b"too many connections".to_vec());
            let _ = write_response(&mut stream, &busy, false);
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let service = Arc::clone(service);
        let stop_flag = Arc::clone(stop);
        let counter = Arc::clone(active);
        let spawned = thread::Builder::new().name("standin-conn".to_owned()).spawn(move || {
            serve_connection(stream, service.as_ref(), &stop_flag);
            counter.fetch_sub(1, Ordering::SeqCst);
        });
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// Why no request could be read.
enum ReadError {
    /// The peer closed the connection, the server is stopping, or it timed out.
    Closed,
    /// The bytes are not a valid request; answer with this status and message, then close.
    Bad(u16, String),
}

fn serve_connection(mut stream: TcpStream, service: &dyn Service, stop: &AtomicBool) {
    let _ = stream.set_nodelay(true);
    if stream.set_read_timeout(Some(POLL)).is_err() {
        return;
    }
    let mut buffer = Vec::new();
    loop {
        let (request, keep_alive) = match read_request(&mut stream, &mut buffer, stop) {
            Ok(read) => read,
            Err(ReadError::Closed) => break,
            Err(ReadError::Bad(status, message)) => {
                let body = serde_json::json!({ "message": message }).to_string().into_bytes();
                let response = HttpResponse::new(status, "application/json", body);
                let _ = write_response(&mut stream, &response, false);
                break;
            }
        };
        let keep_alive = keep_alive && !stop.load(Ordering::SeqCst);
        match service.handle(request) {
            Outcome::Respond(response) => {
                if write_response(&mut stream, &response, keep_alive).is_err() || !keep_alive {
                    break;
                }
            }
            Outcome::Close => break,
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Reads more bytes into `buffer`. `Ok(false)` means nothing arrived within the poll interval.
fn fill(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> Result<bool, ReadError> {
    let mut chunk = [0u8; 16 * 1024];
    match stream.read(&mut chunk) {
        Ok(0) => Err(ReadError::Closed),
        Ok(n) => {
            buffer.extend_from_slice(&chunk[..n]);
            Ok(true)
        }
        Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
            Ok(false)
        }
        Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(false),
        Err(_) => Err(ReadError::Closed),
    }
}

/// The head of a request, parsed.
struct Head {
    method: String,
    path: String,
    query: String,
    headers: Vec<(String, String)>,
    keep_alive: bool,
}

fn parse_head(head: &[u8]) -> Result<Head, ReadError> {
    let bad = |message: &str| ReadError::Bad(400, message.to_owned());
    let text = std::str::from_utf8(head).map_err(|_| bad("the request head is not UTF-8"))?;
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("the request line is not `METHOD TARGET HTTP/1.1`"));
    };
    if method.is_empty() || !method.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(bad("the request method is not valid"));
    }
    let http10 = match version {
        "HTTP/1.1" => false,
        "HTTP/1.0" => true,
        _ => return Err(ReadError::Bad(505, format!("HTTP version `{version}` is not supported"))),
    };
    if !target.starts_with('/') {
        return Err(bad("the request target must be a path starting with `/`"));
    }
    let target = target.split('#').next().unwrap_or_default();
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let mut headers = Vec::new();
    for line in lines {
        if line.is_empty() {
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("a header line has no `:`"));
        };
        if name.is_empty() || name.contains([' ', '\t']) {
            return Err(bad("a header name is not valid"));
        }
        headers.push((name.to_owned(), value.trim().to_owned()));
    }
    let connection = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("connection"))
        .map(|(_, v)| v.to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(",");
    let keep_alive = if http10 {
        connection.contains("keep-alive")
    } else {
        !connection.split(',').any(|token| token.trim() == "close")
    };
    Ok(Head {
        method: method.to_owned(),
        path: path.to_owned(),
        query: query.to_owned(),
        headers,
        keep_alive,
    })
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// How the body is framed.
enum Framing {
    Length(usize),
    Chunked,
}

fn framing(headers: &[(String, String)]) -> Result<Framing, ReadError> {
    if let Some(encoding) = header(headers, "transfer-encoding") {
        if encoding.trim().eq_ignore_ascii_case("chunked") {
            return Ok(Framing::Chunked);
        }
        return Err(ReadError::Bad(
            501,
            format!("transfer encoding `{encoding}` is not supported"),
        ));
    }
    let lengths: Vec<&str> = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .map(|(_, v)| v.as_str())
        .collect();
    match lengths.as_slice() {
        [] => Ok(Framing::Length(0)),
        [one] => {
            let length: usize = one.trim().parse().map_err(|_| {
                ReadError::Bad(400, format!("Content-Length `{one}` is not a number"))
            })?;
            if length > MAX_BODY {
                return Err(ReadError::Bad(413, format!("bodies are limited to {MAX_BODY} bytes")));
            }
            Ok(Framing::Length(length))
        }
        _ => Err(ReadError::Bad(400, "more than one Content-Length header".to_owned())),
    }
}

/// Decodes a chunked body at the start of `data`: `Ok(None)` while incomplete, else the body
/// and the number of bytes used.
fn decode_chunked(data: &[u8]) -> Result<Option<(Vec<u8>, usize)>, ReadError> {
    let bad = |message: &str| ReadError::Bad(400, message.to_owned());
    let mut body = Vec::new();
    let mut at = 0;
    loop {
        let Some(line_end) = find(&data[at..], b"\r\n") else { return Ok(None) };
        let line = std::str::from_utf8(&data[at..at + line_end])
            .map_err(|_| bad("a chunk size line is not text"))?;
        let size_text = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16)
            .map_err(|_| bad("a chunk size is not a hexadecimal number"))?;
        at += line_end + 2;
        if size == 0 {
            // Trailers, then an empty line.
            loop {
                let Some(end) = find(&data[at..], b"\r\n") else { return Ok(None) };
                at += end + 2;
                if end == 0 {
                    return Ok(Some((body, at)));
                }
            }
        }
        if size > MAX_BODY.saturating_sub(body.len()) {
            return Err(ReadError::Bad(413, format!("bodies are limited to {MAX_BODY} bytes")));
        }
        if data.len() - at < size + 2 {
            return Ok(None);
        }
        body.extend_from_slice(&data[at..at + size]);
        if &data[at + size..at + size + 2] != b"\r\n" {
            return Err(bad("a chunk is not followed by CRLF"));
        }
        at += size + 2;
    }
}

fn read_request(
    stream: &mut TcpStream,
    buffer: &mut Vec<u8>,
    stop: &AtomicBool,
) -> Result<(HttpRequest, bool), ReadError> {
    // Wait for a complete head; an idle connection may wait longer than a started request.
    let started = Instant::now();
    let head_end = loop {
        // Tolerate empty lines between requests (RFC 9112 §2.2).
        while buffer.starts_with(b"\r\n") {
            buffer.drain(..2);
        }
        if let Some(end) = find(buffer, b"\r\n\r\n") {
            break end;
        }
        if buffer.len() > MAX_HEAD {
            return Err(ReadError::Bad(431, "the request head is too large".to_owned()));
        }
        if stop.load(Ordering::SeqCst) {
            return Err(ReadError::Closed);
        }
        let limit = if buffer.is_empty() { IDLE_TIMEOUT } else { REQUEST_TIMEOUT };
        if started.elapsed() > limit {
            return Err(ReadError::Closed);
        }
        fill(stream, buffer)?;
    };
    let head = parse_head(&buffer[..head_end])?;
    let body_start = head_end + 4;
    let framing = framing(&head.headers)?;
    let expects_continue =
        header(&head.headers, "expect").is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    let mut sent_continue = false;
    let started = Instant::now();
    let (body, used) = loop {
        let available = &buffer[body_start..];
        let done = match framing {
            Framing::Length(length) if available.len() >= length => {
                Some((available[..length].to_vec(), body_start + length))
            }
            Framing::Length(_) => None,
            Framing::Chunked => {
                decode_chunked(available)?.map(|(body, used)| (body, body_start + used))
            }
        };
        if let Some(done) = done {
            break done;
        }
        if expects_continue && !sent_continue {
            sent_continue = true;
            if stream.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").is_err() {
                return Err(ReadError::Closed);
            }
        }
        if stop.load(Ordering::SeqCst) || started.elapsed() > REQUEST_TIMEOUT {
            return Err(ReadError::Closed);
        }
        fill(stream, buffer)?;
    };
    buffer.drain(..used);
    let request = HttpRequest {
        method: head.method,
        path: head.path,
        query: head.query,
        headers: head.headers,
        body,
    };
    Ok((request, head.keep_alive))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        413 => "Content Too Large",
        422 => "Unprocessable Entity",
        423 => "Locked",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        _ => "Status",
    }
}

fn write_response(
    stream: &mut TcpStream,
    response: &HttpResponse,
    keep_alive: bool,
) -> io::Result<()> {
    let mut head = format!("HTTP/1.1 {} {}\r\n", response.status, reason(response.status));
    for (name, value) in &response.headers {
        head.push_str(name);
        head.push_str(": ");
        head.push_str(value);
        head.push_str("\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    head.push_str(if keep_alive { "Connection: keep-alive\r\n" } else { "Connection: close\r\n" });
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(&response.body);
    stream.write_all(&bytes)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_bodies_decode_and_wait_for_more() {
        let data = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\n\r\nNEXT";
        let (body, used) = decode_chunked(data).ok().flatten().unwrap();
        assert_eq!(body, b"Wikipedia");
        assert_eq!(&data[used..], b"NEXT");
        assert!(decode_chunked(b"4\r\nWi").ok().unwrap().is_none());
        assert!(decode_chunked(b"zz\r\n").is_err());
        // A huge chunk size is refused, not added up.
        assert!(decode_chunked(b"ffffffffffffffff\r\nx").is_err());
    }

    #[test]
    fn heads_parse_and_bad_heads_are_refused() {
        let head =
            parse_head(b"GET /a/b?x=1 HTTP/1.1\r\nHost: h\r\nConnection: close").ok().unwrap();
        assert_eq!(
            (head.method.as_str(), head.path.as_str(), head.query.as_str()),
            ("GET", "/a/b", "x=1")
        );
        assert!(!head.keep_alive);
        assert!(parse_head(b"GET /a HTTP/1.0").ok().is_some_and(|h| !h.keep_alive));
        for bad in [
            &b"GET"[..],
            b"get / HTTP/1.1",
            b"GET x HTTP/1.1",
            b"GET / HTTP/2",
            b"GET / HTTP/1.1\r\nNoColon",
        ] {
            assert!(parse_head(bad).is_err(), "{}", String::from_utf8_lossy(bad));
        }
    }
}
