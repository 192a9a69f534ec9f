//! `downhill render`: the landscape as a picture for slides and worksheets — heat map, contour
//! lines, colour bar, each run's path with its start and end marked, a legend naming each run
//! and its status, a title — as PNG, SVG (the heat map embedded as an image, lines as vectors)
//! or an animated GIF of the runs growing. Drawn with plotters; the numbers come from the same
//! engine as the window (the field from [`downhill_engine::picture::image::compute`], the paths from
//! [`Run`]).

pub mod scene3d;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use plotters::coord::Shift;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::FontStyle;

use downhill_engine::format::{short, sig};
use downhill_engine::geometry::Vec2;
use downhill_engine::landscape::{Landscape, View};
use downhill_engine::picture::image::{FieldImage, FieldRequest};
use downhill_engine::run::path::{PathBuilder, RunPath};
use downhill_engine::run::{Manner, Row, Status};

/// What kind of file to write, from its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Png,
    Svg,
    Gif,
}

impl Kind {
    /// The kind for `path`'s extension, or a message naming the ones there are.
    pub fn of(path: &Path) -> Result<Self, String> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("png") => Ok(Self::Png),
            Some("svg") => Ok(Self::Svg),
            Some("gif") => Ok(Self::Gif),
            _ => Err(format!(
                "cannot tell the picture's kind from '{}': end the file name in .png, .svg or .gif",
                path.display()
            )),
        }
    }
}

/// One run to draw: its name, its path (bounded in memory whatever the step count, as the
/// window keeps it: the latest rows whole, older ones thinned) and how it ended.
#[derive(Clone, Debug)]
pub struct RenderRun {
    pub label: String,
    pub path: RunPath,
    pub status: Status,
    /// Smooth or zig-zag, said in the legend with the status.
    pub manner: Manner,
}

impl RenderRun {
    /// The legend's words for how the run ended, as the window says them.
    pub fn words(&self) -> String {
        self.status.words(self.manner)
    }
}

impl RenderRun {
    /// The steps the run covers: its last row's step + 1.
    pub fn len(&self) -> usize {
        self.path.len()
    }

    pub fn is_empty(&self) -> bool {
        self.path.is_empty()
    }

    /// The rows to draw of steps `0..end`: at most about `max`, the start and the latest kept.
    pub fn rows_to(&self, end: usize, max: usize) -> impl Iterator<Item = &Row> + '_ {
        self.path.thinned_to(end, max).map(|(_, r)| r)
    }
}

/// The picture's settings.
#[derive(Clone, Debug)]
pub struct Picture {
    pub output: PathBuf,
    pub size: (u32, u32),
    pub title: String,
    pub view: View,
    /// Known minima, marked with a cross.
    pub minima: Vec<downhill_engine::geometry::Vec2>,
}

/// The runs' colours: those of the window's dark theme, readable on viridis.
pub(crate) const RUN_COLOURS: [RGBColor; 18] = [
    RGBColor(255, 112, 67),
    RGBColor(255, 255, 255),
    RGBColor(255, 64, 200),
    RGBColor(0, 229, 255),
    RGBColor(255, 23, 68),
    RGBColor(198, 255, 0),
    RGBColor(255, 241, 118),
    RGBColor(179, 157, 219),
    RGBColor(128, 222, 234),
    RGBColor(255, 171, 145),
    RGBColor(165, 214, 167),
    RGBColor(244, 143, 177),
    RGBColor(144, 202, 249),
    RGBColor(255, 204, 128),
    RGBColor(206, 147, 216),
    RGBColor(230, 238, 156),
    RGBColor(188, 170, 164),
    RGBColor(128, 203, 196),
];
/// Frames of an animated GIF at most.
const GIF_FRAMES: usize = 60;
/// Path points drawn per run at most (a long run is thinned evenly, its end kept).
const MAX_POINTS: usize = 20_000;

/// egui's Ubuntu font as plotters' sans-serif, once: pictures look the same everywhere and
/// need no system fonts.
pub(crate) fn fonts() -> Result<(), String> {
    static DONE: OnceLock<Result<(), String>> = OnceLock::new();
    DONE.get_or_init(|| {
        plotters::style::register_font(
            "sans-serif",
            FontStyle::Normal,
            epaint_default_fonts::UBUNTU_LIGHT,
        )
        .map_err(|_| "the built-in font could not be loaded".to_owned())
    })
    .clone()
}

