namespace Notebooks.Tensors;

/// <summary>The part of torchvision the lessons use: MNIST-format data sets read from local IDX files, and transforms.</summary>
public static partial class torchvision
{
    public static partial class datasets
    {
        /// <summary>
        /// MNIST-format data (IDX files `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`, `t10k-...`, plain or .gz).
        /// An item is [image, label]: the image is the transform's result (a uint8 (28, 28) tensor without one, as
        /// torchvision's PIL image), the label an int64 scalar. <c>data</c> (N, 28, 28) uint8 and <c>targets</c> (N)
        /// int64 hold the whole split. Files are never downloaded.
        /// </summary>
        public class MNIST : torch.utils.data.Dataset<Tensor[]>
        {
            public string root { get; }
            public bool train { get; }
            public transforms.Transform? transform { get; }
            public transforms.Transform? target_transform { get; }
            public Tensor data { get; }
            public Tensor targets { get; }
            public virtual string[] classes => ["0 - zero", "1 - one", "2 - two", "3 - three", "4 - four", "5 - five", "6 - six", "7 - seven", "8 - eight", "9 - nine"];

            /// <summary>Where Debian's data set packages put the files (e.g. `apt-get install dataset-fashion-mnist`).</summary>
            protected virtual string[] DefaultFolders => [];
            protected virtual string PackageHint => "";

            private readonly long[] _labels;

            public MNIST(string? root = null, bool train = true, transforms.Transform? transform = null, transforms.Transform? target_transform = null,
                bool download = false)
            {
                if (download)
                    throw new NotSupportedException($"download=True is not supported: this library never downloads. {Hint()}");
                string prefix = train ? "train" : "t10k";
                var folder = Locate(root, prefix) ?? throw new FileNotFoundException(
                    $"Dataset not found: {GetType().Name}'s IDX files ({prefix}-images-idx3-ubyte and {prefix}-labels-idx1-ubyte, plain or .gz) are not in " +
                    $"{string.Join(", ", Candidates(root))}. {Hint()}");
                this.root = folder; this.train = train; this.transform = transform; this.target_transform = target_transform;
                data = Idx.ReadBytes(File(folder, $"{prefix}-images-idx3-ubyte")!);
                var labels = Idx.ReadBytes(File(folder, $"{prefix}-labels-idx1-ubyte")!);
                if (data.dim() != 3 || labels.dim() != 1 || labels.size(0) != data.size(0))
                    throw new InvalidDataException($"{folder}: expected images (N, H, W) and N labels, got {data.shape} and {labels.shape}");
                targets = labels.to(DType.Int64);
                _labels = targets.ToArray<long>();
            }

            private string Hint() =>
                (PackageHint.Length > 0 ? $"On Debian or Ubuntu, `apt-get install {PackageHint}` installs them; " : "") +
                "or pass the folder that holds them as root (torchvision's layout root/" + GetType().Name + "/raw works too).";

            private IEnumerable<string> Candidates(string? root)
            {
                if (root is not null)
                {
                    yield return root;
                    yield return Path.Combine(root, GetType().Name, "raw");
                    yield return Path.Combine(root, GetType().Name);
                }
                else foreach (var d in DefaultFolders) yield return d;
            }

            private string? Locate(string? root, string prefix) =>
                Candidates(root).FirstOrDefault(d => File(d, $"{prefix}-images-idx3-ubyte") is not null && File(d, $"{prefix}-labels-idx1-ubyte") is not null);

            private static string? File(string folder, string name) =>
                new[] { name, name + ".gz" }.Select(n => Path.Combine(folder, n)).FirstOrDefault(System.IO.File.Exists);

            public long len() => data.size(0);

            public Tensor[] this[long index]
            {
                get
                {
                    if (index < 0) index += len();
                    if (index < 0 || index >= len()) throw new IndexOutOfRangeException($"index {index} is out of bounds for dimension 0 with size {len()}");
                    var img = data.select(0, index);
                    Tensor target = torch.tensor(_labels[index]);
                    return [transform?.call(img) ?? img, target_transform?.call(target) ?? target];
                }
            }

            public override string ToString() =>
                $"Dataset {GetType().Name}\n    Number of datapoints: {len()}\n    Root location: {root}\n    Split: {(train ? "Train" : "Test")}" +
                (transform is null ? "" : "\n    StandardTransform\nTransform: " + transform.ToString()!.Replace("\n", "\n           "));
        }

        /// <summary>Zalando's Fashion-MNIST: 28×28 grey images of ten kinds of clothing, in MNIST's format.</summary>
        public class FashionMNIST(string? root = null, bool train = true, transforms.Transform? transform = null,
            transforms.Transform? target_transform = null, bool download = false)
            : MNIST(root, train, transform, target_transform, download)
        {
            public override string[] classes => ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
            protected override string[] DefaultFolders => ["/usr/share/datasets/fashion-mnist"];
            protected override string PackageHint => "dataset-fashion-mnist";
        }
    }
}
