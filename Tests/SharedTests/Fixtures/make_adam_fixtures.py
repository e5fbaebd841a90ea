#!/usr/bin/python3
"""Writes adam_fixtures.json: five steps of torch.optim.Adam and AdamW on fixed parameters and
gradients, for the workbook's `Adam` to be checked against (AdamTests.swift).

Run by hand with Debian's python3-torch (1.13); CI never runs it, the JSON it writes is committed.
The gradient of every step is drawn here and stored, so the Swift test feeds its optimiser exactly
the gradients torch's saw and compares the parameters after each step.

    /usr/bin/python3 Tests/SharedTests/Fixtures/make_adam_fixtures.py
"""
import json
import os

import torch

torch.manual_seed(8)
STEPS = 5


def encode(t):
    """A tensor as {"shape": [...], "data": [...]}; nine significant digits identify a float32."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.flatten().tolist()]}


def start_params():
    """Two parameters, a weight and a bias, kept away from zero so relative errors stay meaningful."""
    shapes = [(3, 4), (5,)]
    params = []
    for shape in shapes:
        p = torch.randn(*shape)
        p = torch.where(p.abs() < 0.2, p.sign() * 0.2 + p, p)
        params.append(p)
    return params


def run(make_optimizer, options):
    params = [p.clone().requires_grad_() for p in start_params()]
    opt = make_optimizer(params, **options)
    initial = [encode(p) for p in params]
    grads, after = [], []
    for _ in range(STEPS):
        step_grads = [torch.randn(p.shape) for p in params]
        for p, g in zip(params, step_grads):
            p.grad = g.clone()
        opt.step()
        grads.append([encode(g) for g in step_grads])
        after.append([encode(p) for p in params])
    return {"options": options, "initial": initial, "grads": grads, "after": after}


cases = {
    # torch's defaults.
    "adam": run(torch.optim.Adam, {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0}),
    # fastai's defaults for the moments, and a larger rate.
    "adam_fastai_betas": run(torch.optim.Adam, {"lr": 0.05, "betas": [0.9, 0.99], "eps": 1e-5, "weight_decay": 0.0}),
    # Classic L2: weight_decay adds wd * p to the gradient before the moments see it.
    "adam_l2": run(torch.optim.Adam, {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1}),
    # Decoupled weight decay: the weights shrink by lr * wd, apart from the moments.
    "adamw": run(torch.optim.AdamW, {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.1}),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "adam_fixtures.json")
with open(path, "w") as f:
    json.dump({"torch": torch.__version__, "steps": STEPS, "cases": cases}, f, separators=(",", ":"))
print(f"wrote {path} ({os.path.getsize(path)} bytes) with torch {torch.__version__}")