/// Draws `runs` on `landscape` into the picture's file.
pub fn render(landscape: &Landscape, runs: &[RenderRun], pic: &Picture) -> Result<(), String> {
    fonts()?;
    let kind = Kind::of(&pic.output)?;
    check_size(pic.size)?;
    check_view(&pic.view)?;
    let (w, h) = pic.size;
    let landscape = Arc::new(landscape.clone());
    let err = |e: &dyn std::fmt::Display| {
        format!(
            "cannot write {}: {}",
            pic.output.display(),
            crate::atomic::tidy(&e.to_string())
        )
    };
    // Drawn into a temporary file beside the output and renamed into place when complete.
    crate::atomic::write_with(&pic.output, |out| match kind {
        Kind::Png => {
            let root = BitMapBackend::new(out, pic.size).into_drawing_area();
            let field = field_for(&landscape, pic, w as usize, h as usize);
            draw(&root, &field, runs, pic, None).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))
        }
        Kind::Svg => {
            let root = SVGBackend::new(out, pic.size).into_drawing_area();
            // The heat map is an embedded image; half resolution keeps the file small.
            let field = field_for(&landscape, pic, w as usize / 2, h as usize / 2);
            draw(&root, &field, runs, pic, None).map_err(|e| err(&e))?;
            root.present().map_err(|e| err(&e))
        }
        Kind::Gif => {
            let longest = runs.iter().map(RenderRun::len).max().unwrap_or(1).max(1);
            let frames = longest.clamp(1, GIF_FRAMES);
            let delay = (4000 / frames as u32).clamp(40, 400);
            let root = BitMapBackend::gif(out, pic.size, delay)
                .map_err(|e| err(&e))?
                .into_drawing_area();
            let field = field_for(&landscape, pic, w as usize, h as usize);
            for f in 1..=frames {
                // Frame f shows each run up to the same fraction of the longest run.
                let upto = (longest - 1) * f / frames;
                draw(&root, &field, runs, pic, Some(upto)).map_err(|e| err(&e))?;
                root.present().map_err(|e| err(&e))?;
            }
            Ok(())
        }
    })
}

/// A window this renderer can draw: finite corners, and a width and height that are positive
/// and finite after subtraction (−1e308 to 1e308 overflows to ∞, and plotters' search for
/// tick marks would never end).
pub fn check_view(v: &View) -> Result<(), String> {
    let (w, h) = (v.x[1] - v.x[0], v.y[1] - v.y[0]);
    if w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0 {
        Ok(())
    } else {
        Err(format!(
            "the view {},{},{},{} cannot be drawn: its width and height must be positive and finite",
            short(v.x[0]),
            short(v.x[1]),
            short(v.y[0]),
            short(v.y[1])
        ))
    }
}

/// A picture size this renderer draws: each side 64 to 8000 pixels.
pub fn check_size((w, h): (u32, u32)) -> Result<(), String> {
    if (64..=8000).contains(&w) && (64..=8000).contains(&h) {
        Ok(())
    } else {
        Err(format!(
            "--size {w}x{h}: each side must be 64 to 8000 pixels"
        ))
    }
}

/// Picture work (grid values × [`Landscape::picture_cost`]) a rendered heat map spends at
/// most: a network's plane costs a pass over its data per value, so its grid is coarser than
/// the picture's pixels (2-8-8-1 over 1,000 points: about 160×120 values) and smoothed up to
/// them; every built-in gets a value per pixel.
const RENDER_WORK: usize = 500_000_000;

/// The heat map and contours of the picture's view, about `nx`×`ny` samples (fewer when each
/// costs a pass over a network's data, see [`RENDER_WORK`]).
fn field_for(landscape: &Arc<Landscape>, pic: &Picture, nx: usize, ny: usize) -> FieldImage {
    let (nx, ny) = (nx.clamp(16, 2000), ny.clamp(16, 2000));
    // At least 64 values a side: a picture for print is worth the wait.
    let (nx, ny) = downhill_engine::picture::image::budgeted_grid(
        nx,
        ny,
        landscape.picture_cost(),
        RENDER_WORK,
        64,
    );
    downhill_engine::picture::image::compute(
        0,
        &FieldRequest {
            landscape: Arc::clone(landscape),
            view: pic.view,
            focus: pic.view,
            nx,
            ny,
            gradient: false,
        },
    )
}

