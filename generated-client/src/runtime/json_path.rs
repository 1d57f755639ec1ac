//! Where in a JSON body decoding failed, as a path such as `items[1].count`.
//!
//! serde_json reports the line and column where it stopped; this walks the body up to there
//! and names the key or index of every container it is in. Decoding therefore goes through
//! serde once, fast, with one generic instantiation per type: tracking the path while decoding
//! (`serde_path_to_error`) would compile every type's decoder a second time in every program
//! that calls an operation, and be paid by every body that decodes.

/// The path at serde_json's reported position (`line` from 1, `column` counting the bytes of
/// that line read so far); `.` for the top level, or when there is no position.
pub(crate) fn path_at(body: &[u8], line: usize, column: usize) -> String {
    let Some(end) = offset(body, line, column) else {
        return ".".into();
    };
    render(&containers(&body[..end]))
}

/// The byte offset of `line` and `column` in `body`, if it is one.
fn offset(body: &[u8], line: usize, column: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut line_start = 0;
    for _ in 1..line {
        line_start += body[line_start..].iter().position(|&b| b == b'\n')? + 1;
    }
    Some((line_start + column).min(body.len()))
}

/// A container the position is in, and where in it.
enum Container {
    /// An object, and the key whose value is being read (none before the first key, or
    /// between a comma and the next key).
    Object {
        key: Option<String>,
        reading_key: bool,
    },
    /// An array, and the index of the element being read, once one has started.
    Array { index: usize, started: bool },
}

/// The containers open at the end of `read`, outermost first.
fn containers(read: &[u8]) -> Vec<Container> {
    let mut open = Vec::new();
    let mut at = 0;
    while at < read.len() {
        let byte = read[at];
        at += 1;
        if byte.is_ascii_whitespace() || byte == b':' {
            continue;
        }
        match byte {
            b',' => match open.last_mut() {
                Some(Container::Object { key, reading_key }) => {
                    *key = None;
                    *reading_key = true;
                }
                Some(Container::Array { index, started }) => {
                    *index += 1;
                    *started = false;
                }
                None => {}
            },
            b'}' | b']' => {
                open.pop();
            }
            b'"' => {
                let (text, next) = string(read, at);
                at = next;
                if let Some(Container::Object { key, reading_key }) = open.last_mut() {
                    if *reading_key {
                        *key = Some(text);
                        *reading_key = false;
                        continue;
                    }
                }
                start_value(&mut open);
            }
            b'{' | b'[' => {
                start_value(&mut open);
                open.push(if byte == b'{' {
                    Container::Object {
                        key: None,
                        reading_key: true,
                    }
                } else {
                    Container::Array {
                        index: 0,
                        started: false,
                    }
                });
            }
            _ => start_value(&mut open),
        }
    }
    open
}

/// A value starts in the innermost container: in an array, its element is being read.
fn start_value(open: &mut [Container]) {
    if let Some(Container::Array { started, .. }) = open.last_mut() {
        *started = true;
    }
}

/// The string starting after the quote at `start`, unescaped, and where reading goes on
/// (after its closing quote, or the end of `read` if it ends first).
fn string(read: &[u8], start: usize) -> (String, usize) {
    let mut at = start;
    while at < read.len() && read[at] != b'"' {
        at += if read[at] == b'\\' { 2 } else { 1 };
    }
    let end = at.min(read.len());
    let raw = &read[start..end];
    // Keys are rarely escaped; when one is, serde_json reads it as the decoder did.
    let mut quoted = Vec::with_capacity(raw.len() + 2);
    quoted.push(b'"');
    quoted.extend_from_slice(raw);
    quoted.push(b'"');
    let text = serde_json::from_slice(&quoted)
        .unwrap_or_else(|_| String::from_utf8_lossy(raw).into_owned());
    (text, end + 1)
}

/// `items[1].count`, as `serde_path_to_error` writes paths.
fn render(open: &[Container]) -> String {
    let mut path = String::new();
    for container in open {
        match container {
            Container::Object { key: Some(key), .. } => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Container::Array {
                index,
                started: true,
            } => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
            _ => break,
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    /// The path this module finds for serde_json's error decoding `body` as `T`.
    fn path_of<T: serde::de::DeserializeOwned + std::fmt::Debug>(body: &str) -> String {
        let error = serde_json::from_str::<T>(body).expect_err("the body must not decode");
        path_at(body.as_bytes(), error.line(), error.column())
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
        #[serde(default)]
        tags: std::collections::BTreeMap<String, Vec<i64>>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        count: i64,
        name: Option<String>,
    }

    #[test]
    fn a_wrong_value_is_named_by_its_key_and_indexes() {
        assert_eq!(
            path_of::<Outer>(r#"{"items":[{"count":1},{"count":"two"}]}"#),
            "items[1].count"
        );
        assert_eq!(
            path_of::<Outer>(
                "{\n  \"items\": [],\n  \"tags\": {\"a\": [1, 2], \"b\": [3, \"x\"]}\n}"
            ),
            "tags.b[1]"
        );
        assert_eq!(
            path_of::<Outer>(r#"{"items":[{"count":1,"name":7}]}"#),
            "items[0].name"
        );
    }

    #[test]
    fn a_missing_field_names_its_object() {
        assert_eq!(
            path_of::<Outer>(r#"{"items":[{"count":1},{"name":"x"}]}"#),
            "items[1]"
        );
        assert_eq!(path_of::<Outer>(r#"{"tags":{}}"#), ".");
    }

    #[test]
    fn strings_with_brackets_quotes_and_escapes_do_not_mislead() {
        assert_eq!(
            path_of::<Outer>(r#"{"items":[{"name":"a,]}\"[{","count":1},{"count":true}]}"#),
            "items[1].count"
        );
        assert_eq!(
            path_of::<std::collections::BTreeMap<String, i64>>(r#"{"k\u00e9y": "x"}"#),
            "kéy"
        );
    }

    #[test]
    fn the_top_level_and_trailing_data_are_a_dot() {
        assert_eq!(path_of::<i64>(r#""x""#), ".");
        assert_eq!(path_of::<Vec<i64>>("[1] x"), ".");
        assert_eq!(path_at(b"{}", 0, 0), ".");
    }
}
