"""PyTorch CPU reference for the Mono-Forward example (resources/examples/fmnist-mf.ffnlab): the same 784-1000-1000
ReLU network, inputs standardised, each layer with its own bias-free projection M_i (10 x d_i) and cross-entropy on
a_i M_i^T, each layer's input detached, both layers on every batch (schedule 'together'), Adam lr 1e-3, batch 128;
prediction = argmax of the last layer's scores. Same 2 cores; linear layers through PyTorch's CPU GEMM (MKL / oneDNN
in this wheel). Prints one JSON line.
  python tests/bench/reference/pytorch_fmnist_mf.py [epochs]"""
import json
import statistics
import sys

import torch
import torch.nn.functional as F

from fashion_mnist import load, timed_epochs

torch.set_num_threads(2)
torch.manual_seed(1)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
C, BATCH = 10, 128
xtr, ytr, xte, yte = (torch.from_numpy(a) for a in load())
layers = [torch.nn.Linear(784, 1000), torch.nn.Linear(1000, 1000)]
projections = [torch.nn.Linear(1000, C, bias=False), torch.nn.Linear(1000, C, bias=False)]
optimizer = torch.optim.Adam([p for m in layers + projections for p in m.parameters()], lr=1e-3)


def scores(x):
    out = []
    for layer, projection in zip(layers, projections):
        a = torch.relu(layer(x))
        out.append(projection(a))
        x = a.detach()
    return out


def step(idx):
    loss = sum(F.cross_entropy(s, ytr[idx]) for s in scores(xtr[idx]))
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()


times = timed_epochs(epochs, len(xtr), BATCH, step)
with torch.no_grad():
    accuracy = (scores(xte)[-1].argmax(1) == yte).float().mean().item()
print(json.dumps({"reference": "pytorch_fmnist_mf", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "epochs": epochs, "seconds_per_epoch_median": statistics.median(times), "test_accuracy": accuracy}))
