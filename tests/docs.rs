//! The documentation stays true to the code: every scenario key and every metric is in the
//! README, and every scenario key is in the ODD's parameter table.

use crate::common::{read, repo};
use cohabit::metrics::{METRICS, SERIES};
use cohabit::scenario::KEYS;

#[test]
fn readme_names_every_key_and_metric() {
    let readme = read(&repo("README.md"));
    for k in KEYS {
        assert!(
            readme.contains(&format!("`{}`", k.key)),
            "README lacks scenario key `{}`",
            k.key
        );
    }
    for m in METRICS.iter().chain(SERIES) {
        assert!(
            readme.contains(&format!("`{m}`")),
            "README lacks metric `{m}`"
        );
    }
}

#[test]
fn readme_scenario_reference_is_current() {
    // The table is `cohabit keys`; paste its output into the README when keys change.
    let readme = read(&repo("README.md"));
    let table = cohabit::cli::keys_table();
    assert!(
        readme.contains(&table),
        "README's scenario reference differs from `cohabit keys`"
    );
}

#[test]
fn readme_metric_directions_are_current() {
    // The table is `cohabit::fit::metrics::directions_table()`: paste it into the README when
    // a metric or its direction changes.
    let readme = read(&repo("README.md"));
    assert!(
        readme.contains(&cohabit::fit::metrics::directions_table()),
        "README's metric directions differ from src/fit/metrics.rs"
    );
}

#[test]
fn ci_runs_the_readme_test_command() {
    let readme = read(&repo("README.md"));
    let ci = read(&repo(".ci/run"));
    let command = readme
        .lines()
        .find(|l| l.trim_start().starts_with("cargo test"))
        .expect("README gives a test command")
        .trim();
    assert!(
        ci.contains(command),
        ".ci/run must call the README's test command `{command}`"
    );
}

#[test]
fn odd_parameter_table_names_every_key() {
    let odd = read(&repo("docs/ODD.md"));
    for k in KEYS {
        assert!(
            odd.contains(&format!("`{}`", k.key)),
            "docs/ODD.md lacks scenario key `{}`",
            k.key
        );
    }
}

#[test]
fn odd_describes_every_validation_pattern() {
    let odd = read(&repo("docs/ODD.md"));
    for c in cohabit::patterns::CHECKS {
        assert!(
            odd.contains(c.pattern),
            "docs/ODD.md lacks pattern {}",
            c.pattern
        );
    }
}

#[test]
fn readme_names_every_command_and_option() {
    use clap::CommandFactory;
    let readme = read(&repo("README.md"));
    let cli = cohabit::cli::Cli::command();
    for sub in cli.get_subcommands() {
        let name = sub.get_name();
        assert!(
            readme.contains(&format!("cohabit {name}")),
            "README lacks command `cohabit {name}`"
        );
        for arg in sub.get_arguments() {
            if let Some(long) = arg.get_long() {
                assert!(
                    readme.contains(&format!("--{long}")),
                    "README lacks option --{long} of `cohabit {name}`"
                );
            }
        }
    }
}
