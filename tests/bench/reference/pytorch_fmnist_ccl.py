"""PyTorch CPU reference for the Counter-Current Learning example (resources/examples/fmnist-ccl.ffnlab), written
from SPECS.md and the official code (IandRover/CCL-NeurIPS24, yaml/mlp/fmnist_ccl.yaml): forward net
784-256x5-10, ELU, no biases, each layer's input detached; feedback net of bias-free B_l (d_l -> d_{l-1}) run on the
identity I_10 with ELU between, inputs detached, the bottom output linear; pair losses
0.5 * (256 / d_l) * mean((a_l c_l^T - onehot)^2) plus cross-entropy of the logits; SGD lr 1 for both nets, gradient
norm clipped to 1 per net, batch 256, 90/10 train/validation split, the epoch with the best validation loss kept for
the test. Same 2 cores; linear layers through PyTorch's CPU GEMM (MKL / oneDNN in this wheel). Prints one JSON line.
  python tests/bench/reference/pytorch_fmnist_ccl.py [epochs]"""
import copy
import json
import statistics
import sys

import torch
import torch.nn.functional as F

from fashion_mnist import load, timed_epochs

torch.set_num_threads(2)
torch.manual_seed(1)
epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
C, BATCH = 10, 256
widths = [784, 256, 256, 256, 256, 256, C]
x, y, xte, yte = (torch.from_numpy(a) for a in load())
split = torch.randperm(len(x))
xva, yva = x[split[:len(x) // 10]], y[split[:len(x) // 10]]
xtr, ytr = x[split[len(x) // 10:]], y[split[len(x) // 10:]]
forward = torch.nn.ModuleList(torch.nn.Linear(widths[l - 1], widths[l], bias=False) for l in range(1, len(widths)))
feedback = torch.nn.ModuleList(torch.nn.Linear(widths[l], widths[l - 1], bias=False) for l in range(1, len(widths)))
opt_f = torch.optim.SGD(forward.parameters(), lr=1.0)
opt_b = torch.optim.SGD(feedback.parameters(), lr=1.0)
identity = torch.eye(C)


def forward_pass(x):
    acts = [x]
    for l, layer in enumerate(forward):
        z = layer(acts[-1].detach())
        acts.append(z if l + 1 == len(forward) else F.elu(z))
    return acts  # a_0 .. a_{L-1}, logits


def feedback_pass():
    signals = [None] * len(feedback)  # c_0 .. c_{L-1}
    c = identity
    for l in range(len(feedback), 0, -1):
        pre = feedback[l - 1](c.detach())
        c = pre if l == 1 else F.elu(pre)
        signals[l - 1] = c
    return signals


def loss_of(x, y):
    acts = forward_pass(x)
    target = F.one_hot(y, C).float()
    loss = F.cross_entropy(acts[-1], y)
    for a, c in zip(acts[:-1], feedback_pass()):
        loss = loss + 0.5 * (256.0 / c.shape[1]) * (a @ c.t() - target).pow(2).mean()
    return loss


def step(idx):
    loss = loss_of(xtr[idx], ytr[idx])
    opt_f.zero_grad(set_to_none=True)
    opt_b.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(forward.parameters(), 1.0)
    torch.nn.utils.clip_grad_norm_(feedback.parameters(), 1.0)
    opt_f.step()
    opt_b.step()


best = {"loss": float("inf"), "state": None}


def keep_best():
    with torch.no_grad():
        validation = F.cross_entropy(forward_pass(xva)[-1], yva).item()
    if validation < best["loss"]:
        best.update(loss=validation, state=copy.deepcopy(forward.state_dict()))


times = timed_epochs(epochs, len(xtr), BATCH, step, keep_best)
forward.load_state_dict(best["state"])
with torch.no_grad():
    accuracy = (forward_pass(xte)[-1].argmax(1) == yte).float().mean().item()
print(json.dumps({"reference": "pytorch_fmnist_ccl", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "epochs": epochs, "seconds_per_epoch_median": statistics.median(times), "test_accuracy": accuracy}))
