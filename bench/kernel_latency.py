"""Measures Jupyter kernels as a frontend sees them: launch to kernel_info_reply, and warm
round trips of a small cell (execute_request to execute_reply and idle).

    JUPYTER_PATH=PREFIX/share/jupyter /usr/bin/python3 bench/kernel_latency.py KERNEL_NAME [KERNEL_NAME...] [--cell CELL] [--warmup N] [--settle S]

With several kernels (e.g. notebooks-csharp python3) their launches and warm cells are interleaved,
one of each in turn, so a busy machine slows them alike and their ratio stays meaningful. Each
kernel's CPU time per warm cell is printed too: a busy machine stretches round trips, not that.
"""
import argparse
import os
import statistics
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


def cpu_seconds(km):
    """The kernel process's user + system CPU time (Linux): a busy machine stretches round trips, not this."""
    pid = km.provisioner.process.pid
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def launch(kernel_name):
    km = KernelManager(kernel_name=kernel_name)
    t0 = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=60)  # sends kernel_info_request until a reply arrives
    return km, kc, time.perf_counter() - t0


def stop(km, kc):
    kc.stop_channels()
    km.shutdown_kernel(now=True)


def round_trip(kc, cell):
    t0 = time.perf_counter()
    reply = kc.execute_interactive(cell, timeout=60, output_hook=lambda m: None)
    elapsed = time.perf_counter() - t0
    assert reply["content"]["status"] == "ok", reply["content"]
    return elapsed


def ms(xs):
    return f"median {statistics.median(xs) * 1000:.1f} ms, min {min(xs) * 1000:.1f} ms, max {max(xs) * 1000:.1f} ms"


def measure(kernel_names, cell, launches=5, cells=200, memory_cells=1000, warmup=1, settle=0.0, setup=None):
    startup = {name: [] for name in kernel_names}
    for i in range(launches):
        for name in kernel_names:
            km, kc, seconds = launch(name)
            startup[name].append(seconds)
            stop(km, kc)
    kernels, first_result = {}, {}
    for name in kernel_names:
        km, kc, seconds = launch(name)
        kernels[name] = (km, kc)
        # Launch to the first result, as a user waits for it: with --setup, a cell that loads a package first
        # (.NET Interactive: #r "nuget: Notebooks.Interactive"; our kernel has it loaded and accepts the #r).
        t0 = time.perf_counter()
        if setup:
            reply = kc.execute_interactive(setup, timeout=600, output_hook=lambda m: None)
            assert reply["content"]["status"] == "ok", reply["content"]
        kc.execute_interactive(cell, timeout=60, output_hook=lambda m: None)
        first_result[name] = seconds + time.perf_counter() - t0

    # The first cell pays the compiler's warm-up; the figures are for cells after it. A .NET kernel's
    # runtime keeps re-jitting Roslyn's hot code for its first few hundred back-to-back cells
    # (--warmup 300 measures after that; interactive use does it between cells).
    for km, kc in kernels.values():
        kc.execute_interactive(cell, timeout=60)
        for _ in range(warmup - 1):
            kc.execute_interactive(cell, timeout=60, output_hook=lambda m: None)
    # A person reads before running the next cell; a kernel may use that idle time (--settle 5 measures so).
    time.sleep(settle)
    rounds = {name: [] for name in kernel_names}
    cpu = {name: cpu_seconds(km) for name, (km, kc) in kernels.items()}
    for _ in range(cells):
        for name, (km, kc) in kernels.items():
            rounds[name].append(round_trip(kc, cell))
    cpu = {name: (cpu_seconds(km) - cpu[name]) / cells for name, (km, kc) in kernels.items()}

    for name, (km, kc) in kernels.items():
        rss_before = rss(km)
        for i in range(memory_cells):
            kc.execute_interactive(f"m{i % 10} = {i}" if name.startswith("python") else f"var m{i % 10} = {i}; m{i % 10} + 1",
                                   timeout=60, output_hook=lambda m: None)
        rss_after = rss(km)
        stop(km, kc)
        print(f"{name}: resident memory {rss_before} MB after warm-up cells, {rss_after} MB after {memory_cells} more cells")
    for name in kernel_names:
        print(f"{name}: launch -> kernel_info_reply: {ms(startup[name])} over {len(startup[name])} launches")
        print(f"{name}: launch -> first result{' (after --setup)' if setup else ''}: {first_result[name] * 1000:.0f} ms")
        print(f"{name}: warm cell {cell!r} round trip: {ms(rounds[name])} over {len(rounds[name])} cells; "
              f"kernel CPU {cpu[name] * 1000:.1f} ms a cell")
    if len(kernel_names) > 1:
        first = kernel_names[0]
        for other in kernel_names[1:]:
            median = statistics.median(rounds[first]) / statistics.median(rounds[other])
            best = min(rounds[first]) / min(rounds[other])
            print(f"{first} / {other}: warm round trip {median:.2f}x by median, {best:.2f}x by min")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kernels", nargs="+")
    parser.add_argument("--cell", default="1 + 1")
    parser.add_argument("--launches", type=int, default=5)
    parser.add_argument("--cells", type=int, default=200)
    parser.add_argument("--memory-cells", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=1, help="cells run before the measured ones (default 1)")
    parser.add_argument("--settle", type=float, default=0.0, help="idle seconds after the warm-up cells, as a reader would leave (default 0)")
    parser.add_argument("--setup", default=None, help="a cell each kernel runs once after launch, before the first timed result (e.g. a #r)")
    args = parser.parse_args()
    measure(args.kernels, args.cell, args.launches, args.cells, args.memory_cells, args.warmup, args.settle, args.setup)
