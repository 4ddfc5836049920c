//! Compiled f64 evaluator of K and its gradient (built from a Poly).
