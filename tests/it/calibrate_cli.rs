//! `rlct calibrate`: every grid setting runs on every member, the chosen
//! setting is the one with the smallest worst relative error, and the
//! target is reported with that error as a calibrated uncertainty (tiny
//! settings: a second or two).

use assert_cmd::Command;

fn rlct() -> Command {
    Command::cargo_bin("rlct").unwrap()
}

#[test]
fn calibrate_chooses_the_setting_with_the_smallest_worst_error() {
    let out = rlct()
        .args([
            "calibrate",
            "--members",
            "rrr(2,2,1,0);rrr(2,2,2,0)",
            "--target",
            "rrr(3,2,2,0)",
            "--grid",
            "eps=1e-5,1e-4",
            "--set",
            "n=10000",
            "chains=2",
            "burn_in=2000",
            "draws=2000",
            "adapt=none",
            "--threads",
            "1",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["members"].as_array().unwrap().len(), 4, "2 settings × 2 members");
    let worst = v["worst_relative_error"].as_array().unwrap();
    assert_eq!(worst.len(), 2);
    let w: Vec<f64> = worst.iter().map(|x| x["worst_relative_error"].as_f64().unwrap()).collect();
    // The worst error of each setting is the max over its members' rows.
    for (k, wk) in w.iter().enumerate() {
        let rows = &v["members"].as_array().unwrap()[2 * k..2 * k + 2];
        let m = rows.iter().map(|r| r["relative_error"].as_f64().unwrap().abs()).fold(0.0, f64::max);
        assert!((m - wk).abs() < 1e-12);
    }
    let best = if w[0] <= w[1] { 0 } else { 1 };
    assert_eq!(v["chosen"]["label"], worst[best]["config"]);
    let t = &v["target"];
    let (lam, se, cal) = (
        t["lambda"].as_f64().unwrap(),
        t["stderr"].as_f64().unwrap(),
        t["calibrated_uncertainty"].as_f64().unwrap(),
    );
    assert!((cal - (se * se + (w[best] * lam).powi(2)).sqrt()).abs() < 1e-12);
    assert_eq!(t["closed_form"].as_f64().unwrap(), 2.0);
}

#[test]
fn calibrate_refuses_a_bad_member() {
    rlct().args(["calibrate", "--members", "rrr(2,2)", "--target", "rrr(3,3,2,0)"]).assert().code(2);
}
