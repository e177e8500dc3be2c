//! The real binary's `demo` in a pseudo-terminal: what a person sees and types, read
//! back from the parsed screen.

mod demo;
mod feedback;
mod stories;
