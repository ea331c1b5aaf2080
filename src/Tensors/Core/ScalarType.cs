namespace Notebooks.Tensors;

/// <summary>The element types a tensor can hold, ordered as PyTorch's promotion lattice reads them.</summary>
public enum ScalarType
{
    Bool,
    UInt8,
    Int8,
    Int16,
    Int32,
    Int64,
    Float16,
    BFloat16,
    Float32,
    Float64,
}
