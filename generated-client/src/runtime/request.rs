//! A request as generated code describes it, before the client sends it.

use std::borrow::Cow;

use bytes::Bytes;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde::Serialize;

use super::auth::Security;
use super::error::Error;
use super::params::ParamValue;

pub(crate) struct Request {
    pub(crate) operation: &'static str,
    pub(crate) method: Method,
    /// The path as the document writes it (`/projects/{projectId}`), for hooks.
    pub(crate) template: Cow<'static, str>,
    /// Already percent-encoded, starting with `/`.
    pub(crate) path: String,
    pub(crate) query: Vec<(Cow<'static, str>, String)>,
    /// Header parameters of the operation.
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    /// The content type (none for an untyped body without one) and the bytes.
    pub(crate) body: Option<(Option<&'static str>, Bytes)>,
    /// Headers given to this one call, which replace others of the same name.
    pub(crate) extra: HeaderMap,
    /// The credentials the operation accepts.
    pub(crate) security: Security,
}

/// One part of a `multipart/form-data` body.
pub(crate) struct Part {
    name: &'static str,
    file: bool,
    data: Vec<u8>,
}

/// The multipart boundary: fixed (so the content type is a constant) and long and odd
/// enough that a part containing it is refused rather than silently corrupting the body.
/// Written once, for both constants below.
macro_rules! boundary {
    () => {
        "client-part-boundary-7d1f3a9c2e64b851"
    };
}
const BOUNDARY: &str = boundary!();
const MULTIPART_CONTENT_TYPE: &str = concat!("multipart/form-data; boundary=", boundary!());

impl Request {
    pub(crate) fn new(operation: &'static str, method: Method, path: String) -> Self {
        Request {
            operation,
            method,
            template: Cow::Borrowed(""),
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            extra: HeaderMap::new(),
            security: &[],
        }
    }

    pub(crate) fn query(&mut self, name: &'static str, value: &(impl ParamValue + ?Sized)) {
        self.query.push((Cow::Borrowed(name), value.to_param()));
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
                .extend(values.iter().map(|v| (Cow::Borrowed(name), v.to_param())));
        } else {
            let joined: Vec<String> = values.iter().map(ParamValue::to_param).collect();
            self.query.push((Cow::Borrowed(name), joined.join(",")));
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
        self.body = Some((Some("application/json"), body.into()));
        Ok(())
    }

    /// `application/x-www-form-urlencoded`: a flat object as `a=1&b=2`.
    #[allow(dead_code)] // Used only by documents with form bodies.
    pub(crate) fn form_body(&mut self, value: &impl Serialize) -> Result<(), Error> {
        let body = serde_urlencoded::to_string(value).map_err(|e| Error::Encode {
            operation: self.operation,
            source: <serde_json::Error as serde::ser::Error>::custom(e),
        })?;
        self.body = Some((
            Some("application/x-www-form-urlencoded"),
            body.into_bytes().into(),
        ));
        Ok(())
    }

    /// A text part of a multipart body: the value's text form (strings as they are).
    #[allow(dead_code)] // Used only by documents with multipart bodies.
    pub(crate) fn json_part(name: &'static str, value: &impl Serialize) -> Part {
        Part {
            name,
            file: false,
            data: super::enums::json_param(value).into_bytes(),
        }
    }

    /// A file part of a multipart body.
    #[allow(dead_code)] // Used only by documents with multipart bodies.
    pub(crate) fn file_part(name: &'static str, bytes: bytes::Bytes) -> Part {
        Part {
            name,
            file: true,
            data: bytes.to_vec(),
        }
    }

    /// `multipart/form-data` with these parts, in order.
    #[allow(dead_code)] // Used only by documents with multipart bodies.
    pub(crate) fn multipart_body(&mut self, parts: Vec<Part>) -> Result<(), Error> {
        let boundary = BOUNDARY;
        if let Some(part) = parts.iter().find(|p| {
            p.data
                .windows(boundary.len())
                .any(|w| w == boundary.as_bytes())
        }) {
            return Err(Error::Encode {
                operation: self.operation,
                source: <serde_json::Error as serde::ser::Error>::custom(format!(
                    "the part `{}` contains the multipart boundary",
                    part.name
                )),
            });
        }
        let mut body = Vec::new();
        for part in &parts {
            body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
            // Part names come from the API document; quotes and line breaks are escaped as
            // the HTML form encoding does, so a name cannot end its header.
            let name = part
                .name
                .replace('"', "%22")
                .replace('\r', "%0D")
                .replace('\n', "%0A");
            if part.file {
                body.extend_from_slice(
                    format!(
                        "Content-Disposition: form-data; name=\"{name}\"; filename=\"{name}\"\r\n\
                         Content-Type: application/octet-stream\r\n\r\n"
                    )
                    .as_bytes(),
                );
            } else {
                body.extend_from_slice(
                    format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes(),
                );
            }
            body.extend_from_slice(&part.data);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        self.body = Some((Some(MULTIPART_CONTENT_TYPE), body.into()));
        Ok(())
    }

    #[allow(dead_code)] // Used only by documents with text bodies.
    pub(crate) fn text_body(&mut self, content_type: &'static str, value: &str) {
        self.body = Some((Some(content_type), Bytes::copy_from_slice(value.as_bytes())));
    }

    #[allow(dead_code)] // Used only by documents with binary bodies.
    pub(crate) fn binary_body(&mut self, content_type: &'static str, value: &bytes::Bytes) {
        self.body = Some((Some(content_type), value.clone()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Login {
        user: &'static str,
        remember: bool,
    }

    #[test]
    fn form_bodies_are_url_encoded() {
        let mut request = Request::new("login", Method::POST, "/login".into());
        request
            .form_body(&Login {
                user: "a b&c",
                remember: true,
            })
            .unwrap();
        let (content_type, body) = request.body.unwrap();
        assert_eq!(content_type, Some("application/x-www-form-urlencoded"));
        assert_eq!(
            String::from_utf8(body.to_vec()).unwrap(),
            "user=a+b%26c&remember=true"
        );
    }

    #[test]
    fn multipart_bodies_have_text_and_file_parts() {
        let mut request = Request::new("upload", Method::POST, "/upload".into());
        let parts = vec![
            Request::json_part("title", &"My \"photo\""),
            Request::file_part("file", bytes::Bytes::from_static(b"\x89PNG")),
        ];
        request.multipart_body(parts).unwrap();
        let (content_type, body) = request.body.unwrap();
        let body = String::from_utf8_lossy(&body);
        let boundary = content_type
            .unwrap()
            .strip_prefix("multipart/form-data; boundary=")
            .unwrap();
        assert_eq!(boundary, BOUNDARY);
        assert!(body.starts_with(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nMy \"photo\"\r\n")), "{body}");
        assert!(body.contains("name=\"file\"; filename=\"file\"\r\nContent-Type: application/octet-stream\r\n\r\n"), "{body}");
        assert!(body.ends_with(&format!("--{boundary}--\r\n")), "{body}");

        let mut request = Request::new("upload", Method::POST, "/upload".into());
        let sneaky = Request::file_part("file", bytes::Bytes::from(format!("x--{BOUNDARY}--")));
        assert!(
            request.multipart_body(vec![sneaky]).is_err(),
            "a part cannot end the body early"
        );
    }
}
