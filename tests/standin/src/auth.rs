//! Access tokens: JWT-shaped (`header.payload.signature`, base64url), remembered by the server,
//! valid until their `exp` on the server's clock or until a fault expires them.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use serde_json::json;

use crate::util::base64url;

/// Why a token was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenProblem {
    /// No `Authorization: Bearer ...` header.
    Missing,
    /// A token this server never issued.
    Unknown,
    /// The token's `exp` has passed, or a fault expired it.
    Expired,
}

impl TokenProblem {
    /// The message for the 401 body.
    pub(crate) fn message(self) -> &'static str {
        match self {
            TokenProblem::Missing => "Unauthorized",
            TokenProblem::Unknown => "Invalid JWT: the token was not issued by this server",
            TokenProblem::Expired => "JWT expired: the access token has expired",
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Issued {
    expires_at: i64,
    revoked: bool,
}

/// The tokens issued so far.
#[derive(Debug, Default)]
pub(crate) struct Tokens {
    issued: HashMap<String, Issued>,
    next: u64,
}

/// Most tokens remembered; expired ones are forgotten first when there are more.
const MAX_TOKENS: usize = 10_000;

impl Tokens {
    /// Issues a token valid for `lifetime` seconds from `now`.
    pub(crate) fn issue(&mut self, now: i64, lifetime: u64) -> String {
        self.next += 1;
        let expires_at = now.saturating_add(i64::try_from(lifetime).unwrap_or(i64::MAX));
        let header = json!({ "alg": "HS256", "typ": "JWT" });
        let payload = json!({
            "iss": "airbyte-standin",
            "sub": "00000000-0000-0000-0000-000000000000",
            "iat": now,
            "exp": expires_at,
            "jti": self.next.to_string(),
            "roles": ["ORGANIZATION_ADMIN", "WORKSPACE_ADMIN"],
        });
        let signing_input = format!(
            "{}.{}",
            base64url(header.to_string().as_bytes()),
            base64url(payload.to_string().as_bytes())
        );
        let mut signature = Vec::with_capacity(32);
        for salt in 0u64..4 {
            let mut hasher = std::collections::hash_map::DefaultHasher::new();
            (salt, self.next, &signing_input).hash(&mut hasher);
            signature.extend_from_slice(&hasher.finish().to_be_bytes());
        }
        let token = format!("{signing_input}.{}", base64url(&signature));
        if self.issued.len() >= MAX_TOKENS {
            self.issued.retain(|_, t| !t.revoked && t.expires_at > now);
        }
        self.issued.insert(token.clone(), Issued { expires_at, revoked: false });
        token
    }

    /// Checks a bearer token.
    pub(crate) fn check(&self, token: &str, now: i64) -> Result<(), TokenProblem> {
        match self.issued.get(token) {
            None => Err(TokenProblem::Unknown),
            Some(issued) if issued.revoked || issued.expires_at <= now => {
                Err(TokenProblem::Expired)
            }
            Some(_) => Ok(()),
        }
    }

    /// Makes every token issued so far expire.
    pub(crate) fn expire_all(&mut self) {
        for issued in self.issued.values_mut() {
            issued.revoked = true;
        }
    }
}

/// The `exp` claim of a JWT-shaped token, for tests.
#[cfg(test)]
pub(crate) fn expiry_of(token: &str) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let claims: serde_json::Value =
        serde_json::from_slice(&crate::util::base64url_decode(payload)?).ok()?;
    claims.get("exp")?.as_i64()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_look_like_jwts_and_expire() {
        let mut tokens = Tokens::default();
        let token = tokens.issue(1000, 180);
        assert_eq!(token.split('.').count(), 3);
        assert_eq!(expiry_of(&token), Some(1180));
        assert_eq!(tokens.check(&token, 1179), Ok(()));
        assert_eq!(tokens.check(&token, 1180), Err(TokenProblem::Expired));
        assert_eq!(tokens.check("a.b.c", 1000), Err(TokenProblem::Unknown));
        let second = tokens.issue(1000, 180);
        assert_ne!(token, second);
        tokens.expire_all();
        assert_eq!(tokens.check(&second, 1000), Err(TokenProblem::Expired));
        let third = tokens.issue(1000, 180);
        assert_eq!(tokens.check(&third, 1000), Ok(()));
    }
}
