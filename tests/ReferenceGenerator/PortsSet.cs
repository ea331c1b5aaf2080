using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Notebooks.ReferenceGenerator;

/// <summary>
/// libtorch's values for the PyTorch tutorials ported in tests/Ports (issue 16): what each port prints that depends on
/// the random generator, computed by the same code in the same order of random draws. Floats are float32 values
/// written as exact doubles; integers as JSON numbers.
/// </summary>
public class PortsSet : IReferenceSet
{
    public string Name => "ports";

    public string About =>
        "tests/ReferenceGenerator/PortsSet.cs: libtorch 2.10 through TorchSharp 0.107, CPU, one thread, float32 (each float written as its exact double). " +
        "neural_networks: beginner_source/blitz/neural_networks_tutorial.py after torch.manual_seed(0) (LeNet, input randn(1,1,32,32), out.backward(randn(1,10)), " +
        "target randn(10).view(1,-1), MSELoss; the loss after the manual SGD update f.data.sub_(f.grad.data*0.01) and after one optim.SGD(lr=0.01) step). " +
        "sequence_models: beginner_source/nlp/sequence_models_tutorial.py (torch.manual_seed(1), the LSTM(3,3) example, then the LSTMTagger(6,6,9,3) scores before training and after " +
        "each epoch count in 'after'). fake_data: torchvision.datasets.FakeData's item (seed index+random_offset; randn(image_size), randint(0,num_classes,(1,))[0]; " +
        "ToPILImage's mul(255).byte()) as uint8 pixels in (C,H,W) order and the labels.";

    private static double[] Values(Tensor t) => t.detach().cpu().contiguous().to(ScalarType.Float64).data<double>().ToArray();
    private static long[] Longs(Tensor t) => t.detach().cpu().contiguous().to(ScalarType.Int64).data<long>().ToArray();

    public object Build()
    {
        torch.set_num_threads(1);
        return new Dictionary<string, object>
        {
            ["neural_networks"] = NeuralNetworks(),
            ["sequence_models"] = SequenceModels(),
            ["fake_data"] = FakeData(),
            ["cifar10"] = Cifar10(),
            ["time_sequence_prediction"] = TimeSequencePrediction(),
        };
    }

    /// <summary>The tutorial's Net: conv1, conv2, fc1..fc3, declared (so initialised) in that order.</summary>
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Conv2d conv1 = nn.Conv2d(1, 6, 5);
        public readonly Conv2d conv2 = nn.Conv2d(6, 16, 5);
        public readonly Linear fc1 = nn.Linear(16 * 5 * 5, 120);
        public readonly Linear fc2 = nn.Linear(120, 84);
        public readonly Linear fc3 = nn.Linear(84, 10);

        public Net() : base("Net") => RegisterComponents();

