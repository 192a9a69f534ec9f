//! Setup texts: everything on screen that decides the picture (the setup and the visible
//! window) as one short line that survives e-mail and chat, e.g.
//! `downhill-setup-1.eJyrVkrOz81NzStRsq…`. The part after the version is the setup's JSON,
//! deflated and written in URL-safe base64 without padding.
//!
//! A text is read whole or not at all: a damaged one, or one from a newer version, is refused
//! with one clear message and nothing of it is applied.

use std::io::{Read, Write};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::geometry::View;
use crate::run::setup::Setup;

/// The prefix of every setup text, before the version number.
const PREFIX: &str = "downhill-setup-";
/// The newest version this build reads. It writes 2 for a setup on data (a landscape kind
/// version 1 does not know, so an older build says "newer" rather than "damaged"), 1 otherwise.
pub const VERSION: u32 = 2;
/// Longer texts are refused before decoding (a setup is a few hundred bytes; one that carries
/// the points of a file is more).
pub const MAX_TEXT: usize = 100_000;
/// The most JSON a text may inflate to.
const MAX_JSON: u64 = 1_000_000;

/// What a setup text carries.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Shared {
    pub setup: Setup,
    /// The visible window of the landscape, if the sender had one.
    #[serde(default)]
    pub view: Option<View>,
}

/// Why a setup text was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ShareError {
    #[error("this is not a downhill setup (it should start with \"{PREFIX}1.\" or \"{PREFIX}2.\")")]
    NotASetup,
    #[error(
        "this setup was written by a newer downhill (setup format {0}; this one reads up to {VERSION}): update downhill to open it"
    )]
    Newer(u32),
    #[error("the setup text is damaged ({0}); copy it again, whole")]
    Damaged(String),
    #[error("the setup cannot run: {0}")]
    Invalid(String),
}

impl Shared {
    /// The one-line text.
    pub fn to_text(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let mut z = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
        // Writing to a Vec cannot fail.
        let packed = z
            .write_all(&json)
            .and_then(|()| z.finish())
            .unwrap_or_default();
        let version = match self.setup.landscape {
            crate::landscape::LandscapeSpec::Data { .. } => 2,
            _ => 1,
        };
        format!("{PREFIX}{version}.{}", URL_SAFE_NO_PAD.encode(packed))
    }

    /// Reads a text (surrounding white space and line breaks inside it, as mail programs add,
    /// are ignored) and checks that its setup can run.
    pub fn from_text(text: &str) -> Result<Self, ShareError> {
        let text: String = text.split_whitespace().collect();
        if text.len() > MAX_TEXT {
            return Err(ShareError::Damaged("far too long".into()));
        }
        let rest = text.strip_prefix(PREFIX).ok_or(ShareError::NotASetup)?;
        let (version, body) = rest.split_once('.').ok_or(ShareError::NotASetup)?;
        let version: u32 = version.parse().map_err(|_| ShareError::NotASetup)?;
        if version > VERSION {
            return Err(ShareError::Newer(version));
        }
        if version == 0 {
            return Err(ShareError::NotASetup);
        }
        let packed = URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|e| ShareError::Damaged(format!("not base64: {e}")))?;
        let mut json = Vec::new();
        flate2::read::DeflateDecoder::new(packed.as_slice())
            .take(MAX_JSON)
            .read_to_end(&mut json)
            .map_err(|e| ShareError::Damaged(format!("cannot be unpacked: {e}")))?;
        let shared: Shared = serde_json::from_slice(&json)
            .map_err(|e| ShareError::Damaged(format!("unreadable setup: {e}")))?;
        shared
            .setup
            .build_all()
            .map_err(|e| ShareError::Invalid(e.to_string()))?;
        if let Some(v) = shared.view {
            let ok = [v.x[0], v.x[1], v.y[0], v.y[1]]
                .iter()
                .all(|c| c.is_finite())
                && v.x[0] < v.x[1]
                && v.y[0] < v.y[1];
            if !ok {
                return Err(ShareError::Invalid("the view window is empty".into()));
            }
        }
        Ok(shared)
    }

    /// Reads a setup file: its text, as [`from_text`](Self::from_text).
    pub fn from_file(path: &std::path::Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        Self::from_text(&text).map_err(|e| format!("{}: {e}", path.display()))
    }
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
        // Version 2 for a setup on data (a landscape kind version 1 does not know).
        let version = if matches!(s.setup.landscape, LandscapeSpec::Data { .. }) {
            2
        } else {
            1
        };
        assert!(
            text.starts_with(&format!("downhill-setup-{version}.")),
            "{text}"
        );
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
        let newer = text.replacen("downhill-setup-1.", "downhill-setup-7.", 1);
        let e = Shared::from_text(&newer).unwrap_err();
        assert!(e.to_string().contains("newer downhill"), "{e}");
        assert_eq!(Shared::from_text("hello world"), Err(ShareError::NotASetup));
        assert!(Shared::from_text("downhill-setup-1.!!!").is_err());
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
}
