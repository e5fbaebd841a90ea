#!/usr/bin/env python3
"""The chapter's training loop in PyTorch + PIL, for side-by-side figures with the Swift workbook.

It follows the chapter's code path on purpose (PIL decode and resize per item, a process pool of
workers per DataLoader, the same simple CNN, SGD, TrackResults-style metrics), so that `make bench`
compares like with like. Optional: `--onecycle LR` trains with the chapter's one-cycle schedule.

usage: torch_chapter.py --path DATA [--epochs N] [--lr X] [--onecycle LR] [--workers 2] [--threads 2]
"""
import argparse
import math
import os
import time
from concurrent.futures import ProcessPoolExecutor
from glob import glob
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--path", required=True)
parser.add_argument("--epochs", type=int, default=1)
parser.add_argument("--lr", type=float, default=0.1)
parser.add_argument("--onecycle", type=float, default=None)
parser.add_argument("--workers", type=int, default=2)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--seed", type=int, default=42)
args = parser.parse_args()
torch.set_num_threads(args.threads)
torch.manual_seed(args.seed)

files = [Path(p) for p in glob(f"{args.path}/**/*.JPEG", recursive=True)]
files.sort()
labels = sorted({p.parent.name for p in files})
v2i = {name: i for i, name in enumerate(labels)}
train = [p for p in files if p.parent.parent.name == "train"]
valid = [p for p in files if p.parent.parent.name != "train"]


# The workers decode and stack with NumPy and the parent turns the batch into tensors: a forked
# worker that touches torch after the parent has used its OpenMP thread pool can hang (libgomp is not
# fork-safe), which the chapter's notebook avoids only by luck of ordering.
def load(fn):
    im = Image.open(fn).resize((64, 64)).convert("RGB")
    return np.asarray(im, dtype=np.float32) / 255


class Dataset:
    def __init__(self, fns): self.fns = fns
    def __len__(self): return len(self.fns)
    def __getitem__(self, i): return load(self.fns[i]), v2i[self.fns[i].parent.name]


def collate(idxs, ds):
    xb, yb = zip(*[ds[i] for i in idxs])
    return np.stack(xb), np.array(yb)


class DataLoader:
    def __init__(self, ds, bs=128, shuffle=False, n_workers=1):
        self.ds, self.bs, self.shuffle, self.n_workers = ds, bs, shuffle, n_workers
    def __len__(self): return (len(self.ds) - 1) // self.bs + 1
    def __iter__(self):
        idxs = torch.randperm(len(self.ds)).tolist() if self.shuffle else list(range(len(self.ds)))
        chunks = [idxs[n:n + self.bs] for n in range(0, len(self.ds), self.bs)]
        with ProcessPoolExecutor(self.n_workers) as ex:
            for xb, yb in ex.map(collate, chunks, [self.ds] * len(chunks)):
                yield torch.from_numpy(xb), torch.from_numpy(yb)


def conv(ni, nf):
    w = torch.zeros(nf, ni, 3, 3); torch.nn.init.kaiming_normal_(w)
    return [w.requires_grad_(), torch.zeros(nf, requires_grad=True)]


params = conv(3, 16) + conv(16, 32) + conv(32, 64) + conv(64, 128)
lw = torch.zeros(10, 128); torch.nn.init.xavier_normal_(lw)
params += [lw.requires_grad_(), torch.zeros(10, requires_grad=True)]


def model(x):
    for i in range(4):
        x = F.relu(F.conv2d(x, params[2 * i], params[2 * i + 1], stride=2, padding=1))
    return x.mean((2, 3)) @ params[8].t() + params[9]


def main():
    train_dl = DataLoader(Dataset(train), 128, True, args.workers)
    valid_dl = DataLoader(Dataset(valid), 256, False, args.workers)
    xb, _ = next(iter(train_dl))
    mean, std = xb.mean((0, 1, 2)), xb.std((0, 1, 2))
    tfm = lambda x: ((x - mean) / std).permute(0, 3, 1, 2)
    n_batches, total = len(train_dl), len(train_dl) * args.epochs
    start = time.time()
    step = 0
    for epoch in range(args.epochs):
        for training, dl in ((True, train_dl), (False, valid_dl)):
            t0, loss_sum, correct, n = time.time(), 0.0, 0, 0
            for x, y in dl:
                if training and args.onecycle:
                    pct = step / total
                    lr = ((1 - pct / .25) * args.onecycle / 10 + pct / .25 * args.onecycle) if pct < .25 \
                        else (1 - (pct - .25) / .75) * args.onecycle
                else:
                    lr = args.lr
                with torch.set_grad_enabled(training):
                    preds = model(tfm(x))
                    loss = F.cross_entropy(preds, y)
                if training:
                    loss.backward()
                    with torch.no_grad():
                        for p in params:
                            p -= p.grad * lr
                            p.grad.zero_()
                    step += 1
                loss_sum += loss.item() * len(x)
                correct += (preds.argmax(1) == y).sum().item()
                n += len(x)
            print(f"{epoch} {training} {loss_sum / n:.4f} {correct / n:.4f} {time.time() - t0:.1f}s", flush=True)
    print(f"total {time.time() - start:.2f}s")


if __name__ == "__main__":
    main()
