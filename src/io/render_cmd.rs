//! `downhill render`: the glue from flags to [`crate::render`]'s pictures.

use std::io::Write;

use downhill_engine::run::Run;

use super::Failure;
use super::args::RenderArgs;

/// `downhill render`: runs every run (from the flags, or a setup text) and draws them.
pub fn render(args: &RenderArgs, err: &mut impl Write) -> Result<(), Failure> {
    use crate::render::{Kind, Picture, RenderRun};
    let kind = Kind::of(&args.output)?;
    if !args.three_d && (args.azimuth.is_some() || args.elevation.is_some()) {
        return Err(Failure::Bad(
            "--azimuth and --elevation turn the camera of --3d: give --3d too".into(),
        ));
    }
    if args.three_d && kind == Kind::Svg {
        return Err(Failure::Bad(
            "a 3-D picture is a PNG or a GIF: end the file name in .png or .gif".into(),
        ));
    }
    if let Some(e) = args.elevation
        && !(-10.0..=90.0).contains(&e)
    {
        return Err(Failure::Bad(format!(
            "--elevation {e}: give an angle from -10 to 90 degrees"
        )));
    }
    let size = args.size.unwrap_or(match kind {
        Kind::Gif => (800, 600),
        _ => (1200, 900),
    });
    crate::render::check_size(size)?;
    let (resolved, setup_view) = args.run.resolve_all()?;
    let view = args.view.or(setup_view);
    let Some(first) = resolved.first() else {
        return Err(Failure::Bad("nothing to draw".into()));
    };
    let landscape = first.landscape.clone();
    let minima = landscape.minima();
    let view = view.unwrap_or_else(|| landscape.fit_view(&minima));
    let mut runs = Vec::new();
    for r in &resolved {
        // Every run on the first run's landscape: a network's plane follows the first run.
        let mut run = Run::new(landscape.clone(), &r.config, r.start).map_err(|e| e.to_string())?;
        // A bounded path, however many steps: memory does not grow with steps × runs.
        let path = crate::render::record(&mut run, r.steps);
        writeln!(
            err,
            "{}: status: {} after {} steps",
            r.config.label(),
            run.status(),
            run.step()
        )?;
        runs.push(RenderRun {
            label: r.config.label(),
            path,
            status: run.status(),
            manner: run.manner(),
        });
    }
    let picture = Picture {
        output: args.output.clone(),
        size,
        title: args
            .title
            .clone()
            .unwrap_or_else(|| crate::render::default_title(&landscape)),
        view,
        minima,
    };
    if args.three_d {
        let mut camera = downhill_engine::picture::surface::Camera::default();
        camera.azimuth = args.azimuth.unwrap_or(camera.azimuth);
        camera.elevation = args.elevation.unwrap_or(camera.elevation);
        // Into (−180, 180]: `--azimuth 720` is the default's angle again.
        camera.orbit(0.0, 0.0);
        crate::render::scene3d::render(&landscape, &runs, &picture, camera)?;
    } else {
        crate::render::render(&landscape, &runs, &picture)?;
    }
    writeln!(
        err,
        "wrote {} ({}x{})",
        args.output.display(),
        size.0,
        size.1
    )?;
    Ok(())
}
