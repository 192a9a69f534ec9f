//! Every file downhill writes (pictures, CSV/JSON exports, settings) is written to a temporary
//! file beside its target and renamed into place only when complete: a failure (a full disk, a
//! stopped render) leaves the previous file as it was, and no half-written picture that image
//! viewers open without complaint.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `path` through `write`, which is given a temporary path beside it (same folder, same
/// extension, so writers that go by the extension pick the same format) and must fill it.
/// On success the temporary file replaces `path` in one rename; on failure it is removed and
/// the message says the previous file is unchanged.
pub fn write_with(
    path: &Path,
    write: impl FnOnce(&Path) -> Result<(), String>,
) -> Result<(), String> {
    let tmp = temporary_beside(path);
    // Creating it first gives a missing folder or a read-only one a plain message.
    if let Err(e) = std::fs::File::create(&tmp) {
        return Err(format!("cannot write {}: {}", path.display(), plain(&e)));
    }
    let outcome = write(&tmp).and_then(|()| sync(&tmp)).and_then(|()| {
        std::fs::rename(&tmp, path)
            .map_err(|e| format!("cannot write {}: {}", path.display(), plain(&e)))
    });
    if let Err(e) = outcome {
        std::fs::remove_file(&tmp).ok();
        let kept = if path.exists() {
            "; the previous file is unchanged"
        } else {
            ""
        };
        return Err(format!("{e}{kept}"));
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically (see [`write_with`]).
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<(), String> {
    write_with(path, |tmp| {
        let mut f = std::fs::File::create(tmp)
            .map_err(|e| format!("cannot write {}: {}", path.display(), plain(&e)))?;
        f.write_all(bytes)
            .map_err(|e| format!("cannot write {}: {}", path.display(), plain(&e)))
    })
}

/// An I/O error as one plain sentence ("No space left on device"), without Rust's
/// debug dump of the error's parts.
pub fn plain(e: &std::io::Error) -> String {
    let text = e.to_string();
    // "No space left on device (os error 28)" → "No space left on device".
    match text.rfind(" (os error") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A writer's error as a plain sentence: the operating system's message where a library's
/// error text buries one in a debug dump (`… Os { code: 28, kind: StorageFull, message: "No
/// space left on device" } …`), else the text as it is.
pub fn tidy(text: &str) -> String {
    if let Some(i) = text.find("message: \"") {
        let rest = &text[i + "message: \"".len()..];
        if let Some(end) = rest.find('"') {
            return rest[..end].to_owned();
        }
    }
    text.to_owned()
}

/// `.name.downhill-PID-N.ext` in the folder of `path`: hidden, unique in this process, with
/// the target's extension.
fn temporary_beside(path: &Path) -> PathBuf {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let stem = path
        .file_stem()
        .map_or_else(|| "file".into(), |s| s.to_string_lossy().into_owned());
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    let name = format!(".{stem}.downhill-{}-{n}{ext}", std::process::id());
    path.with_file_name(name)
}

/// Flushes the finished temporary file to the disk before it replaces the target, so a crash
/// right after the rename cannot leave an empty file.
fn sync(tmp: &Path) -> Result<(), String> {
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(|e| format!("cannot write {}: {}", tmp.display(), plain(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dir() -> PathBuf {
        let d = std::env::temp_dir().join(format!("downhill-atomic-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn a_failed_write_keeps_the_previous_file_and_leaves_nothing_beside_it() {
        let d = dir();
        let target = d.join("picture.png");
        std::fs::write(&target, b"the old picture").unwrap();
        let e = write_with(&target, |tmp| {
            std::fs::write(tmp, b"half a pic").unwrap();
            Err("cannot write picture.png: No space left on device".into())
        })
        .unwrap_err();
        assert_eq!(
            e,
            "cannot write picture.png: No space left on device; the previous file is unchanged"
        );
        assert_eq!(std::fs::read(&target).unwrap(), b"the old picture");
        let left: Vec<_> = std::fs::read_dir(&d).unwrap().collect();
        assert_eq!(left.len(), 1, "{left:?}");
        write_bytes(&target, b"the new picture").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"the new picture");
        std::fs::remove_dir_all(&d).ok();
    }

    #[test]
    fn the_temporary_file_keeps_the_extension() {
        let t = temporary_beside(Path::new("/x/race.gif"));
        assert_eq!(t.parent(), Some(Path::new("/x")));
        assert!(t.to_string_lossy().ends_with(".gif"), "{}", t.display());
        assert!(
            t.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(".race.")
        );
    }

    #[test]
    fn errors_are_plain_sentences() {
        let e = std::io::Error::from_raw_os_error(28);
        assert_eq!(plain(&e), "No space left on device");
        assert_eq!(
            tidy(
                r#"Drawing backend error: ImageError(IoError(Os { code: 28, kind: StorageFull, message: "No space left on device" }))"#
            ),
            "No space left on device"
        );
        let e = write_bytes(Path::new("/no/such/folder/x.csv"), b"1").unwrap_err();
        assert_eq!(
            e,
            "cannot write /no/such/folder/x.csv: No such file or directory"
        );
    }
}
