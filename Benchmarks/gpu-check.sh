#!/usr/bin/env bash
# gpu-check: build GPUCheck as a static-stdlib release binary, bundle it with the OpenCL kernels, and
# run the GPU parity checks and benchmarks (sgemm GFLOPS, simpleCNN training step ms).
#
#   Benchmarks/gpu-check.sh [GPUCheck flags]      build, bundle into .gpu/, run here (PoCL: use small
#                                                 sizes, e.g. --sizes 256 --batch 16 --image 32 --steps 3)
#   Benchmarks/gpu-check.sh --bundle-only         build and bundle only, for a machine without Swift
#   .gpu/run.sh [OUT_DIR] [GPUCheck flags]        on that machine (see /work/shared/gpu/README.md):
#                                                 registers the NVIDIA ICD for this process if present,
#                                                 runs GPUCheck (and PyTorch's side-by-side when it
#                                                 imports), tees the table to OUT_DIR/gpu-check.txt
#
# On the lent GPU machine (tool `run`, carry [".gpu"], after --bundle-only here):
#   ./.gpu/run.sh "$OUT"                          defaults: sgemm 1024/2048/4096, bs 128 3x64x64
#   ./.gpu/run.sh "$OUT" --tilings "64,64,16,8,8;128,128,16,8,8;128,64,16,8,4;64,64,8,4,4"
#
# Intended as the Makefile's `gpu-check` target:  gpu-check: ; Benchmarks/gpu-check.sh $(ARGS)
set -euo pipefail
cd "$(dirname "$0")/.."

bundle_only=0
if [[ "${1:-}" == "--bundle-only" ]]; then bundle_only=1; shift; fi

swift build -c release --static-swift-stdlib --product GPUCheck
bin="$(swift build -c release --static-swift-stdlib --product GPUCheck --show-bin-path)/GPUCheck"

grep -qx '/.gpu/' .git/info/exclude 2>/dev/null || echo '/.gpu/' >> "$(git rev-parse --git-path info/exclude)"
rm -rf .gpu && mkdir -p .gpu
# Stripped and gzipped: with static Foundation the binary is ~75 MB, the carry to the GPU machine is
# limited to 64 MiB, and the gzipped binary is ~23 MB. run.sh unpacks it under /tmp.
strip -o .gpu/GPUCheck.unpacked "$bin"
gzip -9 -c .gpu/GPUCheck.unpacked > .gpu/GPUCheck.gz && rm .gpu/GPUCheck.unpacked
cp -r Shared/Kernels .gpu/Kernels
cp Benchmarks/GPUCheck/torch_reference.py .gpu/
# The GPU machine has libjpeg only as .so.8; the binary needs Debian's .so.62.
for lib in /lib/x86_64-linux-gnu/libjpeg.so.62 /usr/lib/x86_64-linux-gnu/libjpeg.so.62; do
    if [[ -e "$lib" ]]; then cp -L "$lib" .gpu/; break; fi
done

cat > .gpu/run.sh <<'RUN'
#!/usr/bin/env bash
# Runs the bundled GPUCheck on this machine. Usage: .gpu/run.sh [OUT_DIR] [GPUCheck flags]
# (OUT_DIR defaults to this folder; the table is also written to OUT_DIR/gpu-check.txt.)
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="${1:-$here}"; shift || true
mkdir -p "$out"
# The NVIDIA driver may be installed but not registered with the ICD loader: register it for this
# process only (never system-wide).
if [[ -z "${OCL_ICD_VENDORS:-}" && -e /usr/lib/libnvidia-opencl.so.1 ]]; then
    mkdir -p /tmp/icd && echo /usr/lib/libnvidia-opencl.so.1 > /tmp/icd/nvidia.icd
    export OCL_ICD_VENDORS=/tmp/icd
elif [[ -z "${OCL_ICD_VENDORS:-}" && -e /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 ]]; then
    mkdir -p /tmp/icd && echo /usr/lib/x86_64-linux-gnu/libnvidia-opencl.so.1 > /tmp/icd/nvidia.icd
    export OCL_ICD_VENDORS=/tmp/icd
fi
export LD_LIBRARY_PATH="$here${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export WORKBOOK_KERNELS="${WORKBOOK_KERNELS:-$here/Kernels}"
binary="${TMPDIR:-/tmp}/gpucheck-$$/GPUCheck"
trap 'rm -rf "$(dirname "$binary")"' EXIT
mkdir -p "$(dirname "$binary")" && gunzip -c "$here/GPUCheck.gz" > "$binary" && chmod +x "$binary"
"$binary" "$@" 2>&1 | tee "$out/gpu-check.txt"
status=${PIPESTATUS[0]}
if python3 -c "import torch" 2>/dev/null; then
    python3 "$here/torch_reference.py" "$@" 2>&1 | tee -a "$out/gpu-check.txt"
fi
exit "$status"
RUN
chmod +x .gpu/run.sh
echo "bundled $(du -sh .gpu | cut -f1) in .gpu/ (GPUCheck, Kernels/, run.sh, libjpeg)"

if [[ $bundle_only == 0 ]]; then
    .gpu/run.sh .gpu "$@"
fi
