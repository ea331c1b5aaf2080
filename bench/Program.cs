using System.Text.Json;
using Notebooks.Bench;
using Notebooks.Tensors;

// `dotnet run -c Release --project bench [-- --quick]`: prints the table and writes bench/results/latest.json.
bool quick = args.Contains("--quick");
var report = new Report();
Console.WriteLine($"Notebooks.Tensors benchmark{(quick ? " (quick)" : "")}: {Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture}, .NET {Environment.Version}");
Console.WriteLine("Timings are best-of-N; on a shared machine compare the ratios measured within this run.");

// `--only gemm|pointwise|overhead|training|breakdown` runs one group (for iterating on a kernel).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault();
if (only is null or "gemm") Sections.Gemm(report, quick);
if (only is null or "pointwise") Sections.Pointwise(report, quick);
if (only is null or "overhead") Sections.Overhead(report, quick);
if (only is null or "training") Sections.Training(report, quick);
// Not in the full run: a per-op breakdown of the training steps, for finding what to speed up.
if (only is "breakdown") Breakdown.Run(report, quick);

report.Print();
var dir = Path.Combine(Report.RepoRoot(), "bench", "results");
Directory.CreateDirectory(dir);
var path = Path.Combine(dir, quick || only is not null ? "partial.json" : "latest.json");
File.WriteAllText(path, JsonSerializer.Serialize(report.ToJson(quick), new JsonSerializerOptions { WriteIndented = true }));
Console.WriteLine($"written {path}");
