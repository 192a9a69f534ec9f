//! `downhill render` writes real pictures: decoded, they have the asked size and show a drawn
//! plot (many colours, little blank), an SVG has its vectors and text, a GIF grows.

#![allow(clippy::unwrap_used)]

mod common;

use std::path::PathBuf;

use common::{assert_refused, downhill};
use image::AnimationDecoder as _;

fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("downhill-render-{}-{name}", std::process::id()))
}

/// Distinct colours and the share of pixels that are not white.
fn variety(img: &image::RgbaImage) -> (usize, f64) {
    let mut colours = std::collections::HashSet::new();
    let mut drawn = 0usize;
    for p in img.pixels() {
        colours.insert(p.0);
        if p.0[..3] != [255, 255, 255] {
            drawn += 1;
        }
    }
    (
        colours.len(),
        drawn as f64 / (img.width() * img.height()) as f64,
    )
}

const RACE: [&str; 13] = [
    "render",
    "--landscape",
    "rosenbrock",
    "--optimizer",
    "sgd",
    "--optimizer",
    "adam",
    "--lr",
    "0.001",
    "--lr",
    "0.02",
    "--steps",
    "2000",
];

#[test]
fn a_png_shows_the_landscape_and_the_runs() {
    let file = temp("race.png");
    let mut args = RACE.to_vec();
    args.extend(["--output", file.to_str().unwrap(), "--size", "900x700"]);
    let o = downhill(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("GD η = 0.001: status: converging after 2000 steps"),
        "{err}"
    );
    assert!(err.contains("Adam η = 0.02: status:"), "{err}");
    let img = image::open(&file).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (900, 700));
    let (colours, drawn) = variety(&img);
    assert!(colours > 500, "only {colours} colours");
    assert!(drawn > 0.6, "mostly blank: {drawn}");
    // The run colours are there: the first run's orange, somewhere on the path.
    assert!(img.pixels().any(|p| p.0[..3] == [255, 112, 67]));
    std::fs::remove_file(&file).ok();
}

