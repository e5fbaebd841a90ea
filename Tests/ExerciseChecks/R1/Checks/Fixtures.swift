// Written by make_fixtures.py (PyTorch 1.13.0) beside this folder; do not edit by hand.

/// PyTorch's numbers for the checks: fixtures.json, as a string so that the checks need no
/// resource bundle.
let fixturesJSON = #"""
    {"comment":"resnet18 as torchvision builds it, parameter counts from torch.nn","resnet18TenClasses":11181642,
    "resnet18ThousandClasses":11689512,"resnet18Width8SevenClasses":177167,"output64":[2,10]}
    """#
