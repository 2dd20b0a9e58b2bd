"""Fashion-MNIST from the Debian package (dataset-fashion-mnist), as float32 numpy arrays, for the PyTorch
reference benchmarks. Standardised with the training set's global mean and std, like our examples."""
import gzip

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"


def _read(name, offset):
    with gzip.open(f"{ROOT}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load_unit():
    """Pixels / 255 in [0, 1] (normalize: unit)."""
    xtr = _read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255.0
    ytr = _read("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    xte = _read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255.0
    yte = _read("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    return xtr, ytr, xte, yte


def load():
    """Standardised (normalize: standardize)."""
    xtr, ytr, xte, yte = load_unit()
    mean, std = xtr.mean(), xtr.std()
    return (xtr - mean) / std, ytr, (xte - mean) / std, yte


def timed_epochs(epochs, count, batch, step, after_epoch=None):
    """Runs `epochs` shuffled passes of step(indices) over `count` samples in minibatches; returns the seconds each
    pass took (training only; after_epoch(), e.g. a validation, runs outside the clock)."""
    import time

    import torch
    times = []
    for _ in range(epochs):
        order = torch.randperm(count)
        start = time.perf_counter()
        for i in range(0, count, batch):
            step(order[i:i + batch])
        times.append(time.perf_counter() - start)
        if after_epoch:
            after_epoch()
    return times
