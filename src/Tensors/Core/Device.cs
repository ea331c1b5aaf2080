namespace Notebooks.Tensors;

/// <summary><c>torch.device</c>: a device type (<c>cpu</c>, <c>cuda</c>) and an optional index.</summary>
public sealed class Device : IEquatable<Device>
{
    public string type { get; }
    /// <summary>The device index, or null when none was given (<c>torch.device("cuda")</c>).</summary>
    public int? index { get; }

    public Device(string type, int? index = null)
    {
        if (type != "cpu" && type != "cuda")
            throw new ArgumentException($"Expected one of cpu, cuda device type at start of device string: {type}");
        if (index is < 0) throw new ArgumentException($"Device index must not be negative, got {index}");
        this.type = type;
        this.index = index;
    }

    /// <summary>Parses <c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:1"</c> as PyTorch does.</summary>
    public static Device Parse(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var colon = spec.IndexOf(':');
        if (colon < 0) return new Device(spec);
        var idx = spec[(colon + 1)..];
        if (!int.TryParse(idx, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var i))
            throw new ArgumentException($"Invalid device string: '{spec}'");
        return new Device(spec[..colon], i);
    }

    public static implicit operator Device(string spec) => Parse(spec);

    internal static readonly Device CPU = new("cpu");

    internal bool IsCpu => type == "cpu";

    public bool Equals(Device? other) => other is not null && other.type == type && other.index == index;
    public override bool Equals(object? obj) => obj is Device d && Equals(d);
    public override int GetHashCode() => HashCode.Combine(type, index);
    public static bool operator ==(Device? a, Device? b) => ReferenceEquals(a, b) || (a is not null && a.Equals(b));
    public static bool operator !=(Device? a, Device? b) => !(a == b);

    /// <summary><c>str(device)</c>: <c>cpu</c>, <c>cuda:0</c>.</summary>
    public override string ToString() => index is { } i ? $"{type}:{i}" : type;

    /// <summary><c>repr(device)</c>: <c>device(type='cuda', index=0)</c>.</summary>
    public string __repr__() => index is { } i ? $"device(type='{type}', index={i})" : $"device(type='{type}')";
}
