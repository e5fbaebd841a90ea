"""PyTorch side-by-side for GPUCheck: the same sgemm sizes and the same simpleCNN training step,
timed the same way, on CUDA when present (else CPU). Run by Benchmarks/gpu-check.sh on the GPU machine.

usage: python3 torch_reference.py [--sizes 1024,2048,4096] [--batch 128] [--image 64] [--steps 20]
"""
import argparse
import time

import torch
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--sizes", default="1024,2048,4096")
parser.add_argument("--batch", type=int, default=128)
parser.add_argument("--image", type=int, default=64)
parser.add_argument("--steps", type=int, default=20)
args, _ = parser.parse_known_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
# Plain fp32, as the OpenCL kernels compute (no TF32 tensor cores).
torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False


def sync():
    if device == "cuda":
        torch.cuda.synchronize()


print(f"\nPyTorch {torch.__version__} on {torch.cuda.get_device_name() if device == 'cuda' else 'cpu'}")
print("sgemm GFLOPS   " + "".join(f"{n:<10}" for n in map(int, args.sizes.split(","))))
row = "  torch        "
for n in map(int, args.sizes.split(",")):
    a = torch.randn(n, n, device=device)
    b = torch.randn(n, n, device=device)
    c = a @ b
    sync()
    best, reps = float("inf"), 1
    for _ in range(3):
        t0 = time.perf_counter()
        for _ in range(reps):
            c = a @ b
        sync()
        seconds = (time.perf_counter() - t0) / reps
        best = min(best, seconds)
        reps = max(1, min(50, int(0.2 / max(seconds, 1e-6))))
    row += f"{2 * n ** 3 / best / 1e9:<10.0f}"
print(row)

torch.manual_seed(0)
channels = [3, 16, 32, 64, 128]
params = []
for cin, cout in zip(channels, channels[1:]):
    params += [(torch.randn(cout, cin, 3, 3, device=device) * (2 / (cin * 9)) ** 0.5).requires_grad_(),
               torch.zeros(cout, device=device, requires_grad=True)]
params += [(torch.randn(10, 128, device=device) / 128 ** 0.5).requires_grad_(),
           torch.zeros(10, device=device, requires_grad=True)]
x = torch.randn(args.batch, 3, args.image, args.image, device=device)
y = torch.randint(0, 10, (args.batch,), device=device)


def step():
    h = x
    for i in range(4):
        h = F.conv2d(h, params[2 * i], params[2 * i + 1], stride=2, padding=1).relu()
    z = h.mean((2, 3)) @ params[8].t() + params[9]
    loss = -(z - z.logsumexp(1, keepdim=True))[torch.arange(args.batch, device=device), y].mean()
    loss.backward()
    with torch.no_grad():
        for p in params:
            p -= 0.05 * p.grad
            p.grad.zero_()
    return loss


for _ in range(2):
    step()
sync()
t0 = time.perf_counter()
for _ in range(args.steps):
    loss = step()
loss = loss.item()
print(f"simpleCNN step  torch {(time.perf_counter() - t0) * 1000 / args.steps:8.2f} ms/step over {args.steps} steps (loss {loss:.4f})")
