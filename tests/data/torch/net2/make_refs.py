"""Reference trajectories for `downhill trace --net` with the optimizers the public set in ../net
leaves out: L-BFGS (max_iter=1, with and without the strong-Wolfe search, a short history; its
closure evaluates the update's batch), Adafactor (factored per weight matrix; with weight decay),
and the element-wise rest (nesterov, adagrad, adamw, nadam, radam, adamax, adadelta, rprop,
asgd). The data sets, the network and θ₀ come from ../net/make_refs.py; torch 2.15, float64.

The trust horizon here is the last step before a rerun with gradients jittered by 2^-48 (the
rounding of a sum over a few dozen terms, in an order BLAS chooses and downhill cannot follow)
departs by more than 1e-10, the test's tolerance. For L-BFGS the jitter goes into the closure,
whose gradients are the ones it uses: it amplifies such differences where a step overshoots.
Writes data/*.csv, init/*.txt, cases/*.csv and cases.tsv.
Usage: make_refs.py OUT_DIR
"""
import importlib.util, math, os, shlex, sys, csv
import numpy as np, torch
torch.set_default_dtype(torch.float64)

_spec = importlib.util.spec_from_file_location(
    "net_refs", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "net", "make_refs.py"))
_net = importlib.util.module_from_spec(_spec); _spec.loader.exec_module(_net)
datasets, build, flat = _net.datasets, _net.build, _net.flat

OPT = {"sgd": (torch.optim.SGD, {}), "momentum": (torch.optim.SGD, {"momentum": 0.9}),
       "nesterov": (torch.optim.SGD, {"momentum": 0.9, "nesterov": True}),
       "adam": (torch.optim.Adam, {}), "rmsprop": (torch.optim.RMSprop, {}), "adagrad": (torch.optim.Adagrad, {}),
       "adamw": (torch.optim.AdamW, {}), "nadam": (torch.optim.NAdam, {}), "radam": (torch.optim.RAdam, {}),
       "adamax": (torch.optim.Adamax, {}), "adadelta": (torch.optim.Adadelta, {}), "rprop": (torch.optim.Rprop, {}),
       "asgd": (torch.optim.ASGD, {}), "lbfgs": (torch.optim.LBFGS, {"max_iter": 1}),
       "lbfgs-sw": (torch.optim.LBFGS, {"max_iter": 1, "line_search_fn": "strong_wolfe"}),
       "lbfgs-h5": (torch.optim.LBFGS, {"max_iter": 1, "history_size": 5}),
       "adafactor": (torch.optim.Adafactor, {}),
       "adafactor-wd": (torch.optim.Adafactor, {"weight_decay": 0.1, "beta2_decay": -0.5})}
FLAGS = {"lbfgs-sw": ["--optimizer", "lbfgs", "--line-search", "strong-wolfe"],
         "lbfgs-h5": ["--optimizer", "lbfgs", "--history-size", "5"],
         "adafactor-wd": ["--optimizer", "adafactor", "--weight-decay", "0.1", "--beta2-decay", "-0.5"]}
# (data, hidden, activation, loss, optimizer, lr, batch, steps, init seed)
CASES = [
    ("ring", (4,), "tanh", "bce", "lbfgs", 0.1, None, 80, 37), ("quad", (4, 3), "tanh", "bce", "lbfgs", 0.1, None, 60, 31),
    ("quad", (4, 3), "tanh", "bce", "lbfgs-sw", 1.0, None, 60, 32),
    ("blobs", (2,), "sigmoid", "bce", "lbfgs", 0.5, 12, 60, 33),
    ("ring", (4,), "tanh", "bce", "adafactor", 0.05, None, 150, 34), ("quad", (4, 3), "relu", "bce", "adafactor", 0.03, 16, 150, 35),
    ("wave", (6,), "tanh", "mse", "adafactor", 0.01, None, 150, 36),
    ("ring", (4,), "tanh", "bce", "nesterov", 0.1, None, 100, 41), ("quad", (4, 3), "relu", "bce", "adagrad", 0.1, None, 100, 42),
    ("wave", (6,), "tanh", "mse", "adamw", 0.02, None, 100, 43), ("blobs", (2,), "sigmoid", "bce", "nadam", 0.03, 12, 100, 44),
    ("ring", (4,), "tanh", "bce", "radam", 0.03, None, 100, 45), ("quad", (4, 3), "relu", "bce", "adamax", 0.03, None, 100, 46),
    ("wave", (6,), "tanh", "mse", "adadelta", 1.0, None, 100, 47), ("blobs", (2,), "sigmoid", "bce", "rprop", 0.01, None, 100, 48),
    ("ring", (4,), "tanh", "bce", "asgd", 1.0, 20, 100, 49),
    ("wave", (6,), "tanh", "mse", "lbfgs-h5", 0.1, None, 80, 38), ("blobs", (2,), "sigmoid", "bce", "adafactor-wd", 0.05, None, 120, 39),
    ("blobs", (2,), "sigmoid", "bce", "lbfgs-sw", 0.5, 12, 60, 50), ("ring", (4,), "tanh", "bce", "lbfgs-sw", 0.3, 20, 60, 51),
]

