//! What the generated code tells the runtime about the document's authentication: its
//! security schemes (where each one's credential goes) and which schemes an operation's
//! `security` accepts. The runtime applies them; it names no scheme of its own.

use reqwest::header::HeaderName;

/// Where a scheme's credential is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(dead_code)] // A document uses the placements its schemes need.
pub(crate) enum Placement {
    /// In the header `name`, after `prefix`: `"Bearer "` for HTTP bearer and OAuth2, `"Basic "`
    /// for HTTP basic, nothing for an API key.
    Header {
        name: &'static str,
        prefix: &'static str,
    },
    /// As the query parameter of this name (an API key `in: query`).
    Query(&'static str),
    /// As the cookie of this name (an API key `in: cookie`).
    Cookie(&'static str),
}

/// One entry of the document's `components.securitySchemes`.
#[derive(Debug)]
pub(crate) struct Scheme {
    /// Its name in the document, which operations' `security` refer to.
    pub(crate) name: &'static str,
    pub(crate) placement: Placement,
}

/// An operation's `security`: alternatives, any one of which the server accepts, each the
/// schemes sent together. Empty: the operation takes no credentials.
pub(crate) type Security = &'static [&'static [&'static str]];

/// What the generated code hands the runtime about the document as a whole.
#[derive(Debug)]
pub(crate) struct Document {
    /// The first server the document lists, without a trailing slash.
    pub(crate) base_url: &'static str,
    pub(crate) schemes: &'static [Scheme],
    /// What an operation without `security` of its own accepts (the document's `security`),
    /// and what untyped requests send.
    pub(crate) security: Security,
}

impl Document {
    pub(crate) fn scheme(&self, name: &str) -> Option<&'static Scheme> {
        self.schemes.iter().find(|scheme| scheme.name == name)
    }
}

/// A [`Placement`] checked once, when the client is built, so no attempt parses a name.
#[derive(Debug, Clone)]
pub(crate) enum Target {
    Header(HeaderName, &'static str),
    Query(&'static str),
    Cookie(&'static str),
}

impl Target {
    pub(crate) fn new(scheme: &Scheme) -> Result<Self, String> {
        Ok(match scheme.placement {
            Placement::Header { name, prefix } => {
                let header = HeaderName::from_bytes(name.as_bytes()).map_err(|_| {
                    format!(
                        "the security scheme `{}` names the header `{name}`, which is not a valid header name",
                        scheme.name
                    )
                })?;
                Target::Header(header, prefix)
            }
            Placement::Query(name) => Target::Query(name),
            Placement::Cookie(name) => Target::Cookie(name),
        })
    }
}

/// The alternative of `security` to send: the first one that asks for credentials and whose
/// every scheme has one (`has`), so a caller who configured credentials sends them even where
/// the document also allows calls without. `None`: send no credentials (none are asked for,
/// or none of the alternatives can be met, and the server's 401 will say so).
pub(crate) fn choose(
    security: Security,
    has: impl Fn(&str) -> bool,
) -> Option<&'static [&'static str]> {
    security
        .iter()
        .copied()
        .find(|alternative| !alternative.is_empty() && alternative.iter().all(|name| has(name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_alternative_that_can_be_met_is_chosen() {
        const SECURITY: Security = &[&[], &["oauth"], &["key", "app"], &["key"]];
        let configured = |names: &'static [&'static str]| move |name: &str| names.contains(&name);
        assert_eq!(choose(SECURITY, configured(&["key"])), Some(&["key"][..]));
        assert_eq!(
            choose(SECURITY, configured(&["app", "key"])),
            Some(&["key", "app"][..])
        );
        assert_eq!(
            choose(SECURITY, configured(&["oauth", "key"])),
            Some(&["oauth"][..])
        );
        // Nothing configured, or `security: []`: nothing is sent.
        assert_eq!(choose(SECURITY, configured(&[])), None);
        assert_eq!(choose(&[], configured(&["key"])), None);
    }

    #[test]
    fn a_header_name_that_cannot_be_sent_is_refused_when_the_client_is_built() {
        let scheme = Scheme {
            name: "odd",
            placement: Placement::Header {
                name: "X Key",
                prefix: "",
            },
        };
        let message = Target::new(&scheme).unwrap_err();
        assert!(
            message.contains("`odd`") && message.contains("`X Key`"),
            "{message}"
        );
        let upper = Scheme {
            name: "ApiKeyAuth",
            placement: Placement::Header {
                name: "Authorization",
                prefix: "",
            },
        };
        assert!(
            matches!(Target::new(&upper), Ok(Target::Header(name, "")) if name == "authorization")
        );
    }
}
