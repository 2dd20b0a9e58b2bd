"""PyTorch CPU reference for bench_fmnist_mlp: the same 784-256-256-10 ReLU MLP, Adam lr 1e-3, batch 128, on the
same 2 cores, PyTorch's default CPU path. Its float32 linear layers run on the wheel's BLAS (MKL's sgemm in the 2.x
wheels), not on its oneDNN: ONEDNN_VERBOSE=1 lists no primitive for a training step. Prints one JSON line.
--fused-adam: Adam(fused=True), PyTorch's opt-in one-kernel CPU Adam (the default updates parameter by parameter,
op by op); how much faster it is depends on the machine (1.2-1.35x in our sessions), so measure it with paired.py.
  python tests/bench/reference/pytorch_fmnist_mlp.py [epochs] [--fused-adam]
  python tests/bench/reference/pytorch_fmnist_mlp.py --serve [--fused-adam]   (one epoch per stdin line, for ../paired.py)"""
import json
import statistics
import sys
import time

import torch

from fashion_mnist import load

torch.set_num_threads(2)
torch.manual_seed(1)
serve = "--serve" in sys.argv
fused_adam = "--fused-adam" in sys.argv
args = [a for a in sys.argv[1:] if not a.startswith("--")]
epochs = int(args[0]) if args else 5
xtr, ytr, xte, yte = (torch.from_numpy(a) for a in load())
model = torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 256), torch.nn.ReLU(),
                            torch.nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, fused=fused_adam)
loss_fn = torch.nn.CrossEntropyLoss()


def train_epoch():
    order = torch.randperm(len(xtr))
    start = time.perf_counter()
    for i in range(0, len(xtr), 128):
        idx = order[i:i + 128]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xtr[idx]), ytr[idx])
        loss.backward()
        optimizer.step()
    return time.perf_counter() - start


if serve:
    for _ in sys.stdin:
        print(json.dumps({"seconds": train_epoch()}), flush=True)
    sys.exit(0)
times = [train_epoch() for _ in range(epochs)]
with torch.no_grad():
    accuracy = (model(xte).argmax(1) == yte).float().mean().item()
print(json.dumps({"reference": "pytorch_fmnist_mlp", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "fused_adam": fused_adam,
                  "seconds_per_epoch_median": statistics.median(times), "test_accuracy": accuracy}))
