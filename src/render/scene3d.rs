//! `downhill render --3d`: the 3-D view as a PNG, or a GIF that orbits while the paths grow.
//! The scene is the window's ([`downhill_engine::picture::surface`]: the same mesh, ribbons, balls, floor contours
//! and camera); a small z-buffer rasterizer draws it on the CPU (Gouraud-shaded triangles,
//! depth-tested lines), and plotters adds the title and the legend with the built-in font.

use std::sync::Arc;

use nalgebra::Matrix4;
use plotters::prelude::*;

use crate::render::{Kind, Picture, RUN_COLOURS, RenderRun, fonts};
use downhill_engine::landscape::{Landscape, View};
use downhill_engine::picture::image::{FieldRequest, compute};
use downhill_engine::picture::surface::{
    Camera, Footprint, Mesh, STRIDE, ball, floor_contours, on_surface, over_footprint, path_ribbon,
    project,
};

/// Samples per side of the surface in a picture.
const SAMPLES: usize = 192;
/// Frames of an orbiting GIF (10° each).
const ORBIT_FRAMES: usize = 36;
/// The background, as the window's dark theme.
const BACKGROUND: [u8; 3] = [27, 27, 27];

/// A colour buffer with depth.
struct Canvas {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
    depth: Vec<f32>,
}

impl Canvas {
    fn new(w: usize, h: usize) -> Self {
        let mut rgb = vec![0; w * h * 3];
        for px in rgb.chunks_exact_mut(3) {
            px.copy_from_slice(&BACKGROUND);
        }
        Self {
            w,
            h,
            rgb,
            depth: vec![f32::INFINITY; w * h],
        }
    }

