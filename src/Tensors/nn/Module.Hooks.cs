using Notebooks.Tensors.Autograd;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class utils
    {
        public static partial class hooks
        {
            /// <summary>
            /// What every <c>register_*_hook</c> returns (PyTorch's <c>torch.utils.hooks.RemovableHandle</c>):
            /// <see cref="remove"/> unregisters the hook; disposing it does the same, so <c>using (m.register_forward_hook(...))</c>
            /// scopes a hook as Python's <c>with handle:</c> does.
            /// </summary>
            public sealed class RemovableHandle : IDisposable
            {
                private Action? _remove;

                internal RemovableHandle(long id, Action remove) { this.id = id; _remove = remove; }

                /// <summary>The hook's key, unique in the process.</summary>
                public long id { get; }

                /// <summary>Unregisters the hook; later calls do nothing.</summary>
                public void remove() => Interlocked.Exchange(ref _remove, null)?.Invoke();

                public void Dispose() => remove();

                public override string ToString() => $"<torch.utils.hooks.RemovableHandle object at 0x{id:x}>";
            }
        }
    }

    public static partial class nn
    {
        public abstract partial class Module
        {
            /// <summary>Null until a hook is registered, and again once the last is removed, so call's check is one load.</summary>
            internal ModuleHookSet? _hooks;

            /// <summary>
            /// Registers <c>hook(module, args)</c>, run by <see cref="call"/> before forward. A non-null result replaces the
            /// inputs forward gets (Python's hook returning a new tuple). Hooks run in registration order (first with
            /// <paramref name="prepend"/>), after the global ones of <see cref="modules.module.register_module_forward_pre_hook(Func{Module, Tensor[], Tensor[]})"/>.
            /// </summary>
            public torch.utils.hooks.RemovableHandle register_forward_pre_hook(Func<Module, Tensor[], Tensor[]?> hook, bool prepend = false) =>
                AddHook(ref HookSet.Pre, hook, prepend);

            public torch.utils.hooks.RemovableHandle register_forward_pre_hook(Action<Module, Tensor[]> hook, bool prepend = false) =>
                register_forward_pre_hook((m, a) => { hook(m, a); return null; }, prepend);

            /// <summary>
            /// Registers <c>hook(module, args, output)</c>, run by <see cref="call"/> after forward; a non-null result
            /// replaces the output. <c>forward(x)</c> called directly runs no hooks, as in PyTorch.
            /// </summary>
            public torch.utils.hooks.RemovableHandle register_forward_hook(Func<Module, Tensor[], Tensor, Tensor?> hook, bool prepend = false) =>
                AddHook(ref HookSet.Fwd, hook, prepend);

            public torch.utils.hooks.RemovableHandle register_forward_hook(Action<Module, Tensor[], Tensor> hook, bool prepend = false) =>
                register_forward_hook((m, a, o) => { hook(m, a, o); return null; }, prepend);

            /// <summary>
            /// Registers <c>hook(module, grad_input, grad_output)</c>, called once the gradients with respect to the module's
            /// inputs are computed; a non-null result (of the same length) replaces grad_input. As in PyTorch, each call of the
            /// module wraps the inputs and the output in an identity node (<c>BackwardHookFunctionBackward</c>) whose hooks see
            /// those gradients; grad_input holds null for inputs that do not require grad, and when none does the hook runs
            /// with all-null grad_input as soon as grad_output is known (and must then return null).
            /// </summary>
            /// <remarks>
            /// Limits: the module's output is one tensor (Module.call returns one); global backward hooks are not provided;
            /// a hook sees this call's gradients only when the gradient reaches the inputs through the output (as PyTorch).
            /// </remarks>
            public torch.utils.hooks.RemovableHandle register_full_backward_hook(Func<Module, Tensor?[], Tensor?[], Tensor?[]?> hook, bool prepend = false) =>
                AddHook(ref HookSet.Bwd, hook, prepend);

            public torch.utils.hooks.RemovableHandle register_full_backward_hook(Action<Module, Tensor?[], Tensor?[]> hook, bool prepend = false) =>
                register_full_backward_hook((m, gi, go) => { hook(m, gi, go); return null; }, prepend);

            /// <summary>PyTorch's <c>_forward_pre_hooks</c>: the registered pre-hooks by handle id, in calling order.</summary>
            public IReadOnlyDictionary<long, Delegate> _forward_pre_hooks => ModuleHooks.View(_hooks?.Pre);
            /// <summary>PyTorch's <c>_forward_hooks</c>.</summary>
            public IReadOnlyDictionary<long, Delegate> _forward_hooks => ModuleHooks.View(_hooks?.Fwd);
            /// <summary>PyTorch's <c>_backward_hooks</c> (the full backward hooks).</summary>
            public IReadOnlyDictionary<long, Delegate> _backward_hooks => ModuleHooks.View(_hooks?.Bwd);

            private ModuleHookSet HookSet => _hooks ??= new ModuleHookSet();

            private torch.utils.hooks.RemovableHandle AddHook<T>(ref Hook<T>[] list, T fn, bool prepend)
            {
                var id = ModuleHooks.NextId();
                lock (HookSet) list = ModuleHooks.With(list, new Hook<T>(id, fn), prepend);
                var set = HookSet;
                return new torch.utils.hooks.RemovableHandle(id, () =>
                {
                    lock (set)
                    {
                        set.Remove(id);
                        if (set.IsEmpty && ReferenceEquals(_hooks, set)) _hooks = null;
                    }
                });
            }

            /// <summary>Python's <c>_call_impl</c>: global then own pre-hooks, backward-hook wrapping, forward, forward hooks.</summary>
            internal Tensor CallWithHooks(Tensor[] args, Func<Module, Tensor[], Tensor> forward)
            {
                var own = _hooks;
                foreach (var h in ModuleHooks.GlobalPre) args = h.Fn(this, args) ?? args;
                if (own is not null) foreach (var h in own.Pre) args = h.Fn(this, args) ?? args;
                BackwardHookState? bw = null;
                if (own is { Bwd.Length: > 0 })
                {
                    bw = new BackwardHookState(this, own.Bwd);
                    args = bw.SetupInputs(args);
                }
                var output = forward(this, args);
                foreach (var h in ModuleHooks.GlobalFwd) output = h.Fn(this, args, output) ?? output;
                if (own is not null) foreach (var h in own.Fwd) output = h.Fn(this, args, output) ?? output;
                return bw is null ? output : bw.SetupOutput(output);
            }
        }

        public static partial class modules
        {
            /// <summary>Python's <c>torch.nn.modules.module</c>: hooks that run for every module called.</summary>
            public static class module
            {
                /// <summary>A forward pre-hook for every module, run before the module's own.</summary>
                public static torch.utils.hooks.RemovableHandle register_module_forward_pre_hook(Func<Module, Tensor[], Tensor[]?> hook) =>
                    ModuleHooks.AddGlobal(ref ModuleHooks.GlobalPre, hook);

                public static torch.utils.hooks.RemovableHandle register_module_forward_pre_hook(Action<Module, Tensor[]> hook) =>
                    register_module_forward_pre_hook((m, a) => { hook(m, a); return null; });

                /// <summary>A forward hook for every module, run before the module's own.</summary>
                public static torch.utils.hooks.RemovableHandle register_module_forward_hook(Func<Module, Tensor[], Tensor, Tensor?> hook) =>
                    ModuleHooks.AddGlobal(ref ModuleHooks.GlobalFwd, hook);

                public static torch.utils.hooks.RemovableHandle register_module_forward_hook(Action<Module, Tensor[], Tensor> hook) =>
                    register_module_forward_hook((m, a, o) => { hook(m, a, o); return null; });
            }
        }
    }
}

