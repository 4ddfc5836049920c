//! Blow-ups, charts, coordinate changes, the resolution tree and its certificate.
