//! Where a path leaves the window drawn: a diverged run's end lies far outside (1e30 and
//! beyond), and a picture that marked it with a dot would pin the dot to the frame as if the
//! run had ended there. The window and the rendered pictures draw an arrow at [`Exit::at`]
//! pointing along [`Exit::dir`] instead.

use crate::geometry::{Vec2, View};

/// The point on the window's edge where a path last went out, and the way it was heading.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exit {
    /// On the window's edge.
    pub at: Vec2,
    /// A unit vector (in the plane's units) from the last point inside toward the next one.
    pub dir: Vec2,
}

fn inside(v: &View, p: Vec2) -> bool {
    (v.x[0]..=v.x[1]).contains(&p.x) && (v.y[0]..=v.y[1]).contains(&p.y)
}

/// Where `path` (its points in order; non-finite ones are skipped) leaves `view` for good:
/// `None` when its last point is inside, or when no point of it is.
pub fn exit(view: &View, path: &[Vec2]) -> Option<Exit> {
    let finite: Vec<Vec2> = path
        .iter()
        .copied()
        .filter(|p| p.x.is_finite() && p.y.is_finite())
        .collect();
    if finite.last().is_none_or(|&p| inside(view, p)) {
        return None;
    }
    let i = finite.iter().rposition(|&p| inside(view, p))?;
    let (from, to) = (finite[i], finite[i + 1]);
    // Scaled down first (from − to may overflow when `to` is near f64::MAX), and measured
    // with hypot (the norm squares first, and 1e200² is ∞).
    let d = to * 0.5 - from * 0.5;
    let n = d.x.hypot(d.y);
    if !(n.is_finite() && n > 0.0) {
        return None;
    }
    let dir = d / n;
    // The distance along `dir` to the first edge it meets.
    let reach = |lo: f64, hi: f64, p: f64, d: f64| {
        if d > 0.0 {
            (hi - p) / d
        } else if d < 0.0 {
            (lo - p) / d
        } else {
            f64::INFINITY
        }
    };
    let t =
        reach(view.x[0], view.x[1], from.x, dir.x).min(reach(view.y[0], view.y[1], from.y, dir.y));
    let at = from + dir * t.max(0.0);
    Some(Exit {
        at: Vec2::new(
            at.x.clamp(view.x[0], view.x[1]),
            at.y.clamp(view.y[0], view.y[1]),
        ),
        dir,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VIEW: View = View {
        x: [-1.0, 1.0],
        y: [-1.0, 1.0],
    };

    #[test]
    fn a_path_that_blows_up_leaves_through_the_edge_it_heads_for() {
        let path = [
            Vec2::new(0.0, 0.0),
            Vec2::new(0.5, 0.0),
            Vec2::new(1e300, 0.0),
        ];
        let e = exit(&VIEW, &path).unwrap();
        assert_eq!(e.at, Vec2::new(1.0, 0.0));
        assert!((e.dir - Vec2::new(1.0, 0.0)).norm() < 1e-12);
        let path = [
            Vec2::new(0.0, 0.0),
            Vec2::new(-3.0, -3.0),
            Vec2::new(f64::NAN, 0.0),
        ];
        let e = exit(&VIEW, &path).unwrap();
        assert!((e.at - Vec2::new(-1.0, -1.0)).norm() < 1e-12);
    }

    #[test]
    fn a_path_that_ends_inside_or_never_enters_has_no_exit() {
        assert_eq!(
            exit(&VIEW, &[Vec2::new(3.0, 0.0), Vec2::new(0.5, 0.0)]),
            None
        );
        assert_eq!(
            exit(&VIEW, &[Vec2::new(3.0, 0.0), Vec2::new(5.0, 0.0)]),
            None
        );
        assert_eq!(exit(&VIEW, &[]), None);
    }
}
