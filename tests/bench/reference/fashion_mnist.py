"""Fashion-MNIST from the Debian package (dataset-fashion-mnist), as float32 numpy arrays, for the PyTorch
reference benchmarks. Standardised with the training set's global mean and std, like our examples."""
import gzip

import numpy as np

ROOT = "/usr/share/datasets/fashion-mnist"


def _read(name, offset):
    with gzip.open(f"{ROOT}/{name}", "rb") as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)


def load():
    xtr = _read("train-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255.0
    ytr = _read("train-labels-idx1-ubyte.gz", 8).astype(np.int64)
    xte = _read("t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784).astype(np.float32) / 255.0
    yte = _read("t10k-labels-idx1-ubyte.gz", 8).astype(np.int64)
    mean, std = xtr.mean(), xtr.std()
    return (xtr - mean) / std, ytr, (xte - mean) / std, yte
