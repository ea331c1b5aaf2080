using Notebooks.Tensors.Autograd;
using D = Notebooks.Tensors.Autograd.Derivatives;

namespace Notebooks.Tensors;

// Views share storage with their base; each records how to replay itself (for in-place writes through views).
public sealed partial class Tensor
{
    /// <summary>A view of this tensor with new geometry; remembers its base and how to rebuild it from the base.</summary>
    internal Tensor MakeView(long[] shape, long[] strides, long offset, Func<Tensor, Tensor> replay)
    {
        var v = new Tensor(_storage, shape, strides, offset, _version)
        {
            _isInference = _isInference,
            _base = _base ?? this,
        };
        var parent = _viewFn;
        v._viewFn = parent is null ? replay : t => replay(parent(t));
        return v;
    }

    /// <summary>A raw view (no graph) of elements start..end step along <paramref name="dim"/>.</summary>
    internal Tensor Narrowed(int dim, long start, long end, long step)
    {
        var shape = (long[])_shape.Clone(); var strides = (long[])_strides.Clone();
        shape[dim] = end <= start ? 0 : (end - start - 1) / step + 1;   // ceil without overflowing for a huge step
        strides[dim] = _strides[dim] * step;
        return new Tensor(_storage, shape, strides, _offset + start * _strides[dim], _version);
    }

    // ---------------- view / reshape ----------------

    public Tensor view(params long[] shape)
    {
        var target = Shapes.InferSize(shape, numel());
        var strides = ViewStrides(target) ?? throw new InvalidOperationException(
            "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        var v = MakeView(target, strides, _offset, t => t.view(target));
        return D.View.Record(v, this);
    }

    public Tensor view(Size shape) => view(shape.ToArray());

    /// <summary>Reinterprets the elements as another dtype of the same size (view(dtype)).</summary>
    public Tensor view(DType dtype)
    {
        if (dtype == this.dtype) return this;
        throw new NotSupportedException($"view({dtype}) between different element types is not supported");
    }

    public Tensor view_as(Tensor other) => view(other._shape);

    /// <summary>PyTorch's computeStride: strides for a view of <paramref name="target"/>, or null if impossible.</summary>
    private long[]? ViewStrides(long[] target)
    {
        // ATen's TensorUtils.cpp, computeStride_impl: a 0-d tensor views as any all-ones shape, strides 1.
        if (_shape.Length == 0) return [.. Enumerable.Repeat(1L, target.Length)];
        var numel = this.numel();
        if (numel == 0) return Shapes.ContiguousStrides(target);
        var newStrides = new long[target.Length];
        int viewD = target.Length - 1;
        long chunkBase = _strides.Length == 0 ? 1 : _strides[^1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = _shape.Length - 1; d >= 0; d--)
        {
            tensorNumel *= _shape[d];
            if (d == 0 || (_shape[d - 1] != 1 && _strides[d - 1] != tensorNumel * chunkBase))
            {
                while (viewD >= 0 && (viewNumel < tensorNumel || target[viewD] == 1))
                {
                    newStrides[viewD] = viewNumel * chunkBase;
                    viewNumel *= target[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) { chunkBase = _strides[d - 1]; tensorNumel = 1; viewNumel = 1; }
            }
        }
        if (viewD != -1) return null;
        return newStrides;
    }

    /// <summary>The same elements in a new shape (one size may be -1); a view when the strides allow, else a copy.</summary>
    public Tensor reshape(params long[] shape)
    {
        var target = Shapes.InferSize(shape, numel());
        if (ViewStrides(target) is not null) return view(target);
        // Not expressible as a view: copy (PyTorch records _reshape_alias/clone; the gradient is a reshape back).
        var contiguous = ContiguousRaw();
        var c = ReferenceEquals(contiguous, this) ? CloneDetached() : contiguous;
        var r = new Tensor(c._storage, target, Shapes.ContiguousStrides(target), 0);
        return D.UnsafeView.Record(r, this);
    }

    /// <summary>The same elements in a new shape (one size may be -1); a view when the strides allow, else a copy.</summary>
    public Tensor reshape(Size shape) => reshape(shape.ToArray());
    public Tensor reshape_as(Tensor other) => reshape(other._shape);

    /// <summary>Merges the dims from start_dim to end_dim into one.</summary>
    public Tensor flatten(int start_dim = 0, int end_dim = -1)
    {
        if (_shape.Length == 0) return reshape(1);
        int s = Shapes.WrapDim(start_dim, _shape.Length), e = Shapes.WrapDim(end_dim, _shape.Length);
        if (s > e) throw new ArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        if (s == e) return this;
        var shape = new List<long>();
        for (int i = 0; i < s; i++) shape.Add(_shape[i]);
        long m = 1; for (int i = s; i <= e; i++) m *= _shape[i];
        shape.Add(m);
        for (int i = e + 1; i < _shape.Length; i++) shape.Add(_shape[i]);
        return reshape(shape.ToArray());
    }

    public Tensor ravel() => reshape(-1);

    public Tensor unflatten(int dim, params long[] sizes)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var inner = Shapes.InferSize(sizes, _shape[d]);
        var shape = new List<long>(_shape[..d]); shape.AddRange(inner); shape.AddRange(_shape[(d + 1)..]);
        return view(shape.ToArray());
    }

    // ---------------- squeeze / unsqueeze ----------------

    /// <summary>Removes size-1 dims, all of them or only dim (a view).</summary>
    public Tensor squeeze()
    {
        var keep = new List<int>();
        for (int i = 0; i < _shape.Length; i++) if (_shape[i] != 1) keep.Add(i);
        var v = SqueezeView(keep, t => t.squeeze());
        return D.Squeeze.Record(v, this);
    }

    /// <summary>Removes size-1 dims, all of them or only dim (a view).</summary>
    public Tensor squeeze(int dim)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var keep = new List<int>();
        for (int i = 0; i < _shape.Length; i++) if (i != d || _shape.Length == 0 || _shape[i] != 1) keep.Add(i);
        var v = SqueezeView(keep, t => t.squeeze(dim));
        return D.SqueezeDim.Record(v, this);
    }

