#!/usr/bin/python3
"""Writes fixtures.json and Checks/Fixtures.swift beside this script: torch.optim.SGD's trajectories with momentum, for exercise R4.

Run by hand with Debian's python3-torch (1.13); CI never runs it, what it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift checks feed the
student's answer exactly the numbers PyTorch saw.

    /usr/bin/python3 Tests/ExerciseChecks/R4/make_fixtures.py
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


def write(content):
    """Writes fixtures.json beside this script, and the same JSON as a Swift string in
    Checks/Fixtures.swift, so that the checks need no resource bundle."""
    text = json.dumps(content, separators=(",", ":"))
    with open(os.path.join(HERE, "fixtures.json"), "w") as f:
        f.write(text + "\n")
    # Break the line after commas (whitespace between JSON tokens is allowed) to keep lines short.
    lines, line, in_string = [], "", False
    for ch in text:
        line += ch
        in_string = in_string != (ch == '"')
        if ch == "," and not in_string and len(line) > 90:
            lines.append(line)
            line = ""
    lines.append(line)
    with open(os.path.join(HERE, "Checks", "Fixtures.swift"), "w") as f:
        f.write("// Written by make_fixtures.py (PyTorch %s) beside this folder; do not edit by hand.\n\n"
                % torch.__version__.split("a")[0])
        f.write("/// PyTorch's numbers for the checks: fixtures.json, as a string so that the checks need no\n")
        f.write("/// resource bundle.\n")
        # Indented as swift format indents a multi-line string; the indentation is not part of it.
        f.write('let fixturesJSON = #"""\n' + "".join("    " + line + "\n" for line in lines) + '    """#\n')
    print("wrote", os.path.join(HERE, "fixtures.json"), "and Checks/Fixtures.swift")


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
write({"cases": [
    momentum_case("momentum 0.9, changing lr", 0.9, 0.0, schedule),
    momentum_case("momentum 0.8, weight decay 0.1, changing lr", 0.8, 0.1, schedule),
]})
