//! Newton polyhedra: tau-distance, minimal face, multiplicity, face polynomials, non-degeneracy certificates.
