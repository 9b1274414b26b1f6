//! Where the two APIs live and how requests identify themselves.
//!
//! Airbyte serves two APIs from different roots:
//! - the public Airbyte API: `https://api.airbyte.com/v1` on Cloud, `<host>/api/public/v1` on a
//!   self-managed server;
//! - the Configuration API: `https://cloud.airbyte.com/api/v1` on Cloud, `<host>/api/v1` on a
//!   self-managed server.
//!
//! Each root is kept as the URL its spec's paths are relative to: the public spec's paths
//! (`/jobs/{jobId}`) hang below `.../v1`, the Configuration spec's paths (`/v1/jobs/get`,
//! `/public/v1/jobs`) below `.../api`. So the Configuration API root is stored without its `/v1`,
//! and a root given with it is accepted either way.
//!
//! Roots are checked when they are set, so a malformed root or a root that belongs to the other
//! API is an error here instead of a wrong URL later.

use std::fmt;

/// The public API root on Airbyte Cloud.
pub const CLOUD_PUBLIC_ROOT: &str = "https://api.airbyte.com/v1";

/// The Configuration API root on Airbyte Cloud, as its paths (`/v1/...`) are relative to.
pub const CLOUD_CONFIG_ROOT: &str = "https://cloud.airbyte.com/api";

/// The `User-Agent` sent when the caller sets none.
pub const DEFAULT_USER_AGENT: &str = concat!("airbyte-core/", env!("CARGO_PKG_VERSION"));

/// Which of the two APIs a root or an operation belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Api {
    /// The Configuration API (`config.yaml`), RPC style under `<host>/api/v1`.
    Config,
    /// The public Airbyte API (`api.yaml`), REST style under `https://api.airbyte.com/v1`.
    Public,
}

impl Api {
    /// A short lowercase name: `config` or `public`.
    pub fn as_str(self) -> &'static str {
        match self {
            Api::Config => "config",
            Api::Public => "public",
        }
    }
}

impl fmt::Display for Api {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Api::Config => "Configuration API",
            Api::Public => "public Airbyte API",
        })
    }
}

