#!/usr/bin/python3
"""Writes the PyTorch fixtures of further-research exercises R1, R2, R4 and R5 (one JSON file each,
next to the exercise's checks: Tests/ExerciseChecks/R<k>/fixtures.json).

Run by hand with Debian's python3-torch (1.13); CI never runs it, the JSON it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/Fixtures/make_research_fixtures.py
"""
import json
import os

import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(13)
HERE = os.path.dirname(os.path.abspath(__file__))


def encode(t):
    """A tensor as {"shape": [...], "data": [...]} in row-major order."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.flatten().tolist()]}


def write(exercise, content):
    path = os.path.join(HERE, "..", exercise, "fixtures.json")
    with open(path, "w") as f:
        json.dump(content, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


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


write("R1", {
    "comment": "resnet18 as torchvision builds it, parameter counts from torch.nn",
    "resnet18_10_classes": count(resnet18(10)),
    "resnet18_1000_classes": count(resnet18(1000)),
    "resnet18_width8_7_classes": count(resnet18(7, width=8)),
    "output_64": list(resnet18(10, 8)(torch.randn(2, 3, 64, 64)).shape),
})

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
        "running_mean1": encode(mean1), "running_var1": encode(var1),
        "x2": encode(x2), "y2": encode(y2), "running_mean2": encode(mean2), "running_var2": encode(var2),
        "x_eval": encode(x_eval), "y_eval": encode(y_eval),
    }


write("R2", {"cases": [
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
write("R4", {"cases": [
    momentum_case("momentum 0.9, changing lr", 0.9, 0.0, schedule),
    momentum_case("momentum 0.8, weight decay 0.1, changing lr", 0.8, 0.1, schedule),
]})

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


write("R5", {"cases": [
    smoothing_case("8 rows, 5 classes, ε 0.1", 8, 5, 0.1),
    smoothing_case("6 rows, 10 classes, ε 0.3, scores ×3", 6, 10, 0.3, scale=3.0),
    smoothing_case("4 rows, 2 classes, ε 0.2", 4, 2, 0.2),
    smoothing_case("5 rows, 4 classes, ε 0", 5, 4, 0.0),
    smoothing_case("1 row, 3 classes, ε 0.5", 1, 3, 0.5),
    # Scores in the hundreds: exp overflows unless the log softmax is the stable one.
    smoothing_case("3 rows, 6 classes, ε 0.1, scores ×200", 3, 6, 0.1, scale=200.0),
]})
