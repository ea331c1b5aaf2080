#!/usr/bin/env python3
"""PyTorch's side of the GPU benchmark: the figures `GpuCheck bench` prints, same names, sizes and timing rules.

Usage: python3 torch_bench.py [--small]   (prints one JSON object)
"""
import json
import sys
import time

import torch
import torch.nn.functional as F


MIN_BATCH_SECONDS = 0.5


def seconds(body, min_iters=1):
    """Seconds per call: two warm-up calls, then batches (doubling) until one takes >= 0.5 s; best of three."""
    for _ in range(2):
        body()
    torch.cuda.synchronize()
    iters, best, rounds = min_iters, float("inf"), 0
    while rounds < 3:
        start = time.perf_counter()
        for _ in range(iters):
            body()
        torch.cuda.synchronize()
        s = time.perf_counter() - start
        if s < MIN_BATCH_SECONDS and iters < 1 << 20:
            iters *= 2
            continue
        best = min(best, s / iters)
        rounds += 1
    return best


def train_step(small):
    """Lesson 001's step: X [300, 2] -> nn.Linear(2, 1), mse_loss, backward, SGD step."""
    torch.manual_seed(0)
    X = torch.randn(300, 2, device="cuda")
    w = torch.tensor([[2.0], [-3.4]], device="cuda")
    Y = X @ w + 4.2 + 0.01 * torch.randn(300, 1, device="cuda")
    model = torch.nn.Linear(2, 1).cuda()
    opt = torch.optim.SGD(model.parameters(), lr=0.03)

    def step():
        loss = F.mse_loss(model(X), Y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    return seconds(step, 5 if small else 50)


def main():
    global MIN_BATCH_SECONDS
    small = "--small" in sys.argv[1:]
    if small:
        MIN_BATCH_SECONDS = 0.02  # the smoke run only proves the path executes
    if not torch.cuda.is_available():
        print("CUDA is not available to PyTorch", file=sys.stderr)
        return 2
    results = {}
    for n in ([32, 64] if small else [4096, 8192]):
        torch.manual_seed(0)
        a = torch.randn(n, n, device="cuda")
        b = torch.randn(n, n, device="cuda")
        flops = 2.0 * n ** 3
        for tf32 in (False, True):
            torch.backends.cuda.matmul.allow_tf32 = tf32
            results[f"matmul_f32_{n}{'_tf32' if tf32 else ''}_tflops"] = flops / seconds(lambda: a @ b) / 1e12
        torch.backends.cuda.matmul.allow_tf32 = False
        ah, bh = a.half(), b.half()
        results[f"matmul_f16_{n}_tflops"] = flops / seconds(lambda: ah @ bh) / 1e12
    count = 1 << 16 if small else 1 << 28
    x = torch.randn(count, device="cuda")
    y = torch.randn(count, device="cuda")
    # Compulsory traffic: read two operands, write one result; sum reads one.
    results["add_f32_gbps"] = 3.0 * 4 * count / seconds(lambda: x + y) / 1e9
    results["sum_f32_gbps"] = 4.0 * count / seconds(lambda: x.sum()) / 1e9
    results["train_step_us"] = train_step(small) * 1e6
    report = {"impl": "pytorch " + torch.__version__, "device": torch.cuda.get_device_name(), "small": small,
              "results": dict(sorted(results.items()))}
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
