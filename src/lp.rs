//! Exact rational linear programming (simplex over BigRational).
