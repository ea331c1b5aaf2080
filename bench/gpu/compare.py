#!/usr/bin/env python3
"""Prints ours / PyTorch for every figure of two benchmark JSON files, with the targets.

Usage: python3 compare.py ours.json torch.json
"""
import json
import sys

# Minimum ours/PyTorch ratios (bench/README.md). Times (train_step_us) compare the other way round.
TARGETS = {"matmul": 0.95, "add": 0.80}


def main():
    ours = json.load(open(sys.argv[1]))
    ref = json.load(open(sys.argv[2]))
    print(f"ours:    {ours['impl']} on {ours['device']}")
    print(f"PyTorch: {ref['impl']} on {ref['device']}")
    if ours.get("cublas_unavailable"):
        print(f"note: our matmuls ran on the ILGPU kernel, not cuBLAS ({ours['cublas_unavailable']})")
    print(f"{'figure':<28}{'ours':>12}{'PyTorch':>12}{'ratio':>9}  target")
    below = 0
    for key in sorted(set(ours["results"]) | set(ref["results"])):
        o, r = ours["results"].get(key), ref["results"].get(key)
        if o is None or r is None or r == 0:
            print(f"{key:<28}{str(o):>12}{str(r):>12}{'-':>9}")
            continue
        ratio = r / o if key.endswith("_us") else o / r
        target = next((t for prefix, t in TARGETS.items() if key.startswith(prefix)), None)
        mark = "" if target is None else (f">= {target:.0%} ok" if ratio >= target else f">= {target:.0%} BELOW")
        below += target is not None and ratio < target
        print(f"{key:<28}{o:>12.3f}{r:>12.3f}{ratio:>8.0%}  {mark}")
    print("(ratio = ours / PyTorch for rates, PyTorch / ours for times: above 100 % means faster than PyTorch)")
    return 1 if below else 0


if __name__ == "__main__":
    sys.exit(main())
