using Notebooks.Tensors.Autograd;
using System.Reflection;
using System.Text;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>
        /// PyTorch's <c>nn.Module</c>: parameters, buffers and submodules kept in insertion order (Python's
        /// OrderedDict), train/eval mode, state_dict and the nested repr.
        /// </summary>
        /// <remarks>
        /// Calling a module: C# cannot make an object invocable (<c>layer(x)</c>), and an indexer (<c>layer[x]</c>)
        /// would read as indexing, so a module is called with <c>layer.call(x)</c> (what Python's <c>__call__</c> does)
        /// or <c>layer.forward(x)</c>. Submodules and parameters are registered with <see cref="register_module"/> /
        /// <see cref="register_parameter"/>; a subclass may also just keep them in fields (PyTorch's
        /// <c>self.fc = nn.Linear(...)</c>): fields holding a Module or an nn.Parameter are registered under the field
        /// name, in declaration order, the first time the module is inspected.
        /// </remarks>
        public abstract partial class Module
        {
            internal readonly OrderedDictionary<string, Tensor?> _parameters = new();
            internal readonly OrderedDictionary<string, Tensor?> _buffers = new();
            internal readonly OrderedDictionary<string, Module?> _modules = new();
            private readonly HashSet<string> _nonPersistent = [];

            public bool training { get; set; } = true;

            /// <summary>The computation; modules with other signatures (losses) add their own forward/call pairs.</summary>
            public virtual Tensor forward(Tensor input) =>
                throw new NotImplementedException($"Module [{_get_name()}] is missing the required \"forward\" function");

            /// <summary>Python's <c>module(x)</c>: <see cref="forward"/> wrapped in the module's hooks, when it has any.</summary>
            public Tensor call(Tensor input) =>
                _hooks is null && ModuleHooks.GlobalCount == 0 ? forward(input) : CallWithHooks([input], static (m, a) => m.forward(a[0]));

            // ---- registration ----

            public void register_parameter(string name, Tensor? param)
            {
                CheckName(name, "parameter");
                if (param is not null && !param._isParameter)
                    throw new InvalidCastException($"cannot assign '{Notebooks.Tensors.Autograd.TypeNames.Legacy(param)}' object to parameter '{name}' (torch.nn.Parameter or None required)");
                if (param is not null && param._gradFn is not null)
                    throw new ArgumentException(
                        $"Cannot assign non-leaf Tensor to parameter '{name}'. Model parameters must be created explicitly. " +
                        $"To express '{name}' as a function of another Tensor, compute the value in the forward() method.");
                _parameters[name] = param;
            }

            /// <summary>
            /// The setter behind parameter properties: Module.__setattr__. A registered parameter name takes an
            /// nn.Parameter or null; any other tensor is PyTorch's TypeError. C# lowers <c>layer.weight -= g</c> on a
            /// property to <c>layer.weight = layer.weight - g</c>, so a value the operators marked as "this parameter
            /// op y" runs Python's in-place form (<c>weight.sub_(g)</c>, with its leaf checks) instead. The one
            /// leniency this forces: an explicit <c>layer.weight = layer.weight - g</c> is taken as <c>-=</c> too.
            /// </summary>
            protected void SetParameter(string name, Tensor? value)
            {
                if (value is { _isParameter: false } && _parameters.GetValueOrDefault(name) is { } current
                    && ParameterUpdates.TryApply(value, current))
                    return;
                if (value is { _isParameter: false } && _parameters.ContainsKey(name))
                    throw new InvalidCastException(
                        $"cannot assign '{Notebooks.Tensors.Autograd.TypeNames.Legacy(value)}' as parameter '{name}' (torch.nn.Parameter or None expected)");
                register_parameter(name, value);
            }

            public void register_buffer(string name, Tensor? tensor, bool persistent = true)
            {
                CheckName(name, "buffer");
                _buffers[name] = tensor;
                if (persistent) _nonPersistent.Remove(name); else _nonPersistent.Add(name);
            }

            public T register_module<T>(string name, T module) where T : Module?
            {
                CheckName(name, "module");
                _modules[name] = module;
                return module;
            }

            public T add_module<T>(string name, T module) where T : Module? => register_module(name, module);

            private void CheckName(string name, string what)
            {
                if (name.Contains('.')) throw new KeyNotFoundException($"{what} name can't contain \".\"");
                if (name.Length == 0) throw new KeyNotFoundException($"{what} name can't be empty string \"\"");
                bool clash = what switch
                {
                    "parameter" => _buffers.ContainsKey(name) || _modules.ContainsKey(name),
                    "buffer" => _parameters.ContainsKey(name) || _modules.ContainsKey(name),
                    _ => _parameters.ContainsKey(name) || _buffers.ContainsKey(name),
                };
                if (clash) throw new KeyNotFoundException($"attribute '{name}' already exists");
            }

            private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, (string name, FieldInfo field)[]> FieldCache = new();

            /// <summary>Fields (and auto-property backing fields) of a user's subclass, base class first, in declaration order.</summary>
            private static (string name, FieldInfo field)[] MemberFields(Type type) => FieldCache.GetOrAdd(type, static t =>
            {
                var chain = new List<Type>();
                for (var c = t; c is not null && c != typeof(Module); c = c.BaseType) chain.Add(c);
                chain.Reverse();
                var r = new List<(string, FieldInfo)>();
                foreach (var c in chain)
                    foreach (var f in c.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                    {
                        if (!typeof(Module).IsAssignableFrom(f.FieldType) && f.FieldType != typeof(Tensor)) continue;
                        // An auto-property's backing field is named <x>k__BackingField: register it as x.
                        var name = f.Name.StartsWith('<') ? f.Name[1..f.Name.IndexOf('>')] : f.Name;
                        r.Add((name, f));
                    }
                return r.ToArray();
            });

            /// <summary>Registers fields of a subclass that hold modules or parameters (PyTorch's __setattr__).</summary>
            private void DiscoverFields()
            {
                foreach (var (name, f) in MemberFields(GetType()))
                {
                    switch (f.GetValue(this))
                    {
                        case Module m when !ReferenceEquals(m, this): _modules[name] = m; break;
                        case Tensor { _isParameter: true } p: _parameters[name] = p; break;
                    }
                }
            }

            internal OrderedDictionary<string, Module?> Modules { get { DiscoverFields(); return _modules; } }
            internal OrderedDictionary<string, Tensor?> Parameters { get { DiscoverFields(); return _parameters; } }

            // ---- traversal ----

            public IEnumerable<Tensor> parameters(bool recurse = true)
            {
                foreach (var (_, p) in named_parameters(recurse: recurse)) yield return p;
            }

            public IEnumerable<(string name, Tensor param)> named_parameters(string prefix = "", bool recurse = true, bool remove_duplicate = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (mp, m) in recurse ? named_modules(prefix: prefix, remove_duplicate: remove_duplicate) : [(prefix, this)])
                {
                    foreach (var (name, p) in m.Parameters)
                    {
                        if (p is null || (remove_duplicate && !seen.Add(p))) continue;
                        yield return (mp.Length == 0 ? name : mp + "." + name, p);
                    }
                }
            }

            public IEnumerable<Tensor> buffers(bool recurse = true)
            {
                foreach (var (_, b) in named_buffers(recurse: recurse)) yield return b;
            }

            public IEnumerable<(string name, Tensor buffer)> named_buffers(string prefix = "", bool recurse = true)
            {
                var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
                foreach (var (mp, m) in recurse ? named_modules(prefix: prefix) : [(prefix, this)])
                    foreach (var (name, b) in m._buffers)
                        if (b is not null && seen.Add(b)) yield return (mp.Length == 0 ? name : mp + "." + name, b);
            }

            public IEnumerable<Module> children()
            {
                foreach (var (_, m) in named_children()) yield return m;
            }

            public IEnumerable<(string name, Module module)> named_children()
            {
                var seen = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                foreach (var (name, m) in Modules)
                    if (m is not null && seen.Add(m)) yield return (name, m);
            }

            public IEnumerable<Module> modules()
            {
                foreach (var (_, m) in named_modules()) yield return m;
            }

            /// <summary>This module and all below it, depth first, each once (as PyTorch's memo does).</summary>
            public IEnumerable<(string name, Module module)> named_modules(string prefix = "", bool remove_duplicate = true)
            {
                var memo = new HashSet<Module>(ReferenceEqualityComparer.Instance);
                return NamedModules(memo, prefix, remove_duplicate);
            }

            private IEnumerable<(string, Module)> NamedModules(HashSet<Module> memo, string prefix, bool removeDuplicate)
            {
                if (removeDuplicate && !memo.Add(this)) yield break;
                yield return (prefix, this);
                foreach (var (name, m) in Modules.ToList())
                {
                    if (m is null) continue;
                    foreach (var x in m.NamedModules(memo, prefix.Length == 0 ? name : prefix + "." + name, removeDuplicate))
                        yield return x;
                }
            }

            // ---- modes and housekeeping ----

            public Module train(bool mode = true)
            {
                training = mode;
                foreach (var m in children()) m.train(mode);
                return this;
            }

            public Module eval() => train(false);

            public Module requires_grad_(bool requires_grad = true)
            {
                foreach (var p in parameters()) p.requires_grad_(requires_grad);
                return this;
            }

            public void zero_grad(bool set_to_none = true)
            {
                foreach (var p in parameters())
                {
                    if (p._grad is not { } g) continue;
                    if (set_to_none) { p._grad = null; continue; }
                    if (g._gradFn is not null) g.detach_(); else g.requires_grad_(false);
                    using (new NoGradScope()) g.zero_();
                }
            }

            public Module apply(Action<Module> fn)
            {
                foreach (var m in children()) m.apply(fn);
                fn(this);
                return this;
            }

            /// <summary>Converts parameters (keeping their identity, as PyTorch swaps <c>.data</c>) and buffers.</summary>
            protected Module ApplyToTensors(Func<Tensor, Tensor> fn)
            {
                foreach (var m in children()) m.ApplyToTensors(fn);
                foreach (var (name, p) in Parameters.ToList())
                {
                    if (p is null) continue;
                    using (new NoGradScope()) p.data = fn(p);
                    if (p._grad is { } g) p._grad = fn(g);
                }
                foreach (var (name, b) in _buffers.ToList())
                    if (b is not null) _buffers[name] = fn(b);
                return this;
            }

            /// <summary>Moves to a device; a dtype converts floating-point parameters and buffers only.</summary>
            public Module to(Device device) => ApplyToTensors(t => t.to(device));

            public Module to(DType dtype)
            {
                if (!dtype.is_floating_point)
                    throw new InvalidCastException($"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype}");
                return ApplyToTensors(t => t.is_floating_point() ? t.to(dtype) : t);
            }

            public Module to(string device) => to(torch.device(device));
            public Module cpu() => to(Device.CPU);
            public Module @float() => to(DType.Float32);
            public Module @double() => to(DType.Float64);
            public Module half() => to(DType.Float16);

            // ---- state_dict ----

            public OrderedDictionary<string, Tensor> state_dict(string prefix = "", bool keep_vars = false)
            {
                var d = new OrderedDictionary<string, Tensor>();
                SaveTo(d, prefix, keep_vars);
                return d;
            }

            private void SaveTo(OrderedDictionary<string, Tensor> d, string prefix, bool keepVars)
            {
                foreach (var (name, p) in Parameters)
                    if (p is not null) d[prefix + name] = keepVars ? p : p.detach();
                foreach (var (name, b) in _buffers)
                    if (b is not null && !_nonPersistent.Contains(name)) d[prefix + name] = keepVars ? b : b.detach();
                foreach (var (name, m) in Modules)
                    m?.SaveTo(d, prefix + name + ".", keepVars);
            }

            public IncompatibleKeys load_state_dict(IReadOnlyDictionary<string, Tensor> state_dict, bool strict = true)
            {
                var missing = new List<string>();
                var errors = new List<string>();
                var expected = new HashSet<string>();
                foreach (var (mp, m) in named_modules())
                {
                    var prefix = mp.Length == 0 ? "" : mp + ".";
                    var local = m.Parameters.Where(kv => kv.Value is not null).Select(kv => (kv.Key, kv.Value!))
                        .Concat(m._buffers.Where(kv => kv.Value is not null && !m._nonPersistent.Contains(kv.Key)).Select(kv => (kv.Key, kv.Value!)));
                    foreach (var (name, target) in local)
                    {
                        var key = prefix + name;
                        expected.Add(key);
                        if (!state_dict.TryGetValue(key, out var src)) { missing.Add(key); continue; }
                        if (!Shapes.SameShape(src._shape, target._shape))
                        {
                            errors.Add($"size mismatch for {key}: copying a param with shape {src.shape} from checkpoint, the shape in current model is {target.shape}.");
                            continue;
                        }
                        using (new NoGradScope()) target.copy_(src);
                    }
                }
                var unexpected = state_dict.Keys.Where(k => !expected.Contains(k)).ToList();
                if (strict)
                {
                    if (unexpected.Count > 0)
                        errors.Insert(0, "Unexpected key(s) in state_dict: " + string.Join(", ", unexpected.Select(k => $"\"{k}\"")) + ". ");
                    if (missing.Count > 0)
                        errors.Insert(0, "Missing key(s) in state_dict: " + string.Join(", ", missing.Select(k => $"\"{k}\"")) + ". ");
                }
                if (errors.Count > 0)
                    throw new InvalidOperationException($"Error(s) in loading state_dict for {_get_name()}:\n\t" + string.Join("\n\t", errors));
                return new IncompatibleKeys(missing, unexpected);
            }

            public IncompatibleKeys load_state_dict(OrderedDictionary<string, Tensor> state_dict, bool strict = true) =>
                load_state_dict((IReadOnlyDictionary<string, Tensor>)state_dict, strict);

            // ---- repr ----

            protected virtual string _get_name() => GetType().Name;

            /// <summary>The module's own settings, shown inside its parentheses.</summary>
            public virtual string extra_repr() => "";

            public override string ToString()
            {
                var extra = extra_repr();
                var extraLines = extra.Length == 0 ? [] : extra.Split('\n');
                var childLines = new List<string>();
                foreach (var (key, m) in Modules)
                    childLines.Add("(" + key + "): " + AddIndent(m?.ToString() ?? "None", 2));
                return Compose(_get_name(), extraLines, childLines);
            }

            internal static string Compose(string name, IReadOnlyList<string> extraLines, IReadOnlyList<string> childLines)
            {
                var lines = extraLines.Concat(childLines).ToList();
                var sb = new StringBuilder(name).Append('(');
                if (lines.Count > 0)
                {
                    if (extraLines.Count == 1 && childLines.Count == 0) sb.Append(extraLines[0]);
                    else sb.Append("\n  ").Append(string.Join("\n  ", lines)).Append('\n');
                }
                return sb.Append(')').ToString();
            }

            /// <summary>PyTorch's <c>_addindent</c>: indents every line but the first.</summary>
            internal static string AddIndent(string s, int spaces)
            {
                var lines = s.Split('\n');
                if (lines.Length == 1) return s;
                var pad = new string(' ', spaces);
                return lines[0] + "\n" + string.Join("\n", lines.Skip(1).Select(l => pad + l));
            }
        }

        /// <summary>What <c>load_state_dict</c> returns (a NamedTuple in PyTorch).</summary>
        public sealed record IncompatibleKeys(IReadOnlyList<string> missing_keys, IReadOnlyList<string> unexpected_keys)
        {
            public override string ToString() =>
                missing_keys.Count == 0 && unexpected_keys.Count == 0
                    ? "<All keys matched successfully>"
                    : $"_IncompatibleKeys(missing_keys=[{string.Join(", ", missing_keys.Select(k => $"'{k}'"))}], unexpected_keys=[{string.Join(", ", unexpected_keys.Select(k => $"'{k}'"))}])";
        }

        /// <summary>
        /// <c>nn.Parameter(data)</c>: a leaf tensor sharing <paramref name="data"/>'s memory, marked as a parameter
        /// (Tensor is sealed, so this is a factory rather than a subclass).
        /// </summary>
        public static Tensor Parameter(Tensor? data = null, bool requires_grad = true)
        {
            var p = (data ?? torch.empty([0])).detach();
            p._requiresGrad = requires_grad;
            p._isParameter = true;
            return p;
        }
    }
}
