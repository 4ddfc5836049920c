//! Univariate polynomials over Q: square-free parts, Sturm sequences, real-root isolation.
