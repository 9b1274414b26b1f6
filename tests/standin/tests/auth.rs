//! Token exchange and the 401s.

mod common;

use airbyte_core::public_api::{models, ops};
use airbyte_core::{Auth, ErrorBody, Secret};
use airbyte_standin::{ConfigPatch, Options};
use common::*;
use serde_json::json;

#[allow(clippy::expect_used)]
fn claims(token: &str) -> serde_json::Value {
    let payload = token.split('.').nth(1).expect("a JWT has a payload");
    let mut text = payload.replace('-', "+").replace('_', "/");
    while text.len() % 4 != 0 {
        text.push('=');
    }
    // Decode standard base64 by hand (no dependency for one test).
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bytes = Vec::new();
    let mut acc = 0u32;
    let mut bits = 0;
    for c in text.bytes().filter(|c| *c != b'=') {
        let v = alphabet.iter().position(|a| *a == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            bytes.push((acc >> bits) as u8);
        }
    }
    serde_json::from_slice(&bytes).expect("JSON claims")
}

#[test]
fn token_flow_json_form_and_config_api() {
    let standin = start();
    // JSON through the core, with the typed response.
    let body = models::ApplicationTokenRequestWithGrant::new(
        "standin-client".to_owned(),
        "standin-secret".to_owned(),
    );
    let token = common::call(&standin, &ops::CreateAccessToken::new(body), &Auth::None).unwrap();
    assert_eq!(token.token_type.as_str(), "Bearer");
    assert_eq!(token.expires_in, 180);
    let claims = claims(&token.access_token);
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap(), 180);

    // Form-encoded, as the Speakeasy SDKs send it.
    let form = send(
        "POST",
        &format!("{}/applications/token", standin.public_root()),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(
            b"grant_type=client_credentials&client_id=standin-client&client_secret=standin-secret",
        ),
    );
    assert_eq!(form.status, 200, "{}", form.text());
    assert_eq!(form.json()["token_type"], "Bearer");

    // The Configuration API's twin answers only the token.
    let config = send(
        "POST",
        &format!("{}/applications/token", standin.config_root()),
        &[("Content-Type", "application/json")],
        Some(br#"{"client_id":"standin-client","client_secret":"standin-secret"}"#),
    );
    assert_eq!(config.status, 200);
    let access = config.json()["access_token"].as_str().unwrap().to_owned();
    // Tokens work on both APIs.
    assert_eq!(get(&format!("{}/workspaces", standin.public_root()), &access).status, 200);
    let listed = post_json(
        &format!("{}/source_definitions/list", standin.config_root()),
        &access,
        &json!({}),
    );
    assert_eq!(listed.status, 200, "{}", listed.text());
}

#[test]
fn wrong_credentials_get_401_with_an_error_id() {
    let standin = start();
    let body = models::ApplicationTokenRequestWithGrant::new(
        "standin-client".to_owned(),
        "nope".to_owned(),
    );
    let error =
        common::call(&standin, &ops::CreateAccessToken::new(body), &Auth::None).unwrap_err();
    let api = error.as_api().unwrap();
    assert_eq!(api.status, 401);
    assert!(matches!(api.kind, ErrorBody::ErrorId { .. }), "{:?}", api.kind);
    // A form without a secret is a bad request, not a crash.
    let reply = send(
        "POST",
        &format!("{}/applications/token", standin.public_root()),
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"client_id=standin-client"),
    );
    assert_eq!(reply.status, 400);
    assert_eq!(reply.json()["title"], "bad-request");
}

#[test]
fn missing_unknown_and_expired_tokens_get_micronaut_401s() {
    let standin = start();
    let url = format!("{}/jobs/1", standin.public_root());
    let missing = send("GET", &url, &[], None);
    assert_eq!(missing.status, 401);
    let body = missing.json();
    assert_eq!(body["message"], "Unauthorized");
    assert_eq!(body["_links"]["self"]["href"], "/api/public/v1/jobs/1");
    assert!(body["_embedded"]["errors"][0]["message"].is_string());

    // The core recognises the body as one of the authentication layer.
    let error = common::call(&standin, &ops::GetJob::new(1), &Auth::None).unwrap_err();
    assert!(matches!(error.as_api().unwrap().kind, ErrorBody::AuthLayer { .. }));

    let unknown = common::call(&standin, &ops::GetJob::new(1), &Auth::Bearer(Secret::new("a.b.c")))
        .unwrap_err();
    assert_eq!(unknown.status(), 401);

    // A valid token works until the server's clock passes its expiry: no waiting needed.
    let token = token(&standin);
    let auth = Auth::Bearer(Secret::new(token.clone()));
    assert_eq!(common::call(&standin, &ops::GetJob::new(1), &auth).unwrap().job_id, 1);
    standin.advance_clock(179);
    assert!(common::call(&standin, &ops::GetJob::new(1), &auth).is_ok());
    standin.advance_clock(1);
    let expired = common::call(&standin, &ops::GetJob::new(1), &auth).unwrap_err();
    assert_eq!(expired.status(), 401);
    assert!(expired.as_api().unwrap().message.contains("expired"), "{}", expired);

    // Health and the Configuration API's health need no token.
    assert_eq!(send("GET", &format!("{}/health", standin.public_root()), &[], None).status, 200);
    let health = send("GET", &format!("{}/health", standin.config_root()), &[], None);
    assert_eq!((health.status, health.json()), (200, json!({"available": true})));
    // The Configuration API's other endpoints do.
    let config =
        send("POST", &format!("{}/jobs/get", standin.config_root()), &[], Some(b"{\"id\":1}"));
    assert_eq!(config.status, 401);
}

#[test]
fn token_lifetime_and_auth_can_change_at_run_time() {
    let standin = start_with(Options { token_lifetime_secs: 5, ..Options::default() });
    let body = models::ApplicationTokenRequestWithGrant::new(
        "standin-client".to_owned(),
        "standin-secret".to_owned(),
    );
    let token =
        common::call(&standin, &ops::CreateAccessToken::new(body.clone()), &Auth::None).unwrap();
    assert_eq!(token.expires_in, 5);

    // Over HTTP, as other languages do.
    let reply = control(
        &standin,
        "POST",
        "/_standin/config",
        Some(&json!({"token_lifetime_secs": 60, "auth": false})),
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.json()["auth"], false);
    let token = common::call(&standin, &ops::CreateAccessToken::new(body), &Auth::None).unwrap();
    assert_eq!(token.expires_in, 60);
    // With authentication off, no token is needed.
    assert_eq!(common::call(&standin, &ops::GetJob::new(1), &Auth::None).unwrap().job_id, 1);
    // Typos are refused.
    let typo = control(&standin, "POST", "/_standin/config", Some(&json!({"auht": true})));
    assert_eq!(typo.status, 400);
    assert!(typo.json()["message"].as_str().unwrap().contains("auht"));

    standin.update_config(&ConfigPatch { auth: Some(true), ..ConfigPatch::default() });
    assert_eq!(
        common::call(&standin, &ops::GetJob::new(1), &Auth::None).unwrap_err().status(),
        401
    );
    // Reset restores the startup settings.
    standin.reset();
    assert_eq!(standin.config().token_lifetime_secs, 5);
}

#[test]
fn no_auth_option_serves_without_tokens() {
    let standin = start_with(Options { auth: false, ..Options::default() });
    let reply = send("GET", &format!("{}/connections?limit=1", standin.public_root()), &[], None);
    assert_eq!(reply.status, 200);
}