/// Why a base URL was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    /// Nothing was given.
    #[error("the {what} is empty")]
    Empty {
        /// Which URL was being set.
        what: &'static str,
    },
    /// The URL has no `http://` or `https://` prefix.
    #[error("the {what} `{url}` has no scheme: write it as http://{url} or https://{url}")]
    MissingScheme {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The scheme is neither `http` nor `https`.
    #[error("the {what} `{url}` uses the scheme `{scheme}`; only http and https are supported")]
    UnsupportedScheme {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
        /// The scheme found.
        scheme: String,
    },
    /// The URL has no host after the scheme.
    #[error("the {what} `{url}` has no host")]
    MissingHost {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The URL carries a user name or password. It is not echoed back.
    #[error("the {what} contains credentials (user@ or user:password@); pass them as credentials instead")]
    CredentialsInUrl {
        /// Which URL was being set.
        what: &'static str,
    },
    /// The URL has a query string or a fragment, which a root cannot have.
    #[error("the {what} `{url}` has a query or fragment; a root is a scheme, host and path only")]
    QueryOrFragment {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The URL contains characters a URL cannot hold as they are (whitespace, control or
    /// non-ASCII characters; write international host names in punycode).
    #[error("the {what} `{url}` contains characters a URL cannot hold (whitespace, control or non-ASCII characters)")]
    InvalidCharacters {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The port is not a number from 1 to 65535.
    #[error("the {what} `{url}` has an invalid port")]
    InvalidPort {
        /// Which URL was being set.
        what: &'static str,
        /// The URL as given.
        url: String,
    },
    /// The root belongs to the other API.
    #[error("`{url}` looks like a root of the {actual}, not of the {expected}; {hint}")]
    WrongApi {
        /// The URL as given.
        url: String,
        /// The API the root was given for.
        expected: Api,
        /// The API the root looks like.
        actual: Api,
        /// What to write instead.
        hint: String,
    },
}

/// A checked absolute URL without a trailing slash, a query or a fragment.
#[derive(Clone, PartialEq, Eq)]
struct Root {
    /// `scheme://authority`, scheme lowercased.
    origin: String,
    /// The path, empty or starting with `/`, without trailing slashes.
    path: String,
}

impl Root {
    fn parse(what: &'static str, input: &str) -> Result<Self, BaseUrlError> {
        let url = input.trim();
        if url.is_empty() {
            return Err(BaseUrlError::Empty { what });
        }
        if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(BaseUrlError::InvalidCharacters { what, url: url.to_owned() });
        }
        let Some((scheme, rest)) = url.split_once("://") else {
            return Err(BaseUrlError::MissingScheme { what, url: url.to_owned() });
        };
        let scheme = scheme.to_ascii_lowercase();
        if scheme != "http" && scheme != "https" {
            return Err(BaseUrlError::UnsupportedScheme { what, url: url.to_owned(), scheme });
        }
        let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(BaseUrlError::CredentialsInUrl { what });
        }
        if authority.is_empty() || authority.starts_with(':') {
            return Err(BaseUrlError::MissingHost { what, url: url.to_owned() });
        }
        if tail.contains(['?', '#']) {
            return Err(BaseUrlError::QueryOrFragment { what, url: url.to_owned() });
        }
        // RFC 3986: unreserved, sub-delims and percent signs, `:@/` also in the path. Anything
        // else would make an invalid request URL later.
        let allowed = |c: char, extra: &str| {
            c.is_ascii_alphanumeric() || "-._~!$&'()*+,;=%".contains(c) || extra.contains(c)
        };
        let invalid = || BaseUrlError::InvalidCharacters { what, url: url.to_owned() };
        // Every `%` starts a percent-encoded byte: two hex digits follow.
        let percent_ok = |text: &str| {
            let bytes = text.as_bytes();
            bytes.iter().enumerate().all(|(i, b)| {
                *b != b'%'
                    || bytes.get(i + 1..i + 3).is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
            })
        };
        if !percent_ok(authority) || !percent_ok(tail) {
            return Err(invalid());
        }
        if !tail.chars().all(|c| allowed(c, ":@/")) {
            return Err(invalid());
        }
        let (host, port) = match authority.strip_prefix('[') {
            Some(rest) => {
                let (literal, after) = rest.split_once(']').ok_or_else(invalid)?;
                let literal_ok = !literal.is_empty()
                    && literal.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
                let port = match after {
                    "" => None,
                    _ => Some(after.strip_prefix(':').ok_or_else(invalid)?),
                };
                if !literal_ok {
                    return Err(invalid());
                }
                (authority, port)
            }
            None => match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            },
        };
        if host.is_empty() {
            return Err(BaseUrlError::MissingHost { what, url: url.to_owned() });
        }
        // Host names and IPv4 addresses: letters, digits, `-`, `.`, `_`, `~` (punycode for
        // international names); an IPv6 literal was checked above.
        let host_char = |c: char| c.is_ascii_alphanumeric() || "-._~".contains(c);
        if !host.starts_with('[') && !host.chars().all(host_char) {
            return Err(invalid());
        }
        if let Some(port) = port {
            if !port.parse::<u16>().is_ok_and(|p| p > 0) {
                return Err(BaseUrlError::InvalidPort { what, url: url.to_owned() });
            }
        }
        let path = tail.trim_end_matches('/').to_owned();
        Ok(Self { origin: format!("{scheme}://{}", authority.to_ascii_lowercase()), path })
    }

    fn host(&self) -> &str {
        let authority = self.origin.split_once("://").map_or("", |(_, a)| a);
        authority.rsplit_once(':').map_or(authority, |(host, _)| host)
    }

    fn with_path(&self, path: &str) -> Self {
        Self { origin: self.origin.clone(), path: path.to_owned() }
    }

    fn strip_path_suffix(&self, suffix: &str) -> Option<Self> {
        self.path.strip_suffix(suffix).map(|path| self.with_path(path))
    }
}

impl fmt::Display for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", self.origin, self.path)
    }
}

