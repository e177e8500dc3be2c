//! Settings resolved from flags and the environment.
