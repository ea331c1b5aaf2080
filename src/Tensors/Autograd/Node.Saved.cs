using System.Collections.Concurrent;
using System.Reflection;

namespace Notebooks.Tensors.Autograd;

/// <summary>
/// Display-only access to the tensors a backward node saved (what torchviz draws in orange with
/// <c>show_saved=True</c>). Node classes keep them in private <c>SavedTensor</c> fields; they are collected here by
/// reflection, which is fine for drawing a graph and never used on a hot path.
/// </summary>
public static class NodeSavedTensors
{
    private static readonly FieldInfo TensorField =
        typeof(SavedTensor).GetField("_tensor", BindingFlags.Instance | BindingFlags.NonPublic)!;

    private static readonly ConcurrentDictionary<Type, FieldInfo[]> Fields = new();

    /// <summary>
    /// The tensors <paramref name="node"/> still holds for backward, named after its fields without the leading
    /// underscore (<c>a</c>, <c>b</c>, <c>x</c>, <c>y</c>; arrays as <c>saved[0]</c>). Empty once the graph has been
    /// freed by a backward without <c>retain_graph</c>.
    /// </summary>
    public static IEnumerable<(string name, Tensor tensor)> saved_tensors_for_display(this Node node)
    {
        if (node is DerivativeNode d)
        {
            foreach (var s in d.SavedForDisplay()) yield return s;
            yield break;
        }
        foreach (var f in Fields.GetOrAdd(node.GetType(), SavedFields))
        {
            var name = f.Name.TrimStart('_');
            switch (f.GetValue(node))
            {
                case SavedTensor s when TensorField.GetValue(s) is Tensor t:
                    yield return (name, t);
                    break;
                case SavedTensor[] arr:
                    for (int i = 0; i < arr.Length; i++)
                        if (TensorField.GetValue(arr[i]) is Tensor t) yield return ($"{name}[{i}]", t);
                    break;
            }
        }
    }

    private static FieldInfo[] SavedFields(Type type)
    {
        var r = new List<FieldInfo>();
        for (var c = type; c is not null && c != typeof(object); c = c.BaseType)
            foreach (var f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                if (f.FieldType == typeof(SavedTensor) || f.FieldType == typeof(SavedTensor[])) r.Add(f);
        return r.ToArray();
    }
}