        public override Tensor forward(Tensor input)
        {
            var c1 = F.relu(conv1.call(input));
            var s2 = F.max_pool2d(c1, [2, 2]);
            var c3 = F.relu(conv2.call(s2));
            var s4 = F.max_pool2d(c3, [2, 2]);
            s4 = torch.flatten(s4, 1);
            var f5 = F.relu(fc1.call(s4));
            var f6 = F.relu(fc2.call(f5));
            return fc3.call(f6);
        }
    }

    private static Dictionary<string, object> NeuralNetworks()
    {
        torch.manual_seed(0);
        var net = new Net();
        var input = torch.randn(1, 1, 32, 32);
        var @out = net.call(input);
        net.zero_grad();
        @out.backward([torch.randn(1, 10)]);

        var output = net.call(input);
        var target = torch.randn(10).view(1, -1);
        var loss = F.mse_loss(output, target);
        net.zero_grad();
        loss.backward();
        var biasGrad = Values(net.conv1.bias!.grad!);

        using (torch.no_grad())
            foreach (var f in net.parameters()) f.sub_(f.grad! * 0.01);
        var optimizer = torch.optim.SGD(net.parameters(), 0.01);
        optimizer.zero_grad();
        output = net.call(input);
        var lossAfterManual = F.mse_loss(output, target);
        lossAfterManual.backward();
        optimizer.step();
        var lossAfterStep = F.mse_loss(net.call(input), target);

        return new()
        {
            ["out"] = Values(@out),
            ["loss"] = loss.item<float>(),
            ["conv1_bias_grad"] = biasGrad,
            ["loss_after_manual_sgd"] = lossAfterManual.item<float>(),
            ["loss_after_optim_step"] = lossAfterStep.item<float>(),
        };
    }

    private sealed class LSTMTagger : nn.Module<Tensor, Tensor>
    {
        public readonly Embedding word_embeddings;
        public readonly LSTM lstm;
        public readonly Linear hidden2tag;

        public LSTMTagger(int embedding_dim, int hidden_dim, int vocab_size, int tagset_size) : base("LSTMTagger")
        {
            word_embeddings = nn.Embedding(vocab_size, embedding_dim);
            lstm = nn.LSTM(embedding_dim, hidden_dim);
            hidden2tag = nn.Linear(hidden_dim, tagset_size);
            RegisterComponents();
        }

        public override Tensor forward(Tensor sentence)
        {
            var embeds = word_embeddings.call(sentence);
            var (lstm_out, _, _) = lstm.call(embeds.view(sentence.shape[0], 1, -1));
            var tag_space = hidden2tag.call(lstm_out.view(sentence.shape[0], -1));
            return F.log_softmax(tag_space, 1);
        }
    }

    private static Dictionary<string, object> SequenceModels()
    {
        torch.manual_seed(1);
        var lstm = nn.LSTM(3, 3);
        var inputs = Enumerable.Range(0, 5).Select(_ => torch.randn(1, 3)).ToList();
        (Tensor, Tensor) hidden = (torch.randn(1, 1, 3), torch.randn(1, 1, 3));
        foreach (var i in inputs)
        {
            var (_, h, c) = lstm.call(i.view(1, 1, -1), hidden);
            hidden = (h, c);
        }
        var all = torch.cat(inputs).view(inputs.Count, 1, -1);
        hidden = (torch.randn(1, 1, 3), torch.randn(1, 1, 3));
        var (@out, h_n, c_n) = lstm.call(all, hidden);

        string[][] sentences = [["The", "dog", "ate", "the", "apple"], ["Everybody", "read", "that", "book"]];
        string[][] tags = [["DET", "NN", "V", "DET", "NN"], ["NN", "V", "DET", "NN"]];
        var word_to_ix = new Dictionary<string, long>();
        foreach (var sent in sentences)
            foreach (var word in sent)
                word_to_ix.TryAdd(word, word_to_ix.Count);
        var tag_to_ix = new Dictionary<string, long> { ["DET"] = 0, ["NN"] = 1, ["V"] = 2 };
        Tensor Prepare(string[] seq, Dictionary<string, long> to_ix) => torch.tensor(seq.Select(w => to_ix[w]).ToArray(), ScalarType.Int64);

        var model = new LSTMTagger(6, 6, word_to_ix.Count, tag_to_ix.Count);
        var optimizer = torch.optim.SGD(model.parameters(), 0.1);
        double[] before;
        using (torch.no_grad()) before = Values(model.call(Prepare(sentences[0], word_to_ix)));
        var after = new Dictionary<string, double[]>();
        var lastLoss = new Dictionary<string, double>();
        for (int epoch = 0; epoch < 300; epoch++)
        {
            double loss = 0;
            for (int s = 0; s < sentences.Length; s++)
            {
                model.zero_grad();
                var tag_scores = model.call(Prepare(sentences[s], word_to_ix));
                var l = F.nll_loss(tag_scores, Prepare(tags[s], tag_to_ix));
                l.backward();
                optimizer.step();
                loss = l.item<float>();
            }
            if (epoch + 1 is 1 or 10 or 50 or 100 or 300)
            {
                using (torch.no_grad()) after[$"{epoch + 1}"] = Values(model.call(Prepare(sentences[0], word_to_ix)));
                lastLoss[$"{epoch + 1}"] = loss;
            }
        }
        return new()
        {
            ["lstm_out"] = Values(@out),
            ["h_n"] = Values(h_n),
            ["c_n"] = Values(c_n),
            ["scores_before"] = before,
            ["scores_after"] = after,
            ["last_loss_after"] = lastLoss,
        };
    }

    private static Dictionary<string, object> FakeData()
    {
        torch.manual_seed(5);
        var outside = torch.rand(3);
        var items = new List<Dictionary<string, object>>();
        foreach (var (offset, size) in new[] { (0, new long[] { 3, 32, 32 }), (1000, new long[] { 3, 32, 32 }), (0, new long[] { 1, 28, 28 }) })
        {
            var labels = new List<long>();
            for (int index = 0; index < 20; index++)
            {
                var state = torch.get_rng_state();
                torch.manual_seed(index + offset);
                var img = torch.randn(size);
                var target = torch.randint(0, 10, [1], ScalarType.Int64)[0];
                torch.set_rng_state(state);
                labels.Add(target.item<long>());
                if (index < 2)
                    items.Add(new()
                    {
                        ["index"] = index, ["random_offset"] = offset, ["image_size"] = size,
                        ["pixels"] = Longs(img.mul(255).to(ScalarType.Byte)), ["label"] = target.item<long>(),
                    });
            }
            items.Add(new() { ["random_offset"] = offset, ["image_size"] = size, ["labels_0_to_19"] = labels.ToArray() });
        }
        // FakeData leaves the global generator where it was: the draw after 60 items is the draw after the seed.
        return new() { ["items"] = items, ["rand3_after_seed5"] = Values(outside), ["rand3_next"] = Values(torch.rand(3)) };
    }

    /// <summary>FakeData's item as torchvision draws it, through ToTensor and Normalize((0.5,)*3, (0.5,)*3).</summary>
    private static (Tensor image, long label) FakeItem(long index, long offset)
    {
        var state = torch.get_rng_state();
        torch.manual_seed(index + offset);
        var img = torch.randn(3, 32, 32);
        var target = torch.randint(0, 10, [1], ScalarType.Int64)[0].item<long>();
        torch.set_rng_state(state);
        var pixels = img.mul(255).to(ScalarType.Byte).to(ScalarType.Float32).div(255);
        return ((pixels - 0.5) / 0.5, target);
    }

    /// <summary>
    /// torch.empty((), dtype=torch.int64).random_() on the default generator (DataLoader's seeds): random64() % 2^63.
    /// TorchSharp binds only random_(from, to); with from = -2^63, to = 0 the range is 2^63 and the draw is
    /// random64() % 2^63 - 2^63, so adding 2^63 back gives random_()'s value from the same single draw.
    /// </summary>
    private static long Draw64() => unchecked(torch.empty(Array.Empty<long>(), ScalarType.Int64).random_(long.MinValue, 0).item<long>() - long.MinValue);

    /// <summary>
    /// One pass of DataLoader(dataset, batch_size, shuffle) as torch/utils/data/dataloader.py runs it: iter() draws the
    /// base seed; RandomSampler draws its seed, then randperm from a generator seeded with it.
    /// </summary>
    private static IEnumerable<(Tensor images, Tensor labels)> Pass(long size, long offset, int batch, bool shuffle)
    {
        Draw64();
        long[] order;
        if (shuffle)
        {
            var seed = Draw64();
            var g = new torch.Generator((ulong)seed);
            order = torch.randperm(size, generator: g).data<long>().ToArray();
        }
        else order = Enumerable.Range(0, (int)size).Select(i => (long)i).ToArray();
        for (int start = 0; start < order.Length; start += batch)
        {
            var items = order.Skip(start).Take(batch).Select(i => FakeItem(i, offset)).ToList();
            yield return (torch.stack(items.Select(i => i.image)), torch.tensor(items.Select(i => i.label).ToArray()));
        }
    }

    private sealed class CifarNet : nn.Module<Tensor, Tensor>
    {
        public readonly Conv2d conv1 = nn.Conv2d(3, 6, 5);
        public readonly MaxPool2d pool = nn.MaxPool2d(2, 2);
        public readonly Conv2d conv2 = nn.Conv2d(6, 16, 5);
        public readonly Linear fc1 = nn.Linear(16 * 5 * 5, 120);
        public readonly Linear fc2 = nn.Linear(120, 84);
        public readonly Linear fc3 = nn.Linear(84, 10);

        public CifarNet() : base("Net") => RegisterComponents();

        public override Tensor forward(Tensor x)
        {
            x = pool.call(F.relu(conv1.call(x)));
            x = pool.call(F.relu(conv2.call(x)));
            x = torch.flatten(x, 1);
            x = F.relu(fc1.call(x));
            x = F.relu(fc2.call(x));
            return fc3.call(x);
        }
    }

    // The port's sizes: FakeData(size=2000) for training, FakeData(size=400, random_offset=2000) for testing, batch 4,
    // two epochs, the running loss printed every 125 mini-batches.
    public const long TrainSize = 2000, TestSize = 400, TestOffset = 2000, PrintEvery = 125;

    private static Dictionary<string, object> Cifar10()
    {
        torch.manual_seed(0);
        var firstTrainLabels = Longs(Pass(TrainSize, 0, 4, shuffle: true).First().labels);
        var net = new CifarNet();
        var optimizer = torch.optim.SGD(net.parameters(), 0.001, momentum: 0.9);
        var runningLosses = new List<double>();
        for (int epoch = 0; epoch < 2; epoch++)
        {
            double running_loss = 0;
            int i = 0;
            foreach (var (inputs, labels) in Pass(TrainSize, 0, 4, shuffle: true))
            {
                optimizer.zero_grad();
                var outputs = net.call(inputs);
                var loss = F.cross_entropy(outputs, labels);
                loss.backward();
                optimizer.step();
                running_loss += loss.item<float>();
                if (i % PrintEvery == PrintEvery - 1)
                {
                    runningLosses.Add(running_loss / PrintEvery);
                    running_loss = 0;
                }
                i++;
            }
        }
        var (images, groundTruth) = Pass(TestSize, TestOffset, 4, shuffle: false).First();
        long[] predicted;
        using (torch.no_grad()) predicted = Longs(net.call(images).argmax(1));
        var classCorrect = new long[10];
        var classTotal = new long[10];
        using (torch.no_grad())
            foreach (var (x, y) in Pass(TestSize, TestOffset, 4, shuffle: false))
            {
                var p = Longs(net.call(x).argmax(1));
                var l = Longs(y);
                for (int k = 0; k < l.Length; k++) { classTotal[l[k]]++; if (p[k] == l[k]) classCorrect[l[k]]++; }
            }
        return new()
        {
            ["first_train_labels"] = firstTrainLabels,
            ["running_losses"] = runningLosses.ToArray(),
            ["test_ground_truth"] = Longs(groundTruth),
            ["test_predicted"] = predicted,
            ["class_correct"] = classCorrect,
            ["class_total"] = classTotal,
        };
    }

    /// <summary>pytorch/examples time_sequence_prediction's Sequence: two LSTMCells (51) and a Linear, float64.</summary>
    private sealed class Sequence : nn.Module<Tensor, long, Tensor>
    {
        public readonly LSTMCell lstm1 = nn.LSTMCell(1, 51);
        public readonly LSTMCell lstm2 = nn.LSTMCell(51, 51);
        public readonly Linear linear = nn.Linear(51, 1);

        public Sequence() : base("Sequence") => RegisterComponents();

        public override Tensor forward(Tensor input, long future)
        {
            var outputs = new List<Tensor>();
            var h_t = torch.zeros(input.size(0), 51, ScalarType.Float64);
            var c_t = torch.zeros(input.size(0), 51, ScalarType.Float64);
            var h_t2 = torch.zeros(input.size(0), 51, ScalarType.Float64);
            var c_t2 = torch.zeros(input.size(0), 51, ScalarType.Float64);
            Tensor output = null!;
            foreach (var input_t in input.split(1, 1))
            {
                (h_t, c_t) = lstm1.call(input_t, (h_t, c_t));
                (h_t2, c_t2) = lstm2.call(h_t, (h_t2, c_t2));
                output = linear.call(h_t2);
                outputs.Add(output);
            }
            for (int i = 0; i < future; i++)
            {
                (h_t, c_t) = lstm1.call(output, (h_t, c_t));
                (h_t2, c_t2) = lstm2.call(h_t, (h_t2, c_t2));
                output = linear.call(h_t2);
                outputs.Add(output);
            }
            return torch.cat(outputs, 1);
        }
    }

    // The port's sizes (the example's N = 100, L = 1000, 15 steps, future = 1000 would take CI minutes).
    public const int SineN = 8, SineL = 120, SineT = 20, SineSteps = 2, SineFuture = 40;

    private static Dictionary<string, object> TimeSequencePrediction()
    {
        // generate_sine_wave.py, with torch's generator instead of NumPy's: seed 2, shifts randint(-4T, 4T, (N,)).
        torch.manual_seed(2);
        var x = torch.arange(SineL, ScalarType.Int64) + torch.randint(-4 * SineT, 4 * SineT, [SineN], ScalarType.Int64).view(SineN, 1);
        var data = torch.sin(x.to(ScalarType.Float64) / 1.0 / SineT);

        // train.py
        torch.manual_seed(0);
        var input = data[3.., ..^1];
        var target = data[3.., 1..];
        var test_input = data[..3, ..^1];
        var test_target = data[..3, 1..];
        var seq = new Sequence();
        seq.to(ScalarType.Float64);
        var optimizer = torch.optim.LBFGS(seq.parameters(), 0.8, 20, null, 1e-7, 1e-9, 100);
        var closureLosses = new List<double>();
        var testLosses = new List<double>();
        for (int i = 0; i < SineSteps; i++)
        {
            optimizer.step(() =>
            {
                optimizer.zero_grad();
                var @out = seq.call(input, 0);
                var loss = F.mse_loss(@out, target);
                closureLosses.Add(loss.item<double>());
                loss.backward();
                return loss;
            });
            using (torch.no_grad())
            {
                var pred = seq.call(test_input, SineFuture);
                testLosses.Add(F.mse_loss(pred[.., ..^SineFuture], test_target).item<double>());
            }
        }
        return new()
        {
            ["data_first_row"] = Values(data[0]),
            ["closure_losses"] = closureLosses.ToArray(),
            ["test_losses"] = testLosses.ToArray(),
        };
    }
}

