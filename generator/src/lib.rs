//! Turns an OpenAPI 3.0 or 3.1 document into the Rust source of a typed API client.
//!
//! Data flows one way through named stages, each a module with one job:
//!
//! ```text
//! load     bytes (YAML or JSON) -> openapiv3::OpenAPI (and the raw tree), errors located by line and JSON pointer
//! openapi31  a 3.1 document rewritten on the raw tree into the 3.0 document that means the same
//! resolve  $ref lookup with cycle detection; JSON pointer -> source line
//! schema_walk  every schema of the raw tree, with its pointer, for passes that need every keyword
//! ledger   every schema keyword is used by the IR or reported (run by `model`)
//! model    the intermediate representation: every naming and typing decision, made once
//! naming   identifier rules: case conversion, keywords, invalid starts, collisions
//! emit     IR -> proc_macro2::TokenStream (types, operations, command line, mock)
//! instances  IR -> JSON values of its types (examples, test arguments, round-trip checks)
//! render   TokenStream -> formatted source files with the @generated header
//! freshness  checked-in generated files vs what the generator makes (xtask check, drift test)
//! ```
//!
//! [`generate`] is the whole public face: it does no I/O beyond the bytes it is given.

mod diagnostics;
pub mod diff;
mod emit;
pub mod freshness;
pub mod instances;
mod ledger;
mod load;
pub mod model;
mod naming;
mod openapi31;
mod render;
mod resolve;
mod schema_walk;

pub use diagnostics::{Error, Location, Warning};
/// Rust's keywords as the generator avoids them, for tools that name Rust items too.
pub use naming::{is_keyword, KEYWORDS};
pub use render::{Files, Summary};

/// What the caller tells the generator about where the document came from and who runs it.
#[derive(Debug, Clone)]
pub struct Options {
    /// How the document is named in errors and in the `@generated` header, e.g. `spec/ecosuite.yaml`.
    pub spec_name: String,
    /// The command that regenerates the output, named in the `@generated` header.
    pub command: String,
    /// How the client authenticates, where a document's own rules are not what its API does.
    pub auth: AuthOptions,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            spec_name: "openapi.yaml".into(),
            command: "cargo xtask generate".into(),
            auth: AuthOptions::default(),
        }
    }
}

/// Authentication options, all off by default: the client then does what the document says.
/// The `ecosuite` crate turns both on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AuthOptions {
    /// Operations marked `security: []` send the document's default credentials anyway
    /// (Ecosuite's gateway wants its token on every call, whatever the document says).
    pub credentials_on_public_operations: bool,
    /// The client's credential methods are written by hand (the `ecosuite` crate's Cognito
    /// module), so none are generated for the document's security schemes.
    pub hand_written_credentials: bool,
}

/// Generates the client modules for `spec` (YAML or JSON bytes).
///
/// The result maps paths relative to the client's `src/generated/` directory (`mod.rs`,
/// `types/project.rs`, ...) to their contents. Nothing is written anywhere.
pub fn generate(spec: &[u8], options: &Options) -> Result<Files, Error> {
    let api = build_model(spec, options)?;
    render::render(&api, options)
}

/// The client modules and the command line's modules, from one reading of `spec`: both are
/// printed from the same intermediate representation, so the command line has exactly the
/// client's operations.
#[derive(Debug, Clone)]
pub struct ClientAndCli {
    pub client: Files,
    /// Paths relative to the command line's `src/generated/` directory -> file contents.
    pub cli: std::collections::BTreeMap<String, String>,
    /// Paths relative to the mock crate's `src/generated/` directory -> file contents.
    pub mock: std::collections::BTreeMap<String, String>,
}

/// [`generate`], and the `ecosuite` command line's and the mock's generated modules beside it.
pub fn generate_client_and_cli(spec: &[u8], options: &Options) -> Result<ClientAndCli, Error> {
    let api = build_model(spec, options)?;
    let (client, cli, mock) = render::render_with_mock(&api, options, true)?;
    Ok(ClientAndCli { client, cli, mock })
}

/// [`generate`], and the mock crate's generated modules (paths relative to its
/// `src/generated/` directory) beside it, from one reading of `spec`.
pub fn generate_with_mock(
    spec: &[u8],
    options: &Options,
) -> Result<(Files, std::collections::BTreeMap<String, String>), Error> {
    let api = build_model(spec, options)?;
    let (client, _, mock) = render::render_with_mock(&api, options, false)?;
    Ok((client, mock))
}

/// How long each stage of one [`generate_timed`] call took.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StageTimes {
    /// Bytes -> typed document: the YAML or JSON parse and the typed read.
    pub load: std::time::Duration,
    /// Typed document -> intermediate representation (`$ref` resolution and naming included).
    pub model: std::time::Duration,
    /// Intermediate representation -> token streams -> formatted files.
    pub render: std::time::Duration,
}

/// [`generate`], also timing each stage, for `cargo xtask bench`. The output is the same.
pub fn generate_timed(spec: &[u8], options: &Options) -> Result<(Files, StageTimes), Error> {
    let started = std::time::Instant::now();
    let document = load::load(spec, &options.spec_name)?;
    let loaded = std::time::Instant::now();
    let mut api = model::build(&document)?;
    api.apply(&options.auth);
    let modelled = std::time::Instant::now();
    drop(document);
    let files = render::render(&api, options)?;
    let times = StageTimes {
        load: loaded - started,
        model: modelled - loaded,
        render: modelled.elapsed(),
    };
    Ok((files, times))
}

/// Builds only the intermediate representation (with `options.auth` applied), for tools that
/// compare two documents, and for every `generate` function.
pub fn build_model(spec: &[u8], options: &Options) -> Result<model::Api, Error> {
    let document = load::load(spec, &options.spec_name)?;
    let mut api = model::build(&document)?;
    api.apply(&options.auth);
    // The document (text, raw tree and typed model) is not needed to print the IR; it is
    // freed here, before rendering, which sets the peak memory.
    drop(document);
    Ok(api)
}

/// Rewrites an OpenAPI 3.0 document (YAML or JSON text) as the OpenAPI 3.1 document that
/// describes the same API, as YAML (`cargo xtask rewrite-31`; the tests that prove both forms
/// give the same client). See the `openapi31` module for what changes.
pub fn rewrite_as_openapi_31(text: &str) -> Result<String, String> {
    openapi31::upgrade(text)
}

/// [`generate`] from an IR already built by [`build_model`], for tools that need both.
pub fn generate_from_model(api: &model::Api, options: &Options) -> Result<Files, Error> {
    render::render(api, options)
}
