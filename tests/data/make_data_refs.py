"""Reference trajectories for data landscapes: SGD over sequential mini-batches (torch's
DataLoader(batch_size=B, shuffle=False)) on the mean squared error of y ~ w0*x + w1, and on the
logistic cross-entropy.

torch is not installed on the machine that wrote tests/data/data_refs.json, so this is a
pure-Python program written the way the torch program computes:

    z = w0 * x + w1; loss = ((z - y) ** 2).mean(); loss.backward()    (linear)
    opt = torch.optim.SGD([w0, w1], lr, momentum); opt.step()

per point g_i = (1/m)*(2*r_i) (autograd's order: mean's 1/m, then pow's 2*r), the gradient sums
taken in order, SGD's param.add_(buf, alpha=-lr) as one rounding (done exactly with fractions).
For the logistic loss it follows downhill's own formula (one exponential for the loss and
sigmoid), so that case checks the batching, not the loss: the Challenger fit against R's glm
checks the logistic loss independently (src/data/model.rs). tests/data_landscapes.rs compares
every value bit for bit. torch's own reductions may associate sums differently, a difference
in the last bits.

    python3 tests/data/make_data_refs.py > tests/data/data_refs.json
"""
import json
import math
from fractions import Fraction


def fma(a, b, c):
    return float(Fraction(a) * Fraction(b) + Fraction(c))


def mean_over(model, w, pts):
    m = len(pts)
    inv = 1.0 / m
    loss = g0 = g1 = 0.0
    if model == "linear":
        for x, y in pts:
            r = w[0] * x + w[1] - y
            g = inv * (2.0 * r)
            loss += r * r
            g0 += g * x
            g1 += g
    else:
        # As src/data/model.rs: e = exp(-|z|) serves the loss and sigmoid; ln(1 + e) is
        # ln(u) + (e - (u - 1))/u with the ln(u) of up to 512 points taken as the ln of their
        # product.
        prod, count, logs = 1.0, 0, 0.0
        for x, y in pts:
            z = w[0] * x + w[1]
            e = math.exp(-abs(z))
            u = 1.0 + e
            r = 1.0 / u
            p = r if z >= 0.0 else e * r
            loss += (1.0 - y) * z + max(-z, 0.0) + (e - (u - 1.0)) * r
            prod *= u
            count += 1
            if count == 512:
                logs += math.log(prod)
                prod, count = 1.0, 0
            g = inv * (p - y)
            g0 += g * x
            g1 += g
        loss += logs + math.log(prod)
    return loss / m, (g0, g1)


def trajectory(points, model, batch, lr, momentum, steps, start=(0.0, 0.0)):
    n = len(points)
    batches = [points[i:i + batch] for i in range(0, n, batch)]
    w = list(start)
    buf = None
    rows = []
    for k in range(steps + 1):
        loss, _ = mean_over(model, w, points)
        bl, g = mean_over(model, w, batches[k % len(batches)])
        rows.append([w[0], w[1], loss, g[0], g[1], bl])
        if k == steps:
            break
        if momentum != 0.0:
            if buf is None:
                buf = list(g)
            else:
                buf = [fma(g[i], 1.0, buf[i] * momentum) for i in range(2)]
            d = buf
        else:
            d = g
        w = [fma(d[i], -lr, w[i]) for i in range(2)]
    return rows


def anscombe1():
    xs = [10, 8, 13, 9, 11, 14, 6, 4, 12, 7, 5]
    ys = [8.04, 6.95, 7.58, 8.81, 8.33, 9.96, 7.24, 4.26, 10.84, 4.82, 5.68]
    return [(float(x), y) for x, y in zip(xs, ys)]


def lcg_points(n, seed):
    # Points the Rust side cannot have generated: a plain LCG, written into the JSON.
    s = seed
    out = []
    for _ in range(n):
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        x = (s >> 11) / 2**53 * 8.0 - 2.0
        s = (s * 6364136223846793005 + 1442695040888963407) % 2**64
        e = (s >> 11) / 2**53 - 0.5
        out.append((x, 1.5 * x - 0.7 + e))
    return out


def main():
    cases = []
    pts = lcg_points(37, 11)
    labels = [(x, 1.0 if y > 0.3 else 0.0) for x, y in pts]
    # Overlapping classes: flip a few labels.
    for i in (3, 8, 20):
        labels[i] = (labels[i][0], 1.0 - labels[i][1])
    for name, points, model, batch, lr, mom in [
        ("anscombe1_full_gd", anscombe1(), "linear", 11, 0.01, 0.0),
        ("anscombe1_b4_gd", anscombe1(), "linear", 4, 0.005, 0.0),
        ("lcg37_b5_momentum", pts, "linear", 5, 0.02, 0.9),
        ("lcg37_b1_gd", pts, "linear", 1, 0.01, 0.0),
        ("logistic37_b8_momentum", labels, "logistic", 8, 0.3, 0.5),
    ]:
        cases.append({
            "name": name, "model": model, "batch_size": batch, "lr": lr, "momentum": mom,
            "points": [list(p) for p in points],
            "rows": trajectory(points, model, batch, lr, mom, 60),
        })
    print(json.dumps({"columns": ["w0", "w1", "loss", "g0", "g1", "batch_loss"], "cases": cases}))


if __name__ == "__main__":
    main()
