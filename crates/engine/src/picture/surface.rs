//! The landscape as a surface in 3-D: the mesh from the heat map's own grid (no second
//! evaluation), lit with normals from the exact gradient; the paths as lines just above it,
//! each run's current point as a ball, the minima marked, the contour lines on the floor; and
//! the orbiting camera. Numbers only: the window draws this with the GPU, `render --3d` with a
//! small software rasterizer, from the same vertices.
//!
//! World coordinates: X = w0 and −Z = w1, each scaled so the visible window spans [−1, 1], and
//! Y = height, 0 at the lowest value shown and [`HEIGHT`] at the highest. Seen from the top
//! (elevation 90°) the picture is the 2-D view: w0 to the right, w1 up.

use std::sync::Arc;

use nalgebra::{Matrix4, Point3, Vector3};

use crate::geometry::Vec2;
use crate::geometry::View;
use crate::picture::image::FieldImage;
pub use crate::picture::image::surface_samples;

/// The height of the tallest point shown, in units of the half-width.
pub const HEIGHT: f64 = 0.8;
/// How far above the surface the paths run (so the surface does not hide them).
const LIFT: f64 = 0.025;
/// Where the contour lines lie: just below the lowest point of the surface.
const FLOOR: f64 = -0.05;
/// Floats per vertex: position (3), normal (3), colour RGBA (4). A zero normal is unlit.
pub const STRIDE: usize = 10;
/// Path points per run at most (longer paths are thinned, keeping the end).
pub const MAX_PATH_POINTS: usize = 4000;
/// The relative offset of the log height scale, as the heat map's colours (see `field.rs`).
const LOG_FLOOR: f64 = 1e-4;

/// How values become heights: the heat map's colour scale, clamped to the shown range so a
/// diverging run or a huge range cannot flatten everything.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeightScale {
    pub lo: f64,
    pub hi: f64,
    pub log: bool,
}

impl HeightScale {
    /// The fraction t ∈ [0, 1] of the height: u = clamp((v − lo)/(hi − lo), 0, 1), linear t = u,
    /// log t = ln(1 + u/f)/ln(1 + 1/f) with f = 1e-4.
    pub fn t(&self, v: f64) -> f64 {
        // Halves keep hi − lo finite even for ranges near f64::MAX.
        let u = ((0.5 * v - 0.5 * self.lo) / (0.5 * self.hi - 0.5 * self.lo)).clamp(0.0, 1.0);
        if !u.is_finite() {
            return 0.5;
        }
        if self.log {
            (u / LOG_FLOOR).ln_1p() / (1.0 / LOG_FLOOR).ln_1p()
        } else {
            u
        }
    }

    /// dt/dv (0 where the value is clamped).
    pub fn slope(&self, v: f64) -> f64 {
        let range = self.hi - self.lo;
        let u = (0.5 * v - 0.5 * self.lo) / (0.5 * self.hi - 0.5 * self.lo);
        if !(0.0..=1.0).contains(&u) || !range.is_finite() || range <= 0.0 {
            return 0.0;
        }
        if self.log {
            1.0 / (range * (LOG_FLOOR + u) * (1.0 / LOG_FLOOR).ln_1p())
        } else {
            1.0 / range
        }
    }

    /// The height of a value.
    pub fn height(&self, v: f64) -> f64 {
        HEIGHT * self.t(v)
    }
}

/// Maps (w0, w1) into the world's [−1, 1]² footprint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Footprint {
    pub view: View,
}

impl Footprint {
    fn half(&self) -> (f64, f64) {
        (
            0.5 * (self.view.x[1] - self.view.x[0]),
            0.5 * (self.view.y[1] - self.view.y[0]),
        )
    }

    /// World (X, Y, Z) of the point `w` at height `h`.
    pub fn world(&self, w: Vec2, h: f64) -> [f32; 3] {
        let (hx, hy) = self.half();
        let x = (w.x - 0.5 * (self.view.x[0] + self.view.x[1])) / hx;
        let y = (w.y - 0.5 * (self.view.y[0] + self.view.y[1])) / hy;
        [x as f32, h as f32, (-y) as f32]
    }
}

/// Vertices (interleaved, [`STRIDE`] floats each) and triangle indices.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Mesh {
    pub vertices: Vec<f32>,
    pub indices: Vec<u32>,
    /// The window of (w0, w1) the mesh covers (a surface's footprint).
    pub footprint: Option<View>,
    /// How its values became heights (a surface's).
    pub scale: Option<HeightScale>,
    /// Contour lines of the footprint's values, in (w0, w1) (a surface's floor).
    pub contours: Vec<crate::picture::field::ContourLine>,
}

