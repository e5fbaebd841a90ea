// Written by make_fixtures.py (PyTorch 1.13.0) beside this folder; do not edit by hand.

/// PyTorch's numbers for the checks: fixtures.json, as a string so that the checks need no
/// resource bundle.
let fixturesJSON = #"""
{"comment":"resnet18 as torchvision builds it, parameter counts from torch.nn","resnet18_10_classes":11181642,
"resnet18_1000_classes":11689512,"resnet18_width8_7_classes":177167,"output_64":[2,10]}
"""#
