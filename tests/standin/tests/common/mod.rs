//! Helpers shared by the integration tests: a plain HTTP client (ureq) and calls through
//! `airbyte-core` (build the request, send it, parse the response with the operation).

#![allow(dead_code, unreachable_pub, clippy::expect_used, clippy::unwrap_used)]

use airbyte_core::{build_request, Auth, ClientConfig, Operation, ResponseError, Secret};
use airbyte_standin::{Handle, Options, Standin};
use serde_json::Value;

/// A response as received by the plain client.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn as_core(&self) -> airbyte_core::Response {
        airbyte_core::Response {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        }
    }
}

/// A stand-in with default options.
pub fn start() -> Handle {
    Standin::start(Options::default()).expect("start the stand-in")
}

/// A stand-in with custom options.
pub fn start_with(options: Options) -> Handle {
    Standin::start(options).expect("start the stand-in")
}

fn agent(pool: bool) -> ureq::Agent {
    let mut config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(20)));
    if !pool {
        config = config.max_idle_connections(0).max_idle_connections_per_host(0);
    }
    config.build().into()
}

/// Sends a request; `Err` only for transport failures.
pub fn try_send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Result<Reply, ureq::Error> {
    let mut builder = ureq::http::Request::builder().method(method).uri(url);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(body.map(<[u8]>::to_vec).unwrap_or_default()).expect("request");
    let mut response = agent(false).run(request)?;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let body = response.body_mut().read_to_vec()?;
    Ok(Reply { status, headers, body })
}

/// Sends a request and expects an HTTP answer.
pub fn send(method: &str, url: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
    try_send(method, url, headers, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

/// `GET` with a bearer token.
pub fn get(url: &str, token: &str) -> Reply {
    let auth = format!("Bearer {token}");
    send("GET", url, &[("Authorization", &auth)], None)
}

/// `POST` of JSON with a bearer token.
pub fn post_json(url: &str, token: &str, body: &Value) -> Reply {
    let auth = format!("Bearer {token}");
    let bytes = body.to_string().into_bytes();
    send(
        "POST",
        url,
        &[("Authorization", &auth), ("Content-Type", "application/json")],
        Some(&bytes),
    )
}

/// A JSON call to a control endpoint.
pub fn control(standin: &Handle, method: &str, path: &str, body: Option<&Value>) -> Reply {
    let url = format!("{}{path}", standin.base_url());
    let bytes = body.map(|b| b.to_string().into_bytes());
    send(method, &url, &[("Content-Type", "application/json")], bytes.as_deref())
}

/// Sends a request built by the core.
pub fn send_core(request: &airbyte_core::Request) -> airbyte_core::Response {
    let headers: Vec<(&str, &str)> =
        request.headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
    send(request.method.as_str(), &request.url, &headers, request.body.as_deref()).as_core()
}

/// The client configuration for a stand-in.
pub fn config(standin: &Handle) -> ClientConfig {
    ClientConfig::self_managed(standin.base_url()).expect("client config")
}

/// Calls operation `op` through the core: build, send, parse.
pub fn call<O: Operation>(
    standin: &Handle,
    op: &O,
    auth: &Auth,
) -> Result<O::Output, ResponseError> {
    let request = build_request(op, &config(standin), auth).expect("build the request");
    O::parse_response(&send_core(&request).as_raw())
}

/// A token from the public token endpoint, through the core.
pub fn token(standin: &Handle) -> String {
    use airbyte_core::public_api::{models, ops};
    let body = models::ApplicationTokenRequestWithGrant::new(
        standin.client_id().to_owned(),
        standin.client_secret().to_owned(),
    );
    call(standin, &ops::CreateAccessToken::new(body), &Auth::None).expect("token").access_token
}

/// Bearer auth with a fresh token.
pub fn bearer(standin: &Handle) -> Auth {
    Auth::Bearer(Secret::new(token(standin)))
}

/// The problem type of an API error, or panics.
pub fn problem_type(error: &ResponseError) -> String {
    error
        .as_api()
        .and_then(|e| e.problem_type())
        .map(str::to_owned)
        .unwrap_or_else(|| panic!("not a problem: {error:?}"))
}
