#!/usr/bin/python3
"""Times the chapter's per-image loading with PIL on one core: open a 160-px JPEG, resize to 64×64,
convert to RGB, and make float32 values in [0, 1] (as torch_chapter.py's `load` does, minus the tensor
wrapper). Prints per-image milliseconds of wall and CPU time; the files are read once first so the
page cache is warm, as in DataBench.

usage: /usr/bin/python3 Benchmarks/pil_decode.py DATA_FOLDER [--images N]
"""
import sys
import time
from glob import glob

import numpy as np
from PIL import Image

folder = sys.argv[1]
count = int(sys.argv[sys.argv.index("--images") + 1]) if "--images" in sys.argv else 2000
files = sorted(glob(f"{folder}/train/**/*.JPEG", recursive=True))[:count]
if not files:
    sys.exit(f"error: pil_decode.py: no JPEG files under {folder}/train")
for f in files:
    with open(f, "rb") as fh:
        fh.read()
wall0, cpu0 = time.perf_counter(), time.thread_time()
for f in files:
    im = Image.open(f).resize((64, 64)).convert("RGB")
    x = np.asarray(im, dtype=np.float32) / 255
wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
print(f"PIL decode+resize 64×64, 1 core: {len(files)} images")
print(f"PILDECODE ms_per_image_wall={wall / len(files) * 1000:.4f} ms_per_image_cpu={cpu / len(files) * 1000:.4f}")
