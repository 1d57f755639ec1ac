//! The report as Markdown for a pull-request comment: the verdict first, details by tag.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::{Bump, Change, Effect, Report, Subject};

pub fn markdown(report: &Report) -> String {
    let mut out = String::new();
    let (old, new) = (&report.old, &report.new);
    let _ = writeln!(out, "## API changes\n");
    let _ = writeln!(
        out,
        "`{}` ({} {}, {} operations, {} types) → `{}` ({} {}, {} operations, {} types)\n",
        old.label,
        old.title,
        old.version,
        old.operations,
        old.types,
        new.label,
        new.title,
        new.version,
        new.operations,
        new.types
    );
    if report.changes.is_empty() {
        let _ = writeln!(out, "No changes to the API or to the generated crate.");
        return out;
    }
    let _ = writeln!(out, "{}\n", overview(report));
    let breaking = report.breaking_count();
    let count = |bump: Bump| {
        report
            .changes
            .iter()
            .filter(|c| c.rust.bump == bump)
            .count()
    };
    let _ = writeln!(out, "| | breaking | non-breaking |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    let _ = writeln!(
        out,
        "| for API clients | {breaking} | {} |",
        report.changes.len() - breaking
    );
    let _ = writeln!(
        out,
        "| for the Rust crate | {} major | {} minor, {} patch |",
        count(Bump::Major),
        count(Bump::Minor),
        count(Bump::Patch)
    );
    let for_scripts = report.breaking_for_scripts();
    let _ = writeln!(
        out,
        "| for scripts using the `ecosuite` command line | {for_scripts} | {} |\n",
        report.command_line.len() - for_scripts
    );
    let _ = writeln!(
        out,
        "**Semver: {}.** {}\n",
        report.semver.as_str(),
        match report.semver {
            Bump::Major => "Code written against the old crate may not compile (while the crate is 0.x, bump the minor version).",
            Bump::Minor => "Only additions: code written against the old crate still compiles.",
            Bump::Patch => "No public Rust item changes.",
        }
    );

    // Operation changes under their tag; schema changes under the one tag they reach, or
    // in their own sections when they reach several tags or none.
    let mut sections: BTreeMap<(u8, String), Vec<&Change>> = BTreeMap::new();
    for change in &report.changes {
        let key = match (&change.subject, change.tags.as_slice()) {
            (Subject::Operation { .. }, tags) | (Subject::Schema { .. }, tags @ [_]) => (
                0,
                format!("Tag `{}`", tags.first().map_or("", String::as_str)),
            ),
            (Subject::Schema { .. }, []) => (2, "Schemas no operation uses".to_string()),
            (Subject::Schema { .. }, _) => (1, "Schemas shared by several tags".to_string()),
        };
        sections.entry(key).or_default().push(change);
    }
    for ((_, title), changes) in sections {
        let _ = writeln!(out, "### {title}\n");
        let _ = writeln!(out, "| where | change | for API clients | for the crate |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        for change in changes {
            let place = match &change.subject {
                Subject::Operation {
                    operation_id,
                    method,
                    path,
                } => format!("`{method} {path}` (`{operation_id}`)"),
                Subject::Schema { name } => format!("`{name}`"),
            };
            let client = format!(
                "{} {}",
                if change.api.breaking {
                    "**breaking**:"
                } else {
                    "non-breaking:"
                },
                change.api.reason
            );
            let items = if change.rust.items.is_empty() {
                String::new()
            } else {
                format!(
                    " ({})",
                    change
                        .rust
                        .items
                        .iter()
                        .map(|i| format!("`{i}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            };
            let krate = format!(
                "{}: {}{items}",
                change.rust.bump.as_str(),
                change.rust.reason
            );
            let mut summary = change.summary.clone();
            if matches!(change.subject, Subject::Schema { .. }) && !change.reaches.is_empty() {
                let shown: Vec<String> = change
                    .reaches
                    .iter()
                    .take(5)
                    .map(|op| format!("`{op}`"))
                    .collect();
                let more = change.reaches.len().saturating_sub(5);
                let _ = write!(
                    summary,
                    "; used by {}{}",
                    shown.join(", "),
                    if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    }
                );
            }
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&place),
                cell(&summary),
                cell(&client),
                cell(&krate)
            );
        }
        out.push('\n');
    }
    command_line(report, &mut out);
    out
}

/// The command-line changes, breaking ones first, each group by command.
fn command_line(report: &Report, out: &mut String) {
    if report.command_line.is_empty() {
        return;
    }
    let _ = writeln!(out, "### The `ecosuite` command line\n");
    let _ = writeln!(out, "| command | change | for scripts |");
    let _ = writeln!(out, "| --- | --- | --- |");
    let mut changes: Vec<_> = report.command_line.iter().collect();
    changes.sort_by_key(|c| !c.breaking);
    for change in changes {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            cell(&change.command),
            cell(&change.summary),
            if change.breaking {
                "**breaking**"
            } else {
                "non-breaking"
            }
        );
    }
    out.push('\n');
}

/// `14 operations added, 0 removed, 9 changed; 20 types added, 2 removed, 0 changed`.
fn overview(report: &Report) -> String {
    use std::collections::BTreeSet;
    let mut counts = [[0usize; 3]; 2];
    let mut changed: [BTreeSet<&str>; 2] = [BTreeSet::new(), BTreeSet::new()];
    for change in &report.changes {
        let (row, id) = match &change.subject {
            Subject::Operation { operation_id, .. } => (0, operation_id.as_str()),
            Subject::Schema { name } => (1, name.as_str()),
        };
        match change.effect {
            Effect::Added => counts[row][0] += 1,
            Effect::Removed => counts[row][1] += 1,
            Effect::Modified => {
                changed[row].insert(id);
            }
        }
    }
    counts[0][2] = changed[0].len();
    counts[1][2] = changed[1].len();
    format!(
        "Operations: {} added, {} removed, {} changed. Types: {} added, {} removed, {} changed.",
        counts[0][0], counts[0][1], counts[0][2], counts[1][0], counts[1][1], counts[1][2]
    )
}

/// Text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
