using System.Reflection;

namespace Notebooks.Tensors;

public static partial class torch
{
    public static partial class nn
    {
        public abstract partial class Module
        {
            /// <summary>
            /// Python's <c>module.weight</c> on any module (Module.__getattr__ finds parameters, then buffers), so
            /// <c>model[0].weight</c> works on what <c>Sequential[i]</c> returns without a cast. A module without one
            /// refuses as Python does ("'ReLU' object has no attribute 'weight'"). Layers that have a weight declare
            /// their own typed property over the same entry.
            /// </summary>
            public Tensor weight { get => Attribute("weight")!; set => SetParameter("weight", value); }

            /// <summary>Python's <c>module.bias</c> on any module: null where the layer was made with bias=False.</summary>
            public Tensor? bias { get => Attribute("bias"); set => SetParameter("bias", value); }

            private Tensor? Attribute(string name)
            {
                if (Parameters.TryGetValue(name, out var p)) return p;
                if (_buffers.TryGetValue(name, out var b)) return b;
                // nn.LSTM's `bias` is the bool it was built with (rnn.py): Python returns it, a Tensor-typed property
                // cannot, so say where it is instead of claiming it is absent.
                for (var t = GetType(); t is not null && t != typeof(Module); t = t.BaseType)
                    if (t.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly) is { } own
                        && own.PropertyType != typeof(Tensor))
                        throw new InvalidCastException(
                            $"'{GetType().Name}' object's attribute '{name}' is a {own.PropertyType.Name}, not a Tensor: read it from the {GetType().Name} itself");
                throw new MissingMemberException($"'{GetType().Name}' object has no attribute '{name}'");
            }
        }
    }
}