    /// <summary>Removes size-1 dims, all of them or only dim (a view).</summary>
    public Tensor squeeze(params int[] dims)
    {
        var ds = new HashSet<int>();
        foreach (var d in dims) ds.Add(Shapes.WrapDim(d, _shape.Length));
        var keep = new List<int>();
        for (int i = 0; i < _shape.Length; i++) if (!ds.Contains(i) || _shape[i] != 1) keep.Add(i);
        var v = SqueezeView(keep, t => t.squeeze(dims));
        return D.SqueezeDims.Record(v, this);
    }

    private Tensor SqueezeView(List<int> keep, Func<Tensor, Tensor> replay)
    {
        var shape = new long[keep.Count]; var strides = new long[keep.Count];
        for (int i = 0; i < keep.Count; i++) { shape[i] = _shape.Length == 0 ? 1 : _shape[keep[i]]; strides[i] = _shape.Length == 0 ? 1 : _strides[keep[i]]; }
        return MakeView(shape, strides, _offset, replay);
    }

    /// <summary>Inserts a size-1 dim at position dim (a view).</summary>
    public Tensor unsqueeze(int dim)
    {
        int d = Shapes.WrapDim(dim, _shape.Length + 1, scalarAsOne: false);
        int nd = _shape.Length;
        var shape = new long[nd + 1]; var strides = new long[nd + 1];
        _shape.AsSpan(0, d).CopyTo(shape); _shape.AsSpan(d).CopyTo(shape.AsSpan(d + 1));
        _strides.AsSpan(0, d).CopyTo(strides); _strides.AsSpan(d).CopyTo(strides.AsSpan(d + 1));
        shape[d] = 1;
        strides[d] = d < nd ? _shape[d] * _strides[d] : 1;
        var v = MakeView(shape, strides, _offset, t => t.unsqueeze(dim));
        return D.Unsqueeze.Record(v, this);
    }

    // ---------------- transpose / permute ----------------

