//! Whether a FIDO security key is plugged in, without opening it: on Linux, a hidraw
//! device whose HID report descriptor declares the FIDO Alliance usage page (0xF1D0,
//! CTAP2 §11.2.8.1), which is how the kernel's own hidraw list tells keys apart from
//! keyboards.

use std::path::Path;

/// The HID report descriptor's "Usage Page (0xF1D0)": a long usage-page item (0x06)
/// with its two bytes little-endian.
const FIDO_USAGE_PAGE: [u8; 3] = [0x06, 0xD0, 0xF1];

/// `Some(true)` when a FIDO key is plugged in, `Some(false)` when none is, `None` where
/// this system gives no way to tell (not Linux).
pub fn fido_device_plugged_in() -> Option<bool> {
    if cfg!(target_os = "linux") {
        Some(any_fido_hidraw(Path::new("/sys/class/hidraw")))
    } else {
        None
    }
}

/// Whether any `<dir>/*/device/report_descriptor` declares the FIDO usage page.
fn any_fido_hidraw(dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|entry| {
        std::fs::read(entry.path().join("device/report_descriptor"))
            .is_ok_and(|descriptor| declares_fido(&descriptor))
    })
}

fn declares_fido(descriptor: &[u8]) -> bool {
    descriptor
        .windows(FIDO_USAGE_PAGE.len())
        .any(|window| window == FIDO_USAGE_PAGE)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_fido_descriptor_is_told_from_a_keyboards() {
        // A key's descriptor opens with Usage Page (FIDO), Usage (CTAPHID).
        let key = [0x06, 0xD0, 0xF1, 0x09, 0x01, 0xA1, 0x01];
        // A keyboard's: Usage Page (Generic Desktop), Usage (Keyboard).
        let keyboard = [0x05, 0x01, 0x09, 0x06, 0xA1, 0x01];
        assert!(declares_fido(&key));
        assert!(!declares_fido(&keyboard));
    }

    #[test]
    fn hidraw_devices_are_read_from_sysfs() {
        let root = tempfile::tempdir().unwrap();
        assert!(!any_fido_hidraw(&root.path().join("absent")));
        let keyboard = root.path().join("hidraw0/device");
        std::fs::create_dir_all(&keyboard).unwrap();
        std::fs::write(keyboard.join("report_descriptor"), [0x05, 0x01, 0x09, 0x06]).unwrap();
        assert!(!any_fido_hidraw(root.path()));
        let key = root.path().join("hidraw1/device");
        std::fs::create_dir_all(&key).unwrap();
        std::fs::write(
            key.join("report_descriptor"),
            [0x06, 0xD0, 0xF1, 0x09, 0x01],
        )
        .unwrap();
        assert!(any_fido_hidraw(root.path()));
    }
}
