//! Walking every page of a list operation, for all four paging styles of the two APIs.
//!
//! The pager works on the operation's input and output as JSON, so the same logic serves typed
//! Rust callers and every binding. It never follows a `next` URL itself: it reads `limit` and
//! `offset` from the link and re-issues the request against the configured root, so filters are
//! kept on every page and credentials never go to another origin.

use serde_json::{Map, Value};

use crate::error::BuildError;
use crate::operation::{OperationInfo, PaginationStyle};

/// The page size asked for when the caller sets none (the public API's maximum).
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Pages beyond this are not requested: a guard against a server that never ends.
pub const MAX_PAGES: u32 = 100_000;

/// Where a pager stands.
#[derive(Debug, Clone)]
pub struct Pager {
    info: &'static OperationInfo,
    style: PaginationStyle,
    input: Value,
    page_size: u32,
    pages: u32,
    done: bool,
}

impl Pager {
    /// A pager over `info`'s pages, starting from `input` (parameters by their spec names and
    /// the body under `body`). A page size already in the input is kept; otherwise `page_size`
    /// (or [`DEFAULT_PAGE_SIZE`]) is set.
    pub fn new(
        info: &'static OperationInfo,
        input: Value,
        page_size: Option<u32>,
    ) -> Result<Self, BuildError> {
        let Some(style) = info.pagination else {
            return Err(BuildError::invalid(info.id, "", "this operation does not page"));
        };
        let Value::Object(mut object) = input else {
            return Err(BuildError::invalid(info.id, "", "the input must be an object"));
        };
        let wanted = page_size.unwrap_or(DEFAULT_PAGE_SIZE).max(1);
        let page_size = match style {
            PaginationStyle::LimitOffset => u32_field(&mut object, "limit", wanted),
            PaginationStyle::PageSizeRowOffset => {
                let body = body_of(&mut object);
                let pagination =
                    body.entry("pagination").or_insert_with(|| Value::Object(Map::new()));
                match pagination {
                    Value::Object(p) => u32_field(p, "pageSize", wanted),
                    _ => {
                        return Err(BuildError::invalid(
                            info.id,
                            "body.pagination",
                            "must be an object",
                        ))
                    }
                }
            }
            PaginationStyle::Cursor => u32_field(body_of(&mut object), "pageSize", wanted),
            PaginationStyle::PageToken => u32_field(body_of(&mut object), "pageSize", wanted),
        };
        Ok(Self { info, style, input: Value::Object(object), page_size, pages: 0, done: false })
    }

