#!/usr/bin/python3
"""Writes fixtures.json and Checks/Fixtures.swift beside this script: torch.optim.SGD's trajectories with momentum, for exercise R4.

Run by hand with Debian's python3-torch (1.13); CI never runs it, what it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/R4/make_fixtures.py
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


# R4: torch.optim.SGD with momentum under a learning rate that changes every step. The loss is
# Σ c·p²/2 + d·p over three parameters (two of the same shape), so its gradient is c·p + d.
def momentum_case(name, momentum, wd, lrs):
    shapes = [(3,), (3,), (2, 2)]
    params = [torch.randn(*s).requires_grad_() for s in shapes]
    cs = [torch.rand(*s) * 2 + 0.2 for s in shapes]
    ds = [torch.randn(*s) for s in shapes]
    start = [encode(p) for p in params]
    opt = torch.optim.SGD(params, lr=lrs[0], momentum=momentum, weight_decay=wd)
    trajectory = []
    for lr in lrs:
        for group in opt.param_groups:
            group["lr"] = lr
        loss = sum((c * p * p / 2 + d * p).sum() for p, c, d in zip(params, cs, ds))
        loss.backward()
        opt.step()
        opt.zero_grad()
        trajectory.append([encode(p) for p in params])
    return {"name": name, "momentum": momentum, "wd": wd, "lrs": lrs, "start": start,
            "c": [encode(c) for c in cs], "d": [encode(d) for d in ds], "trajectory": trajectory}


schedule = [0.1, 0.3, 0.05, 0.2, 0.01, 0.15, 0.25, 0.02]
write(HERE, {"cases": [
    momentum_case("momentum 0.9, changing lr", 0.9, 0.0, schedule),
    momentum_case("momentum 0.8, weight decay 0.1, changing lr", 0.8, 0.1, schedule),
]})
