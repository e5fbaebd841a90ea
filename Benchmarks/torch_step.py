#!/usr/bin/python3
"""Times the simple_cnn training step of EngineBench in PyTorch, with two threads, for comparison.

Same shapes and the same arithmetic: four 3×3 stride-2 convs with bias and ReLU on a batch of 128
3×64×64 images, mean pool, a 128 → 10 linear layer, cross entropy written as log-softmax and a
gather, backward, and a plain SGD update. Prints the per-layer conv times and the median step in ms.

    /usr/bin/python3 Benchmarks/torch_step.py [--step-only]
"""
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(2)
torch.manual_seed(0)
batch = 128
convs = [(3, 16, 64), (16, 32, 32), (32, 64, 16), (64, 128, 8)]


def median_times(fn, warmup=3, runs=20):
    """Median wall and CPU (all threads of the process) milliseconds of `runs` calls of `fn`."""
    for _ in range(warmup):
        fn()
    walls, cpus = [], []
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls) * 1000, statistics.median(cpus) * 1000


def median_ms(fn, warmup=3, runs=20):
    return median_times(fn, warmup, runs)[0]


print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads")
if "--step-only" not in sys.argv:
    print("conv2d 3×3 stride 2 padding 1 with bias, forward + backward (median ms)")
for cin, cout, size in ([] if "--step-only" in sys.argv else convs):
    x = torch.randn(batch, cin, size, size, requires_grad=cin != 3)
    w = torch.nn.init.kaiming_normal_(torch.empty(cout, cin, 3, 3)).requires_grad_()
    b = torch.zeros(cout, requires_grad=True)
    upstream = torch.randn(batch, cout, size // 2, size // 2)

    def layer():
        F.conv2d(x, w, b, stride=2, padding=1).backward(upstream)
        x.grad = w.grad = b.grad = None

    print(f"  {cin:>3}→{cout:<3} {size}×{size}: {median_ms(layer, runs=10):8.2f}")

weights = [torch.nn.init.kaiming_normal_(torch.empty(co, ci, 3, 3)).requires_grad_() for ci, co, _ in convs]
biases = [torch.zeros(co, requires_grad=True) for _, co, _ in convs]
linear_w = torch.nn.init.xavier_normal_(torch.empty(10, 128)).requires_grad_()
linear_b = torch.zeros(10, requires_grad=True)
params = weights + biases + [linear_w, linear_b]
images = torch.randn(batch, 3, 64, 64)
labels = torch.randint(0, 10, (batch,))
rows = torch.arange(batch)


def step():
    h = images
    for w, b in zip(weights, biases):
        h = F.conv2d(h, w, b, stride=2, padding=1).relu()
    logits = h.mean((2, 3)) @ linear_w.t() + linear_b
    log_softmax = logits - logits.logsumexp(1, keepdim=True)
    loss = -log_softmax[rows, labels].mean()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.01 * p.grad
            p.grad = None
    return loss.item()


step_ms, step_cpu_ms = median_times(step)
print(f"simple_cnn training step, batch {batch}, 3×64×64: {step_ms:.2f} ms ({step_cpu_ms:.2f} ms CPU) (median of 20)")
print(f"TORCHSTEP ms={step_ms:.2f} ms_cpu={step_cpu_ms:.2f}")  # machine-readable, for Benchmarks/bench.sh