/// The names of the picture's axes: w0 and w1, or a network plane's directions ("PC1",
/// "d1", "p3 W1[1,1]").
fn axis_names(landscape: &Landscape) -> [String; 2] {
    landscape
        .net()
        .map_or_else(|| ["w0".into(), "w1".into()], |n| n.axis_names())
}

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

fn draw<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    field: &FieldImage,
    runs: &[RenderRun],
    pic: &Picture,
    upto: Option<usize>,
) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let text_size = (h as f64 * 0.018).clamp(10.0, 24.0);
    let title_size = fitting(&pic.title, (h as f64 * 0.035).clamp(14.0, 40.0), w);
    let root = root.titled(&pic.title, ("sans-serif", title_size))?;
    // A network's plane says under the title how much of the path it holds.
    let root = match field.landscape.net() {
        Some(n) => {
            let note = capitalized(&n.plane_note());
            let size = fitting(&note, text_size, w);
            root.titled(&note, ("sans-serif", size).into_font().color(&BLACK))?
        }
        None => root,
    };
    let bar_width = (w as f64 * 0.1).clamp(70.0, 160.0) as u32;
    let (main, bar) = root.split_horizontally(w.saturating_sub(bar_width));
    let v = pic.view;
    let [x_name, y_name] = axis_names(&field.landscape);
    let mut chart = ChartBuilder::on(&main)
        .margin(10)
        .x_label_area_size((text_size * 2.6) as u32)
        .y_label_area_size((text_size * 3.6) as u32)
        .build_cartesian_2d(v.x[0]..v.x[1], v.y[0]..v.y[1])?;
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_name)
        .y_desc(y_name)
        .label_style(("sans-serif", text_size))
        .draw()?;

    // The heat map, scaled to the plotting area.
    let (pw, ph) = chart.plotting_area().dim_in_pixel();
    let rgb = scaled_rgb(field, pw as usize, ph as usize);
    if let Some(img) = BitMapElement::with_owned_buffer((v.x[0], v.y[1]), (pw, ph), rgb) {
        chart.draw_series(std::iter::once(img))?;
    }
    let contour = RGBAColor(255, 255, 255, 0.45);
    for line in &field.contours {
        chart.draw_series(LineSeries::new(
            line.points.iter().map(|p| (p[0], p[1])),
            contour.stroke_width(1),
        ))?;
    }
    for m in &pic.minima {
        chart.draw_series(std::iter::once(Cross::new(
            (m.x, m.y),
            (text_size * 0.5) as u32,
            WHITE.stroke_width(2),
        )))?;
    }

    // The runs, their starts and ends, and the legend.
    let line_width = ((h as f64) / 300.0).clamp(2.0, 6.0) as u32;
    for (k, run) in runs.iter().enumerate() {
        let colour = RUN_COLOURS[k % RUN_COLOURS.len()];
        let end = upto.map_or(run.len(), |u| (u + 1).min(run.len()));
        let mut pts = finite_points(run.rows_to(end, MAX_POINTS));
        // An end outside the view (a run that blew up) is an arrow at the edge: the line
        // stops there, and no dot is pinned to the frame as if the run had ended there.
        let along: Vec<Vec2> = pts.iter().map(|&(x, y)| Vec2::new(x, y)).collect();
        let exit = downhill_engine::picture::exit::exit(&v, &along);
        if let Some(e) = exit
            && let Some(inside) = along.iter().rposition(|p| in_view(&v, *p))
        {
            pts.truncate(inside + 1);
            pts.push((e.at.x, e.at.y));
        }
        let label = match upto {
            Some(u) if u + 1 < run.len() => {
                format!("{} (step {})", run.label, end.saturating_sub(1))
            }
            _ => format!("{} — {}", run.label, run.words()),
        };
        chart
            .draw_series(LineSeries::new(
                pts.iter().copied(),
                colour.stroke_width(line_width),
            ))?
            .label(label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], colour.stroke_width(3))
            });
        let marker = (line_width * 3).max(6);
        if let Some(&start) = pts.first() {
            chart.draw_series(std::iter::once(Circle::new(
                start,
                marker,
                colour.stroke_width(2),
            )))?;
        }
        if let Some(e) = exit {
            exit_arrow(
                &chart,
                e,
                colour,
                line_width,
                text_size,
                run_exit_label(run.status),
            )?;
        } else if let Some(&last) = pts.last() {
            chart.draw_series(std::iter::once(Circle::new(last, marker, colour.filled())))?;
            chart.draw_series(std::iter::once(Circle::new(
                last,
                marker,
                BLACK.stroke_width(1),
            )))?;
        }
    }
    if !runs.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK)
            .label_font(("sans-serif", text_size))
            .draw()?;
    }
    colour_bar(&bar, field, text_size)?;
    Ok(())
}