    /// The operation being paged.
    pub fn info(&self) -> &'static OperationInfo {
        self.info
    }

    /// The input of the next page's request, or `None` when every page has been read.
    pub fn next_input(&self) -> Option<&Value> {
        (!self.done).then_some(&self.input)
    }

    /// Records a page's output and returns its items. Afterwards [`Pager::next_input`] is the
    /// next page's input, or `None`.
    pub fn on_page(&mut self, output: &Value) -> Vec<Value> {
        let items = items_of(self.style, output);
        self.pages += 1;
        let count = items.len();
        let more = match self.style {
            PaginationStyle::LimitOffset => self.advance_limit_offset(output, count),
            PaginationStyle::PageSizeRowOffset => self.advance_row_offset(count),
            PaginationStyle::Cursor => self.advance_cursor(output, &items),
            PaginationStyle::PageToken => self.advance_token(output),
        };
        if !more || self.pages >= MAX_PAGES {
            self.done = true;
        }
        items
    }

    fn object(&mut self) -> &mut Map<String, Value> {
        match &mut self.input {
            Value::Object(object) => object,
            other => {
                *other = Value::Object(Map::new());
                match other {
                    Value::Object(object) => object,
                    _ => unreachable_object(),
                }
            }
        }
    }

    /// Public API: stop on an empty page or an empty `next`; otherwise take `limit` and
    /// `offset` from the link (or step by the page length).
    fn advance_limit_offset(&mut self, output: &Value, count: usize) -> bool {
        let next = output.get("next").and_then(Value::as_str).unwrap_or("");
        if count == 0 || next.trim().is_empty() {
            return false;
        }
        let object = self.object();
        let current = object.get("offset").and_then(Value::as_u64).unwrap_or(0);
        let link = link_params(next);
        let offset = link.offset.unwrap_or(current + count as u64);
        if offset <= current {
            return false;
        }
        object.insert("offset".to_owned(), Value::from(offset));
        if let Some(limit) = link.limit.filter(|l| *l > 0) {
            object.insert("limit".to_owned(), Value::from(limit));
        }
        true
    }

    /// Configuration API `pagination {pageSize, rowOffset}`: a short page is the last.
    fn advance_row_offset(&mut self, count: usize) -> bool {
        if count < self.page_size as usize {
            return false;
        }
        let object = self.object();
        let body = body_of(object);
        if let Some(Value::Object(pagination)) = body.get_mut("pagination") {
            let offset = pagination.get("rowOffset").and_then(Value::as_u64).unwrap_or(0);
            pagination.insert("rowOffset".to_owned(), Value::from(offset + count as u64));
        }
        true
    }

    /// Configuration API keyset paging: the next page starts after the last item's id.
    fn advance_cursor(&mut self, output: &Value, items: &[Value]) -> bool {
        if items.len() < self.page_size as usize {
            return false;
        }
        let Some(cursor) = items.last().and_then(|last| cursor_of(output, last)) else {
            return false;
        };
        let object = self.object();
        body_of(object).insert("cursor".to_owned(), Value::String(cursor));
        true
    }

    /// Configuration API opaque tokens: `nextPageToken` is present only when more exist.
    fn advance_token(&mut self, output: &Value) -> bool {
        let Some(token) =
            output.get("nextPageToken").and_then(Value::as_str).filter(|t| !t.is_empty())
        else {
            return false;
        };
        let token = token.to_owned();
        let object = self.object();
        body_of(object).insert("pageToken".to_owned(), Value::String(token));
        true
    }
}

fn unreachable_object() -> ! {
    // `input` was just replaced by an object, so this branch cannot be taken.
    panic!("pager input is always an object")
}

fn body_of(object: &mut Map<String, Value>) -> &mut Map<String, Value> {
    let body = object.entry("body").or_insert_with(|| Value::Object(Map::new()));
    if !body.is_object() {
        *body = Value::Object(Map::new());
    }
    match body {
        Value::Object(body) => body,
        _ => unreachable_object(),
    }
}

/// Reads a positive size field, or sets it to `wanted`.
fn u32_field(object: &mut Map<String, Value>, name: &str, wanted: u32) -> u32 {
    match object.get(name).and_then(Value::as_u64).filter(|n| *n > 0) {
        Some(existing) => u32::try_from(existing).unwrap_or(u32::MAX),
        None => {
            object.insert(name.to_owned(), Value::from(wanted));
            wanted
        }
    }
}

/// The items of a page: `data` in the public API, otherwise the response's first array field.
fn items_of(style: PaginationStyle, output: &Value) -> Vec<Value> {
    let array = match style {
        PaginationStyle::LimitOffset => output.get("data").and_then(Value::as_array),
        _ => output.as_object().and_then(|o| o.values().find_map(Value::as_array)),
    };
    array.cloned().unwrap_or_default()
}

/// The keyset cursor of an item: `<singular of the list field>Id` (`sources` → `sourceId`).
fn cursor_of(output: &Value, last: &Value) -> Option<String> {
    let list_field =
        output.as_object()?.iter().find(|(_, v)| v.is_array()).map(|(k, _)| k.as_str())?;
    let singular = list_field.strip_suffix('s').unwrap_or(list_field);
    let id = last.get(format!("{singular}Id"))?.as_str()?;
    Some(id.to_owned())
}

#[derive(Default)]
struct LinkParams {
    limit: Option<u64>,
    offset: Option<u64>,
}

