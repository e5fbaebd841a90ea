#!/usr/bin/python3
"""Writes fixtures.json and Checks/Fixtures.swift beside this script: PyTorch's BatchNorm2d in training and evaluation, for exercise R2.

Run by hand with Debian's python3-torch (1.13); CI never runs it, what it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/R2/make_fixtures.py
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


# R2: BatchNorm2d in training (two steps, to follow the running statistics), then in evaluation.
def batchnorm_case(name, shape, momentum, eps, scale, shift):
    x1 = (torch.randn(*shape) * scale.view(1, -1, 1, 1) + shift.view(1, -1, 1, 1)).requires_grad_()
    x2 = torch.randn(*shape) * 2 + 1
    x_eval = torch.randn(*shape)
    c = shape[1]
    bn = nn.BatchNorm2d(c, momentum=momentum, eps=eps)
    with torch.no_grad():
        bn.weight.copy_(torch.randn(c))
        bn.bias.copy_(torch.randn(c))
    weight0, bias0 = bn.weight.detach().clone(), bn.bias.detach().clone()
    upstream = torch.randn(*shape)
    bn.train()
    y1 = bn(x1)
    (y1 * upstream).sum().backward()
    mean1, var1 = bn.running_mean.clone(), bn.running_var.clone()
    y2 = bn(x2)
    mean2, var2 = bn.running_mean.clone(), bn.running_var.clone()
    bn.eval()
    y_eval = bn(x_eval)
    return {
        "name": name, "momentum": momentum, "eps": eps,
        "weight": encode(weight0), "bias": encode(bias0),
        "x1": encode(x1), "upstream": encode(upstream), "y1": encode(y1),
        "dx1": encode(x1.grad), "dweight": encode(bn.weight.grad), "dbias": encode(bn.bias.grad),
        "runningMean1": encode(mean1), "runningVar1": encode(var1),
        "x2": encode(x2), "y2": encode(y2), "runningMean2": encode(mean2), "runningVar2": encode(var2),
        "xEval": encode(x_eval), "yEval": encode(y_eval),
    }


write(HERE, {"cases": [
    batchnorm_case("3 channels, defaults", (4, 3, 5, 5), 0.1, 1e-5,
                   torch.tensor([1.0, 3.0, 0.5]), torch.tensor([2.0, -1.0, 0.0])),
    # A large eps and a channel of small variance make eps's place visible; momentum 0.3 tells
    # (1 − m)·running + m·batch from m·running + (1 − m)·batch.
    batchnorm_case("2 channels, momentum 0.3, eps 0.5", (3, 2, 4, 6), 0.3, 0.5,
                   torch.tensor([0.2, 4.0]), torch.tensor([-1.0, 3.0])),
    # Two values per channel: the unbiased variance is twice the biased one.
    batchnorm_case("one image of 1×2", (1, 4, 1, 2), 0.1, 1e-5,
                   torch.tensor([1.0, 2.0, 0.5, 3.0]), torch.tensor([0.0, 1.0, -2.0, 0.5])),
]})
