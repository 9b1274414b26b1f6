//! The server's state and the path every request takes: control endpoints, faults, the request
//! log, authentication, then the operation's handler.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::api::{self, Ctx, Route};
use crate::auth::{TokenProblem, Tokens};
use crate::control::{self, ConfigPatch, Fault, FaultKind, LoggedRequest, RuntimeConfig};
use crate::errors;
use crate::http::{HttpRequest, HttpResponse, Outcome, Service};
use crate::state::Data;

/// Most requests kept in the log; the oldest are dropped first.
const MAX_LOGGED: usize = 10_000;

/// Everything that changes while the server runs.
pub(crate) struct Inner {
    /// The data the APIs serve.
    pub(crate) data: Data,
    /// Faults still to apply, in order.
    pub(crate) faults: Vec<Fault>,
    /// Requests received.
    pub(crate) log: Vec<LoggedRequest>,
    /// Sequence number of the next logged request.
    pub(crate) next_seq: u64,
    /// Current settings.
    pub(crate) config: RuntimeConfig,
    /// Seconds added to the system clock.
    pub(crate) clock_offset: i64,
    /// Tokens issued.
    pub(crate) tokens: Tokens,
}

impl Inner {
    /// The server's clock, epoch seconds.
    pub(crate) fn now(&self) -> i64 {
        let system = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
            .unwrap_or(0);
        system.saturating_add(self.clock_offset)
    }
}

/// The whole server behind the HTTP layer.
pub(crate) struct App {
    inner: Mutex<Inner>,
    startup: RuntimeConfig,
    client_id: String,
    client_secret: String,
    base_url: String,
    routes: Vec<Route>,
}

impl App {
    /// A server with seeded data.
    pub(crate) fn new(
        base_url: String,
        config: RuntimeConfig,
        client_id: String,
        client_secret: String,
    ) -> Self {
        let mut routes = crate::public::routes();
        routes.extend(crate::config_api::routes());
        Self {
            inner: Mutex::new(Inner {
                data: Data::seed(),
                faults: Vec::new(),
                log: Vec::new(),
                next_seq: 1,
                config: config.clone(),
                clock_offset: 0,
                tokens: Tokens::default(),
            }),
            startup: config,
            client_id,
            client_secret,
            base_url,
            routes,
        }
    }

    /// Locks the state; a panic in another thread does not make it unusable.
    pub(crate) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// `http://127.0.0.1:PORT`.
    pub(crate) fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Restores the seeded data and the startup settings; drops faults and the log. Tokens
    /// stay valid.
    pub(crate) fn reset(&self) {
        let mut inner = self.lock();
        inner.data = Data::seed();
        inner.faults.clear();
        inner.log.clear();
        inner.next_seq = 1;
        inner.config = self.startup.clone();
        inner.clock_offset = 0;
    }

    /// Adds faults after those still pending.
    pub(crate) fn add_faults(&self, faults: impl IntoIterator<Item = Fault>) {
        self.lock().faults.extend(faults.into_iter().filter(|f| f.times > 0));
    }

    /// Applies a settings patch and returns the result.
    pub(crate) fn update_config(&self, patch: &ConfigPatch) -> RuntimeConfig {
        let mut inner = self.lock();
        inner.config.apply(patch);
        inner.config.clone()
    }

    /// Issues a token as the token endpoint would.
    pub(crate) fn issue_token(&self) -> String {
        let mut inner = self.lock();
        let (now, lifetime) = (inner.now(), inner.config.token_lifetime_secs);
        inner.tokens.issue(now, lifetime)
    }

    /// Takes the first pending fault that matches the request, and logs the request.
    fn log_and_take_fault(&self, request: &HttpRequest) -> Option<FaultKind> {
        let mut inner = self.lock();
        let position =
            inner.faults.iter().position(|f| f.matcher.matches(&request.method, &request.path));
        let fault = position.map(|i| {
            let kind = inner.faults[i].kind.clone();
            inner.faults[i].times -= 1;
            if inner.faults[i].times == 0 {
                inner.faults.remove(i);
            }
            kind
        });
        let mut headers = std::collections::BTreeMap::<String, String>::new();
        for (name, value) in &request.headers {
            let name = name.to_ascii_lowercase();
            let value = if name == "authorization" {
                control::redact_authorization(value)
            } else {
                value.clone()
            };
            headers
                .entry(name)
                .and_modify(|existing| {
                    existing.push_str(", ");
                    existing.push_str(&value);
                })
                .or_insert(value);
        }
        let seq = inner.next_seq;
        inner.next_seq += 1;
        inner.log.push(LoggedRequest {
            seq,
            method: request.method.clone(),
            path: request.target(),
            body: control::redact_body(&request.body, request.header("content-type")),
            headers,
            fault: fault.as_ref().map(FaultKind::label),
        });
        if inner.log.len() > MAX_LOGGED {
            inner.log.remove(0);
        }
        if fault == Some(FaultKind::ExpireTokens) {
            inner.tokens.expire_all();
        }
        fault
    }

