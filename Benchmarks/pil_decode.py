#!/usr/bin/python3
"""Times the chapter's per-image loading with PIL on one core: open a 160-px JPEG, resize to 64×64,
convert to RGB, and make float32 values in [0, 1] (as torch_chapter.py's `load` does, minus the tensor
wrapper). Two ways, each over the same files, the page cache warm (the files are read once first, as
in DataBench):

  open().resize()          the chapter's (and the seed's) code: the JPEG is decoded at full size,
                           then resized. Tagged PILDECODE.
  draft() + resize()       PIL's own reduced-scale path: `Image.draft("RGB", (64, 64))` lets libjpeg
                           decode at 1/2, 1/4 or 1/8 scale inside the DCT while the result stays at
                           least 64 px, then resizes. This is what the workbook's decoder does
                           (Shared/System/CImageIO/jpeg.c), so it is the like-for-like row. Tagged
                           PILDRAFT.

Prints per-image milliseconds of wall and CPU time for each.

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


def full_scale(path):
    return Image.open(path).resize((64, 64)).convert("RGB")


def reduced_scale(path):
    im = Image.open(path)
    im.draft("RGB", (64, 64))
    return im.resize((64, 64)).convert("RGB")


for tag, name, load in [
    ("PILDECODE", "open().resize(), full-scale decode", full_scale),
    ("PILDRAFT", "draft() + resize(), reduced-scale decode", reduced_scale),
]:
    wall0, cpu0 = time.perf_counter(), time.thread_time()
    for f in files:
        x = np.asarray(load(f), dtype=np.float32) / 255
    wall, cpu = time.perf_counter() - wall0, time.thread_time() - cpu0
    print(f"PIL {name} to 64×64, 1 core: {len(files)} images")
    print(f"{tag} ms_per_image_wall={wall / len(files) * 1000:.4f} ms_per_image_cpu={cpu / len(files) * 1000:.4f}")