internal readonly record struct Hook<T>(long Id, T Fn);

/// <summary>A module's hooks. The arrays are replaced, never changed, so a call iterates a stable snapshot.</summary>
internal sealed class ModuleHookSet
{
    public Hook<Func<torch.nn.Module, Tensor[], Tensor[]?>>[] Pre = [];
    public Hook<Func<torch.nn.Module, Tensor[], Tensor, Tensor?>>[] Fwd = [];
    public Hook<Func<torch.nn.Module, Tensor?[], Tensor?[], Tensor?[]?>>[] Bwd = [];

    public bool IsEmpty => Pre.Length == 0 && Fwd.Length == 0 && Bwd.Length == 0;

    public void Remove(long id)
    {
        Pre = ModuleHooks.Without(Pre, id);
        Fwd = ModuleHooks.Without(Fwd, id);
        Bwd = ModuleHooks.Without(Bwd, id);
    }
}

/// <summary>Hook ids and the global hooks of <c>torch.nn.modules.module</c>.</summary>
internal static class ModuleHooks
{
    private static long _nextId;
    private static readonly Lock GlobalLock = new();
    public static Hook<Func<torch.nn.Module, Tensor[], Tensor[]?>>[] GlobalPre = [];
    public static Hook<Func<torch.nn.Module, Tensor[], Tensor, Tensor?>>[] GlobalFwd = [];

    /// <summary>How many global hooks exist: Module.call takes its hook-free path while this is 0.</summary>
    public static volatile int GlobalCount;

    public static long NextId() => Interlocked.Increment(ref _nextId);

    public static IReadOnlyDictionary<long, Delegate> View<T>(Hook<T>[]? list) where T : Delegate
    {
        var d = new OrderedDictionary<long, Delegate>();
        foreach (var h in list ?? []) d.Add(h.Id, h.Fn);
        return d;
    }

    public static Hook<T>[] With<T>(Hook<T>[] list, Hook<T> hook, bool prepend) =>
        prepend ? [hook, .. list] : [.. list, hook];

    public static Hook<T>[] Without<T>(Hook<T>[] list, long id) =>
        Array.FindIndex(list, h => h.Id == id) < 0 ? list : Array.FindAll(list, h => h.Id != id);

