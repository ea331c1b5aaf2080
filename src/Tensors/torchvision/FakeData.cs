namespace Notebooks.Tensors;

public static partial class torchvision
{
    public static partial class datasets
    {
        /// <summary>
        /// torchvision.datasets.FakeData (torchvision/datasets/fakedata.py): random images that need
        /// no download, each the same every time it is read (`size` of them). Item i is drawn as torchvision draws it: the CPU generator's
        /// state is saved, <c>torch.manual_seed(i + random_offset)</c> (which, as there, reseeds the CUDA generators too),
        /// <c>img = torch.randn(*image_size)</c>, <c>target = torch.randint(0, num_classes, (1,))[0]</c>, and the state
        /// restored; so the data set leaves the global random stream where it was and, seeded alike, gives libtorch's
        /// images and labels. The image then goes through ToPILImage as torchvision's does, <c>img.mul(255).byte()</c>:
        /// a uint8 image, (H, W, C) as a PIL image's array, (H, W) for one channel ("L" mode), which the transforms take
        /// (ToTensor gives float (C, H, W) back). Unlike torchvision, no PIL image exists: transforms that need PIL
        /// (resizing, cropping, colour jitter) are not available.
        /// </summary>
        public class FakeData : torch.utils.data.Dataset<Tensor[]>
        {
            public long size { get; }
            public long[] image_size { get; }
            public long num_classes { get; }
            public transforms.Transform? transform { get; }
            public transforms.Transform? target_transform { get; }
            public long random_offset { get; }

            /// <summary>image_size defaults to torchvision's (3, 224, 224); pass a tuple, e.g. <c>image_size: (3, 32, 32)</c>.</summary>
            public FakeData(long size = 1000, Shape? image_size = null, long num_classes = 10, transforms.Transform? transform = null,
                transforms.Transform? target_transform = null, long random_offset = 0)
            {
                this.size = size;
                this.image_size = image_size?.Dims ?? [3, 224, 224];
                this.num_classes = num_classes;
                this.transform = transform;
                this.target_transform = target_transform;
                this.random_offset = random_offset;
            }

            public long len() => size;

            public Tensor[] this[long index]
            {
                get
                {
                    // torchvision: `if index >= len(self): raise IndexError(f"{self.__class__.__name__} index out of range")`.
                    if (index >= len()) throw new IndexOutOfRangeException($"{GetType().Name} index out of range");
                    // create random image that is consistent with the index id
                    var rng_state = torch.get_rng_state();
                    Tensor img, target;
                    try
                    {
                        torch.manual_seed(index + random_offset);
                        img = torch.randn(image_size);
                        target = torch.randint(0, num_classes, [1], dtype: DType.Int64)[0];
                    }
                    finally { torch.set_rng_state(rng_state); }

                    img = ToPilImage(img);
                    if (transform is not null) img = transform.call(img);
                    if (target_transform is not null) target = target_transform.call(target);
                    return [img, target];
                }
            }

            /// <summary>
            /// transforms.ToPILImage on a float (C, H, W) tensor (torchvision/transforms/functional.py, to_pil_image):
            /// <c>pic.mul(255).byte()</c>, then the channels last. Its checks and wording.
            /// </summary>
            private static Tensor ToPilImage(Tensor pic)
            {
                if (pic.dim() is not (2 or 3)) throw new ArgumentException($"pic should be 2/3 dimensional. Got {pic.dim()} dimensions.");
                if (pic.dim() == 2) pic = pic.unsqueeze(0);
                if (pic.size(-3) > 4) throw new ArgumentException($"pic should not have > 4 channels. Got {pic.size(-3)} channels.");
                var bytes = pic.mul(255).to(DType.UInt8);
                return bytes.size(0) == 1 ? bytes[0] : bytes.permute(1, 2, 0).contiguous();
            }

            public override string ToString() =>
                $"Dataset {GetType().Name}\n    Number of datapoints: {len()}" +
                (transform is null ? "" : "\n    StandardTransform\nTransform: " + transform.ToString()!.Replace("\n", "\n           "));
        }
    }
}
