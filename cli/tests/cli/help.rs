//! Help is the command line's manual: snapshots of what `--help` prints, reviewed like code.

use crate::support::{argv, ecosuite};

async fn help(args: &[&str]) -> String {
    let run = ecosuite(argv(args), None).await;
    assert_eq!(run.code, 0, "ecosuite {}: {}", args.join(" "), run.stderr);
    assert_eq!(run.stderr, "");
    run.stdout
}

#[tokio::test]
async fn top_level_help_lists_every_tag_the_examples_and_exit_codes() {
    insta::assert_snapshot!("ecosuite_help", help(&["--help"]).await);
}

#[tokio::test]
async fn a_tag_lists_its_operations() {
    insta::assert_snapshot!("ecosuite_energy_help", help(&["energy", "--help"]).await);
}

#[tokio::test]
async fn an_operation_shows_its_parameters_enum_values_and_api_names() {
    insta::assert_snapshot!(
        "ecosuite_energy_project_datums_help",
        help(&["energy", "project-datums", "--help"]).await
    );
    insta::assert_snapshot!(
        "ecosuite_event_create_event_help",
        help(&["event", "create-event", "--help"]).await
    );
}

#[tokio::test]
async fn call_and_login_help() {
    insta::assert_snapshot!("ecosuite_call_help", help(&["call", "--help"]).await);
    insta::assert_snapshot!("ecosuite_login_help", help(&["login", "--help"]).await);
}

#[tokio::test]
async fn completion_scripts_know_commands_flags_and_enum_values() {
    for shell in ["bash", "zsh", "fish"] {
        let script = help(&["completions", shell]).await;
        for word in [
            "project-datums",
            "aggregation",
            "15minute",
            "create-event",
            "project-id",
        ] {
            assert!(script.contains(word), "{shell} completions lack {word}");
        }
    }
}
