using System.Collections;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        /// <summary>Modules applied one after another; children are named "0", "1", ... (or by the given names).</summary>
        public class Sequential : Module, IEnumerable<Module>
        {
            public Sequential(params Module[] modules)
            {
                for (int i = 0; i < modules.Length; i++) register_module(i.ToString(), modules[i]);
            }

            public Sequential(IEnumerable<KeyValuePair<string, Module>> named)
            {
                foreach (var (name, m) in named) register_module(name, m);
            }

            public Module this[int index] => _modules.GetAt(WrapIndex(index)).Value!;

            public Sequential this[Range range]
            {
                get
                {
                    var (start, len) = range.GetOffsetAndLength(_modules.Count);
                    return new Sequential(_modules.Skip(start).Take(len).Select(kv => new KeyValuePair<string, Module>(kv.Key, kv.Value!)));
                }
            }

            public Module this[string name] => _modules[name]!;

            private int WrapIndex(int index)
            {
                int n = _modules.Count;
                if (index < -n || index >= n) throw new IndexOutOfRangeException($"index {index} is out of range");
                return index < 0 ? index + n : index;
            }

            public int Count => _modules.Count;
            public int len() => _modules.Count;

            public Sequential append(Module module)
            {
                register_module(_modules.Count.ToString(), module);
                return this;
            }

            public void Add(Module module) => append(module);

            public override Tensor forward(Tensor input)
            {
                // Through call, as Python's Sequential calls module(input): the children's hooks run.
                foreach (var (_, m) in _modules) input = m!.call(input);
                return input;
            }

            public IEnumerator<Module> GetEnumerator() => _modules.Values.Select(m => m!).GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }

        /// <summary>A list of submodules, registered as "0", "1", ...; it has no forward of its own.</summary>
        public class ModuleList : Module, IEnumerable<Module>
        {
            public ModuleList(IEnumerable<Module>? modules = null)
            {
                if (modules is not null) foreach (var m in modules) append(m);
            }

            public ModuleList(params Module[] modules) : this((IEnumerable<Module>)modules) { }

            public Module this[int index]
            {
                get => _modules.GetAt(Wrap(index)).Value!;
                set => _modules[Wrap(index).ToString()] = value;
            }

            private int Wrap(int index)
            {
                int n = _modules.Count;
                if (index < -n || index >= n) throw new IndexOutOfRangeException($"index {index} is out of range");
                return index < 0 ? index + n : index;
            }

            public int Count => _modules.Count;
            public int len() => _modules.Count;

            public ModuleList append(Module module)
            {
                register_module(_modules.Count.ToString(), module);
                return this;
            }

            public void Add(Module module) => append(module);

            public ModuleList extend(IEnumerable<Module> modules)
            {
                foreach (var m in modules) append(m);
                return this;
            }

            public IEnumerator<Module> GetEnumerator() => _modules.Values.Select(m => m!).GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

            /// <summary>Runs of identical children print once, as "(0-2): 3 x Linear(...)" (ModuleList.__repr__).</summary>
            public override string ToString()
            {
                var reprs = this.Select(m => m.ToString()).ToList();
                if (reprs.Count == 0) return _get_name() + "()";
                var blocks = new List<(int start, int end, string repr)> { (0, 0, reprs[0]) };
                for (int i = 1; i < reprs.Count; i++)
                {
                    if (reprs[i] == blocks[^1].repr) { blocks[^1] = blocks[^1] with { end = i }; continue; }
                    blocks.Add((i, i, reprs[i]));
                }
                var lines = blocks.Select(b => AddIndent(b.start == b.end
                    ? $"({b.start}): {b.repr}"
                    : $"({b.start}-{b.end}): {b.end - b.start + 1} x {b.repr}", 2));
                return _get_name() + "(\n  " + string.Join("\n  ", lines) + "\n)";
            }
        }

        /// <summary>Submodules by name, in insertion order.</summary>
        public class ModuleDict : Module, IEnumerable<KeyValuePair<string, Module>>
        {
            public ModuleDict(IEnumerable<KeyValuePair<string, Module>>? modules = null)
            {
                if (modules is not null) update(modules);
            }

            public Module this[string key]
            {
                get => _modules.TryGetValue(key, out var m) ? m! : throw new KeyNotFoundException($"'{key}'");
                set => register_module(key, value);
            }

            public void Add(string key, Module module) => register_module(key, module);

            public void update(IEnumerable<KeyValuePair<string, Module>> modules)
            {
                foreach (var (k, m) in modules) register_module(k, m);
            }

            public Module pop(string key)
            {
                var m = this[key];
                _modules.Remove(key);
                return m;
            }

            public bool ContainsKey(string key) => _modules.ContainsKey(key);
            public IEnumerable<string> keys() => _modules.Keys;
            public IEnumerable<Module> values() => _modules.Values.Select(m => m!);
            public IEnumerable<(string, Module)> items() => _modules.Select(kv => (kv.Key, kv.Value!));
            public int Count => _modules.Count;
            public int len() => _modules.Count;

            public IEnumerator<KeyValuePair<string, Module>> GetEnumerator() =>
                _modules.Select(kv => new KeyValuePair<string, Module>(kv.Key, kv.Value!)).GetEnumerator();
            IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        }
    }
}