impl Mesh {
    pub fn vertex_count(&self) -> usize {
        self.vertices.len() / STRIDE
    }

    fn push(&mut self, p: [f32; 3], n: [f32; 3], c: [f32; 4]) -> u32 {
        let k = self.vertex_count() as u32;
        self.vertices.extend_from_slice(&p);
        self.vertices.extend_from_slice(&n);
        self.vertices.extend_from_slice(&c);
        k
    }
}

/// A field picture and the 3-D surface built from it when asked for: what the window's field
/// thread answers (the mesh is built there, off the UI thread). The picture knows nothing of
/// the mesh; the mesh is made from the picture.
#[derive(Clone, Debug)]
pub struct FieldPicture {
    pub image: Arc<FieldImage>,
    pub surface: Option<Arc<Mesh>>,
}

impl FieldPicture {
    /// `image` with its surface when `want_surface` (the request's `gradient`).
    pub fn of(image: FieldImage, want_surface: bool) -> Self {
        let surface = want_surface.then(|| Arc::new(surface(&image)));
        Self {
            image: Arc::new(image),
            surface,
        }
    }
}

/// The surface of a picture: one vertex per grid sample, coloured as the heat map, with the
/// normal of the height field from the exact gradient (`image.grads`; straight up where it is
/// missing); two triangles per cell whose four samples are defined (undefined regions of a
/// typed formula are holes, not walls).
pub fn surface(image: &FieldImage) -> Mesh {
    let mut mesh = Mesh::default();
    let (nx, ny) = (image.nx, image.ny);
    if nx < 2 || ny < 2 || image.values.len() < nx * ny {
        return mesh;
    }
    // Sample (i, j) sits at the centre of its cell (as in `field::Grid`).
    let dx = (image.view.x[1] - image.view.x[0]) / nx as f64;
    let dy = (image.view.y[1] - image.view.y[0]) / ny as f64;
    let at = |i: usize, j: usize| {
        Vec2::new(
            image.view.x[0] + (i as f64 + 0.5) * dx,
            image.view.y[0] + (j as f64 + 0.5) * dy,
        )
    };
    // What is shown: the visible window (`focus`), or on a landscape whose axes are alike (not
    // data) its middle square; the picture's cells are square when the window asked so.
    let (cols, rows) = surface_samples(image);
    if cols.len() < 2 || rows.len() < 2 {
        return mesh;
    }
    let (first, last) = (at(cols.start, rows.start), at(cols.end - 1, rows.end - 1));
    let sub = View {
        x: [first.x, last.x],
        y: [first.y, last.y],
    };
    // Heights and colours span the values over the footprint (the heat map's colour map, on
    // the surface's own range, linear or log as the heat map would choose).
    let (lo, hi) = rows
        .clone()
        .flat_map(|j| cols.clone().map(move |i| j * nx + i))
        .map(|k| image.values[k])
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    if !(lo.is_finite() && hi.is_finite() && hi > lo) {
        return mesh;
    }
    let scale = HeightScale {
        lo,
        hi,
        log: crate::picture::field::wants_log(lo, hi),
    };
    mesh.scale = Some(scale);
    mesh.footprint = Some(sub);
    // The floor's contour lines: 20 levels over the footprint's own range.
    let grid = crate::picture::field::Grid {
        view: View {
            x: [sub.x[0] - 0.5 * dx, sub.x[1] + 0.5 * dx],
            y: [sub.y[0] - 0.5 * dy, sub.y[1] + 0.5 * dy],
        },
        nx: cols.len(),
        ny: rows.len(),
        values: rows
            .clone()
            .flat_map(|j| cols.clone().map(move |i| image.values[j * nx + i]))
            .collect(),
    };
    mesh.contours =
        crate::picture::field::contours(&grid, &crate::picture::field::contour_levels(lo, hi, 20));
    let foot = Footprint { view: sub };
    let (hx, hy) = foot.half();
    let (mx, my) = (cols.len(), rows.len());
    mesh.vertices.reserve(mx * my * STRIDE);
    for j in rows.clone() {
        for i in cols.clone() {
            let k = j * nx + i;
            let v = image.values[k];
            let w = at(i, j);
            let h = if v.is_finite() { scale.height(v) } else { 0.0 };
            // Height field Y = H·t(L(w0, w1)) over X = (w0 − c)/hx, Z = −(w1 − c)/hy:
            // ∂Y/∂X = H·t'(L)·∂L/∂w0·hx, ∂Y/∂Z = −H·t'(L)·∂L/∂w1·hy, normal (−∂Y/∂X, 1, −∂Y/∂Z).
            let n = match image.grads.get(k) {
                Some(g) if v.is_finite() && g[0].is_finite() && g[1].is_finite() => {
                    let s = HEIGHT * scale.slope(v);
                    let (a, b) = (s * g[0] * hx, -s * g[1] * hy);
                    let len = (a * a + 1.0 + b * b).sqrt();
                    [(-a / len) as f32, (1.0 / len) as f32, (-b / len) as f32]
                }
                _ => [0.0, 1.0, 0.0],
            };
            let c = crate::picture::field::colour_of(scale.t(v)).map(|c| f32::from(c) / 255.0);
            mesh.push(foot.world(w, h), n, c);
        }
    }
    mesh.indices.reserve((mx - 1) * (my - 1) * 6);
    let value = |a: usize, b: usize| image.values[(rows.start + b) * nx + cols.start + a];
    for b in 0..my - 1 {
        for a in 0..mx - 1 {
            let quad = [(a, b), (a + 1, b), (a, b + 1), (a + 1, b + 1)];
            if quad.iter().all(|&(a, b)| value(a, b).is_finite()) {
                let [p, q, r, t] = quad.map(|(a, b)| (b * mx + a) as u32);
                mesh.indices.extend_from_slice(&[p, r, q, q, r, t]);
            }
        }
    }
    mesh
}

