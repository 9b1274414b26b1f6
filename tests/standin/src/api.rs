//! Routing by the generated operations' metadata, and helpers shared by the handlers of both
//! APIs.

use airbyte_core::{Api, Operation, OperationInfo};
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::app::Inner;
use crate::errors;
use crate::http::{HttpRequest, HttpResponse};
use crate::util::{parse_query, percent_decode};

/// What a handler returns: the response, or an error response.
pub(crate) type Reply = Result<HttpResponse, HttpResponse>;

/// A request handler.
pub(crate) type Handler = fn(&mut Ctx<'_>) -> Reply;

/// One served operation: method and path come from the generated [`OperationInfo`], so the
/// server answers exactly where a client built from the same specs sends requests.
pub(crate) struct Route {
    /// Facts about the operation.
    pub(crate) info: &'static OperationInfo,
    /// Whether the operation is served without a token.
    pub(crate) anonymous: bool,
    /// The handler.
    pub(crate) handler: Handler,
}

/// A route for operation `O`; anonymous when the spec says `security: []`.
pub(crate) fn route<O: Operation>(handler: Handler) -> Route {
    Route { info: O::INFO, anonymous: !O::INFO.authenticated, handler }
}

/// A route for operation `O` that never needs a token (the token endpoints).
pub(crate) fn anonymous_route<O: Operation>(handler: Handler) -> Route {
    Route { info: O::INFO, anonymous: true, handler }
}

/// The request being handled, with the server's state locked.
pub(crate) struct Ctx<'a> {
    /// The server's state.
    pub(crate) inner: &'a mut Inner,
    /// The request.
    pub(crate) request: &'a HttpRequest,
    /// Path parameters by their spec names.
    pub(crate) params: Vec<(&'static str, String)>,
    /// Decoded query parameters in order.
    pub(crate) query: Vec<(String, String)>,
    /// The server's clock, epoch seconds.
    pub(crate) now: i64,
    /// `http://127.0.0.1:PORT`.
    pub(crate) base_url: &'a str,
    /// The client id and secret the token endpoints accept.
    pub(crate) credentials: (&'a str, &'a str),
    /// The API the request is for.
    pub(crate) api: Api,
}

/// The path prefix each API is served under, matching a real self-managed server.
pub(crate) fn api_of(path: &str) -> Option<(Api, &str)> {
    if let Some(rest) = path.strip_prefix("/api/public/v1") {
        if rest.is_empty() || rest.starts_with('/') {
            return Some((Api::Public, rest));
        }
    }
    let rest = path.strip_prefix("/api")?;
    rest.starts_with("/v1/").then_some((Api::Config, rest))
}

/// Matches a path against a template such as `/jobs/{jobId}`.
pub(crate) fn match_template(
    template: &'static str,
    path: &str,
) -> Option<Vec<(&'static str, String)>> {
    let mut params = Vec::new();
    let mut wanted = template.split('/');
    let mut given = path.split('/');
    loop {
        match (wanted.next(), given.next()) {
            (None, None) => return Some(params),
            (Some(t), Some(p)) => {
                if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    let value = percent_decode(p, false);
                    if value.is_empty() {
                        return None;
                    }
                    params.push((name, value));
                } else if t != p {
                    return None;
                }
            }
            _ => return None,
        }
    }
}

/// Splits the query of a request.
pub(crate) fn query_of(request: &HttpRequest) -> Vec<(String, String)> {
    parse_query(&request.query)
}

