#!/usr/bin/python3
"""Writes fixtures.json and Checks/Fixtures.swift beside this script: PyTorch's label-smoothing cross entropy and its gradient, for exercise R5.

Run by hand with Debian's python3-torch (1.13); CI never runs it, what it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/R5/make_fixtures.py
"""
import os
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from fixture_writer import encode, write  # noqa: E402  (shared by every exercise's fixture script)


# R5: label smoothing cross entropy. torch 1.13's F.cross_entropy(…, label_smoothing=ε) is fastai's
# LabelSmoothingCrossEntropy: (1 − ε)·nll + ε·mean over classes of −log p, averaged over the batch.
def smoothing_case(name, n, c, eps, scale=1.0):
    preds = (torch.randn(n, c) * scale).requires_grad_()
    target = torch.randint(0, c, (n,))
    loss = F.cross_entropy(preds, target, label_smoothing=eps)
    upstream = torch.randn(())
    (loss * upstream).backward()
    return {"name": name, "eps": eps, "preds": encode(preds), "target": [int(t) for t in target],
            "loss": float(f"{loss.item():.9g}"), "upstream": float(f"{upstream.item():.9g}"),
            "dpreds": encode(preds.grad)}


write(HERE, {"cases": [
    smoothing_case("8 rows, 5 classes, ε 0.1", 8, 5, 0.1),
    smoothing_case("6 rows, 10 classes, ε 0.3, scores ×3", 6, 10, 0.3, scale=3.0),
    smoothing_case("4 rows, 2 classes, ε 0.2", 4, 2, 0.2),
    smoothing_case("5 rows, 4 classes, ε 0", 5, 4, 0.0),
    smoothing_case("1 row, 3 classes, ε 0.5", 1, 3, 0.5),
    # Scores in the hundreds: exp overflows unless the log softmax is the stable one.
    smoothing_case("3 rows, 6 classes, ε 0.1, scores ×200", 3, 6, 0.1, scale=200.0),
]})
