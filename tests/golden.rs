//! Golden output of the tiny scenario: any change to the model or the formats shows here.
//! Regenerate on purpose with `COHABIT_BLESS=1 cargo test golden` and review the diff.

use crate::common::{read, repo, run_tiny};

#[test]
fn tiny_scenario_matches_the_golden_files() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "golden", &[]);
    let bless = std::env::var_os("COHABIT_BLESS").is_some();
    for f in ["runs.csv", "summary.csv"] {
        let got = read(&out.join(f));
        let golden = repo("tests/golden/tiny").join(f);
        if bless {
            std::fs::create_dir_all(golden.parent().unwrap()).unwrap();
            std::fs::write(&golden, &got).unwrap();
            continue;
        }
        let want = read(&golden);
        assert!(
            got == want,
            "{f} differs from {}; if the change is intended, rerun with COHABIT_BLESS=1 and review the diff",
            golden.display()
        );
    }
}
