//! The command tree, built with clap from the generated tables, and what a parsed command line
//! asks for.
//!
//! `ecosuite <tag> <operation> [PATH-PARAMS...] [--flag value]... [--body FILE|-]` has a
//! subcommand per operation, with path parameters positional and the others as flags;
//! `ecosuite call <operationId> [-p name=value]... [--body FILE|-]` reaches the same
//! operations by their names in the API document. Both produce an [`Args`].

use std::time::Duration;

use clap::builder::PossibleValuesParser;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::args::{Args, BodySource};
use crate::catalog::{self, Operation, Param, Shape};
use crate::failure::Failure;
use crate::generated::TAGS;
use crate::login::LoginOptions;
use crate::output::Format;

const ABOUT: &str = "Every operation of the Ecosuite Project Data API, from the command line";

const LONG_ABOUT: &str = "\
Every operation of the Ecosuite Project Data API, from the command line.

Operations are grouped by tag: `ecosuite <tag> <operation>`, with path parameters as
arguments and the others as --flags. `ecosuite call <operationId> -p name=value` reaches
any operation by the names the API document uses. Answers are printed as JSON on stdout,
after being decoded into the typed client's types. A date-time is RFC 3339
(2025-01-31T00:00:00Z); a bare date means its midnight, UTC.

Examples:
  ecosuite project project PRJ1 | jq .project.status
  ecosuite energy project-datums PRJ1 --start 2025-01-01 --end 2025-02-01 --aggregation day
  ecosuite call projectDatums -p projectId=PRJ1 -p start=2025-01-01 -p end=2025-02-01";

const AFTER_HELP: &str = "\
Authentication: `ecosuite login` once; later commands use and renew the session it keeps
(one per --profile). --token or ECOSUITE_TOKEN, a Cognito ID token, wins over it.

Exit codes: 0 success, 1 the API answered with an error status, 2 usage error, 3 no answer
(connection failed or timed out), 4 the answer does not match the API document, 5 login
failed, 6 the answer could not be written.";

/// Where the options every subcommand takes are listed in help.
const GLOBAL: &str = "Global options";

/// What the command line asks for.
pub enum Invocation {
    Call(Args),
    Login(LoginOptions),
    Logout,
    Operations,
    Completions(clap_complete::Shell),
}

/// The options every subcommand takes.
pub struct Globals {
    pub base_url: String,
    pub token: Option<String>,
    /// Whose session `ecosuite login` keeps and later commands use.
    pub profile: Option<String>,
    pub output: Format,
    pub timeout: Option<Duration>,
    /// `--raw`: the body as sent, not decoded.
    pub raw: bool,
}

pub fn command() -> Command {
    let mut root = Command::new("ecosuite")
        .version(env!("CARGO_PKG_VERSION"))
        .about(ABOUT)
        .long_about(LONG_ABOUT)
        .after_help(AFTER_HELP)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .arg(
            Arg::new("base-url")
                .long("base-url")
                .help_heading(GLOBAL)
                .value_name("URL")
                .env("ECOSUITE_BASE_URL")
                .hide_env_values(true)
                .default_value(ecosuite::generated::DEFAULT_BASE_URL)
                .global(true)
                .help("Where the API is"),
        )
        .arg(
            Arg::new("token")
                .long("token")
                .help_heading(GLOBAL)
                .value_name("TOKEN")
                .env("ECOSUITE_TOKEN")
                .hide_env_values(true)
                .global(true)
                .help("A Cognito ID token for Authorization, instead of the session `ecosuite login` kept"),
        )
        .arg(
            Arg::new("profile")
                .long("profile")
                .help_heading(GLOBAL)
                .value_name("NAME")
                .env("ECOSUITE_PROFILE")
                .hide_env_values(true)
                .global(true)
                .help("Which kept session to use, for several accounts [default: default]"),
        )
        .arg(
            Arg::new("output")
                .long("output")
                .help_heading(GLOBAL)
                .short('o')
                .value_name("FORMAT")
                .value_parser(PossibleValuesParser::new(Format::NAMES))
                .default_value("json")
                .global(true)
                .help("How answers are printed"),
        )
        .arg(
            Arg::new("timeout")
                .long("timeout")
                .help_heading(GLOBAL)
                .value_name("SECONDS")
                .value_parser(clap::value_parser!(u64).range(1..))
                .global(true)
                .help("How long one attempt of a call may take [default: 60]"),
        )
        .arg(
            Arg::new("raw")
                .long("raw")
                .help_heading(GLOBAL)
                .action(clap::ArgAction::SetTrue)
                .global(true)
                .help("Print the body as the server sent it, not decoded; an error status still exits 1"),
        )
        .subcommand(call_command())
        .subcommand(crate::login::command())
        .subcommand(crate::login::logout_command())
        .subcommand(
            Command::new("operations")
                .about("List every operation: its id, tag command, method and path"),
        )
        .subcommand(
            Command::new("completions")
                .about("Print a shell completion script: commands, flags and enum values")
                .long_about(
                    "Print a shell completion script: commands, flags and enum values.\n\n\
                     For example, in ~/.bashrc: source <(ecosuite completions bash)",
                )
                .arg(
                    Arg::new("shell")
                        .value_name("SHELL")
                        .required(true)
                        .value_parser(clap::value_parser!(clap_complete::Shell)),
                ),
        );
    for tag in TAGS {
        root = root.subcommand(tag_command(tag));
    }
    root
}

