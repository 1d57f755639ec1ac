//! Which properties hold secrets, so `Debug` of the generated types can redact them. The rule
//! is the runtime's own (it redacts undeclared keys by it), compiled here from the same file so
//! the two can never disagree.

#[path = "../../../generated-client/src/runtime/secret_names.rs"]
mod secret_names;

pub use secret_names::is_secret_name;
