//! Reading the files a user names (`--data`, `--setup-file`, a dropped file) with a stated
//! limit: a read stops at the limit and refuses the rest with one line, so `/dev/zero` or a
//! mistaken multi-gigabyte file cannot exhaust memory.

use std::io::Read as _;
use std::path::Path;

/// The text of `path`, at most `max_bytes` long; `what` names the file's role in the
/// message ("data file", "setup file").
pub fn read_text(path: &Path, max_bytes: u64, what: &str) -> Result<String, String> {
    let file =
        std::fs::File::open(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    // One byte past the limit tells a file that ends at it from one that goes on.
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "{} is larger than a {what} can be ({}): not read",
            path.display(),
            size(max_bytes)
        ));
    }
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not text (byte {} is not UTF-8)",
            path.display(),
            e.utf8_error().valid_up_to() + 1
        )
    })
}

/// A byte count for people: "1 MB", "512 kB", "200 bytes".
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{} MB", bytes / 1_000_000)
    } else if bytes >= 1000 {
        format!("{} kB", bytes / 1000)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endless_file_is_refused_at_the_limit() {
        if !Path::new("/dev/zero").exists() {
            return;
        }
        let e = read_text(Path::new("/dev/zero"), 1000, "setup file").unwrap_err();
        assert_eq!(
            e,
            "/dev/zero is larger than a setup file can be (1 kB): not read"
        );
    }

    #[test]
    fn a_file_within_the_limit_is_read_whole() {
        let path = std::env::temp_dir().join(format!("downhill-files-{}.txt", std::process::id()));
        std::fs::write(&path, "x,y\n1,2\n").unwrap();
        assert_eq!(read_text(&path, 8, "data file").unwrap(), "x,y\n1,2\n");
        assert!(read_text(&path, 7, "data file").is_err());
        std::fs::write(&path, b"x,y\n\xff\n").unwrap();
        assert!(
            read_text(&path, 100, "data file")
                .unwrap_err()
                .contains("not text")
        );
        std::fs::remove_file(&path).ok();
    }
}
