namespace Notebooks.Tensors;

// torch.xxx forms of the statistics and reductions in Ops/Tensor.Statistics.cs, and the dim overloads of all/any/norm/
// logsumexp that PyTorch's calls spell (torch.all(x, dim=1), torch.norm(x, 2, dim=1)).
public static partial class torch
{
    public static Tensor quantile(Tensor input, Tensor q, int? dim = null, bool keepdim = false, string interpolation = "linear") => input.quantile(q, dim, keepdim, interpolation);
    public static Tensor quantile(Tensor input, double q, int? dim = null, bool keepdim = false, string interpolation = "linear") => input.quantile(q, dim, keepdim, interpolation);
    public static Tensor nanquantile(Tensor input, Tensor q, int? dim = null, bool keepdim = false, string interpolation = "linear") => input.nanquantile(q, dim, keepdim, interpolation);
    public static Tensor nanquantile(Tensor input, double q, int? dim = null, bool keepdim = false, string interpolation = "linear") => input.nanquantile(q, dim, keepdim, interpolation);
    public static Tensor nansum(Tensor input, long[]? dim = null, bool keepdim = false, DType? dtype = null) => input.nansum(dim, keepdim, dtype);
    public static Tensor nansum(Tensor input, int dim, bool keepdim = false, DType? dtype = null) => input.nansum(dim, keepdim, dtype);
    public static Tensor nanmean(Tensor input, long[]? dim = null, bool keepdim = false, DType? dtype = null) => input.nanmean(dim, keepdim, dtype);
    public static Tensor nanmean(Tensor input, int dim, bool keepdim = false, DType? dtype = null) => input.nanmean(dim, keepdim, dtype);
    public static Tensor count_nonzero(Tensor input, long[]? dim = null) => input.count_nonzero(dim);
    public static Tensor count_nonzero(Tensor input, int dim) => input.count_nonzero(dim);
    public static MinMax aminmax(Tensor input, int? dim = null, bool keepdim = false) => input.aminmax(dim, keepdim);
    public static Tensor histc(Tensor input, long bins = 100, double min = 0, double max = 0) => input.histc(bins, min, max);
    public static Tensor bincount(Tensor input, Tensor? weights = null, long minlength = 0) => input.bincount(weights, minlength);
    public static Tensor cov(Tensor input, long correction = 1, Tensor? fweights = null, Tensor? aweights = null) => input.cov(correction, fweights, aweights);
    public static Tensor corrcoef(Tensor input) => input.corrcoef();
    public static Tensor renorm(Tensor input, double p, int dim, double maxnorm) => input.renorm(p, dim, maxnorm);

    public static Tensor all(Tensor input, int dim, bool keepdim = false) => input.all(dim, keepdim);
    public static Tensor all(Tensor input, long[] dim, bool keepdim = false) => input.all(dim, keepdim);
    public static Tensor any(Tensor input, int dim, bool keepdim = false) => input.any(dim, keepdim);
    public static Tensor any(Tensor input, long[] dim, bool keepdim = false) => input.any(dim, keepdim);
    public static Tensor norm(Tensor input, double p, int dim, bool keepdim = false) => input.norm(p, dim, keepdim);
    public static Tensor logsumexp(Tensor input, long[] dim, bool keepdim = false) => input.logsumexp(dim, keepdim);
}