fn in_view(v: &View, p: Vec2) -> bool {
    (v.x[0]..=v.x[1]).contains(&p.x) && (v.y[0]..=v.y[1]).contains(&p.y)
}

/// What the arrow at the edge says of a run whose end is outside the view (as in the window):
/// a run that blew up says so; any other is an arrow alone.
pub fn run_exit_label(status: Status) -> &'static str {
    match status {
        Status::Diverged | Status::Diverging | Status::LeftDomain => status.name(),
        _ => "",
    }
}

/// An arrow ending where a path leaves the view, pointing the way it went, with the run's fate
/// written at its tail.
fn exit_arrow<DB: DrawingBackend>(
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    exit: downhill_engine::picture::exit::Exit,
    colour: RGBColor,
    line_width: u32,
    text_size: f64,
    label: &str,
) -> DrawResult<DB> {
    let area = chart.plotting_area();
    let (bx, by) = area.get_base_pixel();
    let px = |p: Vec2| {
        let (x, y) = chart.backend_coord(&(p.x, p.y));
        (f64::from(x - bx), f64::from(y - by))
    };
    let v = area.get_x_range();
    let h = area.get_y_range();
    // The direction on the picture, from a point a tenth of the view back along the path.
    let back = exit.at - exit.dir * 0.1 * (v.end - v.start).max(h.end - h.start);
    let (tip, from) = (px(exit.at), px(back));
    let (dx, dy) = (tip.0 - from.0, tip.1 - from.1);
    let n = dx.hypot(dy);
    if !(n.is_finite() && n > 0.0) {
        return Ok(());
    }
    let (ux, uy) = (dx / n, dy / n);
    let (w, hgt) = area.dim_in_pixel();
    let len = 0.1 * f64::from(w.min(hgt));
    let head = (text_size * 0.9).max(10.0);
    let tail = (tip.0 - ux * len, tip.1 - uy * len);
    let pa = area.strip_coord_spec();
    let p = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
    pa.draw(&PathElement::new(
        vec![
            p(tail.0, tail.1),
            p(tip.0 - ux * head * 0.5, tip.1 - uy * head * 0.5),
        ],
        colour.stroke_width(line_width + 1),
    ))?;
    // The head: a filled triangle whose point is on the edge.
    let (bxh, byh) = (tip.0 - ux * head, tip.1 - uy * head);
    pa.draw(&Polygon::new(
        vec![
            p(tip.0, tip.1),
            p(bxh - uy * head * 0.55, byh + ux * head * 0.55),
            p(bxh + uy * head * 0.55, byh - ux * head * 0.55),
        ],
        colour.filled(),
    ))?;
    if label.is_empty() {
        return Ok(());
    }
    // The words beyond the tail, on the inside.
    let style = ("sans-serif", text_size).into_font().color(&colour);
    let (tw, th) = pa.estimate_text_size(label, &style).unwrap_or((0, 0));
    let (tw, th) = (f64::from(tw), f64::from(th));
    let at = (
        tail.0 - ux * 6.0 - tw * (0.5 + 0.5 * ux),
        tail.1 - uy * 6.0 - th * (0.5 + 0.5 * uy),
    );
    let at = (
        at.0.clamp(2.0, (f64::from(w) - tw - 2.0).max(2.0)),
        at.1.clamp(2.0, (f64::from(hgt) - th - 2.0).max(2.0)),
    );
    pa.draw(&Rectangle::new(
        [
            p(at.0 - 3.0, at.1 - 2.0),
            p(at.0 + tw + 3.0, at.1 + th + 2.0),
        ],
        RGBAColor(0, 0, 0, 0.55).filled(),
    ))?;
    pa.draw(&Text::new(label.to_owned(), p(at.0, at.1), style))?;
    Ok(())
}

