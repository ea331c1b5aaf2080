using System.Reflection;
using System.Text.Json;
using Notebooks.ReferenceGenerator;

// Finds every IReferenceSet, builds the ones named on the command line (all when none is) and writes each to
// tests/Tensors.Tests/Reference/torch_<name>.json, relative to this project's folder (found from the source tree, so
// `dotnet run --project tests/ReferenceGenerator` works from any directory).
var sets = typeof(IReferenceSet).Assembly.GetTypes()
    .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IReferenceSet).IsAssignableFrom(t))
    .Select(t => (IReferenceSet)Activator.CreateInstance(t)!)
    .ToDictionary(s => s.Name);
var wanted = args.Length == 0 ? sets.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList() : args.ToList();
var unknown = wanted.Where(w => !sets.ContainsKey(w)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown set(s): {string.Join(", ", unknown)}; known: {string.Join(", ", sets.Keys.Order())}");
    return 2;
}

var outDir = Path.GetFullPath(Path.Combine(ProjectDir(), "..", "Tensors.Tests", "Reference"));
var options = new JsonSerializerOptions { WriteIndented = false };
foreach (var name in wanted)
{
    var set = sets[name];
    TorchSharp.torch.manual_seed(0);
    var content = new Dictionary<string, object>
    {
        ["about"] = set.About,
        ["libtorch"] = TorchSharp.torch.__version__,
        ["cases"] = set.Build(),
    };
    var path = Path.Combine(outDir, $"torch_{name}.json");
    File.WriteAllText(path, JsonSerializer.Serialize(content, options) + "\n");
    Console.WriteLine($"{path}: {new FileInfo(path).Length} bytes");
}
return 0;

static string ProjectDir([System.Runtime.CompilerServices.CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;
