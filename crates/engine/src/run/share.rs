//! Setup texts: everything on screen that decides the picture (the setup and the visible
//! window) as one short line that survives e-mail and chat, e.g.
//! `downhill-setup-3.7ZLBTsMwDIbfxeeC….Xb3c9A`. The part after the version is the setup's JSON,
//! deflated and written in URL-safe base64 without padding; the part after the last dot is the
//! CRC-32 of that part's characters (4 bytes, big-endian, in the same base64), so any
//! character changed, lost or added is caught before anything is decoded.
//!
//! A text is read whole or not at all: a damaged one (a character changed, lost or added: the
//! check no longer matches, or the pieces no longer decode), one with a key this version does
//! not know, or one from a newer version, is refused with one clear message and nothing of it
//! is applied. Versions 1 and 2 (before the check) still open.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::geometry::View;
use crate::run::setup::Setup;

/// The prefix of every setup text, before the version number.
const PREFIX: &str = "downhill-setup-";
/// The version this build writes and the newest it reads. 3 adds the integrity check; 2 (a
/// setup on data) and 1 were written before it and still open.
pub const VERSION: u32 = 3;
/// The characters of the check after the body: 4 bytes of CRC-32 in base64.
const CHECK_LEN: usize = 6;
/// Longer texts are refused before decoding (a setup is a few hundred bytes; one that carries
/// the points of a file is more).
pub const MAX_TEXT: usize = 100_000;
/// The most JSON a text may inflate to.
const MAX_JSON: u64 = 1_000_000;

/// What a setup text carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Shared {
    pub setup: Setup,
    /// The visible window of the landscape, if the sender had one.
    #[serde(default)]
    pub view: Option<View>,
}

/// Why a setup text was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ShareError {
    #[error("this is not a downhill setup (it should start with \"{PREFIX}{VERSION}.\")")]
    NotASetup,
    #[error(
        "this setup was written by a newer downhill (setup format {0}; this one reads up to {VERSION}): update downhill to open it"
    )]
    Newer(u32),
    #[error(
        "this setup text is damaged (a character changed or missing: {0}); copy it again, whole"
    )]
    Damaged(String),
    #[error("the setup cannot run: {0}")]
    Invalid(String),
}

impl Shared {
    /// The one-line text, in the current [`VERSION`].
    pub fn to_text(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let packed = z
            .write_all(&json)
            .and_then(|()| z.finish())
            .unwrap_or_default();
        let body = URL_SAFE_NO_PAD.encode(packed);
        format!("{PREFIX}{VERSION}.{body}.{}", check_of(&body))
    }

    /// Reads a text (surrounding white space and line breaks inside it, as mail programs add,
    /// are ignored) and checks that its setup can run.
    pub fn from_text(text: &str) -> Result<Self, ShareError> {
        let text: String = text.split_whitespace().collect();
        if text.len() > MAX_TEXT {
            return Err(ShareError::Damaged("far too long".into()));
        }
        let rest = text.strip_prefix(PREFIX).ok_or(ShareError::NotASetup)?;
        let (version, mut body) = rest.split_once('.').ok_or(ShareError::NotASetup)?;
        if version.is_empty() || !version.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ShareError::NotASetup);
        }
        // All digits: too large for a u32 is a version from far in the future.
        let version: u32 = version.parse().unwrap_or(u32::MAX);
        if version > VERSION {
            return Err(ShareError::Newer(version));
        }
        if version == 0 {
            return Err(ShareError::NotASetup);
        }
        if version >= 3 {
            let Some((inner, check)) = body.rsplit_once('.') else {
                return Err(ShareError::Damaged("its check is missing".into()));
            };
            if check.len() != CHECK_LEN || check != check_of(inner) {
                return Err(ShareError::Damaged("its check does not match".into()));
            }
            body = inner;
        }
        let packed = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|e| ShareError::Damaged(format!("not base64: {e}")))?;
        let mut json = Vec::new();
        let mut inflate = flate2::read::DeflateDecoder::new(packed.as_slice());
        (&mut inflate)
            .take(MAX_JSON)
            .read_to_end(&mut json)
            .map_err(|e| ShareError::Damaged(format!("cannot be unpacked: {e}")))?;
        if inflate.total_in() != packed.len() as u64 {
            return Err(ShareError::Damaged("something follows its end".into()));
        }
        let shared = parse_strict(&json)?;
        shared
            .setup
            .check()
            .map_err(|e| ShareError::Invalid(e.to_string()))?;
        if let Some(v) = shared.view {
            let ok = [v.x[0], v.x[1], v.y[0], v.y[1]]
                .iter()
                .all(|c| c.is_finite())
                && v.x[0] < v.x[1]
                && v.y[0] < v.y[1]
                && (v.x[1] - v.x[0]).is_finite()
                && (v.y[1] - v.y[0]).is_finite();
            if !ok {
                return Err(ShareError::Invalid(
                    "the view window is empty or too large".into(),
                ));
            }
        }
        Ok(shared)
    }

    /// Reads a setup file: its text, as [`from_text`](Self::from_text).
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        // A setup text is at most MAX_TEXT characters; room for line breaks around them.
        let text = crate::files::read_text(path, 4 * MAX_TEXT as u64, "setup file")?;
        Self::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// The check of a text's body: the CRC-32 (IEEE, as zlib and gzip compute it) of its
