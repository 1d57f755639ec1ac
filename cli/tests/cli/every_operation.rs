//! Every operation the API document has, called through both forms of the command line with
//! its required parameters and, where it takes one, the example body its `--help` shows: the
//! server must see the operation's method and path with the values filled in, its required
//! query and header parameters, and the body. The server answers 400, so each run also shows
//! the API error naming the operation.

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use ecosuite_cli::catalog::{self, Location, Operation, Param, Shape};

use crate::support::{ecosuite, TOKEN};

fn sample(param: &Param) -> String {
    if let Some(first) = param.values.first() {
        return first.to_string();
    }
    match param.shape {
        Shape::String => format!("{}-1", param.name),
        Shape::Date => "2025-01-31".into(),
        Shape::DateTime => "2025-01-31T00:00:00Z".into(),
        Shape::Integer => "7".into(),
        Shape::Number => "1.5".into(),
        Shape::Boolean => "true".into(),
        Shape::Json => "{}".into(),
    }
}

fn forms(op: &Operation) -> [(&'static str, Vec<String>); 2] {
    let required: Vec<&Param> = op.params.iter().filter(|p| p.required).collect();
    let mut by_tag = vec![op.tag.to_string(), op.command.to_string()];
    for param in required.iter().filter(|p| p.is_positional()) {
        by_tag.push(sample(param));
    }
    for param in required.iter().filter(|p| !p.is_positional()) {
        by_tag.push(format!("--{}", param.flag));
        by_tag.push(sample(param));
    }
    let mut by_call = vec!["call".to_string(), op.id.to_string()];
    for param in &required {
        by_call.push("-p".into());
        by_call.push(format!("{}={}", param.name, sample(param)));
    }
    [("per-operation", by_tag), ("call", by_call)]
}

#[tokio::test]
async fn every_operation_is_reachable_through_both_forms() {
    let server = MockServer::start().await;
    let mut sent = 0;
    for op in catalog::operations() {
        for (form, mut args) in forms(op) {
            server.reset().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(400).set_body_string("sweep"))
                .mount(&server)
                .await;
            let body = op.body.map(|b| match b.example {
                "" => b"raw body".to_vec(),
                example => example.as_bytes().to_vec(),
            });
            if body.is_some() {
                args.extend(["--body".into(), "-".into()]);
            }
            args.extend([
                "--base-url".into(),
                server.uri(),
                "--token".into(),
                TOKEN.into(),
            ]);
            let context = format!("[{}, {form} form: ecosuite {}]", op.id, args.join(" "));
            let run = ecosuite(args, body.clone()).await;
            let requests = server.received_requests().await.unwrap();

            assert_eq!(run.code, 1, "{context}: stderr:\n{}", run.stderr);
            assert!(
                run.stderr.contains(&format!(
                    "error: {}: the API answered 400 Bad Request: sweep",
                    op.id
                )),
                "{context}: {}",
                run.stderr
            );
            assert_eq!(requests.len(), 1, "{context}");
            let request = &requests[0];
            assert_eq!(request.method.as_str(), op.method, "{context}");
            let mut path = op.path.to_string();
            for param in op.params.iter().filter(|p| p.location == Location::Path) {
                path = path.replace(&format!("{{{}}}", param.name), &sample(param));
            }
            assert_eq!(request.url.path(), path, "{context}");
            let query: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
            for param in op
                .params
                .iter()
                .filter(|p| p.required && p.location == Location::Query)
            {
                assert!(
                    query.contains(&(param.name.to_string(), sample(param))),
                    "{context}: query {query:?} lacks {}",
                    param.name
                );
            }
            for param in op
                .params
                .iter()
                .filter(|p| p.required && p.location == Location::Header)
            {
                assert_eq!(
                    request
                        .headers
                        .get(param.name)
                        .map(|v| v.to_str().unwrap().to_string()),
                    Some(sample(param)),
                    "{context}"
                );
            }
            match (&body, op.body.map(|b| b.example)) {
                (Some(_), Some(example)) if !example.is_empty() => {
                    // The example went through the client's type and came out the same.
                    let sent_body: serde_json::Value =
                        serde_json::from_slice(&request.body).unwrap();
                    let example: serde_json::Value = serde_json::from_str(example).unwrap();
                    assert_eq!(sent_body, example, "{context}");
                }
                (Some(raw), _) => assert_eq!(&request.body, raw, "{context}"),
                (None, _) => assert!(request.body.is_empty(), "{context}"),
            }
            sent += 1;
        }
    }
    let operations = catalog::operations().count();
    assert_eq!(operations, ecosuite_cli::generated::OPERATION_COUNT);
    println!("{operations} operations, 2 forms each: {sent} calls sent and checked");
    assert_eq!(sent, 2 * operations);
}
