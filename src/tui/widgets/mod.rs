//! Small drawing pieces shared by the screens: a text input, a choice list, a QR code,
//! the outbox and wire panels, the header, the footer, the spinner.

pub mod choice_list;
pub mod footer;
pub mod header;
pub mod outbox;
pub mod qr;
pub mod spinner;
pub mod text_input;
pub mod wire;

pub use choice_list::{Choice, ChoiceList};
pub use text_input::TextInput;