/// A font size at most `size` at which `text` fits in `width` pixels (the built-in font's
/// letters average about half their size in width), but not below 9.
fn fitting(text: &str, size: f64, width: u32) -> f64 {
    let letters = text.chars().count().max(1) as f64;
    size.min(0.95 * f64::from(width) / (0.5 * letters)).max(9.0)
}

/// "the plane …" as "The plane …".
pub(crate) fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().chain(c).collect::<String>()
    })
}

/// The field's RGBA picture resampled to `w`×`h` RGB: nearest sample when the field has a
/// sample per pixel or more, blended between the four nearest (bilinear) when it is coarser,
/// so a network's coarse plane is smooth, not blocky. Undefined samples are light grey, and a
/// pixel next to one takes its nearest sample's colour.
fn scaled_rgb(field: &FieldImage, w: usize, h: usize) -> Vec<u8> {
    let mut out = vec![255u8; w * h * 3];
    let (nx, ny) = (field.nx, field.ny);
    if nx == 0 || ny == 0 || field.rgba.len() < nx * ny * 4 {
        return out;
    }
    let smooth = nx < w || ny < h;
    let px = |i: usize, j: usize| &field.rgba[(j * nx + i) * 4..][..4];
    for j in 0..h {
        // Pixel centres in sample units (sample k's centre at k + 1/2).
        let fy = (j as f64 + 0.5) * ny as f64 / h.max(1) as f64 - 0.5;
        for i in 0..w {
            let fx = (i as f64 + 0.5) * nx as f64 / w.max(1) as f64 - 0.5;
            let near = px(
                (fx.round().max(0.0) as usize).min(nx - 1),
                (fy.round().max(0.0) as usize).min(ny - 1),
            );
            let dst = &mut out[(j * w + i) * 3..][..3];
            if near[3] == 0 {
                // Undefined: light grey.
                dst.copy_from_slice(&[225, 225, 225]);
                continue;
            }
            dst.copy_from_slice(&near[..3]);
            if !smooth {
                continue;
            }
            let (x0, y0) = (fx.floor().max(0.0), fy.floor().max(0.0));
            let (tx, ty) = ((fx - x0).clamp(0.0, 1.0), (fy - y0).clamp(0.0, 1.0));
            let (i0, j0) = ((x0 as usize).min(nx - 1), (y0 as usize).min(ny - 1));
            let (i1, j1) = ((i0 + 1).min(nx - 1), (j0 + 1).min(ny - 1));
            let c = [px(i0, j0), px(i1, j0), px(i0, j1), px(i1, j1)];
            if c.iter().any(|c| c[3] == 0) {
                continue;
            }
            for (k, d) in dst.iter_mut().enumerate() {
                let top = f64::from(c[0][k]) * (1.0 - tx) + f64::from(c[1][k]) * tx;
                let bottom = f64::from(c[2][k]) * (1.0 - tx) + f64::from(c[3][k]) * tx;
                *d = (top * (1.0 - ty) + bottom * ty).round().clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

/// A colour bar with five values from the field's range.
fn colour_bar<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    field: &FieldImage,
    text_size: f64,
) -> DrawResult<DB> {
    let Some((lo, hi)) = field.range else {
        return Ok(());
    };
    let (w, h) = area.dim_in_pixel();
    let (top, bottom) = (20i32, h as i32 - 60);
    if bottom - top < 40 {
        return Ok(());
    }
    let (x0, x1) = (8i32, 8 + (w as i32 / 5).clamp(12, 30));
    let n = 128;
    for k in 0..n {
        let t0 = k as f64 / n as f64;
        let c = downhill_engine::picture::field::viridis(t0 + 0.5 / n as f64);
        let ya = bottom - ((bottom - top) as f64 * (k + 1) as f64 / n as f64) as i32;
        let yb = bottom - ((bottom - top) as f64 * t0) as i32;
        area.draw(&Rectangle::new(
            [(x0, ya), (x1, yb)],
            RGBColor(c[0], c[1], c[2]).filled(),
        ))?;
    }
    let style = ("sans-serif", text_size).into_font().color(&BLACK);
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = bottom - ((bottom - top) as f64 * t) as i32;
        let value = downhill_engine::picture::field::colour_value(lo, hi, field.log, t);
        area.draw(&Text::new(
            sig(value),
            (x1 + 4, y - (text_size / 2.0) as i32),
            style.clone(),
        ))?;
    }
    let unit = if field.log { "L (log)" } else { "L" };
    area.draw(&Text::new(unit, (x0, 0), style))?;
    Ok(())
}

/// The finite points of `rows`, repeats in a row dropped.
fn finite_points<'a>(rows: impl Iterator<Item = &'a Row>) -> Vec<(f64, f64)> {
    let mut pts: Vec<(f64, f64)> = rows
        .filter(|r| r.w.x.is_finite() && r.w.y.is_finite())
        .map(|r| (r.w.x, r.w.y))
        .collect();
    pts.dedup();
    pts
}

/// Records `run` for `steps` updates into a bounded path, as the window does: memory stays
/// within a few megabytes however many steps.
pub fn record(run: &mut downhill_engine::run::Run, steps: u64) -> RunPath {
    let mut path = PathBuilder::new();
    path.push(run.row());
    for _ in 0..steps {
        if run.status().is_final() {
            break;
        }
        let Some(row) = run.advance() else { break };
        path.push(row);
    }
    path.path()
}

/// The default title: the landscape and its formula.
pub fn default_title(landscape: &Landscape) -> String {
    match landscape.data() {
        // The data set and the model: the formula is too long for a title.
        Some(d) => format!(
            "{}: {} model{}, {} points",
            d.data.name,
            d.model.name(),
            if d.scale.is_some() {
                ", x standardized"
            } else {
                ""
            },
            d.len()
        ),
        None => match landscape.net() {
            // "spiral 2-8-8-1 tanh bce, 1000 points (P = 105): loss on the path's PCA plane".
            Some(n) => {
                let spec = &n.problem.net.spec;
                let mut widths = vec![spec.inputs.to_string()];
                widths.extend(spec.hidden.iter().map(usize::to_string));
                widths.push("1".into());
                let act = if spec.hidden.is_empty() {
                    String::new()
                } else {
                    format!(" {}", spec.activation.name())
                };
                format!(
                    "{} {}{act} {}, {} points (P = {}): {}",
                    n.problem.data.name,
                    widths.join("-"),
                    spec.loss.name(),
                    n.problem.data.len(),
                    n.problem.net.param_count(),
                    plane_words(n.plane.kind)
                )
            }
            None => format!("{}: L = {}", landscape.name(), landscape.formula()),
        },
    }
}

/// A network plane in words for titles.
fn plane_words(kind: downhill_engine::net::PlaneKind) -> String {
    use downhill_engine::net::PlaneKind;
    match kind {
        PlaneKind::Pca => "loss on the path's PCA plane".into(),
        PlaneKind::Random(s) => format!("loss on a random plane (seed {s})"),
        PlaneKind::Params(i, j) => format!("loss over p{i} and p{j}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_follows_the_extension() {
        assert_eq!(Kind::of(Path::new("a.PNG")), Ok(Kind::Png));
        assert_eq!(Kind::of(Path::new("b.svg")), Ok(Kind::Svg));
        assert_eq!(Kind::of(Path::new("c.gif")), Ok(Kind::Gif));
        assert!(
            Kind::of(Path::new("d.jpg"))
                .unwrap_err()
                .contains(".png, .svg or .gif")
        );
        assert!(Kind::of(Path::new("noext")).is_err());
    }

    #[test]
    fn thinning_keeps_the_end() {
        let mut path = PathBuilder::new();
        for i in 0..100_001 {
            path.push(Row::new(
                downhill_engine::geometry::Vec2::new(f64::from(i), 0.0),
                0.0,
                downhill_engine::geometry::Vec2::zeros(),
            ));
        }
        let run = RenderRun {
            label: String::new(),
            path: path.path(),
            status: Status::Converging,
            manner: Manner::Smooth,
        };
        let pts = finite_points(run.rows_to(run.len(), 1000));
        assert!(pts.len() <= 1010, "{}", pts.len());
        assert_eq!(pts.last(), Some(&(100_000.0, 0.0)));
        assert_eq!(pts[0], (0.0, 0.0));
        assert!(
            check_view(&View {
                x: [-1e308, 1e308],
                y: [-1.0, 1.0]
            })
            .is_err()
        );
        assert!(
            check_view(&View {
                x: [-1.0, 1.0],
                y: [-1.0, 1.0]
            })
            .is_ok()
        );
        // A GIF frame: the path up to step 5000, its own end kept.
        let pts = finite_points(run.rows_to(5001, 1000));
        assert_eq!(pts.last(), Some(&(5000.0, 0.0)));
    }
}
