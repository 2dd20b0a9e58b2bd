"""PyTorch CPU reference for the Forward-Forward example (resources/examples/fmnist-ff.ffnlab): the same 784-500-500
ReLU network, pixels in [0, 1], the label one-hot (value 10) written over the first 10 pixels, a uniformly drawn wrong
label for the negative, every layer's input normalised to unit length and detached, mean goodness with threshold 2,
Loss = mean softplus(theta - G+) + mean softplus(G- - theta), both layers on every batch (simultaneous), Adam lr 3e-2,
batch 100; prediction = argmax over the 10 labels of the goodness summed over both layers. Same 2
cores; linear layers through PyTorch's CPU GEMM (MKL / oneDNN in this wheel). Prints one JSON line.
--hard: hard negatives as the example uses them (ruleParams.negatives = hard): the wrong label drawn in proportion to
the softmax of the network's own goodness scores over the wrong labels (one no-grad scoring pass of all 10 labels per
batch); --cooldown: the learning rate falls linearly to 0 over the run (optimizer.schedule = linear).
  python tests/bench/reference/pytorch_fmnist_ff.py [epochs] [--hard] [--cooldown]"""
import json
import statistics
import sys

import torch
import torch.nn.functional as F

from fashion_mnist import load_unit, timed_epochs

torch.set_num_threads(2)
torch.manual_seed(1)
args = [a for a in sys.argv[1:] if not a.startswith("--")]
epochs = int(args[0]) if args else 5
HARD, COOLDOWN = "--hard" in sys.argv, "--cooldown" in sys.argv
C, BATCH, EPS, LABEL, THETA = 10, 100, 1e-6, 10.0, 2.0
xtr, ytr, xte, yte = (torch.from_numpy(a) for a in load_unit())
layers = [torch.nn.Linear(784, 500), torch.nn.Linear(500, 500)]
optimizer = torch.optim.Adam([p for layer in layers for p in layer.parameters()], lr=3e-2)
total_steps = epochs * ((len(xtr) + BATCH - 1) // BATCH)
schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda t: 1.0 - t / total_steps if COOLDOWN else 1.0)


def embed(x, labels):
    x = x.clone()
    x[:, :C] = LABEL * F.one_hot(labels, C).to(x.dtype)
    return x


def activities(x):
    out = []
    for layer in layers:
        x = torch.relu(layer(x / (x.norm(dim=1, keepdim=True) + EPS)))
        out.append(x)
        x = x.detach()
    return out


def scores(x):
    with torch.no_grad():
        return torch.stack([sum(a.pow(2).mean(1) for a in activities(embed(x, torch.full((len(x),), c)))) for c in
                            range(C)], 1)


def predict(x):
    return scores(x).argmax(1)


def step(idx):
    x, y = xtr[idx], ytr[idx]
    n = len(y)
    if HARD:
        s = scores(x)
        s[torch.arange(n), y] = -float("inf")
        wrong = torch.multinomial(F.softmax(s, 1), 1).squeeze(1)
    else:
        wrong = (y + torch.randint(1, C, y.shape)) % C
    loss = 0.0
    for a in activities(torch.cat([embed(x, y), embed(x, wrong)])):
        g = a.pow(2).mean(1)
        loss = loss + F.softplus(THETA - g[:n]).mean() + F.softplus(g[n:] - THETA).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    schedule.step()


times = timed_epochs(epochs, len(xtr), BATCH, step)
accuracy = (predict(xte) == yte).float().mean().item()
print(json.dumps({"reference": "pytorch_fmnist_ff", "torch": torch.__version__, "threads": torch.get_num_threads(),
                  "epochs": epochs, "hard_negatives": HARD, "cooldown": COOLDOWN, "seconds_per_epoch_median": statistics.median(times), "test_accuracy": accuracy}))
