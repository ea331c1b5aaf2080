using Notebooks.Tensors.Autograd;
using Notebooks.Tensors.Backend;
using Notebooks.Tensors.Backend.Functions;

namespace Notebooks.Tensors;

// The autograd face of a tensor: requires_grad, grad, grad_fn, backward, hooks, detach.
public sealed partial class Tensor
{
    public bool requires_grad
    {
        get => _requiresGrad;
        set
        {
            if (!is_leaf)
                throw new InvalidOperationException(
                    "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().");
            // torch/csrc/autograd/python_variable.cpp (THPVariable_set_requires_grad) words it in lower case.
            if (value && !dtype.is_floating_point)
                throw new InvalidOperationException("only Tensors of floating point and complex dtype can require gradients");
            if (value && _isInference && !GradMode.InferenceMode)
                throw new InvalidOperationException("Setting requires_grad=True on inference tensor outside InferenceMode is not allowed.");
            _requiresGrad = value;
        }
    }

    public Tensor requires_grad_(bool requires_grad = true)
    {
        // requires_grad_() and factories' requires_grad=True reach C++'s set_requires_grad (torch/csrc/autograd/variable.h).
        if (requires_grad && !dtype.is_floating_point)
            throw new InvalidOperationException("Only Tensors of floating point and complex dtype can require gradients");
        this.requires_grad = requires_grad;
        return this;
    }

    /// <summary>True for tensors not produced by a recorded op (user-created, or not requiring grad).</summary>
    public bool is_leaf => _gradFn is null;

    public Node? grad_fn => _gradFn;

    /// <summary>Accumulated gradient; null until a backward reaches this leaf.</summary>
    public Tensor? grad
    {
        get
        {
            if (!is_leaf && !_retainsGrad && _grad is null)
                warnings.warn(
                    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be populated during autograd.backward(). " +
                    "If you indeed want the .grad field to be populated for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. " +
                    "If you access the non-leaf Tensor by mistake, make sure you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more informations.");
            return _grad;
        }
        set
        {
            if (value is not null && !Shapes.SameShape(value._shape, _shape))
                throw new ArgumentException("assigned grad has data of a different size");
            _grad = value;
        }
    }

    public bool retains_grad => _retainsGrad;

    internal AccumulateGrad GradAccumulator() => _gradAccumulator ??= new AccumulateGrad(this);

    /// <summary>Makes a non-leaf keep its gradient in <c>.grad</c> after backward.</summary>
    public void retain_grad()
    {
        if (!_requiresGrad) throw new InvalidOperationException("can't retain_grad on Tensor that has requires_grad=False");
        if (is_leaf || _retainsGrad) return;
        _retainsGrad = true;
        var self = this;
        _gradFn!.register_prehook(grads =>
        {
            var g = grads[self._outputNr];
            if (g is null) return null;
            self._grad = self._grad is null ? g.CloneDetached() : self._grad.detach() + g.detach();
            return null;
        });
    }

    /// <summary>Registers a hook on this tensor's gradient; it may return a replacement gradient.</summary>
    public void register_hook(Func<Tensor, Tensor?> hook)
    {
        if (!_requiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        if (is_leaf) { (_hooks ??= []).Add(hook); return; }
        var nr = _outputNr;
        _gradFn!.register_prehook(grads =>
        {
            if (grads[nr] is not { } g) return null;
            var r = hook(g);
            if (r is null) return null;
            var copy = (Tensor?[])grads.Clone();
            copy[nr] = r;
            return copy;
        });
    }

    public void register_hook(Action<Tensor> hook) => register_hook(g => { hook(g); return null; });

    /// <summary>Backpropagates from this tensor into the leaves' <c>.grad</c>.</summary>
    public void backward(Tensor? gradient = null, bool? retain_graph = null, bool create_graph = false, Tensor[]? inputs = null)
    {
        if (gradient is null)
        {
            if (numel() != 1) throw new InvalidOperationException("grad can be implicitly created only for scalar outputs");
            if (!dtype.is_floating_point)
                throw new InvalidOperationException($"grad can be implicitly created only for real scalar outputs but got {dtype}");
        }
        if (!_requiresGrad)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        gradient ??= torch.ones_like(this);
        if (!Shapes.SameShape(gradient._shape, _shape))
            throw new ArgumentException($"Mismatch in shape: grad_output[0] has a shape of {gradient.shape} and output[0] has a shape of {shape}.");
        if (inputs is { Length: 0 }) throw new ArgumentException("'inputs' argument to backward() cannot be empty.");
        Engine.Run([this], [gradient], retain_graph ?? create_graph, create_graph, inputs, accumulateIntoLeaves: true);
    }

    /// <summary>A new tensor sharing storage (and version counter), cut from the graph.</summary>
    public Tensor detach()
    {
        var t = new Tensor(_storage, _shape, _strides, _offset, _version) { _isInference = _isInference };
        return t;
    }

    /// <summary>Cuts this tensor from the graph in place (views can't: PyTorch forbids it).</summary>
    public Tensor detach_()
    {
        if (_base is not null && _gradFn is not null)
            throw new InvalidOperationException("Can't detach views in-place. Use detach() instead.");
        _gradFn = null;
        _requiresGrad = false;
        _outputNr = 0;
        return this;
    }

    /// <summary><c>x.data</c>: the same storage, detached, with its own version counter (in-place writes aren't seen by autograd).</summary>
    public Tensor data
    {
        get => new(_storage, _shape, _strides, _offset) { _isInference = _isInference };
        set
        {
            if (!Shapes.SameShape(value._shape, _shape) || value.dtype != dtype)
            {
                // PyTorch allows changing shape through .data; we keep the tensor's metadata consistent with it.
            }
            _buf = value._buf;
        }
    }

    /// <summary>A detached contiguous copy; no graph.</summary>
    internal Tensor CloneDetached()
    {
        var r = EmptyForWrite(_shape, dtype, device);
        Kernels.Copy(Buffer, r.Buffer);
        return r;
    }

    /// <summary>this += g without recording (grad accumulation).</summary>
    internal void AddInPlaceRaw(Tensor g)
    {
        var rhs = g.dtype == dtype ? g : g.CastRaw(dtype);
        Kernels.Binary(BinaryOp.Add, Buffer, rhs.ExpandRaw(_shape).Buffer, Buffer);
        _version.Bump();
    }

    /// <summary>Links a freshly computed result to its backward node.</summary>
    internal Tensor WithGrad(Node node, int outputNr = 0)
    {
        _gradFn = node;
        _outputNr = outputNr;
        _requiresGrad = true;
        return this;
    }
}
