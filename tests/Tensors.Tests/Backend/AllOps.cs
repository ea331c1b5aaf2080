using System.Reflection;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>Every element-wise op object, found by reflection (the ops are static fields of UnaryOp/BinaryOp).</summary>
internal static class AllOps
{
    public static IReadOnlyList<UnaryOp> Unary { get; } = Fields<UnaryOp>();

    public static IReadOnlyList<BinaryOp> Binary { get; } = Fields<BinaryOp>();

    public static UnaryOp UnaryNamed(string name) => Unary.Single(o => o.Name == name);

    public static BinaryOp BinaryNamed(string name) => Binary.Single(o => o.Name == name);

    /// <summary>Whether the op's class overrides <paramref name="method"/> (claims that dtype category).</summary>
    public static bool Claims(PointwiseOp op, string method) =>
        op.GetType().GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!.DeclaringType == op.GetType();

    private static List<T> Fields<T>() =>
        typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.FieldType == typeof(T)).Select(f => (T)f.GetValue(null)!).ToList();
}