fn call_command() -> Command {
    Command::new("call")
        .about("Call any operation by its operationId, with parameters by their API names")
        .long_about(
            "Call any operation by its operationId, with parameters by their API names.\n\n\
             `ecosuite operations` lists the ids. List parameters take several -p, or values \
             separated by commas.",
        )
        .arg(
            Arg::new("operation")
                .value_name("OPERATION_ID")
                .required(true)
                .help("The operationId, e.g. projectDatums"),
        )
        .arg(
            Arg::new("param")
                .short('p')
                .long("param")
                .value_name("NAME=VALUE")
                .action(ArgAction::Append)
                .help("A path, query or header parameter, by its name in the API document"),
        )
        .arg(body_arg(false, "The request body"))
}

fn body_arg(required: bool, help: &str) -> Arg {
    Arg::new("body")
        .long("body")
        .value_name("FILE|-")
        .required(required)
        .help(format!("{help}: a file, or - for stdin"))
}

fn tag_command(tag: &'static catalog::Tag) -> Command {
    let about = first_line(tag.about)
        .map(str::to_string)
        .unwrap_or_else(|| format!("Operations tagged `{}`", tag.name));
    let mut command = Command::new(tag.command)
        .about(about)
        .subcommand_required(true)
        .arg_required_else_help(true);
    for operation in tag.operations {
        command = command.subcommand(operation_command(operation));
    }
    command
}

fn operation_command(op: &'static Operation) -> Command {
    let mut long_about = String::new();
    for text in [op.summary, op.description] {
        if !text.is_empty() && !long_about.contains(text) {
            long_about.push_str(text);
            long_about.push_str("\n\n");
        }
    }
    long_about.push_str(&format!("{} {} (operation {})", op.method, op.path, op.id));
    if op.deprecated {
        long_about.push_str("\n\nDeprecated by the API document.");
    }
    let mut command = Command::new(op.command)
        .about(first_line(op.summary).unwrap_or(op.id).to_string())
        .long_about(long_about)
        .after_long_help(call_form(op));
    for param in op.params {
        command = command.arg(param_arg(param));
    }
    if let Some(body) = &op.body {
        let mut help = format!("The request body, {} ({})", body.schema, body.content_type);
        if let Some(text) = first_line(body.help) {
            help.push_str(&format!(", {text}"));
        }
        command = command.arg(body_arg(body.required, &help));
    }
    command
}

/// The same call in the generic form, for `--help`: it teaches `-p` with the API's names.
fn call_form(op: &Operation) -> String {
    let mut line = format!("The same call by operationId:\n  ecosuite call {}", op.id);
    for param in op.params.iter().filter(|p| p.required) {
        let placeholder = if param.is_positional() {
            positional_name(param)
        } else {
            value_name(param).to_string()
        };
        line.push_str(&format!(" -p {}={placeholder}", param.name));
    }
    if op.body.is_some_and(|b| b.required) {
        line.push_str(" --body FILE");
    }
    if let Some(body) = op.body.filter(|b| !b.example.is_empty()) {
        line.push_str("\n\nA body with every required field, to start from:\n");
        for json_line in body.example.lines() {
            line.push_str("  ");
            line.push_str(json_line);
            line.push('\n');
        }
        line.truncate(line.trim_end().len());
    }
    line
}

fn positional_name(param: &Param) -> String {
    param.flag.to_uppercase().replace('-', "_")
}

fn param_arg(param: &'static Param) -> Arg {
    // The API's name is always shown: it is what `call -p` and the API's own docs use.
    let mut help = match first_line(param.help) {
        Some(text) => format!("{text} "),
        None => String::new(),
    };
    help.push_str(&format!(
        "({} parameter `{}`{})",
        crate::args::location_word(param.location),
        param.name,
        if param.list {
            "; several: repeat, or separate with commas"
        } else {
            ""
        }
    ));
    let mut arg = Arg::new(param.flag)
        .required(param.required)
        .help(help)
        .action(if param.list {
            ArgAction::Append
        } else {
            ArgAction::Set
        });
    arg = if param.is_positional() {
        arg.value_name(positional_name(param))
    } else {
        arg.long(param.flag).value_name(value_name(param))
    };
    if !param.values.is_empty() && !param.list {
        arg = arg.value_parser(PossibleValuesParser::new(param.values));
    }
    arg
}

