//! A hand-written SVG of the volume-scaling curve (`log V` against `log ε`,
//! with the fitted line and the exact slope) and the SGLD traces. Written by
//! hand to keep dependencies small.

use crate::report::Estimates;
use std::fmt::Write;

const W: f64 = 640.0;
const H: f64 = 360.0;
const PAD: f64 = 50.0;

/// Renders the SVG. `exact` is the exact λ if known (drawn as a dashed line
/// through the fitted curve's deepest point).
pub fn svg(est: &Estimates, exact: Option<f64>) -> String {
    let panels = est.volume.is_some() as usize + est.sgld.is_some() as usize;
    let mut s = String::new();
    let total_h = H * panels.max(1) as f64;
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{total_h}" font-family="sans-serif" font-size="12">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let mut y0 = 0.0;
    if let Some(v) = &est.volume {
        let pts = &v.curve;
        let (xmin, xmax) = bounds(pts.iter().map(|p| p.0));
        let (ymin, ymax) = bounds(pts.iter().map(|p| p.1));
        let fr = Frame { x0: xmin, x1: xmax, y0: ymin, y1: ymax, top: y0 };
        fr.axes(
            &mut s,
            "log ε",
            "log V",
            &format!("volume scaling: λ̂ = {:.4} ± {:.4} (m = {})", v.lambda, v.stderr, v.multiplicity),
        );
        let path: Vec<String> =
            pts.iter().step_by((pts.len() / 800).max(1)).map(|&(x, y)| fr.pt(x, y)).collect();
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="steelblue" stroke-width="1.5" points="{}"/>"#,
            path.join(" ")
        );
        let a = v.multiplicity as f64 - 1.0;
        let line = |lam: f64, c: f64| -> Vec<String> {
            (0..=50)
                .map(|i| xmin + (xmax - xmin) * i as f64 / 50.0)
                .filter(|&x| x < -1.0 || a == 0.0)
                .map(|x| (x, lam * x + a * (-x).ln().max(0.0) + c))
                .filter(|&(_, y)| y >= ymin && y <= ymax)
                .map(|(x, y)| fr.pt(x, y))
                .collect()
        };
        let _ = writeln!(
            s,
            r#"<polyline fill="none" stroke="darkorange" stroke-width="1.5" points="{}"/>"#,
            line(v.lambda, v.intercept).join(" ")
        );
        if let (Some(l), Some(&(xl, yl))) = (exact, pts.last()) {
            let c = yl - l * xl - a * (-xl).ln().max(0.0);
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="black" stroke-dasharray="5,4" points="{}"/>"#,
                line(l, c).join(" ")
            );
        }
        let _ = writeln!(
            s,
            r#"<text x="{}" y="{}" fill="darkorange">fit</text><text x="{}" y="{}">exact slope (dashed)</text>"#,
            W - 200.0,
            y0 + 40.0,
            W - 160.0,
            y0 + 40.0
        );
        y0 += H;
    }
    if let Some(sg) = &est.sgld {
        let all = sg.traces.iter().flatten().copied();
        let (ymin, ymax) = bounds(all);
        let len = sg.traces.iter().map(|t| t.len()).max().unwrap_or(1) as f64;
        let fr = Frame { x0: 0.0, x1: len, y0: ymin, y1: ymax, top: y0 };
        fr.axes(
            &mut s,
            "step (thinned)",
            "B·K",
            &format!("SGLD traces: λ̂ = {:.4} ± {:.4}", sg.lambda, sg.stderr),
        );
        for (i, t) in sg.traces.iter().enumerate() {
            let p: Vec<String> = t.iter().enumerate().map(|(j, &y)| fr.pt(j as f64, y)).collect();
            let _ = writeln!(
                s,
                r#"<polyline fill="none" stroke="hsl({},60%,45%)" stroke-width="0.8" points="{}"/>"#,
                (i * 47) % 360,
                p.join(" ")
            );
        }
    }
    s.push_str("</svg>\n");
    s
}

fn bounds(it: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = it
        .filter(|x| x.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), x| (a.min(x), b.max(x)));
    if lo < hi {
        (lo, hi)
    } else if lo.is_finite() {
        (lo - 1.0, lo + 1.0)
    } else {
        (0.0, 1.0)
    }
}

struct Frame {
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    top: f64,
}

impl Frame {
    fn pt(&self, x: f64, y: f64) -> String {
        let px = PAD + (x - self.x0) / (self.x1 - self.x0) * (W - 2.0 * PAD);
        let py = self.top + H - PAD - (y - self.y0) / (self.y1 - self.y0) * (H - 2.0 * PAD);
        format!("{px:.1},{py:.1}")
    }

    fn axes(&self, s: &mut String, xl: &str, yl: &str, title: &str) {
        let (l, r, t, b) = (PAD, W - PAD, self.top + PAD, self.top + H - PAD);
        let _ = writeln!(
            s,
            r#"<rect x="{l}" y="{t}" width="{}" height="{}" fill="none" stroke="gray"/>"#,
            r - l,
            b - t
        );
        let _ = writeln!(s, r#"<text x="{l}" y="{}">{title}</text>"#, t - 10.0);
        let _ =
            writeln!(s, r#"<text x="{}" y="{}" text-anchor="middle">{xl}</text>"#, (l + r) / 2.0, b + 35.0);
        let _ = writeln!(
            s,
            r#"<text x="12" y="{}" transform="rotate(-90 12 {})" text-anchor="middle">{yl}</text>"#,
            (t + b) / 2.0,
            (t + b) / 2.0
        );
        for (v, x) in [(self.x0, l), (self.x1, r)] {
            let _ = writeln!(s, r#"<text x="{x}" y="{}" text-anchor="middle">{v:.1}</text>"#, b + 15.0);
        }
        for (v, y) in [(self.y0, b), (self.y1, t)] {
            let _ = writeln!(s, r#"<text x="{}" y="{y}" text-anchor="end">{v:.1}</text>"#, l - 4.0);
        }
    }
}
