"""PyTorch reference for bench_lrp: the same LRP rules and composites on the same Fashion-MNIST MLP
(784-256-256-10, weights from `ffnlab-cli train ... --save-weights W.safetensors`), the same 1,000 test images
(standardised like the example), relevance of the predicted class. Every rule is written as zennit's hooks
compute it (modified inputs and weights per pass, one shared denominator per group, gradient-style backward
products) but with explicit batched matmuls, so it is the fast way to do it in PyTorch, not an autograd detour.

Usage: python pytorch_lrp.py W.safetensors [repeats=30] [threads=2] [--serve COMPOSITE]
--serve: per stdin line, the median seconds of `repeats` passes of one composite and of the GEMMs alone, one JSON
line each, for ../paired.py.
Prints one JSON object: ms per 1,000 heatmaps per composite, the GEMM floor of the same run, and the median
conservation error (sum of input relevance / f_c(x)) so the numbers can be checked against bench_lrp's.
"""
import json
import struct
import sys
import time

import numpy as np
import torch

from fashion_mnist import load

EPS = 1e-6


def read_safetensors(path):
    with open(path, "rb") as f:
        size = struct.unpack("<Q", f.read(8))[0]
        header = json.loads(f.read(size))
        data = f.read()
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = torch.from_numpy(np.frombuffer(data[begin:end], dtype=np.float32).reshape(info["shape"]).copy())
    return tensors


def stabilise(z, eps=EPS):
    return z + eps * torch.where(z >= 0, 1.0, -1.0)


def pos(t):
    return t.clamp(min=0)


def neg(t):
    return t.clamp(max=0)


def epsilon(a, w, b, r, out):
    # z was computed in the forward pass (LRP-0/epsilon reuse it, as ours does)
    s = r / stabilise(out)
    return a * (s @ w)


def gamma_rule(g):
    def rule(a, w, b, r, out):
        wg, bg = w + g * pos(w), b + g * pos(b)
        z = a @ wg.T + bg
        return a * ((r / stabilise(z)) @ wg)
    return rule


def alpha_beta(alpha, beta):
    # group 0: x+ w+ (+ b+) and x- w-; group 1: x+ w- (+ b-) and x- w+ (zennit's AlphaBeta)
    def rule(a, w, b, r, out):
        ap, an, wp, wn = pos(a), neg(a), pos(w), neg(w)
        zp = ap @ wp.T + an @ wn.T + pos(b)
        sp = r / stabilise(zp)
        rel = alpha * (ap * (sp @ wp) + an * (sp @ wn))
        if beta != 0:
            zn = ap @ wn.T + an @ wp.T + neg(b)
            sn = r / stabilise(zn)
            rel = rel - beta * (ap * (sn @ wn) + an * (sn @ wp))
        return rel
    return rule


def z_box(low, high):
    def rule(a, w, b, r, out):
        wp, wn = pos(w), neg(w)
        lo, hi = low.expand_as(a), high.expand_as(a)
        z = a @ w.T - lo @ wp.T - hi @ wn.T
        s = r / stabilise(z)
        return a * (s @ w) - lo * (s @ wp) - hi * (s @ wn)
    return rule


def explain(x, layers, rules):
    activations, outputs = [], []
    a = x
    for i, (w, b) in enumerate(layers):
        activations.append(a)
        z = a @ w.T + b
        outputs.append(z)
        a = z.clamp(min=0) if i + 1 < len(layers) else z
    logits = a
    target = logits.argmax(dim=1)
    r = torch.zeros_like(logits).scatter_(1, target[:, None], logits.gather(1, target[:, None]))
    for i in reversed(range(len(layers))):
        w, b = layers[i]
        r = rules[i](activations[i], w, b, r, outputs[i])
    return r, logits.gather(1, target[:, None]).squeeze(1)


def median_ms(fn, repeats):
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return 1e3 * float(np.median(times))


def main():
    args = sys.argv[1:]
    serve = None
    if "--serve" in args:
        at = args.index("--serve")
        serve = args[at + 1]
        del args[at:at + 2]
    path = args[0]
    repeats = int(args[1]) if len(args) > 1 else 30
    torch.set_num_threads(int(args[2]) if len(args) > 2 else 2)
    tensors = read_safetensors(path)
    names = sorted({k.rsplit(".", 1)[0] for k in tensors if k.startswith("dense")})
    layers = [(tensors[f"{n}.weight"], tensors[f"{n}.bias"]) for n in names]
    xtr, _, xte, _ = load()
    x = torch.from_numpy(xte[:1000].copy())
    low = torch.from_numpy(xtr.min(axis=0))[None, :]
    high = torch.from_numpy(xtr.max(axis=0))[None, :]

    composites = {
        "epsilon": [epsilon, epsilon, epsilon],
        "epsilon-plus": [alpha_beta(1, 0), alpha_beta(1, 0), epsilon],
        "epsilon-gamma-box": [z_box(low, high), gamma_rule(0.25), epsilon],
        "epsilon-alpha2-beta1": [alpha_beta(2, 1), alpha_beta(2, 1), epsilon],
    }

    def gemms():
        a = x
        zs = []
        for w, b in layers:
            zs.append(a @ w.T)
            a = zs[-1]
        for (w, _), z in zip(reversed(layers), reversed(zs)):
            z @ w

    if serve is not None:
        rules = composites[serve]
        with torch.no_grad():
            for _ in sys.stdin:
                ms = median_ms(lambda: explain(x, layers, rules), repeats)
                print(json.dumps({"seconds": ms / 1e3, "gemm_seconds": median_ms(gemms, repeats) / 1e3}), flush=True)
        return

    result = {"benchmark": "pytorch_lrp_fmnist_mlp", "torch": torch.__version__, "threads": torch.get_num_threads(),
              "batch": x.shape[0], "repeats": repeats}
    with torch.no_grad():
        result["gemm_only_ms"] = round(median_ms(gemms, repeats), 3)
        result["composites"] = {}
        for name, rules in composites.items():
            ms = median_ms(lambda: explain(x, layers, rules), repeats)
            relevance, score = explain(x, layers, rules)
            error = ((relevance.sum(dim=1) - score).abs() / score.abs().clamp(min=1e-12)).median().item()
            result["composites"][name] = {"ms_per_batch": round(ms, 3), "conservation_error": error}
            print(f"{name}: {ms:.2f} ms per 1000 heatmaps", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
