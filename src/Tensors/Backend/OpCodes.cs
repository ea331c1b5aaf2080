namespace Notebooks.Tensors.Backend;

// Reductions and scans keep small op codes: they are not element functions (each backend writes its own accumulation
// loops, in ATen's summation order on the CPU) and their set is closed (sum, prod, max, min, all, any; cumsum,
// cumprod). Element-wise ops are objects declared beside their element functions (Functions/PointwiseOp.cs).

internal enum ReduceOp { Sum, Prod, Max, Min, All, Any }

internal enum ScanOp { CumSum, CumProd }
