using System.Diagnostics;
using Notebooks.Tensors;
using Notebooks.Tensors.Tests.Gpu;

// Backend parity on a real GPU: runs every parity case on "cuda" and on the CPU and compares.
// Usage: GpuCheck [filter]        parity check (cases whose name contains filter)
//        GpuCheck bench [--small] JSON figures to compare with bench/gpu/torch_bench.py (see bench/README.md)
// NOTEBOOKS_GPU=cpu-accelerator runs the kernels on ILGPU's CPU accelerator instead.
// Publish for a GPU machine without .NET: dotnet publish src/GpuCheck -c Release -r linux-x64 --self-contained
if (!torch.cuda.is_available())
{
    Console.Error.WriteLine("CUDA is not available; nothing to check.");
    try { torch.ones(1).cuda(); }
    catch (Exception e) { Console.Error.WriteLine(e.Message); }
    return 2;
}

if (args.Length > 0 && args[0] == "bench") return Notebooks.GpuCheck.Bench.Run(small: args.Contains("--small"));

Console.WriteLine($"device: {torch.cuda.get_device_name()}");
var filter = args.Length > 0 ? args[0] : null;
var cuda = torch.device("cuda:0");
int pass = 0, fail = 0;
var clock = Stopwatch.StartNew();
foreach (var c in ParityCases.All())
{
    if (filter is not null && !c.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)) continue;
    string? diff;
    try { diff = ParityCases.Compare(c, cuda); }
    catch (Exception e) { diff = $"{e.GetType().Name}: {e.Message}"; }
    if (diff is null) { pass++; Console.WriteLine($"PASS  {c.Name}"); }
    else { fail++; Console.WriteLine($"FAIL  {c.Name}: {diff}"); }
}
torch.cuda.synchronize();
Console.WriteLine($"{pass} passed, {fail} failed in {clock.Elapsed.TotalSeconds:F1} s; " +
    $"memory_allocated {torch.cuda.memory_allocated()} B, max {torch.cuda.max_memory_allocated()} B, reserved {torch.cuda.memory_reserved()} B");
return fail == 0 ? 0 : 1;
