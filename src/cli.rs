//! Command-line flags (clap).
