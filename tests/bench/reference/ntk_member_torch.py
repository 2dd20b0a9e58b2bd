#!/usr/bin/env python3
"""PyTorch CPU reference for bench_ntk_member: one permutation-task member as in the paper's code (arXiv 2502.16763):
nn.Linear(k, m) -> ReLU -> nn.Linear(m, k), weights N(0, 1/fan_in), zero biases, SGD, F.mse_loss, full batch of the
k basis vectors. Prints one JSON object: milliseconds per epoch (median of repeats) for the published loop (a
DataLoader over the k pairs, shuffled, batch 256) and for a tight loop (the k x k identity as one tensor), one
member at a time with `--threads` intra-op threads (Debian's torch does its GEMMs in the system BLAS, OpenBLAS here).

    /work/torchvenv/bin/python tests/bench/reference/ntk_member_torch.py --k 10 --width 50000 --epochs 50 --threads 2
"""
import argparse
import json
import os
import statistics
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--width", type=int, default=50000)
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    k, m = args.k, args.width
    perm = torch.randperm(k)
    eye = torch.eye(k)
    x, y = eye, eye[perm] @ eye

    def member():
        model = torch.nn.Sequential(torch.nn.Linear(k, m), torch.nn.ReLU(), torch.nn.Linear(m, k))
        for layer in (model[0], model[2]):
            torch.nn.init.normal_(layer.weight, 0.0, 1.0 / layer.in_features ** 0.5)
            torch.nn.init.zeros_(layer.bias)
        return model, torch.optim.SGD(model.parameters(), lr=1e-3)

    def timed(loop):
        model, optimizer = member()
        loop(model, optimizer, 2)  # warm up
        runs = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            loop(model, optimizer, args.epochs)
            runs.append(time.perf_counter() - start)
        return 1000.0 * statistics.median(runs) / args.epochs

    loader = DataLoader(TensorDataset(x, y), batch_size=256, shuffle=True)

    def published(model, optimizer, epochs):
        for _ in range(epochs):
            for xb, yb in loader:
                optimizer.zero_grad()
                loss = torch.nn.functional.mse_loss(model(xb), yb)
                loss.backward()
                optimizer.step()

    def tight(model, optimizer, epochs):
        for _ in range(epochs):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()

    result = {"bench": "ntk_member_torch", "torch": torch.__version__, "k": k, "width": m,
              "epochs_timed": args.epochs, "repeats": args.repeats, "threads": args.threads,
              "published_loop_ms_per_epoch": timed(published), "tight_loop_ms_per_epoch": timed(tight)}
    result["seconds_per_member_10000_epochs"] = result["tight_loop_ms_per_epoch"] * 10.0
    print(json.dumps(result))


if __name__ == "__main__":
    main()