    /// <summary>A view with dims d0 and d1 swapped.</summary>
    public Tensor transpose(int dim0, int dim1)
    {
        int n = _shape.Length;
        int a = Shapes.WrapDim(dim0, n), b = Shapes.WrapDim(dim1, n);
        var shape = (long[])_shape.Clone(); var strides = (long[])_strides.Clone();
        if (n > 0) { (shape[a], shape[b]) = (shape[b], shape[a]); (strides[a], strides[b]) = (strides[b], strides[a]); }
        var v = MakeView(shape, strides, _offset, t => t.transpose(dim0, dim1));
        return D.Transpose.Record(v, this, ints: [a, b]);
    }

    public Tensor swapaxes(int axis0, int axis1) => transpose(axis0, axis1);
    public Tensor swapdims(int dim0, int dim1) => transpose(dim0, dim1);

    /// <summary>The transpose of a tensor of at most 2 dims.</summary>
    public Tensor t()
    {
        if (_shape.Length > 2) throw new ArgumentException($"t() expects a tensor with <= 2 dimensions, but self is {_shape.Length}D");
        if (_shape.Length < 2) return D.T.Record(MakeView(_shape, _strides, _offset, t => t.t()), this);
        var shape = new[] { _shape[1], _shape[0] }; var strides = new[] { _strides[1], _strides[0] };
        return D.T.Record(MakeView(shape, strides, _offset, t => t.t()), this);
    }

    /// <summary>Reverses all dims (deprecated in PyTorch for ndim != 2, but still allowed).</summary>
    public Tensor T
    {
        get
        {
            var perm = new long[_shape.Length];
            for (int i = 0; i < perm.Length; i++) perm[i] = perm.Length - 1 - i;
            return _shape.Length == 2 ? t() : permute(perm);
        }
    }

    /// <summary>Transposes the last two dims.</summary>
    public Tensor mT
    {
        get
        {
            if (_shape.Length < 2) throw new ArgumentException($"tensor.mT is only supported on matrices or batches of matrices. Got {_shape.Length}-D tensor.");
            return transpose(-2, -1);
        }
    }

    public Tensor H => _shape.Length == 2 ? t() : T;
    public Tensor mH => mT;

    /// <summary>A view with the dims reordered.</summary>
    public Tensor permute(params long[] dims)
    {
        int n = _shape.Length;
        if (dims.Length != n)
            throw new ArgumentException($"permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = {n} is not equal to len(dims) = {dims.Length}");
        var perm = new long[n]; var seen = new bool[n];
        for (int i = 0; i < n; i++)
        {
            var d = Shapes.WrapDim(dims[i], n);
            if (seen[d]) throw new ArgumentException("permute(): duplicate dims are not allowed.");
            seen[d] = true; perm[i] = d;
        }
        var shape = new long[n]; var strides = new long[n];
        for (int i = 0; i < n; i++) { shape[i] = _shape[perm[i]]; strides[i] = _strides[perm[i]]; }
        var v = MakeView(shape, strides, _offset, t => t.permute(perm));
        return D.Permute.Record(v, this, ints: perm);
    }

    /// <summary>A view with the dims reordered.</summary>
    public Tensor permute(params int[] dims) => permute(Array.ConvertAll(dims, d => (long)d));

    public Tensor movedim(int source, int destination)
    {
        int n = _shape.Length, s = Shapes.WrapDim(source, n), d = Shapes.WrapDim(destination, n);
        var order = new List<long>();
        for (int i = 0; i < n; i++) if (i != s) order.Add(i);
        order.Insert(d, s);
        return permute(order.ToArray());
    }

    // ---------------- expand ----------------

    /// <summary>A view repeating size-1 dims to the given sizes without copying (-1 keeps a size).</summary>
    public Tensor expand(params long[] sizes)
    {
        var target = (long[])sizes.Clone();
        int lead = target.Length - _shape.Length;
        for (int i = 0; i < target.Length; i++)
            if (target[i] == -1)
            {
                if (i < lead) throw new ArgumentException($"The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension {i}");
                target[i] = _shape[i - lead];
            }
        var strides = Shapes.ExpandStrides(_shape, _strides, target);
        var v = MakeView(target, strides, _offset, t => t.expand(target));
        return D.Expand.Record(v, this);
    }