    fn plot(&mut self, x: usize, y: usize, z: f32, c: [f32; 3]) {
        let k = y * self.w + x;
        if z < self.depth[k] {
            self.depth[k] = z;
            for (o, v) in self.rgb[k * 3..k * 3 + 3].iter_mut().zip(c) {
                *o = (v.clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
            }
        }
    }

    /// A triangle of projected vertices (x, y, depth) with their colours.
    fn triangle(&mut self, p: [[f32; 3]; 3], c: [[f32; 3]; 3]) {
        if !p.iter().flatten().all(|v| v.is_finite()) {
            return;
        }
        let (minx, maxx) = (
            p.iter().map(|v| v[0]).fold(f32::INFINITY, f32::min),
            p.iter().map(|v| v[0]).fold(f32::NEG_INFINITY, f32::max),
        );
        let (miny, maxy) = (
            p.iter().map(|v| v[1]).fold(f32::INFINITY, f32::min),
            p.iter().map(|v| v[1]).fold(f32::NEG_INFINITY, f32::max),
        );
        if !(minx.is_finite() && maxx.is_finite() && miny.is_finite() && maxy.is_finite()) {
            return;
        }
        let x0 = minx.floor().max(0.0) as usize;
        let x1 = (maxx.ceil() as isize).min(self.w as isize - 1);
        let y0 = miny.floor().max(0.0) as usize;
        let y1 = (maxy.ceil() as isize).min(self.h as isize - 1);
        if x1 < 0 || y1 < 0 {
            return;
        }
        let area =
            (p[1][0] - p[0][0]) * (p[2][1] - p[0][1]) - (p[2][0] - p[0][0]) * (p[1][1] - p[0][1]);
        if area.abs() < 1e-12 {
            return;
        }
        for y in y0..=y1 as usize {
            for x in x0..=x1 as usize {
                let (px, py) = (x as f32 + 0.5, y as f32 + 0.5);
                let edge = |a: [f32; 3], b: [f32; 3]| {
                    (b[0] - a[0]) * (py - a[1]) - (px - a[0]) * (b[1] - a[1])
                };
                let w0 = edge(p[1], p[2]) / area;
                let w1 = edge(p[2], p[0]) / area;
                let w2 = 1.0 - w0 - w1;
                if w0 < 0.0 || w1 < 0.0 || w2 < 0.0 {
                    continue;
                }
                let z = w0 * p[0][2] + w1 * p[1][2] + w2 * p[2][2];
                let col = [0, 1, 2].map(|i| w0 * c[0][i] + w1 * c[1][i] + w2 * c[2][i]);
                self.plot(x, y, z, col);
            }
        }
    }

    /// A depth-tested line, `width` pixels wide.
    fn line(&mut self, a: [f32; 3], b: [f32; 3], c: [f32; 3], width: usize) {
        if !a.iter().chain(&b).all(|v| v.is_finite()) {
            return;
        }
        let steps = ((b[0] - a[0]).abs().max((b[1] - a[1]).abs()).ceil() as usize).clamp(1, 4096);
        for s in 0..=steps {
            let t = s as f32 / steps as f32;
            let p = [0, 1, 2].map(|i| a[i] + t * (b[i] - a[i]));
            for dy in 0..width {
                for dx in 0..width {
                    let (x, y) = (p[0] as isize + dx as isize, p[1] as isize + dy as isize);
                    if x >= 0 && y >= 0 && (x as usize) < self.w && (y as usize) < self.h {
                        // Lines sit a hair in front of what they lie on.
                        self.plot(x as usize, y as usize, p[2] - 1e-4, c);
                    }
                }
            }
        }
    }
}

/// Lit colour of a vertex: ambient plus two-sided diffuse, or its own colour when unlit.
fn shade(v: &[f32]) -> [f32; 3] {
    let n = [v[3], v[4], v[5]];
    let c = [v[6], v[7], v[8]];
    let len2 = n[0] * n[0] + n[1] * n[1] + n[2] * n[2];
    if len2 < 0.01 {
        return c;
    }
    let l = [-0.4f32, 1.0, 0.6];
    let ll = (l[0] * l[0] + l[1] * l[1] + l[2] * l[2]).sqrt();
    let d = ((n[0] * l[0] + n[1] * l[1] + n[2] * l[2]) / (len2.sqrt() * ll)).abs();
    c.map(|v| v * (0.35 + 0.65 * d))
}

fn draw_mesh(canvas: &mut Canvas, m: &Mesh, vp: &Matrix4<f32>) {
    let (w, h) = (canvas.w as f32, canvas.h as f32);
    let projected: Vec<Option<[f32; 3]>> = m
        .vertices
        .chunks_exact(STRIDE)
        .map(|v| project(vp, [v[0], v[1], v[2]], w, h))
        .collect();
    let colours: Vec<[f32; 3]> = m.vertices.chunks_exact(STRIDE).map(shade).collect();
    for t in m.indices.chunks_exact(3) {
        let ids = [t[0] as usize, t[1] as usize, t[2] as usize];
        if let [Some(a), Some(b), Some(c)] = ids.map(|i| projected.get(i).copied().flatten()) {
            canvas.triangle([a, b, c], ids.map(|i| colours[i]));
        }
    }
}

fn draw_lines(canvas: &mut Canvas, v: &[f32], vp: &Matrix4<f32>) {
    let (w, h) = (canvas.w as f32, canvas.h as f32);
    for pair in v.chunks_exact(2 * STRIDE) {
        let (a, b) = (&pair[..STRIDE], &pair[STRIDE..]);
        if let (Some(pa), Some(pb)) = (
            project(vp, [a[0], a[1], a[2]], w, h),
            project(vp, [b[0], b[1], b[2]], w, h),
        ) {
            canvas.line(pa, pb, [a[6], a[7], a[8]], 1);
        }
    }
}

fn rgba(c: RGBColor) -> [f32; 4] {
    [
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
        1.0,
    ]
}

/// The window shown in 3-D: the picture's view, made square unless the landscape is data.
fn square(landscape: &Landscape, v: View) -> View {
    if landscape.data().is_some() {
        return v;
    }
    let (cx, cy) = (0.5 * (v.x[0] + v.x[1]), 0.5 * (v.y[0] + v.y[1]));
    let half = 0.5 * (v.x[1] - v.x[0]).max(v.y[1] - v.y[0]);
    View {
        x: [cx - half, cx + half],
        y: [cy - half, cy + half],
    }
}

/// The scene's surface and floor lines (the same for every frame).
struct Stage {
    image: downhill_engine::picture::image::FieldImage,
    surface: Mesh,
    lines: Vec<f32>,
}

fn stage(landscape: &Arc<Landscape>, pic: &Picture) -> Result<Stage, String> {
    let view = square(landscape, pic.view);
    let image = compute(
        0,
        &FieldRequest {
            landscape: Arc::clone(landscape),
            view,
            focus: view,
            nx: SAMPLES,
            ny: SAMPLES,
            gradient: true,
        },
    );
    let surface = Some(downhill_engine::picture::surface::surface(&image))
        .filter(|m| !m.indices.is_empty())
        .ok_or("the landscape has no finite values in the window: nothing to draw in 3-D")?;
    let foot = Footprint {
        view: surface.footprint.unwrap_or(view),
    };
    let mut lines = floor_contours(&surface, &foot, [0.75, 0.75, 0.75, 1.0]);
    if let Some(scale) = surface.scale {
        for m in &pic.minima {
            for p in [
                foot.world(*m, -0.05),
                on_surface(&foot, &scale, *m, landscape.value(*m)),
            ] {
                lines.extend_from_slice(&p);
                lines.extend_from_slice(&[0.0; 3]);
                lines.extend_from_slice(&[1.0, 1.0, 1.0, 1.0]);
            }
        }
    }
    Ok(Stage {
        image,
        surface,
        lines,
    })
}

/// One frame: the stage, the runs up to `upto`, seen by `camera`.
fn frame(
    stage: &Stage,
    runs: &[RenderRun],
    upto: Option<usize>,
    camera: &Camera,
    size: (u32, u32),
) -> Vec<u8> {
    let (w, h) = (size.0 as usize, size.1 as usize);
    let mut canvas = Canvas::new(w, h);
    let vp = camera.view_proj(w as f64 / h.max(1) as f64);
    draw_mesh(&mut canvas, &stage.surface, &vp);
    draw_lines(&mut canvas, &stage.lines, &vp);
    let foot = Footprint {
        view: stage.surface.footprint.unwrap_or(stage.image.view),
    };
    if let Some(scale) = stage.surface.scale {
        let mut paths = Mesh::default();
        for (k, run) in runs.iter().enumerate() {
            let colour = rgba(RUN_COLOURS[k % RUN_COLOURS.len()]);
            let end = upto.map_or(run.len(), |u| (u + 1).min(run.len()));
            let rows: Vec<_> = run
                .rows_to(end, downhill_engine::picture::surface::MAX_PATH_POINTS)
                .collect();
            let pts = rows.iter().map(|r| (r.w, r.loss));
            path_ribbon(&mut paths, pts, &foot, &scale, colour, 0.014);
            if let Some(r) = rows.last() {
                let p = on_surface(&foot, &scale, r.w, r.loss);
                if over_footprint(p) {
                    ball(&mut paths, p, 0.03, colour);
                }
            }
        }
        draw_mesh(&mut canvas, &paths, &vp);
    }
    canvas.rgb
}

/// Draws the 3-D picture (PNG) or an orbit (GIF) of `runs` on `landscape`.
pub fn render(
    landscape: &Landscape,
    runs: &[RenderRun],
    pic: &Picture,
    camera: Camera,
) -> Result<(), String> {
    fonts()?;
    let kind = Kind::of(&pic.output)?;
    crate::render::check_size(pic.size)?;
    crate::render::check_view(&pic.view)?;
    let landscape = Arc::new(landscape.clone());
    let stage = stage(&landscape, pic)?;
    // A network's plane says how much of the path it holds, as the flat picture does.
    let note = landscape
        .net()
        .map(|n| crate::render::capitalized(&n.plane_note()));
    let err = |e: &dyn std::fmt::Display| {
        format!(
            "cannot write {}: {}",
            pic.output.display(),
            crate::atomic::tidy(&e.to_string())
        )
    };
    if kind == Kind::Svg {
        return Err("a 3-D picture is a PNG or a GIF: end the file name in .png or .gif".into());
    }
    // Drawn into a temporary file beside the output and renamed into place when complete.
    crate::atomic::write_with(&pic.output, |out| {
        if kind == Kind::Png {
            let root = BitMapBackend::new(out, pic.size).into_drawing_area();
            let rgb = frame(&stage, runs, None, &camera, pic.size);
            decorate(&root, rgb, runs, pic, &camera, note.as_deref()).map_err(|e| err(&e))?;
            return root.present().map_err(|e| err(&e));
        }
        let longest = runs.iter().map(RenderRun::len).max().unwrap_or(1).max(1);
        let root = BitMapBackend::gif(out, pic.size, 110)
            .map_err(|e| err(&e))?
            .into_drawing_area();
        for f in 1..=ORBIT_FRAMES {
            // A full turn while the paths grow to their end.
            let mut cam = camera;
            cam.orbit(360.0 * (f - 1) as f64 / ORBIT_FRAMES as f64, 0.0);
            let upto = (longest - 1) * f / ORBIT_FRAMES;
            let rgb = frame(&stage, runs, Some(upto), &cam, pic.size);
            decorate(&root, rgb, runs, pic, &cam, note.as_deref()).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))?;
        }
        Ok(())
    })
}

