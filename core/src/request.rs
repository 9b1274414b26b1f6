//! Requests as plain data, built from a typed operation and a client configuration.

use std::fmt;

use crate::client_config::ClientConfig;
use crate::error::BuildError;
use crate::operation::{Method, Operation};
use crate::secret::Secret;

/// How a request proves who sends it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Auth {
    /// No `Authorization` header.
    #[default]
    None,
    /// `Authorization: Bearer <token>`.
    Bearer(Secret),
    /// `Authorization: Basic ...`, for servers behind a proxy that asks for it.
    Basic {
        /// The user name.
        username: String,
        /// The password.
        password: Secret,
    },
}

impl Auth {
    fn header_value(&self) -> Option<Secret> {
        match self {
            Auth::None => None,
            Auth::Bearer(token) => Some(Secret::new(format!("Bearer {}", token.expose()))),
            Auth::Basic { username, password } => {
                let pair = format!("{username}:{}", password.expose());
                Some(Secret::new(format!("Basic {}", crate::rt::base64(pair.as_bytes()))))
            }
        }
    }
}

/// A request ready to send: the plain-data twin of [`http::Request`], which bindings carry to
/// their host's HTTP stack. `Debug` hides the `Authorization` value and the body.
#[derive(Clone, PartialEq, Eq)]
pub struct Request {
    /// The operation this request calls.
    pub operation: &'static str,
    /// The HTTP method.
    pub method: Method,
    /// The absolute URL, path and query percent-encoded.
    pub url: String,
    /// Header names (lowercase) and values, in a fixed order.
    pub headers: Vec<(String, String)>,
    /// The body bytes, if there is a body.
    pub body: Option<Vec<u8>>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<(&str, &str)> = self
            .headers
            .iter()
            .map(|(n, v)| (n.as_str(), if is_secret_header(n) { "<redacted>" } else { v.as_str() }))
            .collect();
        f.debug_struct("Request")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &headers)
            .field("body", &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .finish()
    }
}

fn is_secret_header(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie")
}

impl Request {
    /// The value of header `name`, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        crate::response::find_header(&self.headers, name)
    }

    /// Converts to an [`http::Request`] (an empty body when there is none).
    pub fn to_http(&self) -> Result<http::Request<Vec<u8>>, BuildError> {
        let mut builder = http::Request::builder().method(self.method.to_http()).uri(&self.url);
        for (name, value) in &self.headers {
            builder = builder.header(name, value);
        }
        builder.body(self.body.clone().unwrap_or_default()).map_err(|e| BuildError::InvalidUrl {
            operation: self.operation,
            message: e.to_string(),
        })
    }
}

/// Builds the request for `operation` against the roots in `config`, with `auth` applied unless
/// the operation is anonymous (token exchange, health, documentation).
pub fn build_request<O: Operation>(
    operation: &O,
    config: &ClientConfig,
    auth: &Auth,
) -> Result<Request, BuildError> {
    let info = O::INFO;
    operation.validate()?;

    let root = config.root(info.api);
    let mut url = String::with_capacity(root.len() + info.path.len() + 32);
    url.push_str(root);
    operation.write_path(&mut url);
    let mut query = crate::rt::Query::default();
    operation.write_query(&mut query);
    query.append_to(&mut url);

    let body = operation.body()?;
    let mut headers = Vec::with_capacity(6);
    headers.push(("accept".to_owned(), info.accept.to_owned()));
    if body.is_some() {
        headers.push(("content-type".to_owned(), "application/json".to_owned()));
    }
    headers.push(("user-agent".to_owned(), config.user_agent().to_owned()));
    if info.authenticated {
        if let Some(value) = auth.header_value() {
            headers.push(("authorization".to_owned(), value.expose().to_owned()));
        }
    }
    operation.write_headers(&mut headers);

    tracing::debug!(operation = info.id, method = info.method.as_str(), "built request");
    Ok(Request { operation: info.id, method: info.method, url, headers, body })
}