    /// Routes an API request to its handler.
    fn dispatch(&self, request: &HttpRequest) -> HttpResponse {
        let mut inner = self.lock();
        let now = inner.now();
        let path = request.path.as_str();
        let Some((api, relative)) = api::api_of(path) else {
            return errors::micronaut(404, path, "Not Found", "Page Not Found");
        };
        let mut path_matched = false;
        let mut found = None;
        for route in self.routes.iter().filter(|r| r.info.api == api) {
            if let Some(params) = api::match_template(route.info.path, relative) {
                path_matched = true;
                if route.info.method.as_str().eq_ignore_ascii_case(&request.method) {
                    found = Some((route, params));
                    break;
                }
            }
        }
        let anonymous = found.as_ref().is_some_and(|(route, _)| route.anonymous);
        if inner.config.auth && !anonymous {
            if let Err(problem) = check_bearer(&inner, request, now) {
                return errors::micronaut(401, path, "Unauthorized", problem.message());
            }
        }
        let Some((route, params)) = found else {
            return if path_matched {
                errors::micronaut(
                    405,
                    path,
                    "Method Not Allowed",
                    &format!("Method [{}] not allowed for URI [{path}]", request.method),
                )
            } else {
                errors::micronaut(404, path, "Not Found", "Page Not Found")
            };
        };
        let mut ctx = Ctx {
            inner: &mut inner,
            request,
            params,
            query: api::query_of(request),
            now,
            base_url: &self.base_url,
            credentials: (&self.client_id, &self.client_secret),
            api,
        };
        match (route.handler)(&mut ctx) {
            Ok(response) | Err(response) => response,
        }
    }