impl fmt::Debug for Root {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.to_string())
    }
}

/// The roots of both APIs and the `User-Agent`, shared by every request a client builds.
#[derive(Clone, PartialEq, Eq)]
pub struct ClientConfig {
    public_root: String,
    config_root: String,
    user_agent: String,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("public_root", &self.public_root)
            .field("config_root", &self.config_root)
            .field("user_agent", &self.user_agent)
            .finish()
    }
}

impl ClientConfig {
    /// Airbyte Cloud: `https://api.airbyte.com/v1` and `https://cloud.airbyte.com/api/v1`.
    pub fn cloud() -> Self {
        Self {
            public_root: CLOUD_PUBLIC_ROOT.to_owned(),
            config_root: CLOUD_CONFIG_ROOT.to_owned(),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
        }
    }

    /// A self-managed server reached at `host` (for example `http://localhost:8000`): the
    /// public API at `<host>/api/public/v1` and the Configuration API at `<host>/api/v1`.
    ///
    /// A host given with one of those suffixes (or with `/api`) is reduced to the host first, so
    /// pasting either API root also works. Cloud's public host is refused with a pointer to
    /// [`ClientConfig::cloud`].
    pub fn self_managed(host: &str) -> Result<Self, BaseUrlError> {
        let root = Root::parse("server URL", host)?;
        if root.host() == "api.airbyte.com" {
            return Err(BaseUrlError::WrongApi {
                url: root.to_string(),
                expected: Api::Config,
                actual: Api::Public,
                hint: "api.airbyte.com is Airbyte Cloud's public API; use the Cloud \
                       configuration instead of a self-managed host"
                    .to_owned(),
            });
        }
        let host = ["/api/public/v1", "/api/v1", "/api/public", "/api"]
            .iter()
            .find_map(|suffix| root.strip_path_suffix(suffix))
            .unwrap_or(root);
        Ok(Self {
            public_root: format!("{host}/api/public/v1"),
            config_root: format!("{host}/api"),
            user_agent: DEFAULT_USER_AGENT.to_owned(),
        })
    }

    /// Sets the public API root explicitly, for a server behind a proxy or a mock that serves
    /// the spec's paths directly. A Configuration API root (`.../api/v1`) is refused.
    pub fn with_public_root(mut self, root: &str) -> Result<Self, BaseUrlError> {
        let parsed = Root::parse("public API root", root)?;
        let is_config_root =
            parsed.path.ends_with("/api/v1") && !parsed.path.ends_with("/public/v1");
        if is_config_root || parsed.path.ends_with("/api") {
            let host = parsed
                .strip_path_suffix("/api/v1")
                .or_else(|| parsed.strip_path_suffix("/api"))
                .unwrap_or_else(|| parsed.clone());
            return Err(BaseUrlError::WrongApi {
                url: parsed.to_string(),
                expected: Api::Public,
                actual: Api::Config,
                hint: format!("the public API root of this server is {host}/api/public/v1"),
            });
        }
        self.public_root = parsed.to_string();
        Ok(self)
    }

    /// Sets the Configuration API root explicitly: `<host>/api/v1`, `<host>/api`, or the root
    /// of a mock that serves the spec's paths (`/v1/...`) directly. A trailing `/v1` is dropped
    /// because the operation paths start with it. A public API root (`.../public/v1` or Cloud's
    /// `api.airbyte.com`) is refused.
    pub fn with_config_root(mut self, root: &str) -> Result<Self, BaseUrlError> {
        let parsed = Root::parse("Configuration API root", root)?;
        if parsed.path.ends_with("/public/v1") || parsed.host() == "api.airbyte.com" {
            let hint = if parsed.host() == "api.airbyte.com" {
                format!("Airbyte Cloud's Configuration API root is {CLOUD_CONFIG_ROOT}/v1")
            } else {
                let host = parsed.strip_path_suffix("/api/public/v1").unwrap_or(parsed.clone());
                format!("the Configuration API root of this server is {host}/api/v1")
            };
            return Err(BaseUrlError::WrongApi {
                url: parsed.to_string(),
                expected: Api::Config,
                actual: Api::Public,
                hint,
            });
        }
        self.config_root = parsed.strip_path_suffix("/v1").unwrap_or(parsed).to_string();
        Ok(self)
    }

