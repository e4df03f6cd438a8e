//! The request and reply of the controller as a plain function sees them,
//! and the query string helpers.

use serde_json::{Value, json};

use crate::plan::normalize::percent_decode;

/// A response: status, extra headers, JSON (or empty) body.
#[derive(Clone, Debug, Default)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// Close the connection instead of answering (fault injection).
    pub close: bool,
    /// Answer this many milliseconds late (fault injection).
    pub delay_ms: u64,
}

pub(super) fn reply(status: u16, body: Value) -> Reply {
    Reply {
        status,
        body: body.to_string(),
        ..Reply::default()
    }
}

pub(super) fn error(status: u16, msg: &str) -> Reply {
    reply(status, json!({ "error": msg }))
}

/// A request as [`handle`] sees it.
#[derive(Clone, Debug, Default)]
pub struct Req {
    pub method: String,
    /// Path and query as received (`//api/pool/?a=b` is fine).
    pub target: String,
    /// Lower-case header names.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// `http` or `https`, for absolute links.
    pub scheme: String,
}

impl Req {
    pub(super) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
    pub(super) fn cookie(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .filter(|(k, _)| k == "cookie")
            .flat_map(|(_, v)| v.split(';'))
            .find_map(|c| {
                let (k, v) = c.trim().split_once('=')?;
                (k == name).then(|| v.to_string())
            })
    }
}

pub(super) fn parse_query(q: &str) -> Vec<(String, String)> {
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (percent_decode(k), percent_decode(v)),
            None => (percent_decode(p), String::new()),
        })
        .collect()
}

pub(super) fn encode_query(q: &[(String, String)]) -> String {
    q.iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                crate::compile::common::query_escape(k),
                crate::compile::common::query_escape(v)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}