/// The frame's pixels, the title, the legend and the camera's angles.
fn decorate<DB: DrawingBackend>(
    root: &DrawingArea<DB, plotters::coord::Shift>,
    rgb: Vec<u8>,
    runs: &[RenderRun],
    pic: &Picture,
    camera: &Camera,
    note: Option<&str>,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    if let Some(img) = BitMapElement::with_owned_buffer((0, 0), pic.size, rgb) {
        root.draw(&img)?;
    }
    let white = RGBColor(235, 235, 235);
    root.draw(&Text::new(
        pic.title.clone(),
        (16, 12),
        ("sans-serif", 22).into_font().color(&white),
    ))?;
    root.draw(&Text::new(
        format!(
            "azimuth {:.0}°, elevation {:.0}°",
            camera.azimuth, camera.elevation
        ),
        (16, pic.size.1 as i32 - 26),
        ("sans-serif", 14)
            .into_font()
            .color(&RGBColor(170, 170, 170)),
    ))?;
    let top = match note {
        Some(n) => {
            root.draw(&Text::new(
                n.to_owned(),
                (16, 40),
                ("sans-serif", 14)
                    .into_font()
                    .color(&RGBColor(200, 200, 200)),
            ))?;
            68
        }
        None => 46,
    };
    for (k, run) in runs.iter().enumerate() {
        let y = top + 22 * k as i32;
        let c = RUN_COLOURS[k % RUN_COLOURS.len()];
        root.draw(&Rectangle::new([(16, y + 4), (36, y + 10)], c.filled()))?;
        root.draw(&Text::new(
            format!("{} — {}", run.label, run.words()),
            (44, y),
            ("sans-serif", 15).into_font().color(&white),
        ))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_triangle_fills_its_inside_and_depth_decides() {
        let mut c = Canvas::new(20, 20);
        c.triangle(
            [[2.0, 2.0, 0.5], [18.0, 2.0, 0.5], [2.0, 18.0, 0.5]],
            [[1.0, 0.0, 0.0]; 3],
        );
        let at =
            |c: &Canvas, x: usize, y: usize| c.rgb[(y * 20 + x) * 3..(y * 20 + x) * 3 + 3].to_vec();
        assert_eq!(at(&c, 4, 4), vec![255, 0, 0]);
        assert_eq!(at(&c, 17, 17), BACKGROUND.to_vec());
        // Nearer wins, farther does not overwrite.
        c.triangle(
            [[0.0, 0.0, 0.2], [20.0, 0.0, 0.2], [0.0, 20.0, 0.2]],
            [[0.0, 1.0, 0.0]; 3],
        );
        assert_eq!(at(&c, 4, 4), vec![0, 255, 0]);
        c.triangle(
            [[0.0, 0.0, 0.9], [20.0, 0.0, 0.9], [0.0, 20.0, 0.9]],
            [[0.0, 0.0, 1.0]; 3],
        );
        assert_eq!(at(&c, 4, 4), vec![0, 255, 0]);
    }
}
