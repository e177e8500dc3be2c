//! The real binary's `demo` in a pseudo-terminal: what a person sees and types, read
//! back from the parsed screen; the wire panel.

mod config_add;
mod demo;
mod feedback;
mod save_flags;
mod stories;
mod wire;
