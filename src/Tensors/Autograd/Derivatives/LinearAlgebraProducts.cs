namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for the beta/alpha products (input·beta + alpha·product: the input's gradient is grad·beta,
// each factor's the usual product gradient times alpha) and linalg_cross. The scales ride in the node's state
// (Tensor.AddScales); nn.functional.linear records addmm(bias, input, weightᵀ) without state, i.e. beta = alpha = 1.
internal static partial class Derivatives
{
    public static readonly Derivative
        Addmm = new("AddmmBackward0",
            (Saves.None, static c => Beta(c, c.grad)),
            (Saves.Input2, static c => Alpha(c, c.grad.mm(c.input(2).mT))),
            (Saves.Other, static c => Alpha(c, c.other.mT.mm(c.grad)))),
        Addmv = new("AddmvBackward0",
            (Saves.None, static c => Beta(c, c.grad)),
            (Saves.Input2, static c => Alpha(c, c.grad.unsqueeze(1) * c.input(2).unsqueeze(0))),
            (Saves.Other, static c => Alpha(c, c.other.mT.mv(c.grad)))),
        Addr = new("AddrBackward0",
            (Saves.None, static c => Beta(c, c.grad)),
            (Saves.Input2, static c => Alpha(c, c.grad.mv(c.input(2)))),
            (Saves.Other, static c => Alpha(c, c.grad.mT.mv(c.other)))),
        Baddbmm = new("BaddbmmBackward0",
            (Saves.None, static c => Beta(c, c.grad)),
            (Saves.Input2, static c => Alpha(c, c.grad.bmm(c.input(2).mT))),
            (Saves.Other, static c => Alpha(c, c.other.mT.bmm(c.grad)))),
        Addbmm = new("AddbmmBackward0",
            (Saves.None, static c => Beta(c, c.grad)),
            (Saves.Input2, static c => Alpha(c, c.grad.unsqueeze(0).expand([c.shape(1)[0], .. c.grad.shape]).bmm(c.input(2).mT))),
            (Saves.Other, static c => Alpha(c, c.other.mT.bmm(c.grad.unsqueeze(0).expand([c.shape(1)[0], .. c.grad.shape]))))),
        LinalgCross = new("LinalgCrossBackward0",
            (Saves.Other, static c => torch.linalg.cross(c.other, c.grad, (int)c.ints[0])),
            (Saves.Self, static c => torch.linalg.cross(c.grad, c.self, (int)c.ints[0])));

    private static Tensor.AddScales Scales(BackwardContext c) => c.state<object?>() is Tensor.AddScales s ? s : new(1, 1);

    // maybe_multiply: no multiplication by one.
    private static Tensor Beta(BackwardContext c, Tensor g) => Scales(c).Beta is var b && b == 1 ? g : g * b;
    private static Tensor Alpha(BackwardContext c, Tensor g) => Scales(c).Alpha is var a && a == 1 ? g : g * a;
}
