//! Turns `components.securitySchemes` and the document's `security` into the IR's schemes:
//! what each one sends and where, and the stem of the client builder's methods for it, made
//! unique here so that emitters only read it. Checks that every `security` requirement names a
//! scheme the document defines.

use std::collections::BTreeSet;

use openapiv3::{APIKeyLocation, ReferenceOr, SecurityRequirement};

use super::{
    ClientCredentialsFlow, Operation, ParamLocation, SchemeKind, Security, SecurityScheme,
};
use crate::diagnostics::{Error, Warning};
use crate::load::Document;
use crate::naming;
use crate::resolve::join;

/// Methods of the runtime's `ClientBuilder` (and the traits every builder has): a scheme's
/// methods never take one of these names. Ecosuite's hand-written ones are here too, so a
/// document that shares them stays clear of them.
pub const BUILDER_METHODS: &[&str] = &[
    "base_url",
    "build",
    "connect_timeout",
    "credentials",
    "default",
    "default_header",
    "default_headers",
    "fmt",
    "for_document",
    "http_client",
    "into_parts",
    "login",
    "on_request",
    "on_response",
    "retry",
    "session",
    "timeout",
    "token",
    "token_source",
    "without_credential",
];

/// What each scheme's methods are called: the stem, and the stem with these suffixes.
pub const METHOD_SUFFIXES: &[&str] = &["", "_source", "_client_credentials"];

pub struct SecurityModel {
    pub schemes: Vec<SecurityScheme>,
    pub default: Security,
    pub warnings: Vec<Warning>,
}

/// A `security` list as the IR keeps it.
pub fn requirement(requirements: &[SecurityRequirement]) -> Security {
    requirements
        .iter()
        .map(|alternative| alternative.keys().cloned().collect())
        .collect()
}

pub fn build(document: &Document, operations: &[Operation]) -> Result<SecurityModel, Error> {
    let api = &document.api;
    let mut warnings = Vec::new();
    let mut schemes = Vec::new();
    let defined = api
        .components
        .as_ref()
        .map(|c| &c.security_schemes)
        .into_iter()
        .flatten();
    for (name, scheme) in defined {
        let pointer = join("#/components/securitySchemes", name);
        let scheme = match scheme {
            ReferenceOr::Item(scheme) => scheme,
            ReferenceOr::Reference { reference } => {
                return Err(Error {
                    location: document.locate(&pointer),
                    message: format!(
                        "the security scheme `{name}` is a reference (`{reference}`); write it out in place"
                    ),
                })
            }
        };
        let (kind, description) = kind_of(scheme);
        if let SchemeKind::Unsupported { reason } = &kind {
            warnings.push(Warning {
                location: document.locate(&pointer),
                message: format!(
                    "the security scheme `{name}` is not applied by the client ({reason}); \
                     operations that need it send no credentials for it: add them with \
                     `ClientBuilder::on_request`"
                ),
            });
        }
        schemes.push(SecurityScheme {
            name: name.clone(),
            method: String::new(),
            description,
            kind,
        });
    }
    name_methods(&mut schemes);

    let default = api.security.as_deref().map(requirement).unwrap_or_default();
    let known: BTreeSet<&str> = schemes.iter().map(|s| s.name.as_str()).collect();
    check_names(document, &default, "#/security", &known)?;
    for operation in operations {
        if let Some(security) = &operation.security {
            check_names(
                document,
                security,
                &join(&operation.pointer, "security"),
                &known,
            )?;
        }
    }
    Ok(SecurityModel {
        schemes,
        default,
        warnings,
    })
}

fn kind_of(scheme: &openapiv3::SecurityScheme) -> (SchemeKind, Option<String>) {
    use openapiv3::SecurityScheme as S;
    match scheme {
        S::APIKey {
            location,
            name,
            description,
            ..
        } => {
            let location = match location {
                APIKeyLocation::Header => ParamLocation::Header,
                APIKeyLocation::Query => ParamLocation::Query,
                APIKeyLocation::Cookie => ParamLocation::Cookie,
            };
            let kind = SchemeKind::ApiKey {
                location,
                name: name.clone(),
            };
            (kind, description.clone())
        }
        S::HTTP {
            scheme,
            description,
            ..
        } => {
            // RFC 7235: the scheme name is case-insensitive.
            let kind = match scheme.to_ascii_lowercase().as_str() {
                "bearer" => SchemeKind::Bearer {
                    client_credentials: None,
                },
                "basic" => SchemeKind::Basic,
                other => SchemeKind::Unsupported {
                    reason: format!("HTTP `{other}` authentication"),
                },
            };
            (kind, description.clone())
        }
        S::OAuth2 {
            flows, description, ..
        } => {
            let client_credentials =
                flows
                    .client_credentials
                    .as_ref()
                    .map(|flow| ClientCredentialsFlow {
                        token_url: flow.token_url.clone(),
                        scopes: flow
                            .scopes
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .collect(),
                    });
            (
                SchemeKind::Bearer { client_credentials },
                description.clone(),
            )
        }
        S::OpenIDConnect { description, .. } => (
            SchemeKind::Bearer {
                client_credentials: None,
            },
            description.clone(),
        ),
    }
}

