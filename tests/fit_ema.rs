//! cohabit's PRIM against EMA Workbench's on the same data: the same trajectory (boxes,
//! coverage, density, mass) and quasi-p-values. Needs Python with ema_workbench; ignored by
//! default, run by .ci/run after it installs ema_workbench into target/ema-venv:
//! `cargo test --release --test integration -- --ignored prim_matches_ema_workbench`.
//! `COHABIT_EMA_PYTHON` names another Python.

use cohabit::fit::prim::{PrimParams, prim};
use rand::{RngExt, SeedableRng};
use std::path::PathBuf;

fn python() -> PathBuf {
    std::env::var_os("COHABIT_EMA_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::common::repo("target/ema-venv/bin/python"))
}

/// Points uniform in [0, 1]^3, "yes" in [0.2, 0.6] x [0.5, 1], a tenth of answers flipped
/// (so that the trajectory is not trivial), and a few tied values.
fn noisy_box(n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
    let mut x = vec![Vec::new(); 3];
    let mut y = Vec::new();
    for i in 0..n {
        for d in x.iter_mut() {
            d.push(rng.random::<f64>());
        }
        if i % 17 == 0 {
            x[2][i] = 0.5;
        }
        let inside = (0.2..=0.6).contains(&x[0][i]) && x[1][i] >= 0.5;
        y.push(inside != (rng.random::<f64>() < 0.1));
    }
    (x, y)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1e-300)
}

#[test]
#[ignore = "needs Python with ema_workbench (target/ema-venv, made by .ci/run)"]
fn prim_matches_ema_workbench() {
    let py = python();
    assert!(
        py.exists(),
        "no Python at {} (set COHABIT_EMA_PYTHON)",
        py.display()
    );
    let params = PrimParams {
        peel_alpha: 0.05,
        paste_alpha: 0.05,
        mass_min: 0.05,
        threshold: 0.8,
    };
    let dir = tempfile::tempdir().unwrap();
    for (n, seed) in [(600, 4), (250, 9)] {
        let (x, y) = noisy_box(n, seed);
        let mut csv = String::from("x0,x1,x2,y\n");
        for i in 0..n {
            csv += &format!("{},{},{},{}\n", x[0][i], x[1][i], x[2][i], u8::from(y[i]));
        }
        let path = dir.path().join(format!("points-{n}.csv"));
        std::fs::write(&path, csv).unwrap();
        let out = std::process::Command::new(&py)
            .arg(crate::common::repo("tests/fixtures/fit/prim_ema.py"))
            .arg(&path)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let ema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let ema = ema.as_array().unwrap();
        let ours = prim(&x, &y, &params);
        assert_eq!(ours.steps.len(), ema.len(), "trajectory lengths (n = {n})");
        for (i, (s, e)) in ours.steps.iter().zip(ema).enumerate() {
            let at = format!("n = {n}, step {i}: ours {s:?}, EMA {e}");
            assert_eq!(s.n as u64, e["n"].as_u64().unwrap(), "{at}");
            assert_eq!(s.yes as u64, e["yes"].as_u64().unwrap(), "{at}");
            for (key, v) in [
                ("coverage", s.coverage),
                ("density", s.density),
                ("mass", s.mass),
            ] {
                assert!(close(v, e[key].as_f64().unwrap()), "{key}: {at}");
            }
            for (d, lim) in s.limits.iter().enumerate() {
                let el = &e["limits"][d];
                assert!(close(lim.0, el[0].as_f64().unwrap()), "limits: {at}");
                assert!(close(lim.1, el[1].as_f64().unwrap()), "limits: {at}");
            }
            let qp = e["qp"].as_object().unwrap();
            assert_eq!(qp.len(), s.restricted.len(), "restricted: {at}");
            for (r, &d) in s.restricted.iter().enumerate() {
                let eq = &qp[&format!("x{d}")];
                for (ours, theirs) in [(s.qp[r].0, &eq[0]), (s.qp[r].1, &eq[1])] {
                    match (ours, theirs.as_f64()) {
                        (None, None) => {}
                        (Some(a), Some(b)) => {
                            assert!((a - b).abs() <= 1e-9 + 1e-6 * b, "qp {a} vs {b}: {at}")
                        }
                        _ => panic!("qp sides differ: {at}"),
                    }
                }
            }
        }
    }
}