    public static torch.utils.hooks.RemovableHandle AddGlobal<T>(ref Hook<T>[] list, T fn)
    {
        var id = NextId();
        lock (GlobalLock)
        {
            list = With(list, new Hook<T>(id, fn), prepend: false);
            GlobalCount++;
        }
        return new torch.utils.hooks.RemovableHandle(id, () =>
        {
            lock (GlobalLock)
            {
                int before = GlobalPre.Length + GlobalFwd.Length;
                GlobalPre = Without(GlobalPre, id);
                GlobalFwd = Without(GlobalFwd, id);
                GlobalCount -= before - (GlobalPre.Length + GlobalFwd.Length);
            }
        });
    }
}

/// <summary>
/// One call's full backward hooks (PyTorch's <c>torch.utils.hooks.BackwardHook</c>): identity nodes around the inputs
/// and the output; the output's node records grad_output, the inputs' node hands grad_input to the user hooks.
/// </summary>
internal sealed class BackwardHookState(torch.nn.Module module, Hook<Func<torch.nn.Module, Tensor?[], Tensor?[], Tensor?[]?>>[] hooks)
{
    private int _nInputs;
    private int[]? _inputIndex;
    private int[]? _outputIndex;
    private Tensor?[]? _gradOutputs;

    public Tensor[] SetupInputs(Tensor[] args)
    {
        _nInputs = args.Length;
        var (r, idx) = Wrap(args, InputHook);
        _inputIndex = idx;
        return r;
    }

    public Tensor SetupOutput(Tensor output)
    {
        var (r, idx) = Wrap([output], OutputHook);
        _outputIndex = idx;
        return r[0];
    }

    /// <summary>Passes the tensors that require grad through one identity node carrying <paramref name="hook"/>.</summary>
    private static (Tensor[], int[]?) Wrap(Tensor[] ts, Func<Tensor?[], Tensor?[], Tensor?[]?> hook)
    {
        if (!GradMode.Enabled) return (ts, null);
        var idx = new List<int>();
        for (int i = 0; i < ts.Length; i++) if (ts[i]._requiresGrad) idx.Add(i);
        if (idx.Count == 0) return (ts, null);
        var inputs = new Tensor?[idx.Count];
        for (int k = 0; k < idx.Count; k++) inputs[k] = ts[idx[k]];
        var node = new BackwardHookFunctionBackward(inputs);
        node.register_hook(hook);
        var r = (Tensor[])ts.Clone();
        for (int k = 0; k < idx.Count; k++)
        {
            var t = ts[idx[k]];
            // An alias sharing storage and version counter, so in-place changes stay visible to saved-tensor checks.
            r[idx[k]] = new Tensor(t._storage, t._shape, t._strides, t._offset, t._version) { _isInference = t._isInference }.WithGrad(node, k);
        }
        return (r, idx.ToArray());
    }

    private static Tensor?[] Pack(int[]? index, Tensor?[] grads, int n)
    {
        var r = new Tensor?[n];
        if (index is not null) for (int k = 0; k < index.Length; k++) r[index[k]] = grads[k];
        return r;
    }

    private Tensor?[]? OutputHook(Tensor?[] _, Tensor?[] gradOutput)
    {
        _gradOutputs = Pack(_outputIndex, gradOutput, 1);
        if (_inputIndex is null)
        {
            var gradInputs = new Tensor?[_nInputs];
            foreach (var h in hooks)
            {
                var res = h.Fn(module, gradInputs, _gradOutputs);
                if (res is not null && Array.Exists(res, g => g is not null))
                    throw new InvalidOperationException(
                        "Backward hook for Modules where no input requires gradient should always return None or None for all gradients.");
            }
            _gradOutputs = null;
        }
        return null;
    }

    private Tensor?[]? InputHook(Tensor?[] gradInput, Tensor?[] _)
    {
        // No grad_output recorded: the gradient reached the inputs without passing through this call's output.
        if (_gradOutputs is null) return null;
        var res = Pack(_inputIndex, gradInput, _nInputs);
        foreach (var h in hooks)
        {
            var o = h.Fn(module, res, _gradOutputs);
            if (o is null) continue;
            if (o.Length != res.Length)
                throw new InvalidOperationException($"Backward hook returned an invalid number of grad_input, got {o.Length}, but expected {res.Length}");
            res = o;
        }
        _gradOutputs = null;
        var r = new Tensor?[_inputIndex!.Length];
        for (int k = 0; k < r.Length; k++) r[k] = res[_inputIndex[k]];
        return r;
    }
}

/// <summary>The identity node a full backward hook puts around a module's inputs and output.</summary>
internal sealed class BackwardHookFunctionBackward : Node
{
    public BackwardHookFunctionBackward(ReadOnlySpan<Tensor?> inputs) : base(inputs) => NumOutputs = inputs.Length;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs) => (Tensor?[])gradOutputs.Clone();
}
