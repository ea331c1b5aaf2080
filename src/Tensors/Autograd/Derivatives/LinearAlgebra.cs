namespace Notebooks.Tensors.Autograd;

// derivatives.yaml's rows for matrix products: each operand's gradient is the incoming gradient times the other
// operand (transposed), so each saves only the other operand.
internal static partial class Derivatives
{
    public static readonly Derivative
        Mm = new("MmBackward0",
            (Saves.Other, static c => c.grad.mm(c.other.t())),
            (Saves.Self, static c => c.self.t().mm(c.grad))),
        Bmm = new("BmmBackward0",
            (Saves.Other, static c => c.grad.bmm(c.other.transpose(1, 2))),
            (Saves.Self, static c => c.self.transpose(1, 2).bmm(c.grad))),
        Mv = new("MvBackward0",
            (Saves.Other, static c => c.grad.unsqueeze(1) * c.other.unsqueeze(0)),
            (Saves.Self, static c => c.self.t().mv(c.grad))),
        Dot = new("DotBackward0",
            (Saves.Other, static c => c.grad * c.other),
            (Saves.Self, static c => c.grad * c.self));
}