    /// <summary>A view repeating size-1 dims to the given sizes without copying (-1 keeps a size).</summary>
    public Tensor expand(Size sizes) => expand(sizes.ToArray());
    public Tensor expand_as(Tensor other) => expand(other._shape);

    public Tensor broadcast_to(params long[] shape) => expand(shape);

    // ---------------- narrow / slice / select ----------------

    /// <summary>Elements start..end (exclusive) with a step along a dim, clamped like Python slicing.</summary>
    public Tensor slice(int dim, long? start = null, long? end = null, long step = 1)
    {
        if (_shape.Length == 0) throw new IndexOutOfRangeException("slice() cannot be applied to a 0-dim tensor.");
        if (step <= 0) throw new ArgumentException("slice step must be positive");
        int d = Shapes.WrapDim(dim, _shape.Length);
        long n = _shape[d];
        long s = start ?? 0, e = end ?? n;
        if (s < 0) s += n; if (e < 0) e += n;
        s = Math.Clamp(s, 0, n); e = Math.Clamp(e, s, n);
        var v0 = Narrowed(d, s, e, step);
        var v = MakeView(v0._shape, v0._strides, v0._offset, t => t.slice(d, s, e, step));
        return D.Slice.Record(v, this, ints: [d, s, e, step]);
    }

    /// <summary>
    /// <paramref name="length"/> elements from <paramref name="start"/> along a dim, a view. Checks as ATen's
    /// narrow_symint (aten/src/ATen/native/TensorShape.cpp): a negative length is refused, not read as "to the end".
    /// </summary>
    public Tensor narrow(int dim, long start, long length)
    {
        if (_shape.Length == 0) throw new ArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        if (length < 0) throw new ArgumentException("narrow(): length must be non-negative.");
        int d = Shapes.WrapDim(dim, _shape.Length);
        long n = _shape[d];
        if (start < -n || start > n)
            throw new IndexOutOfRangeException($"start out of range (expected to be in range of [{-n}, {n}], but got {start})");
        if (start < 0) start += n;
        if (start > n - length)
            throw new ArgumentException($"start ({start}) + length ({length}) exceeds dimension size ({n}).");
        return slice(d, start, start + length);
    }

    public Tensor select(int dim, long index)
    {
        if (_shape.Length == 0) throw new IndexOutOfRangeException("select() cannot be applied to a 0-dim tensor.");
        int d = Shapes.WrapDim(dim, _shape.Length);
        long n = _shape[d];
        if (index < -n || index >= n)
            throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension {d} with size {n}");
        if (index < 0) index += n;
        var shape = new List<long>(_shape); var strides = new List<long>(_strides);
        shape.RemoveAt(d); strides.RemoveAt(d);
        var idx = index;
        var v = MakeView(shape.ToArray(), strides.ToArray(), _offset + idx * _strides[d], t => t.select(d, idx));
        return D.Select.Record(v, this, ints: [d, idx]);
    }

