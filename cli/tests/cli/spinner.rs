//! The spinner shows on a terminal during a slow call, and is erased before the answer. The
//! binary runs under `script`, which gives it a pseudo-terminal; elsewhere (every other test)
//! stderr is a pipe and stays empty.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::TOKEN;

#[tokio::test]
async fn a_slow_call_spins_on_a_terminal_then_erases_the_spinner() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"refinements": {"state": ["MA"]}}))
                .set_delay(Duration::from_millis(1200)),
        )
        .mount(&server)
        .await;
    let command = format!(
        "{} search refinements --base-url {} --token {TOKEN}",
        env!("CARGO_BIN_EXE_ecosuite"),
        server.uri()
    );
    let output = tokio::task::spawn_blocking(move || {
        std::process::Command::new("script")
            .args(["-qec", &command, "/dev/null"])
            .output()
            .expect("`script` (util-linux) runs")
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{output:?}");
    let terminal = String::from_utf8_lossy(&output.stdout);
    let label = "GET /search/refinements (refinements)";
    assert!(
        terminal.contains(&format!("⠋ {label}")),
        "no spinner on the terminal:\n{terminal:?}"
    );
    // Erased (carriage return, blanks, carriage return) before the answer is printed.
    let erased = format!("\r{}\r", " ".repeat(label.chars().count() + 2));
    let erased_at = terminal
        .find(&erased)
        .unwrap_or_else(|| panic!("spinner not erased:\n{terminal:?}"));
    let answer_at = terminal
        .find("\"refinements\"")
        .expect("the answer is printed");
    assert!(erased_at < answer_at, "{terminal:?}");
}
