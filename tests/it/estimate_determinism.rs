//! Same seed, 1 or 2 threads: byte-identical JSON.

use rlct::estimate::cases::public_cases;
use rlct::estimate::{EstimateOptions, Method, SgldOptions, estimate};

fn json_with_threads(threads: usize) -> String {
    let c = public_cases().into_iter().find(|c| c.name == "(y^2-x^3)^2").unwrap();
    let opts = EstimateOptions {
        method: Method::All,
        seed: 42,
        runs: 4,
        depth: 15.0,
        multiplicity: Some(1),
        sgld: SgldOptions { chains: 3, draws: 5_000, burn_in: 500, ..Default::default() },
        ..Default::default()
    };
    let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().unwrap();
    let est = pool.install(|| estimate(&c.problem, &opts)).unwrap();
    serde_json::to_string(&est).unwrap()
}

#[test]
fn identical_json_with_one_and_two_threads() {
    let one = json_with_threads(1);
    let two = json_with_threads(2);
    assert!(one.contains("\"volume\"") && one.contains("\"sgld\""));
    assert_eq!(one, two);
}

#[test]
fn different_seeds_give_different_runs() {
    let c = public_cases().into_iter().find(|c| c.name == "x^4").unwrap();
    let run = |seed| {
        let o = EstimateOptions {
            seed,
            runs: 2,
            depth: 8.0,
            window_start: 2.0,
            multiplicity: Some(1),
            ..Default::default()
        };
        estimate(&c.problem, &o).unwrap().volume.unwrap().lambda
    };
    assert_ne!(run(1), run(2));
}
