#!/usr/bin/env bash
# Runs the GPU benchmark with our published GpuCheck and with PyTorch, then prints ours / PyTorch per figure.
# Usage: bench/gpu/run.sh [path/to/GpuCheck] [--small]
# Needs the CUDA driver, python3 with PyTorch, and a self-contained GpuCheck (see bench/README.md); no .NET SDK.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
gpucheck="${1:-./gpucheck/GpuCheck}"
shift || true
out="$(mktemp -d)"
echo "ours: $gpucheck bench $*" >&2
"$gpucheck" bench "$@" > "$out/ours.json"
echo "PyTorch: python3 torch_bench.py $*" >&2
python3 "$here/torch_bench.py" "$@" > "$out/torch.json"
python3 "$here/compare.py" "$out/ours.json" "$out/torch.json"
echo "raw figures: $out/ours.json $out/torch.json" >&2
