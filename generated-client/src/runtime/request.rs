//! A request as generated code describes it, before the client sends it.

use reqwest::Method;
use serde::Serialize;

use super::error::Error;
use super::params::ParamValue;

pub(crate) struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// Already percent-encoded, starting with `/`.
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
}

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request {
            operation,
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn query(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        self.query.push((name, value.to_param()));
    }

    /// A list: the key repeated per value when `explode` (`a=1&a=2`), else one comma-joined value.
    #[allow(dead_code)] // Used only by documents with list parameters.
    pub(crate) fn query_list<T: ParamValue>(
        &mut self,
        name: &'static str,
        values: &[T],
        explode: bool,
    ) {
        if explode {
            self.query
                .extend(values.iter().map(|v| (name, v.to_param())));
        } else {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query.push((name, joined.join(",")));
        }
    }

    #[allow(dead_code)] // Used only by documents with header parameters.
    pub(crate) fn header(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        self.headers.push((name, value.to_param()));
    }

    #[allow(dead_code)] // Used only by documents with cookie parameters.
    pub(crate) fn cookie(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        self.cookies.push((name, value.to_param()));
    }

    pub(crate) fn json_body(&mut self, value: &impl Serialize) -> Result<(), Error> {
        let body = serde_json::to_vec(value).map_err(|source| Error::Encode {
            operation: self.operation,
            source,
        })?;
        self.body = Some(("application/json", body));
        Ok(())
    }

    #[allow(dead_code)] // Used only by documents with text bodies.
    pub(crate) fn text_body(&mut self, content_type: &'static str, value: &str) {
        self.body = Some((content_type, value.as_bytes().to_vec()));
    }

    #[allow(dead_code)] // Used only by documents with binary bodies.
    pub(crate) fn binary_body(&mut self, content_type: &'static str, value: &bytes::Bytes) {
        self.body = Some((content_type, value.to_vec()));
    }
}