/// Line segments (pairs of vertices, unlit) of the contour lines on the floor under the
/// surface.
pub fn floor_contours(surface: &Mesh, foot: &Footprint, colour: [f32; 4]) -> Vec<f32> {
    let mut out = Vec::new();
    for line in &surface.contours {
        for pair in line.points.windows(2) {
            let ends = pair
                .iter()
                .map(|p| foot.world(Vec2::new(p[0], p[1]), FLOOR));
            let ends: Vec<[f32; 3]> = ends.collect();
            if !ends.iter().all(|&p| over_footprint(p)) {
                continue;
            }
            for p in ends {
                out.extend_from_slice(&p);
                out.extend_from_slice(&[0.0; 3]);
                out.extend_from_slice(&colour);
            }
        }
    }
    out
}

/// A run's path as a flat ribbon of `width` just above the surface (unlit, so it reads in its
/// colour from any angle), from its rows' own losses: nothing is evaluated again. The ribbon
/// is cut where the path leaves the footprint (a diverging run flies off the surface, not
/// across the screen).
pub fn path_ribbon(
    mesh: &mut Mesh,
    points: impl Iterator<Item = (Vec2, f64)>,
    foot: &Footprint,
    scale: &HeightScale,
    colour: [f32; 4],
    width: f32,
) {
    let mut prev: Option<[f32; 3]> = None;
    for (w, loss) in points {
        let p = on_surface(foot, scale, w, loss);
        let inside = w.x.is_finite() && w.y.is_finite() && over_footprint(p);
        if !inside {
            prev = None;
            continue;
        }
        if let Some(q) = prev {
            let (dx, dz) = (p[0] - q[0], p[2] - q[2]);
            let len = (dx * dx + dz * dz).sqrt();
            if len > 0.0 {
                // Across the segment, in the horizontal plane.
                let (ox, oz) = (-dz / len * 0.5 * width, dx / len * 0.5 * width);
                let flat = [0.0; 3];
                let a = mesh.push([q[0] + ox, q[1], q[2] + oz], flat, colour);
                mesh.push([q[0] - ox, q[1], q[2] - oz], flat, colour);
                mesh.push([p[0] + ox, p[1], p[2] + oz], flat, colour);
                mesh.push([p[0] - ox, p[1], p[2] - oz], flat, colour);
                // And a vertical one: seen edge-on from the side, the flat ribbon would vanish.
                let h = 0.5 * width;
                mesh.push([q[0], q[1] + h, q[2]], flat, colour);
                mesh.push([q[0], q[1] - h, q[2]], flat, colour);
                mesh.push([p[0], p[1] + h, p[2]], flat, colour);
                mesh.push([p[0], p[1] - h, p[2]], flat, colour);
                let b = a + 4;
                mesh.indices.extend_from_slice(&[
                    a,
                    a + 1,
                    a + 2,
                    a + 1,
                    a + 3,
                    a + 2,
                    b,
                    b + 1,
                    b + 2,
                    b + 1,
                    b + 3,
                    b + 2,
                ]);
            }
        }
        prev = Some(p);
    }
}