fn link_params(link: &str) -> LinkParams {
    let query = link.split_once('?').map_or("", |(_, q)| q);
    let query = query.split('#').next().unwrap_or("");
    let mut params = LinkParams::default();
    for pair in query.split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "limit" => params.limit = value.parse().ok(),
            "offset" => params.offset = value.parse().ok(),
            _ => {}
        }
    }
    params
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::Operation;

    #[test]
    fn public_pages_follow_next_links_and_keep_filters() {
        let info = crate::public_api::ops::ListConnections::INFO;
        let mut pager = Pager::new(info, json!({"workspaceIds": ["w1", "w2"]}), Some(2)).unwrap();
        assert_eq!(pager.next_input(), Some(&json!({"workspaceIds": ["w1", "w2"], "limit": 2})));

        let page = json!({"data": [{"connectionId": "a"}, {"connectionId": "b"}],
            "next": "https://elsewhere.example/api/public/v1/connections?limit=2&offset=2&workspaceIds=w1,w2"});
        assert_eq!(pager.on_page(&page).len(), 2);
        assert_eq!(
            pager.next_input(),
            Some(&json!({"workspaceIds": ["w1", "w2"], "limit": 2, "offset": 2}))
        );

        let page = json!({"data": [{"connectionId": "c"}], "next": "https://x/connections?limit=2&offset=4"});
        assert_eq!(pager.on_page(&page).len(), 1);
        assert_eq!(pager.next_input().and_then(|i| i.get("offset")), Some(&json!(4)));

        // The server sends a non-empty `next` after every non-empty page: an empty page ends it.
        assert!(pager.on_page(&json!({"data": [], "next": ""})).is_empty());
        assert_eq!(pager.next_input(), None);
    }

    #[test]
    fn public_pages_end_on_an_empty_next() {
        let info = crate::public_api::ops::ListJobs::INFO;
        let mut pager = Pager::new(info, json!({"limit": 5}), None).unwrap();
        pager.on_page(&json!({"data": [{"jobId": 1}], "next": ""}));
        assert_eq!(pager.next_input(), None);
    }

    #[test]
    fn row_offset_pages_end_on_a_short_page() {
        let info = crate::config_api::ops::ListJobsFor::INFO;
        let input = json!({"body": {"configTypes": ["sync"], "configId": "c"}});
        let mut pager = Pager::new(info, input, Some(2)).unwrap();
        assert_eq!(
            pager.next_input(),
            Some(
                &json!({"body": {"configTypes": ["sync"], "configId": "c", "pagination": {"pageSize": 2}}})
            )
        );
        pager.on_page(&json!({"jobs": [{}, {}], "totalJobCount": 3}));
        assert_eq!(
            pager.next_input().unwrap()["body"]["pagination"],
            json!({"pageSize": 2, "rowOffset": 2})
        );
        pager.on_page(&json!({"jobs": [{}], "totalJobCount": 3}));
        assert_eq!(pager.next_input(), None);
    }

    #[test]
    fn cursor_pages_start_after_the_last_id() {
        let info = crate::config_api::ops::ListSourcesForWorkspace::INFO;
        let mut pager = Pager::new(info, json!({"body": {"workspaceId": "w"}}), Some(2)).unwrap();
        pager
            .on_page(&json!({"sources": [{"sourceId": "s1"}, {"sourceId": "s2"}], "page_size": 2}));
        assert_eq!(
            pager.next_input().unwrap()["body"],
            json!({"workspaceId": "w", "pageSize": 2, "cursor": "s2"})
        );
        pager.on_page(&json!({"sources": [{"sourceId": "s3"}], "page_size": 2}));
        assert_eq!(pager.next_input(), None);
    }

    #[test]
    fn token_pages_end_without_a_next_token() {
        let info = crate::config_api::ops::ListAuditLogs::INFO;
        let mut pager = Pager::new(info, json!({"body": {}}), Some(50)).unwrap();
        pager.on_page(&json!({"auditLogs": [{}], "nextPageToken": "t2"}));
        assert_eq!(pager.next_input().unwrap()["body"], json!({"pageSize": 50, "pageToken": "t2"}));
        pager.on_page(&json!({"auditLogs": [{}]}));
        assert_eq!(pager.next_input(), None);
    }

    #[test]
    fn non_paging_operations_are_refused() {
        let info = crate::public_api::ops::GetJob::INFO;
        let err = Pager::new(info, json!({"jobId": 1}), None).unwrap_err();
        assert_eq!(err.to_string(), "getJob: invalid input at ``: this operation does not page");
    }
}
