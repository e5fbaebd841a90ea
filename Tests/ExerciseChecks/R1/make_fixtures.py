#!/usr/bin/python3
"""Writes fixtures.json and Checks/Fixtures.swift beside this script: the parameter counts of torchvision's resnet18, for exercise R1.

Run by hand with Debian's python3-torch (1.13); CI never runs it, what it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/R1/make_fixtures.py
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


# R1: torchvision's resnet18, rebuilt from torch.nn modules (torchvision is not installed), so its
# parameter count for 10 classes is counted by PyTorch rather than by hand.
class BasicBlock(nn.Module):
    def __init__(self, ni, nf, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(ni, nf, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(nf)
        self.conv2 = nn.Conv2d(nf, nf, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(nf)
        self.downsample = None
        if stride != 1 or ni != nf:
            self.downsample = nn.Sequential(nn.Conv2d(ni, nf, 1, stride, bias=False), nn.BatchNorm2d(nf))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


def resnet18(num_classes, width=64):
    layers = [nn.Conv2d(3, width, 7, 2, 3, bias=False), nn.BatchNorm2d(width), nn.ReLU(),
              nn.MaxPool2d(3, 2, 1)]
    ni = width
    for stage, stride in enumerate([1, 2, 2, 2]):
        nf = width << stage
        layers += [BasicBlock(ni, nf, stride), BasicBlock(nf, nf, 1)]
        ni = nf
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(ni, num_classes)]
    return nn.Sequential(*layers)


def count(m):
    return sum(p.numel() for p in m.parameters())


write(HERE, {
    "comment": "resnet18 as torchvision builds it, parameter counts from torch.nn",
    "resnet18TenClasses": count(resnet18(10)),
    "resnet18ThousandClasses": count(resnet18(1000)),
    "resnet18Width8SevenClasses": count(resnet18(7, width=8)),
    "output64": list(resnet18(10, 8)(torch.randn(2, 3, 64, 64)).shape),
})
