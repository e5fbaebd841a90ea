"""What every exercise's fixture script (R*/make_fixtures.py) shares: how a tensor is stored, and how
the fixtures are written, as fixtures.json and as the same JSON in a Swift string (Checks/Fixtures.swift),
so that the checks need no resource bundle and CI needs no Python."""
import json
import os

import torch


def encode(t):
    """A tensor as {"shape": [...], "data": [...]} in row-major order."""
    t = t.detach().to(torch.float32).contiguous()
    return {"shape": list(t.shape), "data": [float(f"{v:.9g}") for v in t.flatten().tolist()]}


def write(here, content):
    """Writes fixtures.json in the folder `here`, and the same JSON as a Swift string in
    here/Checks/Fixtures.swift."""
    text = json.dumps(content, separators=(",", ":"))
    with open(os.path.join(here, "fixtures.json"), "w") as f:
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
    with open(os.path.join(here, "Checks", "Fixtures.swift"), "w") as f:
        f.write("// Written by make_fixtures.py (PyTorch %s) beside this folder; do not edit by hand.\n\n"
                % torch.__version__.split("a")[0])
        f.write("/// PyTorch's numbers for the checks: fixtures.json, as a string so that the checks need no\n")
        f.write("/// resource bundle.\n")
        # Indented as swift format indents a multi-line string; the indentation is not part of it.
        f.write('let fixturesJSON = #"""\n' + "".join("    " + line + "\n" for line in lines) + '    """#\n')
    print("wrote", os.path.join(here, "fixtures.json"), "and Checks/Fixtures.swift")
