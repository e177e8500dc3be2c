//! The busy indicator: a braille spinner that advances one frame per tick.

/// The frames, drawn in turn.
const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// How long one frame shows.
pub const FRAME_TIME: std::time::Duration = std::time::Duration::from_millis(100);

/// The frame for a tick count.
pub fn frame(tick: usize) -> char {
    FRAMES[tick % FRAMES.len()]
}