def run(case, sets, jitter=None):
    data, hidden, act, loss_name, oname, lr, batch, steps, seed = case
    X, y = (torch.tensor(v) for v in sets[data]); n = len(y)
    net = build(X.shape[1], hidden, act, seed)
    ctor, kw = OPT[oname]; opt = ctor(net.parameters(), lr=lr, **kw)
    lossf = (lambda z, t: torch.nn.functional.binary_cross_entropy_with_logits(z, t)) if loss_name == "bce" else (lambda z, t: ((z - t)**2).mean())
    B = batch or n; rows = []
    for k in range(steps + 1):
        s = (k % -(-n // B)) * B  # batch k of its epoch: B points in order, the last one may be smaller
        idx = torch.arange(s, min(s + B, n))
        with torch.no_grad(): full = lossf(net(X).squeeze(1), y).item()
        opt.zero_grad(); bl = lossf(net(X[idx]).squeeze(1), y[idx]); bl.backward()
        if jitter is not None:
            with torch.no_grad():
                for p in net.parameters(): p.grad.mul_(1 + torch.tensor(jitter.uniform(-2**-48, 2**-48, tuple(p.grad.shape))))
        gn = flat([p.grad for p in net.parameters()]).norm().item()
        theta = flat([p.detach() for p in net.parameters()]).tolist()
        rows.append([k, full, gn] + ([bl.item()] if B < n else []) + theta)
        bad = not all(math.isfinite(v) for v in rows[-1][1:]) or max(abs(v) for v in theta) > 1e6
        if bad or k == steps: return rows, ("diverged" if bad else ""), net
        if oname.startswith("lbfgs"):
            def closure():
                opt.zero_grad(); l = lossf(net(X[idx]).squeeze(1), y[idx]); l.backward()
                if jitter is not None:  # the closure's gradients are the ones L-BFGS uses
                    with torch.no_grad():
                        for p in net.parameters(): p.grad.mul_(1 + torch.tensor(jitter.uniform(-2**-48, 2**-48, tuple(p.grad.shape))))
                return l
            opt.step(closure)
        else:
            opt.step()

def main(out):
    sets = datasets(out); os.makedirs(os.path.join(out, "cases"), exist_ok=True); os.makedirs(os.path.join(out, "init"), exist_ok=True)
    with open(os.path.join(out, "cases.tsv"), "w") as idx:
        idx.write("name\targs\tsteps_run\ttrust_steps\tnote\n")
        for c in CASES:
            data, hidden, act, loss_name, oname, lr, batch, steps, seed = c
            name = f"{data}__{'-'.join(map(str, hidden))}_{act}_{loss_name}__{oname}_lr{lr}__b{batch or 'all'}__i{seed}"
            rows, note, _ = run(c, sets)
            theta0 = rows[0][(4 if batch else 3):]
            with open(os.path.join(out, "init", name + ".txt"), "w") as fh: fh.write("\n".join(repr(v) for v in theta0) + "\n")
            P = len(theta0); hdr = ["step", "loss", "grad_norm"] + (["batch_loss"] if batch else []) + [f"p{i}" for i in range(P)]
            with open(os.path.join(out, "cases", name + ".csv"), "w", newline="") as fh:
                w = csv.writer(fh); w.writerow(hdr)
                for r in rows: w.writerow([r[0]] + [repr(v) for v in r[1:]])
            # trust horizon from jittered reruns
            cols = range(1, len(hdr)); colmax = [max([abs(r[j]) for r in rows if math.isfinite(r[j])] or [0]) for j in range(len(hdr))]
            h = len(rows) - 1
            for s in range(4):
                jr, _, _ = run(c, sets, np.random.default_rng(100 + s))
                for k in range(min(len(jr), len(rows))):
                    if any(not abs(jr[k][j] - rows[k][j]) <= 1e-10 * max(abs(jr[k][j]), abs(rows[k][j]), 1e-6 * colmax[j]) for j in cols):
                        h = min(h, k - 1); break
            trust = h if h == len(rows) - 1 else max(0, int(h * 0.9))
            args = ["--net", "--data", f"@DATA/{data}.csv", "--hidden", ",".join(map(str, hidden)), "--activation", act,
                    "--loss", loss_name, "--init-file", f"@INIT/{name}.txt"] + FLAGS.get(oname, ["--optimizer", oname]) + ["--lr", repr(lr), "--steps", str(steps)]
            if batch: args += ["--batch-size", str(batch), "--batch-order", "sequential"]
            idx.write(f"{name}\t{shlex.join(args)}\t{len(rows)-1}\t{trust}\t{note}\n")
            print(f"{name}: P={P} {len(rows)-1} steps trust {trust} {note}")

if __name__ == "__main__":
    main(sys.argv[1])
