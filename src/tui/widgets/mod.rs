//! Small drawing pieces shared by the screens: a text input, the header, the footer,
//! the spinner.

pub mod footer;
pub mod header;
pub mod spinner;
pub mod text_input;

pub use text_input::TextInput;