    public Tensor[] unbind(int dim = 0)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var r = new Tensor[_shape[d]];
        for (int i = 0; i < r.Length; i++) r[i] = select(d, i);
        return r;
    }

    public Tensor[] split(long split_size, int dim = 0)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        var parts = new List<Tensor>();
        long n = _shape[d];
        if (split_size <= 0 && n > 0) throw new ArgumentException($"split_size can only be 0 if dimension size is 0, but got dimension size of {n}");
        for (long s = 0; s < n; s += split_size) parts.Add(slice(d, s, Math.Min(s + split_size, n)));
        if (n == 0) parts.Add(this);
        return parts.ToArray();
    }

    public Tensor[] split(long[] split_sizes, int dim = 0)
    {
        int d = Shapes.WrapDim(dim, _shape.Length);
        long total = 0; foreach (var s in split_sizes) total += s;
        if (total != _shape[d])
            throw new ArgumentException($"split_with_sizes expects split_sizes to sum exactly to {_shape[d]} (input tensor's size at dimension {d}), but got split_sizes=[{string.Join(", ", split_sizes)}]");
        var parts = new Tensor[split_sizes.Length];
        long at = 0;
        for (int i = 0; i < parts.Length; i++) { parts[i] = slice(d, at, at + split_sizes[i]); at += split_sizes[i]; }
        return parts;
    }

    public Tensor[] chunk(int chunks, int dim = 0)
    {
        if (chunks <= 0) throw new ArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        int d = Shapes.WrapDim(dim, _shape.Length);
        long size = (_shape[d] + chunks - 1) / chunks;
        return split(Math.Max(size, 1), d);
    }

    // ---------------- copies that change layout ----------------

    /// <summary>This tensor laid out row-major in memory (itself when it already is).</summary>
    public Tensor contiguous()
    {
        if (is_contiguous()) return this;
        return clone();
    }

    /// <summary>A copy with its own memory; autograd records it (CloneBackward0).</summary>
    public Tensor clone()
    {
        var r = CloneDetached();
        D.Clone.Record(r, this);
        return r;
    }

    public Tensor flip(params long[] dims)
    {
        var shape = _shape; var strides = (long[])_strides.Clone(); long off = _offset;
        var wrapped = new long[dims.Length];
        for (int i = 0; i < dims.Length; i++)
        {
            int d = Shapes.WrapDim(dims[i], _shape.Length);
            wrapped[i] = d;
            if (shape[d] > 0) { off += (shape[d] - 1) * strides[d]; strides[d] = -strides[d]; }
        }
        // A negative-stride window, then a copy: PyTorch's flip returns new memory.
        var view = new Tensor(_storage, shape, strides, off, _version);
        var r = view.CloneDetached();
        return D.Flip.Record(r, this, ints: wrapped);
    }

    public Tensor flip(params int[] dims) => flip(Array.ConvertAll(dims, d => (long)d));
    public Tensor fliplr() => flip(1L);
    public Tensor flipud() => flip(0L);

    public Tensor roll(long[] shifts, long[] dims)
    {
        if (dims.Length == 0)
        {
            var flat = flatten().roll(shifts, [0]);
            return flat.view(_shape);
        }
        if (shifts.Length != dims.Length) throw new ArgumentException($"shifts and dimensions must align. shifts: {shifts.Length}, dims:{dims.Length}");
        Tensor r = this;
        for (int i = 0; i < dims.Length; i++)
        {
            int d = Shapes.WrapDim(dims[i], _shape.Length);
            long n = _shape[d];
            if (n == 0) continue;
            long s = ((shifts[i] % n) + n) % n;
            if (s == 0) continue;
            r = torch.cat([r.slice(d, n - s, n), r.slice(d, 0, n - s)], d);
        }
        return ReferenceEquals(r, this) ? clone() : r;
    }

    public Tensor roll(long shifts, int? dims = null) => dims is { } d ? roll([shifts], [d]) : roll([shifts], []);

    public Tensor repeat(params long[] repeats)
    {
        if (repeats.Length < _shape.Length)
            throw new ArgumentException("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
        // Expand a [1, s0, 1, s1 ...]-shaped view to [r0, s0, r1, s1 ...] then fold pairs: all differentiable.
        var lead = repeats.Length - _shape.Length;
        var padded = new long[repeats.Length];
        for (int i = 0; i < padded.Length; i++) padded[i] = i < lead ? 1 : _shape[i - lead];
        var x = reshape(padded);
        var inter = new long[padded.Length * 2]; var expanded = new long[padded.Length * 2]; var final = new long[padded.Length];
        for (int i = 0; i < padded.Length; i++)
        {
            inter[2 * i] = 1; inter[2 * i + 1] = padded[i];
            expanded[2 * i] = repeats[i]; expanded[2 * i + 1] = padded[i];
            final[i] = repeats[i] * padded[i];
        }
        return x.reshape(inter).expand(expanded).reshape(final);
    }
}