fn value_name(param: &Param) -> &'static str {
    match param.shape {
        Shape::String if !param.values.is_empty() => "VALUE",
        Shape::String => "TEXT",
        Shape::Date => "DATE",
        Shape::DateTime => "DATE-TIME",
        Shape::Integer => "INTEGER",
        Shape::Number => "NUMBER",
        Shape::Boolean => "BOOLEAN",
        Shape::Json => "JSON",
    }
}

/// Reads what a parsed command line asks for.
pub fn invocation(matches: &ArgMatches) -> Result<(Globals, Invocation), Failure> {
    let globals = Globals {
        base_url: matches
            .get_one::<String>("base-url")
            .cloned()
            .unwrap_or_else(|| ecosuite::generated::DEFAULT_BASE_URL.to_string()),
        token: matches
            .get_one::<String>("token")
            .filter(|t| !t.trim().is_empty())
            .cloned(),
        profile: matches
            .get_one::<String>("profile")
            .filter(|p| !p.trim().is_empty())
            .cloned(),
        output: matches
            .get_one::<String>("output")
            .and_then(|name| Format::parse(name))
            .unwrap_or(Format::Json),
        timeout: matches
            .get_one::<u64>("timeout")
            .map(|s| Duration::from_secs(*s)),
        raw: matches.get_flag("raw"),
    };
    let invocation = match matches.subcommand() {
        Some(("call", sub)) => Invocation::Call(call_args(sub)?),
        Some(("login", sub)) => Invocation::Login(crate::login::options(sub)),
        Some(("logout", _)) => Invocation::Logout,
        Some(("operations", _)) => Invocation::Operations,
        Some(("completions", sub)) => Invocation::Completions(
            *sub.get_one::<clap_complete::Shell>("shell")
                .ok_or_else(|| Failure::usage("`ecosuite completions` needs a shell"))?,
        ),
        Some((tag, sub)) => {
            let (command, op_matches) = sub
                .subcommand()
                .ok_or_else(|| Failure::usage(format!("`ecosuite {tag}` needs an operation")))?;
            let operation = catalog::operations()
                .find(|op| op.tag == tag && op.command == command)
                .ok_or_else(|| Failure::usage(format!("unknown command `{tag} {command}`")))?;
            Invocation::Call(operation_args(operation, op_matches)?)
        }
        None => return Err(Failure::usage("no command given; see `ecosuite --help`")),
    };
    Ok((globals, invocation))
}

fn call_args(matches: &ArgMatches) -> Result<Args, Failure> {
    let id = matches
        .get_one::<String>("operation")
        .map(String::as_str)
        .unwrap_or_default();
    let operation = catalog::by_id(id).ok_or_else(|| {
        let similar = catalog::similar_ids(id);
        let hint = if similar.is_empty() {
            "`ecosuite operations` lists them".to_string()
        } else {
            format!("did you mean {}?", similar.join(", "))
        };
        Failure::usage(format!("no operation has the id `{id}`; {hint}"))
    })?;
    let mut pairs = Vec::new();
    for pair in matches.get_many::<String>("param").into_iter().flatten() {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| Failure::usage(format!("`-p {pair}` should be `-p name=value`")))?;
        pairs.push((name.to_string(), value.to_string()));
    }
    let body = matches
        .get_one::<String>("body")
        .map(|b| BodySource::parse(b));
    Args::new(operation, pairs, body)
}

fn operation_args(operation: &'static Operation, matches: &ArgMatches) -> Result<Args, Failure> {
    let mut pairs = Vec::new();
    for param in operation.params {
        for value in matches.get_many::<String>(param.flag).into_iter().flatten() {
            pairs.push((param.name.to_string(), value.clone()));
        }
    }
    // Only operations with a body have `--body`; clap refuses questions about others.
    let body = operation
        .body
        .and_then(|_| matches.get_one::<String>("body"))
        .map(|b| BodySource::parse(b));
    Args::new(operation, pairs, body)
}

/// The first non-blank line of spec prose, for one-line help and listings.
pub(crate) fn first_line(text: &str) -> Option<&str> {
    text.lines().map(str::trim).find(|line| !line.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_tree_is_valid() {
        // clap checks ids, flags and positional order in debug builds.
        command().debug_assert();
    }
}