impl Ctx<'_> {
    /// A path parameter.
    pub(crate) fn param(&self, name: &str) -> &str {
        self.params.iter().find(|(n, _)| *n == name).map_or("", |(_, v)| v.as_str())
    }

    /// A path parameter that must be a UUID.
    pub(crate) fn param_uuid(&self, name: &str, resource_type: &str) -> Result<Uuid, HttpResponse> {
        let value = self.param(name);
        Uuid::parse_str(value).map_err(|_| match self.api {
            Api::Public => errors::resource_not_found(resource_type, value),
            Api::Config => errors::error_id_only(404),
        })
    }

    /// The first value of query parameter `name`.
    pub(crate) fn query_one(&self, name: &str) -> Option<&str> {
        self.query.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// All UUIDs given for an array query parameter, as repeated keys or comma-joined.
    pub(crate) fn query_uuids(&self, name: &str) -> Result<Vec<Uuid>, HttpResponse> {
        let mut ids = Vec::new();
        for (_, value) in self.query.iter().filter(|(n, _)| n == name) {
            for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                let id = Uuid::parse_str(part).map_err(|_| {
                    errors::bad_request(&format!("`{name}`: `{part}` is not a UUID"))
                })?;
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// A boolean query parameter (default false).
    pub(crate) fn query_bool(&self, name: &str) -> Result<bool, HttpResponse> {
        match self.query_one(name) {
            None => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") || v.is_empty() => Ok(false),
            Some(v) => Err(errors::bad_request(&format!("`{name}`: `{v}` is not true or false"))),
        }
    }

    /// An integer query parameter within `min..=max`.
    pub(crate) fn query_int(
        &self,
        name: &str,
        default: i64,
        min: i64,
        max: i64,
    ) -> Result<i64, HttpResponse> {
        let Some(text) = self.query_one(name) else { return Ok(default) };
        let value: i64 = text
            .parse()
            .map_err(|_| errors::bad_request(&format!("`{name}`: `{text}` is not an integer")))?;
        if value < min || value > max {
            return Err(errors::bad_request(&format!(
                "`{name}` must be between {min} and {max}, not {value}"
            )));
        }
        Ok(value)
    }

    /// The request body decoded as `T` (one of the generated models).
    ///
    /// The public API answers 400 `bad-request` for a body that is not JSON and 422
    /// `unprocessable-entity` for JSON of the wrong shape; the Configuration API answers 422
    /// `{message, errorId}` for both. The message names the place and the reason.
    pub(crate) fn body<T: DeserializeOwned>(&self, schema: &str) -> Result<T, HttpResponse> {
        let body = &self.request.body;
        if body.iter().all(u8::is_ascii_whitespace) {
            let message = format!("the request body is required: send a JSON {schema}");
            return Err(match self.api {
                Api::Public => errors::bad_request(&message),
                Api::Config => errors::known_exception(422, &message),
            });
        }
        if let Err(e) = serde_json::from_slice::<serde::de::IgnoredAny>(body) {
            let message = format!("the request body is not valid JSON: {e}");
            return Err(match self.api {
                Api::Public => errors::bad_request(&message),
                Api::Config => errors::known_exception(422, &message),
            });
        }
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        serde_path_to_error::deserialize::<_, T>(&mut deserializer).map_err(|e| {
            let path = e.path().to_string();
            let place = if path.is_empty() || path == "." {
                String::new()
            } else {
                format!(" at `{path}`")
            };
            let message =
                format!("the request body is not a valid {schema}{place}: {}", e.into_inner());
            match self.api {
                Api::Public => errors::unprocessable(&message),
                Api::Config => errors::known_exception(422, &message),
            }
        })
    }

    /// A 404 in the shape of the API.
    pub(crate) fn not_found(&self, resource_type: &str, id: &str) -> HttpResponse {
        match self.api {
            Api::Public => errors::resource_not_found(resource_type, id),
            Api::Config => errors::error_id_only(404),
        }
    }
}

/// A JSON 200 response with a generated model.
pub(crate) fn ok(value: &impl serde::Serialize) -> Reply {
    Ok(HttpResponse::json(200, value))
}

/// The `next`/`previous` links of a public list, built like the real server's
/// `PaginationMapper`: `next` whenever the page is non-empty, `""` on an empty page;
/// `previous` is `""` at offset 0.
pub(crate) fn page_links(
    base_url: &str,
    resource: &str,
    limit: i64,
    offset: i64,
    returned: usize,
    filters: &[(&str, String)],
) -> (String, String) {
    let link = |offset: i64| {
        let mut url = format!("{base_url}/api/public/v1/{resource}?limit={limit}&offset={offset}");
        for (name, value) in filters {
            url.push('&');
            url.push_str(name);
            url.push('=');
            url.push_str(&crate::util::query_encode(value));
        }
        url
    };
    let next = if returned == 0 { String::new() } else { link(offset + limit) };
    let previous = if offset == 0 { String::new() } else { link((offset - limit).max(0)) };
    (next, previous)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_segments_and_decode_parameters() {
        assert_eq!(
            match_template("/jobs/{jobId}", "/jobs/42"),
            Some(vec![("jobId", "42".to_owned())])
        );
        assert_eq!(match_template("/jobs/{jobId}", "/jobs"), None);
        assert_eq!(match_template("/jobs/{jobId}", "/jobs/"), None);
        assert_eq!(match_template("/jobs", "/jobs/1"), None);
        assert_eq!(
            match_template(
                "/workspaces/{workspaceId}/definitions/sources",
                "/workspaces/a%20b/definitions/sources"
            ),
            Some(vec![("workspaceId", "a b".to_owned())])
        );
        assert_eq!(api_of("/api/public/v1/jobs"), Some((Api::Public, "/jobs")));
        assert_eq!(api_of("/api/v1/jobs/get"), Some((Api::Config, "/v1/jobs/get")));
        assert_eq!(api_of("/api/public/v12"), None);
        assert_eq!(api_of("/v1/jobs/get"), None);
    }

    #[test]
    fn links_follow_the_real_server() {
        let (next, previous) = page_links("http://h", "connections", 10, 0, 10, &[]);
        assert_eq!(next, "http://h/api/public/v1/connections?limit=10&offset=10");
        assert_eq!(previous, "");
        let filters = [("workspaceIds", "a,b".to_owned()), ("includeDeleted", "true".to_owned())];
        let (next, previous) = page_links("http://h", "connections", 10, 25, 0, &filters);
        assert_eq!(next, "");
        assert_eq!(previous, "http://h/api/public/v1/connections?limit=10&offset=15&workspaceIds=a,b&includeDeleted=true");
    }
}
