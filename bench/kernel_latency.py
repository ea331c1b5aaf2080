"""Measures a Jupyter kernel as a frontend sees it: launch to kernel_info_reply, and warm
round trips of a small cell (execute_request to execute_reply and idle).

    JUPYTER_PATH=PREFIX/share/jupyter /usr/bin/python3 bench/kernel_latency.py KERNEL_NAME [CELL]
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def rss(km):
    """The kernel process's resident set in MB (Linux)."""
    pid = km.provisioner.process.pid
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) // 1024
    return -1


def measure(kernel_name, cell, launches=5, cells=200, memory_cells=1000):
    startup = []
    for _ in range(launches):
        km = KernelManager(kernel_name=kernel_name)
        t0 = time.perf_counter()
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=60)  # sends kernel_info_request until a reply arrives
        startup.append(time.perf_counter() - t0)
        if len(startup) == launches:
            break
        kc.stop_channels()
        km.shutdown_kernel(now=True)

    # The first cell pays the compiler's warm-up; the figures are for cells after it.
    kc.execute_interactive(cell, timeout=60)
    first = None
    rounds = []
    for _ in range(cells):
        t0 = time.perf_counter()
        reply = kc.execute_interactive(cell, timeout=60, output_hook=lambda m: None)
        rounds.append(time.perf_counter() - t0)
        assert reply["content"]["status"] == "ok", reply["content"]
    rss_before = rss(km)
    for i in range(memory_cells):
        kc.execute_interactive(f"var m{i % 10} = {i}; m{i % 10} + 1", timeout=60, output_hook=lambda m: None)
    rss_after = rss(km)
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    print(f"{kernel_name}: resident memory {rss_before} MB after warm-up cells, {rss_after} MB after {memory_cells} more cells")
    ms = lambda xs: f"median {statistics.median(xs) * 1000:.1f} ms, min {min(xs) * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"
    print(f"{kernel_name}: launch -> kernel_info_reply: {ms(startup)} over {len(startup)} launches")
    print(f"{kernel_name}: warm cell {cell!r} round trip: {ms(rounds)} over {len(rounds)} cells")


if __name__ == "__main__":
    measure(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "1 + 1")