    /// Serves `/_standin/...`.
    fn control(&self, request: &HttpRequest) -> HttpResponse {
        let bad = |message: String| HttpResponse::json(400, &json!({ "message": message }));
        let body_json = || -> Result<Value, HttpResponse> {
            if request.body.iter().all(u8::is_ascii_whitespace) {
                return Ok(json!({}));
            }
            serde_json::from_slice(&request.body)
                .map_err(|e| bad(format!("the body is not valid JSON: {e}")))
        };
        let result = match (request.method.as_str(), request.path.as_str()) {
            ("GET", "/_standin" | "/_standin/") => Ok(HttpResponse::json(
                200,
                &json!({
                    "name": "airbyte-standin",
                    "base_url": self.base_url,
                    "public_api": format!("{}/api/public/v1", self.base_url),
                    "config_api": format!("{}/api/v1", self.base_url),
                    "client_id": self.client_id,
                    "endpoints": ["GET /_standin/seed", "POST|GET|DELETE /_standin/faults",
                        "POST /_standin/reset", "GET|DELETE /_standin/requests",
                        "GET|POST /_standin/config", "GET|POST /_standin/clock",
                        "POST /_standin/tokens/expire"],
                }),
            )),
            ("GET", "/_standin/seed") => Ok(HttpResponse::json(200, &crate::seed_json())),
            ("POST", "/_standin/faults") => body_json().and_then(|value| {
                let items = match value {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                let mut faults = Vec::with_capacity(items.len());
                for (i, item) in items.into_iter().enumerate() {
                    let fault: Fault =
                        serde_json::from_value(item).map_err(|e| bad(format!("fault {i}: {e}")))?;
                    faults.push(fault);
                }
                self.add_faults(faults);
                Ok(HttpResponse::json(200, &json!({ "faults": self.lock().faults })))
            }),
            ("GET", "/_standin/faults") => {
                Ok(HttpResponse::json(200, &json!({ "faults": self.lock().faults })))
            }
            ("DELETE", "/_standin/faults") => {
                self.lock().faults.clear();
                Ok(HttpResponse::json(200, &json!({ "faults": [] })))
            }
            ("POST", "/_standin/reset") => {
                self.reset();
                Ok(HttpResponse::json(200, &json!({ "reset": true })))
            }
            ("GET", "/_standin/requests") => {
                Ok(HttpResponse::json(200, &json!({ "requests": self.lock().log })))
            }
            ("DELETE", "/_standin/requests") => {
                self.lock().log.clear();
                Ok(HttpResponse::json(200, &json!({ "requests": [] })))
            }
            ("GET", "/_standin/config") => Ok(HttpResponse::json(200, &self.lock().config)),
            ("POST", "/_standin/config") => body_json().and_then(|value| {
                let patch: ConfigPatch =
                    serde_json::from_value(value).map_err(|e| bad(format!("config: {e}")))?;
                Ok(HttpResponse::json(200, &self.update_config(&patch)))
            }),
            ("GET", "/_standin/clock") => {
                let inner = self.lock();
                Ok(HttpResponse::json(
                    200,
                    &json!({ "now": inner.now(), "offset_secs": inner.clock_offset }),
                ))
            }
            ("POST", "/_standin/clock") => body_json().and_then(|value| {
                let secs = value
                    .get("advance_secs")
                    .and_then(Value::as_i64)
                    .ok_or_else(|| bad("send {\"advance_secs\": N}".to_owned()))?;
                let mut inner = self.lock();
                inner.clock_offset = inner.clock_offset.saturating_add(secs);
                Ok(HttpResponse::json(
                    200,
                    &json!({ "now": inner.now(), "offset_secs": inner.clock_offset }),
                ))
            }),
            ("POST", "/_standin/tokens/expire") => {
                self.lock().tokens.expire_all();
                Ok(HttpResponse::json(200, &json!({ "expired": true })))
            }
            (method, path) => Err(HttpResponse::json(
                404,
                &json!({ "message": format!("no control endpoint {method} {path}; GET /_standin lists them") }),
            )),
        };
        match result {
            Ok(response) | Err(response) => response,
        }
    }
}

fn check_bearer(inner: &Inner, request: &HttpRequest, now: i64) -> Result<(), TokenProblem> {
    let header = request.header("authorization").ok_or(TokenProblem::Missing)?;
    let (scheme, token) = header.trim().split_once(' ').ok_or(TokenProblem::Missing)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(TokenProblem::Missing);
    }
    inner.tokens.check(token.trim(), now)
}

/// The response of a `status` or `html` fault.
fn fault_response(kind: &FaultKind) -> Option<HttpResponse> {
    match kind {
        FaultKind::Status { status, body, content_type, retry_after } => {
            let body = body.clone().unwrap_or_else(|| {
                json!({ "message": format!("HTTP {status} injected by airbyte-standin") })
                    .to_string()
            });
            let content_type = content_type.clone().unwrap_or_else(|| {
                if serde_json::from_str::<Value>(&body).is_ok() {
                    "application/json".to_owned()
                } else {
                    "text/plain; charset=utf-8".to_owned()
                }
            });
            let mut response = HttpResponse::new(*status, &content_type, body.into_bytes());
            if let Some(retry_after) = retry_after {
                response = response.with_header("Retry-After", retry_after);
            }
            Some(response)
        }
        FaultKind::Html(status) => {
            let title = format!("{status} {}", html_reason(*status));
            let page = format!(
                "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
            );
            Some(HttpResponse::new(*status, "text/html", page.into_bytes()))
        }
        _ => None,
    }
}

fn html_reason(status: u16) -> &'static str {
    match status {
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Temporarily Unavailable",
        504 => "Gateway Time-out",
        _ => "Error",
    }
}

impl Service for App {
    fn handle(&self, request: HttpRequest) -> Outcome {
        if request.path == "/_standin" || request.path.starts_with("/_standin/") {
            return Outcome::Respond(self.control(&request));
        }
        match self.log_and_take_fault(&request) {
            Some(FaultKind::CloseConnection) => return Outcome::Close,
            Some(FaultKind::Delay(ms)) => std::thread::sleep(Duration::from_millis(ms)),
            Some(kind) => {
                if let Some(response) = fault_response(&kind) {
                    return Outcome::Respond(response);
                }
            }
            None => {}
        }
        let response = catch_unwind(AssertUnwindSafe(|| self.dispatch(&request)))
            .unwrap_or_else(|_| errors::error_id_only(500));
        Outcome::Respond(response)
    }
}