/// A small lit octahedron (a ball at a glance) at `centre` with radius `r`.
pub fn ball(mesh: &mut Mesh, centre: [f32; 3], r: f32, colour: [f32; 4]) {
    let dirs: [[f32; 3]; 6] = [
        [1.0, 0.0, 0.0],
        [-1.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, -1.0, 0.0],
        [0.0, 0.0, 1.0],
        [0.0, 0.0, -1.0],
    ];
    // Faces: one per octant, as (x, y, z) direction indices.
    let faces = [
        [0, 2, 4],
        [2, 1, 4],
        [1, 3, 4],
        [3, 0, 4],
        [2, 0, 5],
        [1, 2, 5],
        [3, 1, 5],
        [0, 3, 5],
    ];
    for f in faces {
        let n = {
            let s: [f32; 3] = [0, 1, 2].map(|a| f.iter().map(|&d| dirs[d][a]).sum::<f32>());
            let len = (s[0] * s[0] + s[1] * s[1] + s[2] * s[2]).sqrt();
            s.map(|v| v / len)
        };
        for d in f {
            let p = [0, 1, 2].map(|a| centre[a] + r * dirs[d][a]);
            let k = mesh.push(p, n, colour);
            mesh.indices.push(k);
        }
    }
}

/// Where the point `w` with loss `loss` sits in the world (on the surface, lifted as paths).
pub fn on_surface(foot: &Footprint, scale: &HeightScale, w: Vec2, loss: f64) -> [f32; 3] {
    foot.world(w, scale.height(loss) + LIFT)
}

/// Whether a world point lies over the footprint.
pub fn over_footprint(p: [f32; 3]) -> bool {
    p[0].abs() <= 1.0 && p[2].abs() <= 1.0
}

/// The orbiting camera: angles in degrees around the centre of the footprint (shifted by a
/// pan), at a distance.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    /// Around the vertical axis; 0 looks along +w1 (from below the window), 90 along −w0.
    pub azimuth: f64,
    /// Above the floor: 0 from the side, 90 from the top.
    pub elevation: f64,
    pub distance: f64,
    /// The point looked at, in world units.
    pub target: [f64; 3],
}

/// A named point of view.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedView {
    /// From above: the 2-D picture.
    Top,
    /// Along w1, from low w1.
    Front,
    /// Along −w0, from high w0.
    Side,
    Isometric,
}

impl NamedView {
    pub const ALL: [Self; 4] = [Self::Top, Self::Front, Self::Side, Self::Isometric];

    pub fn name(self) -> &'static str {
        match self {
            Self::Top => "Top",
            Self::Front => "Front",
            Self::Side => "Side",
            Self::Isometric => "Isometric",
        }
    }
}

impl Default for Camera {
    /// The isometric view.
    fn default() -> Self {
        Self::named(NamedView::Isometric)
    }
}

const MIN_ELEVATION: f64 = -10.0;
const MAX_ELEVATION: f64 = 90.0;

impl Camera {
    /// A named view at the default distance, looking at the middle.
    pub fn named(v: NamedView) -> Self {
        let (azimuth, elevation) = match v {
            NamedView::Top => (0.0, 90.0),
            NamedView::Front => (0.0, 12.0),
            NamedView::Side => (90.0, 12.0),
            NamedView::Isometric => (-35.0, 35.0),
        };
        Self {
            azimuth,
            elevation,
            distance: 4.4,
            target: [0.0, 0.5 * HEIGHT, 0.0],
        }
    }

    /// Turns by `d_azimuth` and tilts by `d_elevation` degrees (elevation stays in [−10, 90]).
    pub fn orbit(&mut self, d_azimuth: f64, d_elevation: f64) {
        self.azimuth = (self.azimuth + d_azimuth).rem_euclid(360.0);
        if self.azimuth > 180.0 {
            self.azimuth -= 360.0;
        }
        self.elevation = (self.elevation + d_elevation).clamp(MIN_ELEVATION, MAX_ELEVATION);
    }