    /// Sets the `User-Agent` header value.
    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// The public API root, without a trailing slash.
    pub fn public_root(&self) -> &str {
        &self.public_root
    }

    /// The Configuration API root without its `/v1` (`<host>/api`), without a trailing slash.
    pub fn config_root(&self) -> &str {
        &self.config_root
    }

    /// The root that serves `api`.
    pub fn root(&self, api: Api) -> &str {
        match api {
            Api::Config => &self.config_root,
            Api::Public => &self.public_root,
        }
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &str {
        &self.user_agent
    }

    /// The scheme and authority of `api`'s root, used to decide whether a URL may receive
    /// credentials.
    pub fn origin(&self, api: Api) -> &str {
        origin_of(self.root(api))
    }
}

/// Checks an absolute URL given for `what` (such as a token URL) and returns it without
/// trailing slashes.
pub(crate) fn check_absolute_url(what: &'static str, url: &str) -> Result<String, BaseUrlError> {
    Root::parse(what, url).map(|root| root.to_string())
}

/// `scheme://authority` of an absolute URL, lowercased parts left as given.
pub(crate) fn origin_of(url: &str) -> &str {
    let Some(scheme_end) = url.find("://") else { return url };
    let after = &url[scheme_end + 3..];
    let end = after.find(['/', '?', '#']).map_or(url.len(), |i| scheme_end + 3 + i);
    &url[..end]
}

impl Default for ClientConfig {
    fn default() -> Self {
        Self::cloud()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_roots() {
        let config = ClientConfig::cloud();
        assert_eq!(config.public_root(), "https://api.airbyte.com/v1");
        assert_eq!(config.config_root(), "https://cloud.airbyte.com/api");
    }

    #[test]
    fn self_managed_derives_both_roots_from_one_host() {
        for host in [
            "http://localhost:8000",
            "http://localhost:8000/",
            "http://localhost:8000//",
            "  http://localhost:8000 ",
            "HTTP://LOCALHOST:8000",
            "http://localhost:8000/api",
            "http://localhost:8000/api/",
            "http://localhost:8000/api/v1",
            "http://localhost:8000/api/public/v1/",
        ] {
            let config = ClientConfig::self_managed(host).unwrap();
            assert_eq!(config.public_root(), "http://localhost:8000/api/public/v1", "{host}");
            assert_eq!(config.config_root(), "http://localhost:8000/api", "{host}");
        }
        let prefixed = ClientConfig::self_managed("https://example.com/airbyte/").unwrap();
        assert_eq!(prefixed.public_root(), "https://example.com/airbyte/api/public/v1");
        assert_eq!(prefixed.config_root(), "https://example.com/airbyte/api");
    }

    #[test]
    fn bad_hosts_are_refused_with_a_reason() {
        let err = ClientConfig::self_managed("localhost:8000").unwrap_err();
        assert_eq!(
            err.to_string(),
            "the server URL `localhost:8000` has no scheme: write it as http://localhost:8000 \
             or https://localhost:8000"
        );
        let err = ClientConfig::self_managed("ftp://x").unwrap_err();
        assert!(matches!(err, BaseUrlError::UnsupportedScheme { .. }));
        let err = ClientConfig::self_managed("http://").unwrap_err();
        assert!(matches!(err, BaseUrlError::MissingHost { .. }));
        let err = ClientConfig::self_managed("http://admin:hunter2@host").unwrap_err();
        assert!(!err.to_string().contains("hunter2"));
        assert!(matches!(err, BaseUrlError::CredentialsInUrl { .. }));
        let err = ClientConfig::self_managed("http://host/?a=1").unwrap_err();
        assert!(matches!(err, BaseUrlError::QueryOrFragment { .. }));
        let err = ClientConfig::self_managed("").unwrap_err();
        assert_eq!(err.to_string(), "the server URL is empty");
        let err = ClientConfig::self_managed("https://api.airbyte.com/v1").unwrap_err();
        assert!(matches!(err, BaseUrlError::WrongApi { .. }));
    }

    #[test]
    fn explicit_roots_are_checked_against_their_api() {
        let config = ClientConfig::cloud().with_public_root("http://127.0.0.1:4010/").unwrap();
        assert_eq!(config.public_root(), "http://127.0.0.1:4010");

        let err = ClientConfig::cloud().with_public_root("http://h:8000/api/v1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`http://h:8000/api/v1` looks like a root of the Configuration API, not of the \
             public Airbyte API; the public API root of this server is http://h:8000/api/public/v1"
        );

        let err = ClientConfig::cloud().with_config_root("http://h/api/public/v1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "`http://h/api/public/v1` looks like a root of the public Airbyte API, not of the \
             Configuration API; the Configuration API root of this server is http://h/api/v1"
        );
        let err = ClientConfig::cloud().with_config_root("https://api.airbyte.com/v1").unwrap_err();
        assert!(err.to_string().ends_with("is https://cloud.airbyte.com/api/v1"));

        for (given, stored) in [
            ("http://h:8000/api/", "http://h:8000/api"),
            ("http://h:8000/api/v1/", "http://h:8000/api"),
            ("http://mock:4010", "http://mock:4010"),
            ("http://mock:4010/v1", "http://mock:4010"),
        ] {
            let config = ClientConfig::cloud().with_config_root(given).unwrap();
            assert_eq!(config.config_root(), stored, "{given}");
        }
    }

    #[test]
    fn roots_hold_only_characters_a_url_can_carry() {
        // Found by the build_request fuzz target: a replacement character in the host.
        let err = ClientConfig::self_managed("http://127.0.0.q\u{fffd}:8000").unwrap_err();
        assert!(matches!(err, BaseUrlError::InvalidCharacters { .. }), "{err}");
        assert!(ClientConfig::self_managed("https://exämple.com").is_err());
        assert!(ClientConfig::self_managed("https://example.com/pfäd").is_err());
        let err = ClientConfig::self_managed("http://host:99999").unwrap_err();
        assert_eq!(err.to_string(), "the server URL `http://host:99999` has an invalid port");
        assert!(ClientConfig::self_managed("http://host:0").is_err());
        assert!(ClientConfig::self_managed("http://host:").is_err());
        // Also found by the fuzzer: a bracket outside an IPv6 literal.
        assert!(ClientConfig::self_managed("http://127.0.0.1:80]0").is_err());
        assert!(ClientConfig::self_managed("http://[::1]x").is_err());
        assert!(ClientConfig::self_managed("http://[zz]").is_err());
        assert!(ClientConfig::self_managed("http://1%7.0.0.1:8000").is_err());
        assert!(ClientConfig::self_managed("http://host/a%2").is_err());
        assert!(ClientConfig::self_managed("http://11%11:80").is_err());
        assert!(ClientConfig::self_managed("http://a$b").is_err());
        let ipv6 = ClientConfig::self_managed("http://[::1]:8000").unwrap();
        assert_eq!(ipv6.public_root(), "http://[::1]:8000/api/public/v1");
        assert!(ClientConfig::self_managed("http://[::1]").is_ok());
        assert!(ClientConfig::self_managed("https://xn--exmple-cua.com/a%20b").is_ok());
        for root in [ipv6.public_root(), ipv6.config_root()] {
            let request = http::Request::builder().uri(format!("{root}/x")).body(());
            assert!(request.is_ok(), "{root}");
        }
    }

    #[test]
    fn origins() {
        assert_eq!(origin_of("https://api.airbyte.com/v1/jobs?x=1"), "https://api.airbyte.com");
        assert_eq!(origin_of("http://h:1"), "http://h:1");
        assert_eq!(ClientConfig::cloud().origin(Api::Config), "https://cloud.airbyte.com");
    }
}
