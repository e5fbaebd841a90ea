#!/usr/bin/python3
"""Writes engine_fixtures.json: inputs, PyTorch's outputs and gradients for the engine's tests.

Run by hand with Debian's python3-torch (1.13); CI never runs it, the JSON it writes is committed.
Every input is drawn here from a fixed seed and stored in the file, so the Swift tests feed the
engine exactly the numbers PyTorch saw. Gradients come from `(output * upstream).sum().backward()`
with a random `upstream`, so that every output element's gradient path is exercised with a
different weight instead of all ones.

    /usr/bin/python3 Tests/SharedTests/Fixtures/make_fixtures.py
"""
import json
import math
import os

import torch
import torch.nn.functional as F

torch.manual_seed(19)
torch.set_default_dtype(torch.float32)


def encode(t):
    """A tensor as {"shape": [...], "data": [...]} in row-major order."""
    t = t.detach().to(torch.float32).contiguous()
    # Nine significant digits identify a float32 exactly and keep the file small.
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.flatten().tolist()]}


def leaf(*shape, low=None, high=None, away_from_zero=False):
    """A random input that requires a gradient; uniform in [low, high) when given, else normal."""
    if low is not None:
        t = torch.rand(*shape) * (high - low) + low
    else:
        t = torch.randn(*shape)
    if away_from_zero:  # keeps relu/abs off their kink, where gradients are a convention
        t = torch.where(t.abs() < 0.1, t.sign() * 0.1 + t, t)
    return t.requires_grad_()


def case(inputs, outputs, params=None, upstream_of=None):
    """Back-propagates `sum(output * upstream)` for the first output (or `upstream_of`) and records
    the inputs, the outputs, the upstream gradient and every input's gradient."""
    name, out = next(iter(outputs.items())) if upstream_of is None else (upstream_of, outputs[upstream_of])
    upstream = torch.randn(out.shape)
    (out * upstream).sum().backward()
    return {
        "params": params or {},
        "inputs": {k: encode(v) for k, v in inputs.items()},
        "outputs": {k: encode(v) for k, v in outputs.items()},
        "upstream": encode(upstream),
        "upstreamOf": name,
        "grads": {k: encode(v.grad) for k, v in inputs.items() if v.requires_grad and v.grad is not None},
    }


cases = {}

# conv2d: [N, C, H, W] = [2, 3, 7, 7], weight [4, 3, 3, 3]
for stride, padding, bias in [(1, 1, True), (1, 1, False), (2, 1, True), (2, 1, False), (2, 0, True), (1, 0, False)]:
    x, w = leaf(2, 3, 7, 7), leaf(4, 3, 3, 3)
    inputs = {"x": x, "weight": w}
    b = None
    if bias:
        b = leaf(4)
        inputs["bias"] = b
    out = F.conv2d(x, w, b, stride=stride, padding=padding)
    name = f"conv2d_s{stride}_p{padding}_{'bias' if bias else 'nobias'}"
    cases[name] = case(inputs, {"out": out}, {"stride": stride, "padding": padding})

# linear: x @ w.t() + b
x, w, b = leaf(5, 6), leaf(4, 6), leaf(4)
cases["linear"] = case({"x": x, "weight": w, "bias": b}, {"out": x @ w.t() + b})

# matmul of plain matrices
a, m = leaf(3, 5), leaf(5, 2)
cases["matmul"] = case({"a": a, "b": m}, {"out": a @ m})

x = leaf(3, 5, away_from_zero=True)
cases["relu"] = case({"x": x}, {"out": x.relu()})

x = leaf(2, 3, 4, 5)
cases["mean_2_3"] = case({"x": x}, {"out": x.mean((2, 3))})

x = leaf(4, 6)
cases["log_softmax"] = case({"x": x}, {"out": x - x.logsumexp(-1, keepdim=True)})

x = leaf(4, 6)
cases["logsumexp"] = case({"x": x}, {"out": x.logsumexp(-1)})

# logsumexp of large inputs: the max trick must keep exp from overflowing
x = (torch.randn(3, 5) * 10 + 100).requires_grad_()
cases["logsumexp_large"] = case({"x": x}, {"out": x.logsumexp(1)})

# cross entropy: mean of -log_softmax[range(n), target]
x = leaf(6, 10)
target = torch.randint(0, 10, (6,))
log_sm = x - x.logsumexp(-1, keepdim=True)
loss = -log_sm[torch.arange(6), target].mean()
assert torch.allclose(loss, F.cross_entropy(x, target))
c = case({"x": x}, {"loss": loss})
c["params"]["target"] = target.tolist()
cases["cross_entropy"] = c

for axes, keep in [((1,), False), ((0, 2), False), ((0, 2), True), ((-1,), True), ((0, 1, 2), False)]:
    x = leaf(3, 4, 5)
    name = "sum_" + "_".join(str(a) for a in axes) + ("_keep" if keep else "")
    cases[name] = case({"x": x}, {"out": x.sum(axes, keepdim=keep)}, {"axes": list(axes), "keepDim": keep})

for axes, keep in [((1,), False), ((0, 2), True), ((2,), False)]:
    x = leaf(3, 4, 5)
    name = "std_" + "_".join(str(a) for a in axes) + ("_keep" if keep else "")
    cases[name] = case({"x": x}, {"out": x.std(axes, keepdim=keep)}, {"axes": list(axes), "keepDim": keep})

for axis in [0, 1, 2]:
    x = leaf(3, 4, 5)
    values, indices = x.max(axis)
    c = case({"x": x}, {"values": values, "indices": indices.to(torch.float32)}, {"axis": axis}, upstream_of="values")
    cases[f"max_{axis}"] = c

# broadcasting both ways: a [3, 1, 5] against b [4, 1] gives [3, 4, 5]
for op in ["add", "sub", "mul", "div"]:
    a = leaf(3, 1, 5)
    b = leaf(4, 1, low=0.5, high=2.0) if op == "div" else leaf(4, 1)
    out = {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b}[op]
    cases[f"broadcast_{op}"] = case({"a": a, "b": b}, {"out": out}, {"op": op})

# initialisation: fans and standard deviations of kaiming_normal_ and xavier_normal_
inits = {}
for name, shape in [("conv", [16, 3, 3, 3]), ("linear", [10, 128])]:
    w = torch.empty(shape)
    fan_in, fan_out = torch.nn.init._calculate_fan_in_and_fan_out(w)
    kaiming_std = math.sqrt(2 / fan_in)
    xavier_std = math.sqrt(2 / (fan_in + fan_out))
    big = torch.empty([256] + shape[1:])
    torch.nn.init.kaiming_normal_(big)
    inits[name] = {
        "shape": shape, "fanIn": fan_in, "fanOut": fan_out,
        "kaimingStd": kaiming_std, "xavierStd": xavier_std,
        # PyTorch's own kaiming_normal_ on 256 output channels (same fan in): what the formula gives
        "torchKaimingEmpiricalStd": big.std().item(),
    }

fixtures = {"torch": torch.__version__, "cases": cases, "init": inits}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "engine_fixtures.json")
with open(path, "w") as f:
    json.dump(fixtures, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path} ({os.path.getsize(path)} bytes)")