    /// Moves closer (`factor` < 1) or away, within reason.
    pub fn zoom(&mut self, factor: f64) {
        if factor.is_finite() && factor > 0.0 {
            self.distance = (self.distance * factor).clamp(0.5, 20.0);
        }
    }

    /// Shifts what is looked at by a fraction of the view (`dx` right, `dy` up on screen).
    pub fn pan(&mut self, dx: f64, dy: f64) {
        let (_, right, up) = self.basis();
        let s = self.distance * 0.5;
        for a in 0..3 {
            self.target[a] += s * (dx * right[a] + dy * up[a]);
        }
    }

    /// (from target to eye, screen right, screen up), unit vectors.
    fn basis(&self) -> ([f64; 3], [f64; 3], [f64; 3]) {
        let (az, el) = (self.azimuth.to_radians(), self.elevation.to_radians());
        let back = [el.cos() * az.sin(), el.sin(), el.cos() * az.cos()];
        // Up: the direction of increasing elevation (never parallel to the view).
        let up = [-el.sin() * az.sin(), el.cos(), -el.sin() * az.cos()];
        // Right = up × back.
        let right = [
            up[1] * back[2] - up[2] * back[1],
            up[2] * back[0] - up[0] * back[2],
            up[0] * back[1] - up[1] * back[0],
        ];
        (back, right, up)
    }

    /// The eye's position.
    pub fn eye(&self) -> [f64; 3] {
        let (back, _, _) = self.basis();
        [0, 1, 2].map(|a| self.target[a] + self.distance * back[a])
    }

    /// Projection × view for an aspect ratio (width/height), with depth in [0, 1] as wgpu
    /// wants it; column-major.
    pub fn view_proj(&self, aspect: f64) -> Matrix4<f32> {
        let (_, _, up) = self.basis();
        let eye = self.eye();
        let view = Matrix4::look_at_rh(
            &Point3::from(eye.map(|v| v as f32)),
            &Point3::from(self.target.map(|v| v as f32)),
            &Vector3::from(up.map(|v| v as f32)),
        );
        let aspect = if aspect.is_finite() && aspect > 0.0 {
            aspect as f32
        } else {
            1.0
        };
        // 35° vertically in a wide view; in a narrow one as wide horizontally.
        let half = 17.5f32.to_radians().tan() / aspect.min(1.0);
        let proj = Matrix4::new_perspective(aspect, 2.0 * half.atan(), 0.05, 100.0);
        // OpenGL's depth [−1, 1] to wgpu's [0, 1].
        let gl_to_wgpu = Matrix4::new(
            1.0, 0.0, 0.0, 0.0, //
            0.0, 1.0, 0.0, 0.0, //
            0.0, 0.0, 0.5, 0.5, //
            0.0, 0.0, 0.0, 1.0,
        );
        gl_to_wgpu * proj * view
    }
}