/// characters, in URL-safe base64.
fn check_of(body: &str) -> String {
    let mut crc = flate2::Crc::new();
    crc.update(body.as_bytes());
    URL_SAFE_NO_PAD.encode(crc.sum().to_be_bytes())
}

/// The setup in `json`, refusing a key this version does not know (rather than ignoring it:
/// a misspelt key would otherwise quietly take its default).
fn parse_strict(json: &[u8]) -> Result<Shared, ShareError> {
    let mut unknown = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(json);
    let shared: Shared = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()))
        .map_err(|e| ShareError::Damaged(format!("unreadable setup: {e}")))?;
    de.end()
        .map_err(|e| ShareError::Damaged(format!("unreadable setup: {e}")))?;
    if let Some(key) = unknown.first() {
        return Err(ShareError::Damaged(format!("unknown key '{key}'")));
    }
    Ok(shared)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::landscape::{BUILTINS, LandscapeSpec};
    use crate::optim::OptimizerKind;
    use crate::run::setup::RunSpec;

    /// Asserts that `s` survives its share text, also wrapped by a mail program.
    pub(crate) fn round_trip(s: Shared) {
        let text = s.to_text();
        assert!(text.starts_with("downhill-setup-3."), "{text}");
        assert!(
            text.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "not URL-safe: {text}"
        );
        assert_eq!(Shared::from_text(&text).unwrap(), s);
        // Line breaks from a mail program do not matter.
        let wrapped: String = text
            .as_bytes()
            .chunks(20)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join("\n");
        assert_eq!(Shared::from_text(&format!("  {wrapped}\n")).unwrap(), s);
    }

    #[test]
    fn every_landscape_optimizer_and_lesson_round_trips() {
        for b in &BUILTINS {
            let mut setup = Setup::default();
            setup.set_builtin(b.name).unwrap();
            round_trip(Shared { setup, view: None });
        }
        for kind in OptimizerKind::ALL {
            let mut setup = Setup::default();
            setup.set_optimizer(0, kind);
            setup.runs[0].config.hyper.lr = 0.0123456789;
            setup
                .runs
                .push(RunSpec::new(crate::run::RunConfig::new(kind)));
            setup.scatter.count = 5;
            let view = Some(View {
                x: [-1.5, 2.25],
                y: [-0.1, 3.3],
            });
            round_trip(Shared { setup, view });
        }
        // The presets' setups round-trip in teach::preset's tests (run does not use teach).
        // Points from a file travel inside the text; batches with their run.
        let mut setup = Setup {
            landscape: LandscapeSpec::Data {
                data: crate::data::DataSource::Points {
                    name: "mine.csv".into(),
                    source: "measured".into(),
                    columns: ["size".into(), "price".into()],
                    points: vec![[1.0, 2.5], [2.0, 4.0], [3.5, -1.0]].into(),
                },
                model: crate::data::Model::Linear,
                standardize: true,
            },
            ..Setup::default()
        };
        setup.runs[0].config.batch = crate::data::BatchSpec {
            size: 2,
            order: crate::data::BatchOrder::Sequential,
        };
        round_trip(Shared { setup, view: None });
        let setup = Setup {
            landscape: LandscapeSpec::Expr {
                text: "ln(x) + (y - 1)^2 / 2".into(),
            },
            start: [2.0, 1.5],
            ..Setup::default()
        };
        round_trip(Shared { setup, view: None });
    }

    #[test]
    fn damaged_newer_and_foreign_texts_are_refused_with_a_message() {
        let text = Shared {
            setup: Setup::default(),
            view: None,
        }
        .to_text();
        let cut = &text[..text.len() - 6];
        assert!(matches!(
            Shared::from_text(cut),
            Err(ShareError::Damaged(_))
        ));
        let mut flipped = text.clone().into_bytes();
        let n = flipped.len();
        flipped[n / 2 + 10] = if flipped[n / 2 + 10] == b'A' {
            b'B'
        } else {
            b'A'
        };
        let flipped = String::from_utf8(flipped).unwrap();
        assert!(Shared::from_text(&flipped).is_err());
        let newer = text.replacen("downhill-setup-3.", "downhill-setup-7.", 1);
        let e = Shared::from_text(&newer).unwrap_err();
        assert!(e.to_string().contains("newer downhill"), "{e}");
        assert_eq!(Shared::from_text("hello world"), Err(ShareError::NotASetup));
        assert!(Shared::from_text("downhill-setup-1.!!!").is_err());
        let huge = text.replacen("downhill-setup-3.", "downhill-setup-99999999999.", 1);
        let e = Shared::from_text(&huge).unwrap_err();
        assert!(e.to_string().contains("newer downhill"), "{e}");
        // A well-formed text whose setup cannot run is refused too.
        let mut bad = Setup::default();
        bad.runs[0].config.hyper.lr = -1.0;
        let e = Shared::from_text(
            &Shared {
                setup: bad,
                view: None,
            }
            .to_text(),
        )
        .unwrap_err();
        assert!(e.to_string().contains("learning rate"), "{e}");
    }

    /// Every text that is one character away from a real one (changed, lost or added) is
    /// refused: none opens as another experiment.
    #[test]
    fn one_character_changes_are_all_refused() {
        let mut setup = crate::teach::preset::find("momentum-0.9")
            .unwrap()
            .setup()
            .unwrap();
        setup.runs[0].config.hyper.lr = 0.0125;
        let text = Shared {
            setup,
            view: Some(View {
                x: [-4.0, 4.0],
                y: [-3.0, 3.0],
            }),
        }
        .to_text();
        let alphabet: Vec<char> =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
                .chars()
                .collect();
        let chars: Vec<char> = text.chars().collect();
        let mut tried = 0;
        for i in 0..chars.len() {
            let mut lost = chars.clone();
            lost.remove(i);
            let mut variants = vec![lost];
            for &c in alphabet.iter().step_by(7) {
                let mut changed = chars.clone();
                if changed[i] != c {
                    changed[i] = c;
                    variants.push(changed);
                }
                let mut added = chars.clone();
                added.insert(i, c);
                variants.push(added);
            }
            for v in variants {
                let v: String = v.into_iter().collect();
                tried += 1;
                assert!(
                    Shared::from_text(&v).is_err(),
                    "accepted: {v}\nfrom:     {text}"
                );
            }
        }
        assert!(tried > 2000, "{tried}");
    }

    #[test]
    fn texts_shared_before_the_check_still_open() {
        for (text, json) in [
            (
                include_str!("../../tests/data/setup-v1.txt"),
                include_str!("../../tests/data/setup-v1.json"),
            ),
            (
                include_str!("../../tests/data/setup-v2.txt"),
                include_str!("../../tests/data/setup-v2.json"),
            ),
        ] {
            let want: Shared = serde_json::from_str(json).unwrap();
            assert_eq!(Shared::from_text(text).unwrap(), want);
            // Junk after a valid text, or an unknown key, is refused.
            assert!(Shared::from_text(&format!("{} AAAA", text.trim())).is_err());
        }
        let with_unknown = br#"{"setup": {}, "view": null, "colour": "red"}"#;
        let e = parse_strict(with_unknown).unwrap_err();
        assert!(e.to_string().contains("colour"), "{e}");
    }
}
