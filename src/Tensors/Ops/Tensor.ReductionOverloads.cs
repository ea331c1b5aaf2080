using Notebooks.Tensors.Backend;

namespace Notebooks.Tensors;

// The dim forms of all/any and norm that PyTorch's signatures allow beside the ones in Tensor.Reductions.cs:
// all/any over several dims (PyTorch 2.2's all.dims), norm with one int dim (norm.ScalarOpt_dim).
public sealed partial class Tensor
{
    public Tensor all(long[] dim, bool keepdim = false) => ReduceRaw(ReduceOp.All, ReducedMask(dim), keepdim, DType.Bool, DType.Bool);
    public Tensor any(long[] dim, bool keepdim = false) => ReduceRaw(ReduceOp.Any, ReducedMask(dim), keepdim, DType.Bool, DType.Bool);
    public Tensor norm(double p, int dim, bool keepdim = false) => norm(p, [dim], keepdim);
}