/// Projects a world point with `m` to (x, y) in [0, w]×[0, h] pixels (y down) and depth in
/// [0, 1]; `None` behind the eye.
pub fn project(m: &Matrix4<f32>, p: [f32; 3], w: f32, h: f32) -> Option<[f32; 3]> {
    let c = m * nalgebra::Vector4::new(p[0], p[1], p[2], 1.0);
    if c.w <= 1e-6 {
        return None;
    }
    let (x, y, z) = (c.x / c.w, c.y / c.w, c.z / c.w);
    Some([(x + 1.0) * 0.5 * w, (1.0 - y) * 0.5 * h, z])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::landscape::Landscape;
    use crate::picture::image::{FieldRequest, compute};
    use std::sync::Arc;

    /// The picture (with gradients and surface) of `landscape` over `view` at `nx`×`ny`.
    fn image(landscape: Landscape, view: View, nx: usize, ny: usize) -> FieldImage {
        compute(
            1,
            &FieldRequest {
                landscape: Arc::new(landscape),
                view,
                focus: view,
                nx,
                ny,
                gradient: true,
            },
        )
    }

    fn square(half: f64) -> View {
        View {
            x: [-half, half],
            y: [-half, half],
        }
    }

    #[test]
    fn the_surface_has_a_vertex_per_sample_and_normals_from_the_gradient() {
        let img = image(Landscape::builtin("bowl").unwrap(), square(3.0), 33, 33);
        let mesh = surface(&img);
        assert_eq!(mesh.vertex_count(), 33 * 33);
        assert_eq!(mesh.indices.len(), 32 * 32 * 6);
        // The bowl's middle sample (0, 0): lowest, normal straight up.
        let k = 16 * 33 + 16;
        let v = &mesh.vertices[k * STRIDE..(k + 1) * STRIDE];
        assert!((v[1] - 0.0).abs() < 1e-6, "{v:?}");
        assert!((v[4] - 1.0).abs() < 1e-6, "{v:?}");
        // Towards +w0 the surface rises, so the normal leans towards −X.
        let k = 16 * 33 + 24;
        let v = &mesh.vertices[k * STRIDE..(k + 1) * STRIDE];
        assert!(v[3] < -0.05 && v[4] > 0.0, "{v:?}");
        let norm = (v[3] * v[3] + v[4] * v[4] + v[5] * v[5]).sqrt();
        assert!((norm - 1.0).abs() < 1e-5);
    }

    /// A wide picture: the surface is its middle square (w0 and w1 alike), the samples at
    /// the centres of their cells.
    #[test]
    fn a_wide_picture_gives_its_middle_square() {
        let view = View {
            x: [-4.0, 4.0],
            y: [-2.0, 2.0],
        };
        let img = image(Landscape::builtin("bowl").unwrap(), view, 80, 40);
        let mesh = surface(&img);
        assert_eq!(mesh.vertex_count(), 40 * 40);
        let f = mesh.footprint.unwrap();
        for v in [f.x[0], f.y[0]] {
            assert!((v + 1.95).abs() < 1e-12, "{f:?}");
        }
        for v in [f.x[1], f.y[1]] {
            assert!((v - 1.95).abs() < 1e-12, "{f:?}");
        }
        assert!(!mesh.contours.is_empty());
    }

    #[test]
    fn undefined_samples_are_holes() {
        let img = image(Landscape::expr("ln(x) + y^2").unwrap(), square(1.0), 21, 21);
        let mesh = surface(&img);
        // Cells with x ≤ 0 are left out: a bit under half of them remain.
        let cells = mesh.indices.len() / 6;
        assert!(cells > 150 && cells < 200, "{cells}");
    }

    #[test]
    fn heights_are_clamped_to_the_range() {
        let s = HeightScale {
            lo: 0.0,
            hi: 10.0,
            log: false,
        };
        assert_eq!(s.height(-5.0), 0.0);
        assert_eq!(s.height(1e300), HEIGHT);
        assert_eq!(s.height(5.0), 0.5 * HEIGHT);
        let l = HeightScale { log: true, ..s };
        assert!(l.t(0.1) > 0.3 && l.t(10.0) == 1.0);
        // The slope agrees with a difference quotient of t.
        for v in [0.01, 1.0, 7.0] {
            let d = (l.t(v + 1e-7) - l.t(v - 1e-7)) / 2e-7;
            assert!((d - l.slope(v)).abs() < 1e-5 * d.abs(), "{v}");
        }
    }

    #[test]
    fn the_top_view_is_the_two_d_picture() {
        let cam = Camera::named(NamedView::Top);
        let m = cam.view_proj(1.0);
        let foot = Footprint {
            view: View {
                x: [-1.0, 1.0],
                y: [-1.0, 1.0],
            },
        };
        let centre = project(&m, foot.world(Vec2::new(0.0, 0.0), 0.0), 100.0, 100.0).unwrap();
        let right = project(&m, foot.world(Vec2::new(0.5, 0.0), 0.0), 100.0, 100.0).unwrap();
        let up = project(&m, foot.world(Vec2::new(0.0, 0.5), 0.0), 100.0, 100.0).unwrap();
        assert!(right[0] > centre[0] + 5.0 && (right[1] - centre[1]).abs() < 1e-3);
        assert!(up[1] < centre[1] - 5.0 && (up[0] - centre[0]).abs() < 1e-3);
        assert!((0.0..=1.0).contains(&centre[2]));
    }

    #[test]
    fn orbiting_turns_and_tilts_within_limits() {
        let mut c = Camera::default();
        let start = c;
        c.orbit(30.0, 100.0);
        assert_eq!(c.elevation, 90.0);
        assert!((c.azimuth - (start.azimuth + 30.0)).abs() < 1e-9);
        c.orbit(400.0, -500.0);
        assert_eq!(c.elevation, -10.0);
        assert!((-180.0..=180.0).contains(&c.azimuth));
        c.zoom(1e9);
        assert_eq!(c.distance, 20.0);
        c.zoom(f64::NAN);
        assert_eq!(c.distance, 20.0);
    }
}