/// Gives each scheme the stem of its builder methods: its name in snake case, with `_auth`
/// added when any of its methods would be a keyword, one of the builder's own methods, or a
/// method of a scheme named before it.
fn name_methods(schemes: &mut [SecurityScheme]) {
    let mut taken: BTreeSet<String> = BUILDER_METHODS.iter().map(|m| m.to_string()).collect();
    for scheme in schemes {
        // `snake_name` escapes a keyword with `_`; here `_auth` does, which reads better
        // before `_source`.
        // `OAuth2` reads as one word (`oauth2`), not `o_auth2`; so does `OpenID`.
        let spelled = scheme
            .name
            .replace("OAuth", "Oauth")
            .replace("OpenID", "Openid");
        let base = naming::snake_name(&spelled)
            .trim_end_matches('_')
            .to_string();
        let base = if base.is_empty() {
            "scheme".to_string()
        } else {
            base
        };
        let clear = |stem: &str, taken: &BTreeSet<String>| {
            METHOD_SUFFIXES.iter().all(|suffix| {
                let method = format!("{stem}{suffix}");
                !taken.contains(&method) && !naming::is_keyword(&method)
            })
        };
        let stem = std::iter::once(base.clone())
            .chain((1..).map(|n| match n {
                1 => format!("{base}_auth"),
                n => format!("{base}_auth_{n}"),
            }))
            .find(|stem| clear(stem, &taken))
            .expect("an unused name exists");
        for suffix in METHOD_SUFFIXES {
            taken.insert(format!("{stem}{suffix}"));
        }
        scheme.method = stem;
    }
}

fn check_names(
    document: &Document,
    security: &Security,
    pointer: &str,
    known: &BTreeSet<&str>,
) -> Result<(), Error> {
    for (index, alternative) in security.iter().enumerate() {
        for name in alternative {
            if !known.contains(name.as_str()) {
                return Err(Error {
                    location: document.locate(&join(pointer, &index.to_string())),
                    message: format!(
                        "`security` names the scheme `{name}`, which `components.securitySchemes` does not define"
                    ),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme(name: &str) -> SecurityScheme {
        SecurityScheme {
            name: name.into(),
            method: String::new(),
            description: None,
            kind: SchemeKind::Basic,
        }
    }

    #[test]
    fn method_stems_are_snake_case_and_clear_of_the_builder_and_each_other() {
        let mut schemes = vec![
            scheme("ApiKeyAuth"),
            scheme("timeout"),
            scheme("type"),
            scheme("api_key_auth"),
            scheme("petstore"),
            scheme("petstore_source"),
            scheme("OAuth2"),
            scheme("OpenIDConnect"),
        ];
        name_methods(&mut schemes);
        let stems: Vec<&str> = schemes.iter().map(|s| s.method.as_str()).collect();
        assert_eq!(
            stems,
            [
                "api_key_auth",
                "timeout_auth",
                "type_auth",
                "api_key_auth_auth",
                "petstore",
                // `petstore_source` is the first scheme's source method.
                "petstore_source_auth",
                "oauth2",
                "openid_connect",
            ]
        );
    }

    fn model(yaml: &str) -> Result<crate::model::Api, Error> {
        let document = crate::load::load(yaml.as_bytes(), "test.yaml")?;
        crate::model::build(&document)
    }

    const DOCUMENT: &str = r#"
openapi: 3.0.3
info: { title: t, version: "1" }
security: [ { key: [] } ]
paths:
  /open:
    get:
      operationId: open
      security: []
      responses: { "204": { description: ok } }
  /either:
    get:
      operationId: either
      security: [ { oauth: [read] }, { key: [], basic: [] } ]
      responses: { "204": { description: ok } }
  /default:
    get:
      operationId: byDefault
      responses: { "204": { description: ok } }
components:
  securitySchemes:
    key: { type: apiKey, in: query, name: api_key }
    basic: { type: http, scheme: Basic }
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          scopes: { read: Reads }
    digest: { type: http, scheme: digest }
"#;

    #[test]
    fn schemes_say_what_they_send_and_operations_what_they_accept() {
        let api = model(DOCUMENT).unwrap();
        let kinds: Vec<(&str, &SchemeKind)> = api
            .security_schemes
            .iter()
            .map(|s| (s.name.as_str(), &s.kind))
            .collect();
        assert_eq!(
            kinds[0],
            (
                "key",
                &SchemeKind::ApiKey {
                    location: ParamLocation::Query,
                    name: "api_key".into()
                }
            )
        );
        assert_eq!(kinds[1], ("basic", &SchemeKind::Basic));
        assert!(matches!(
            kinds[2],
            ("oauth", SchemeKind::Bearer { client_credentials: Some(flow) })
                if flow.token_url == "/oauth/token" && flow.scopes[0].0 == "read"
        ));
        assert!(matches!(
            kinds[3],
            ("digest", SchemeKind::Unsupported { .. })
        ));
        assert!(api
            .warnings
            .iter()
            .any(|w| w.message.contains("`digest` is not applied")));
        assert_eq!(api.security, vec![vec!["key".to_string()]]);
        let security = |id: &str| {
            api.operations
                .iter()
                .find(|op| op.operation_id == id)
                .unwrap()
                .security
                .clone()
        };
        assert_eq!(security("open"), Some(vec![]));
        assert_eq!(
            security("either"),
            Some(vec![
                vec!["oauth".to_string()],
                vec!["key".to_string(), "basic".to_string()]
            ])
        );
        assert_eq!(security("byDefault"), None);
    }

    #[test]
    fn a_requirement_naming_no_scheme_is_an_error_at_the_operation() {
        let broken = DOCUMENT.replace("{ oauth: [read] }", "{ missing: [] }");
        let error = model(&broken).unwrap_err();
        assert!(error.message.contains("`missing`"), "{}", error.message);
        assert_eq!(error.location.pointer, "#/paths/~1either/get/security/0");
        assert!(error.location.line.is_some());
    }
}
