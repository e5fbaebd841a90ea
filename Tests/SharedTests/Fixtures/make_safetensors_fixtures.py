#!/usr/bin/python3
"""PyTorch's side of the save/load tests of section 08 (Shared/08-FurtherResearch/SaveLoad.swift).

Run by hand with Debian's python3-torch (1.13) and the safetensors package
(`pip install --break-system-packages safetensors`); CI never runs it, the files it writes are committed.

    /usr/bin/python3 Tests/SharedTests/Fixtures/make_safetensors_fixtures.py

writes, in Tests/SharedTests/Fixtures/Safetensors/:
- simple_cnn_torch.safetensors: `model.state_dict()` of the simple CNN's PyTorch twin (below),
  initialised as the workbook does from seed 0, saved by `safetensors.torch.save_file`;
- simple_cnn_batch.safetensors: a fixed batch `x` [2, 3, 64, 64] and that model's `logits` [2, 10].

    /usr/bin/python3 Tests/SharedTests/Fixtures/make_safetensors_fixtures.py --check DIR

is the other direction: DIR holds `model.safetensors` saved by the workbook and `logits.safetensors`,
the workbook's logits of that model on the fixture batch (the Swift test `savedFileLoadsInPyTorch`
writes both to $SAFETENSORS_EXPORT_DIR when that is set, with `fixture_logits.safetensors`, its
logits of PyTorch's fixture model). It loads the model into the PyTorch twin
with `load_file` + `load_state_dict` (strict), runs the batch, and prints the max abs difference.
"""
import os
import sys

import torch
from safetensors.torch import load_file, save_file

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "Safetensors")


def simple_cnn():
    """The workbook's simpleCNN() as fastai would build it: each ConvLayer an nn.Sequential of conv
    and ReLU, the pool an nn.Sequential of AdaptiveAvgPool2d and Flatten."""
    def conv(ni, nf):
        return torch.nn.Sequential(torch.nn.Conv2d(ni, nf, 3, stride=2, padding=1), torch.nn.ReLU())

    return torch.nn.Sequential(
        conv(3, 16), conv(16, 32), conv(32, 64), conv(64, 128),
        torch.nn.Sequential(torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten()),
        torch.nn.Linear(128, 10),
    )


def batch():
    return load_file(os.path.join(HERE, "simple_cnn_batch.safetensors"))["x"]


def write():
    os.makedirs(HERE, exist_ok=True)
    torch.manual_seed(0)
    model = simple_cnn().eval()
    # The workbook's init (Kaiming before ReLU, Xavier for the last layer) rather than PyTorch's
    # default, whose small weights give logits near zero: a weak test. Biases are made non-zero so
    # that a bias loaded into the wrong place shows.
    with torch.no_grad():
        for i in range(4):
            torch.nn.init.kaiming_normal_(model[i][0].weight)
            model[i][0].bias.uniform_(-0.1, 0.1)
        torch.nn.init.xavier_normal_(model[5].weight)
        model[5].bias.uniform_(-0.1, 0.1)
    x = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        logits = model(x)
    save_file(model.state_dict(), os.path.join(HERE, "simple_cnn_torch.safetensors"), metadata={"format": "pt"})
    save_file({"x": x, "logits": logits}, os.path.join(HERE, "simple_cnn_batch.safetensors"))
    for name, t in model.state_dict().items():
        print(f"{name:12} {list(t.shape)}")
    print("logits[0]:", [round(v, 4) for v in logits[0].tolist()])


def check(folder):
    model = simple_cnn().eval()
    model.load_state_dict(load_file(os.path.join(folder, "model.safetensors")))
    theirs = load_file(os.path.join(folder, "logits.safetensors"))["logits"]
    with torch.no_grad():
        ours = model(batch())
    diff = (ours - theirs).abs().max().item()
    print(f"PyTorch {torch.__version__} loaded {folder}/model.safetensors with load_state_dict (strict)")
    print(f"workbook's file: max abs difference of the logits, PyTorch vs workbook: {diff:.3g}")
    fixture_logits = os.path.join(folder, "fixture_logits.safetensors")
    if os.path.exists(fixture_logits):
        workbook = load_file(fixture_logits)["logits"]
        torch_logits = load_file(os.path.join(HERE, "simple_cnn_batch.safetensors"))["logits"]
        other = (workbook - torch_logits).abs().max().item()
        print(f"PyTorch's file loaded by the workbook: max abs difference of the logits: {other:.3g}")
        diff = max(diff, other)
    sys.exit(0 if diff <= 1e-4 else 1)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--check":
        check(sys.argv[2])
    else:
        write()