#[test]
fn an_svg_has_the_heat_map_the_paths_and_the_legend() {
    let file = temp("race.svg");
    let mut args = RACE.to_vec();
    args.extend([
        "--output",
        file.to_str().unwrap(),
        "--title",
        "Two optimizers",
    ]);
    let o = downhill(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let svg = std::fs::read_to_string(&file).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(r#"width="1200""#));
    assert!(svg.contains("<image"), "no embedded heat map");
    assert!(svg.matches("<polyline").count() > 20, "too few lines");
    assert!(svg.contains("Two optimizers"));
    assert!(svg.contains("Adam η = 0.02"));
    std::fs::remove_file(&file).ok();
}

#[test]
fn a_gif_shows_the_runs_growing() {
    let file = temp("bowl.gif");
    let o = downhill(&[
        "render",
        "--landscape",
        "bowl",
        "--lr",
        "0.2",
        "--steps",
        "30",
        "--output",
        file.to_str().unwrap(),
        "--size",
        "400x300",
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(
        std::fs::File::open(&file).unwrap(),
    ))
    .unwrap();
    let frames: Vec<image::Frame> = decoder.into_frames().collect::<Result<_, _>>().unwrap();
    // The start, then one frame per step.
    assert_eq!(frames.len(), 31);
    let (first, last) = (frames[0].buffer(), frames[30].buffer());
    assert_eq!(first.dimensions(), (400, 300));
    let (colours, drawn) = variety(last);
    assert!(
        colours > 50 && drawn > 0.4,
        "{colours} colours, {drawn} drawn"
    );
    assert_ne!(first, last, "the path does not grow");
    std::fs::remove_file(&file).ok();
}

#[test]
fn a_setup_text_renders_all_its_runs_and_bad_input_is_refused() {
    use downhill_engine::run::setup::{RunSpec, Setup};
    let mut setup = Setup {
        steps: 50,
        ..Setup::default()
    };
    setup
        .runs
        .push(RunSpec::new(downhill_engine::run::RunConfig::new(
            downhill_engine::optim::OptimizerKind::Adam,
        )));
    let text = downhill_engine::run::share::Shared { setup, view: None }.to_text();
    let file = temp("setup.png");
    let o = downhill(&[
        "render",
        "--setup",
        &text,
        "--output",
        file.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(err.matches("status:").count(), 2, "{err}");
    std::fs::remove_file(&file).ok();

    for (args, says) in [
        (
            vec!["render", "--output", "x.jpg"],
            "end the file name in .png, .svg or .gif",
        ),
        (
            vec![
                "render",
                "--optimizer",
                "sgd",
                "--optimizer",
                "adam",
                "--lr",
                "0.1",
                "--lr",
                "0.2",
                "--lr",
                "0.3",
                "--output",
                "x.png",
            ],
            "--lr is given 3 times for 2 runs",
        ),
        (
            vec!["render", "--size", "10x10", "--output", "x.png"],
            "64 to 8000",
        ),
        (
            vec!["render", "--view", "1,0,0,1", "--output", "x.png"],
            "X0 < X1",
        ),
        (
            vec!["trace", "--optimizer", "sgd", "--optimizer", "adam"],
            "trace prints one run",
        ),
    ] {
        assert_refused(&args, says);
    }
}

/// `render --3d`: the surface as a PNG, seen from where the camera flags say (from the top it
/// is the 2-D picture's layout); an orbiting GIF; refusals.
#[test]
fn three_d_pictures_show_the_surface_and_turn() {
    let file = temp("surface.png");
    let mut args = RACE.to_vec();
    args.extend([
        "--3d",
        "--output",
        file.to_str().unwrap(),
        "--size",
        "640x480",
    ]);
    let o = downhill(&args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let img = image::open(&file).unwrap().to_rgba8();
    assert_eq!(img.dimensions(), (640, 480));
    let (colours, _) = variety(&img);
    assert!(colours > 500, "only {colours} colours");
    // The surface covers a good part of the picture (the rest is the dark background).
    let background = img.pixels().filter(|p| p.0[..3] == [27, 27, 27]).count();
    let covered = 1.0 - background as f64 / (640.0 * 480.0);
    assert!(covered > 0.25, "surface covers {covered}");
    // Another camera, another picture.
    let top = temp("surface-top.png");
    let mut args = RACE.to_vec();
    args.extend([
        "--3d",
        "--elevation",
        "90",
        "--azimuth",
        "0",
        "--output",
        top.to_str().unwrap(),
        "--size",
        "640x480",
    ]);
    assert_eq!(downhill(&args).status.code(), Some(0));
    assert_ne!(img, image::open(&top).unwrap().to_rgba8());

    let gif = temp("orbit.gif");
    let o = downhill(&[
        "render",
        "--3d",
        "--landscape",
        "himmelblau",
        "--start",
        "0,0",
        "--lr",
        "0.01",
        "--steps",
        "100",
        "--size",
        "240x180",
        "--output",
        gif.to_str().unwrap(),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let decoder = image::codecs::gif::GifDecoder::new(std::io::BufReader::new(
        std::fs::File::open(&gif).unwrap(),
    ))
    .unwrap();
    let frames: Vec<image::Frame> = decoder.into_frames().collect::<Result<_, _>>().unwrap();
    assert_eq!(frames.len(), 36);
    assert_ne!(
        frames[0].buffer(),
        frames[9].buffer(),
        "the camera does not turn"
    );

    assert_refused(
        &["render", "--azimuth", "30", "--output", "x.png"],
        "give --3d too",
    );
    assert_refused(&["render", "--3d", "--output", "x.svg"], "PNG or a GIF");
    assert_refused(
        &["render", "--3d", "--elevation", "120", "--output", "x.png"],
        "-10 to 90",
    );
    for f in [file, top, gif] {
        std::fs::remove_file(f).ok();
    }
}

/// A picture is written beside its target and renamed into place: a render that fails keeps
/// the previous file whole, says so in one plain line, and leaves no temporary file.
#[test]
fn a_failed_render_keeps_the_previous_picture() {
    let o = downhill(&[
        "render",
        "--landscape",
        "bowl",
        "--steps",
        "3",
        "--output",
        "/no/such/folder/bowl.png",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        common::stderr(&o).lines().last(),
        Some("error: cannot write /no/such/folder/bowl.png: No such file or directory")
    );
    // A full disk: a small tmpfs (needs root; skipped elsewhere).
    let dir = temp("full");
    std::fs::create_dir_all(&dir).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=48k", "tmpfs"])
        .arg(&dir)
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped the full-disk case: cannot mount a tmpfs here");
        return;
    }
    let out = dir.join("bowl.png");
    std::fs::write(&out, b"the previous picture").unwrap();
    let o = downhill(&[
        "render",
        "--landscape",
        "bowl",
        "--steps",
        "3",
        "--size",
        "2000x2000",
        "--output",
        out.to_str().unwrap(),
    ]);
    let err = common::stderr(&o);
    let kept = std::fs::read(&out).unwrap();
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    std::process::Command::new("umount").arg(&dir).status().ok();
    assert_eq!(o.status.code(), Some(2), "{err}");
    let last = err.lines().last().unwrap_or_default();
    assert!(last.contains("the previous file is unchanged"), "{err}");
    assert!(!err.contains("Os {"), "{err}");
    assert_eq!(kept, b"the previous picture");
    assert_eq!(names, ["bowl.png"]);
}

/// A view whose width overflows (−1e308 to 1e308) is refused at once, not drawn forever.
#[test]
fn an_overflowing_view_is_refused() {
    let out = temp("huge.png");
    assert_refused(
        &[
            "render",
            "--landscape",
            "bowl",
            "--steps",
            "3",
            "--view=-1e308,1e308,-1,1",
            "--output",
            out.to_str().unwrap(),
        ],
        "the view's width and height must be finite",
    );
    assert!(!out.exists());
}

/// A run that blows up ends in an arrow at the edge with "diverged" written by it, not a dot
/// pinned to the frame; a run that ends in view keeps its end dot.
#[test]
fn a_diverged_run_ends_in_an_arrow_at_the_edge() {
    let svg = |lr: &str, name: &str| {
        let file = temp(name);
        let o = downhill(&[
            "render",
            "--lr",
            lr,
            "--steps",
            "60",
            "--output",
            file.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", common::stderr(&o));
        let text = std::fs::read_to_string(&file).unwrap();
        let _ = std::fs::remove_file(&file);
        text
    };
    // The label by the arrow stands alone; the legend's says "GD η = 0.3 — diverged".
    let alone = |s: &str| {
        s.split("</text>")
            .filter(|t| t.trim_end().ends_with(">\ndiverged"))
            .count()
    };
    let diverged = svg("0.3", "diverged.svg");
    assert_eq!(alone(&diverged), 1, "no 'diverged' by an arrow");
    assert!(diverged.contains("<polygon"), "no arrowhead");
    assert_eq!(
        diverged.matches("<circle").count(),
        1,
        "only the start is a circle"
    );
    let converged = svg("0.1", "converged.svg");
    assert_eq!(alone(&converged), 0);
    assert_eq!(
        converged.matches("<circle").count(),
        3,
        "start, end dot and its outline"
    );
}
