using System.Collections.Concurrent;
using Notebooks.Tensors.Backend.Cpu;
using F = Notebooks.Tensors.torch.nn.functional;

namespace Notebooks.Tensors.Tests.Backend;

/// <summary>
/// The CPU backend's worker team (Backend/Cpu/WorkerTeam.cs): every index once, exceptions on the caller, nested and
/// concurrent calls, torch.set_num_threads, idle workers parking, and kernels giving 1-thread bits on a team.
/// </summary>
[NonParallelizable] // the thread count is process-wide
public class WorkerTeamTests
{
    private int _saved;

    [SetUp] public void Save() => _saved = torch.get_num_threads();
    [TearDown] public void Restore() => torch.set_num_threads(_saved);

    [TestCase(1, 1)]
    [TestCase(2, 1)]
    [TestCase(2, 2)]
    [TestCase(4, 1000)]
    [TestCase(3, 7)]
    public void Runs_every_index_exactly_once(int threads, int count)
    {
        torch.set_num_threads(threads);
        for (int round = 0; round < 200; round++)
        {
            var hits = new int[count];
            WorkerTeam.For(count, i => Interlocked.Increment(ref hits[i]), threads);
            Assert.That(hits, Is.All.EqualTo(1), $"round {round}");
        }
    }

    [Test]
    public void Ranges_cover_the_count_contiguously()
    {
        torch.set_num_threads(3);
        var hits = new int[1001];
        WorkerTeam.ForRanges(hits.Length, 7, (a, b) => { for (long i = a; i < b; i++) Interlocked.Increment(ref hits[i]); });
        Assert.That(hits, Is.All.EqualTo(1));
    }

    [Test]
    public void Uses_the_threads_set_and_no_more()
    {
        torch.set_num_threads(3);
        Assert.That(torch.get_num_threads(), Is.EqualTo(3));
        var ids = new ConcurrentDictionary<int, bool>();
        for (int round = 0; round < 50; round++)
            WorkerTeam.For(64, _ => { ids[Environment.CurrentManagedThreadId] = true; Thread.SpinWait(2000); }, 3);
        Assert.That(ids.Count, Is.InRange(1, 3));

        torch.set_num_threads(1);
        ids.Clear();
        WorkerTeam.For(64, _ => ids[Environment.CurrentManagedThreadId] = true, 8);
        Assert.That(ids.Keys, Is.EqualTo(new[] { Environment.CurrentManagedThreadId }), "one thread: everything on the caller");
    }

    [Test]
    public void A_second_thread_takes_part_when_the_work_is_long()
    {
        torch.set_num_threads(2);
        var ids = new ConcurrentDictionary<int, bool>();
        // Each index waits until two threads have been seen (or 2 s): only a working team lets the first one finish early.
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (ids.Count < 2 && DateTime.UtcNow < deadline)
            WorkerTeam.For(2, _ =>
            {
                ids[Environment.CurrentManagedThreadId] = true;
                var until = DateTime.UtcNow.AddMilliseconds(20);
                while (ids.Count < 2 && DateTime.UtcNow < until) Thread.SpinWait(100);
            }, 2);
        Assert.That(ids.Count, Is.EqualTo(2));
    }

    [Test]
    public void Set_num_threads_rejects_non_positive_counts_with_pytorchs_message()
    {
        // torch/csrc/Module.cpp, THPModule_setNumThreads: "set_num_threads expects a positive integer".
        var e = Assert.Throws<ArgumentException>(() => torch.set_num_threads(0));
        Assert.That(e!.Message, Is.EqualTo("set_num_threads expects a positive integer"));
        Assert.Throws<ArgumentException>(() => torch.set_num_threads(-2));
        Assert.That(torch.get_num_threads(), Is.EqualTo(_saved));
    }

    [Test]
    public void An_exception_reaches_the_caller_as_itself_and_the_team_keeps_working()
    {
        torch.set_num_threads(2);
        for (int round = 0; round < 50; round++)
        {
            int bad = round % 8;
            var e = Assert.Throws<InvalidOperationException>(() =>
                WorkerTeam.For(8, i => { if (i == bad) throw new InvalidOperationException($"index {i}"); Thread.SpinWait(500); }, 2));
            Assert.That(e!.Message, Is.EqualTo($"index {bad}"));
            var hits = new int[16];
            WorkerTeam.For(16, i => Interlocked.Increment(ref hits[i]), 2);
            Assert.That(hits, Is.All.EqualTo(1));
        }
    }

    [Test]
    public void A_nested_call_runs_inline_without_deadlock()
    {
        torch.set_num_threads(2);
        var hits = new int[8 * 8];
        var run = Task.Run(() => WorkerTeam.For(8, i => WorkerTeam.For(8, j => Interlocked.Increment(ref hits[i * 8 + j]), 2), 2));
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, "nested call hung");
        Assert.That(hits, Is.All.EqualTo(1));
    }

    [Test]
    public void Concurrent_callers_each_get_all_their_indices()
    {
        torch.set_num_threads(2);
        const int Callers = 4, Rounds = 300, Count = 17;
        var hits = new int[Callers, Count];
        var callers = Enumerable.Range(0, Callers).Select(c => Task.Factory.StartNew(() =>
        {
            for (int r = 0; r < Rounds; r++) WorkerTeam.For(Count, i => Interlocked.Increment(ref hits[c, i]), 2);
        }, TaskCreationOptions.LongRunning)).ToArray();
        Assert.That(Task.WaitAll(callers, TimeSpan.FromSeconds(60)), Is.True, "concurrent callers hung");
        Assert.That(hits.Cast<int>(), Is.All.EqualTo(Rounds));
    }

    [Test]
    public void Changing_the_thread_count_between_calls_keeps_every_index()
    {
        foreach (var n in new[] { 2, 4, 1, 3, 2 })
        {
            torch.set_num_threads(n);
            var hits = new int[100];
            WorkerTeam.For(100, i => Interlocked.Increment(ref hits[i]), n);
            Assert.That(hits, Is.All.EqualTo(1), $"{n} threads");
        }
    }

    [Test]
    public void Idle_workers_park()
    {
        torch.set_num_threads(3);
        for (int r = 0; r < 100; r++) WorkerTeam.For(4, _ => Thread.SpinWait(100), 3);
        // They spin ~100 µs after the last call, then wait on a monitor (no CPU burnt while the library is idle).
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!WorkerTeam.WorkersParked && DateTime.UtcNow < deadline) Thread.Sleep(10);
        Assert.That(WorkerTeam.WorkersParked, Is.True);
        // And a parked team wakes for the next call.
        var hits = new int[6];
        WorkerTeam.For(6, i => Interlocked.Increment(ref hits[i]), 3);
        Assert.That(hits, Is.All.EqualTo(1));
    }

    // Kernels on the team give the bits they give on one thread: each output is one FMA chain over k ascending (GEMM),
    // a batch row's recurrence reads no other row (LSTM), whichever thread runs it.

    private static T OnThreads<T>(int threads, Func<T> f)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(7);
        return f();
    }

    [TestCase(64, 64, 64)]
    [TestCase(128, 128, 128)]
    [TestCase(256, 256, 256)]
    [TestCase(32, 512, 128)]
    [TestCase(300, 1, 2)]
    [TestCase(97, 131, 203)]
    public void Matmul_bits_do_not_depend_on_the_thread_count(int m, int n, int k)
    {
        foreach (var dt in new[] { DType.Float32, DType.Float64 })
        {
            Tensor Product()
            {
                var a = torch.randn([m, k], dtype: dt); var b = torch.randn([k, n], dtype: dt);
                return torch.cat([a.mm(b).view(-1), a.t().contiguous().t().mm(b.t().contiguous().t()).view(-1),
                    torch.randn([8, m, k], dtype: dt).bmm(torch.randn([8, k, n], dtype: dt)).view(-1)]);
            }
            var one = OnThreads(1, Product);
            var two = OnThreads(2, Product);
            var four = OnThreads(4, Product);
            Assert.That(torch.equal(one, two) && torch.equal(one, four), Is.True, $"{dt} {m}x{k}x{n}");
        }
    }

    [Test]
    public void Fused_lstm_step_bits_do_not_depend_on_the_thread_count()
    {
        Tensor[] Step()
        {
            var lstm = new torch.nn.LSTM(24, 32);
            var x = torch.randn(9, 40, 24, requires_grad: true);
            var (output, _) = lstm.call(x);
            F.mse_loss(output, torch.randn(9, 40, 32)).backward();
            return [output.detach(), x.grad!, .. lstm.parameters().Select(p => p.grad!)];
        }
        var one = OnThreads(1, Step);
        var two = OnThreads(2, Step);
        var three = OnThreads(3, Step);
        for (int i = 0; i < one.Length; i++)
            Assert.That(torch.equal(one[i], two[i]) && torch.equal(one[i], three[i]), Is.True, $"tensor {i}");
    }

    [Test]
    public void Large_reductions_and_pointwise_bits_do_not_depend_on_the_thread_count()
    {
        Tensor[] Ops()
        {
            var x = torch.randn(1 << 20);
            return [x.sum().reshape(1), (x * 2.5 + x.exp()).reshape(-1), x.view(1024, 1024).sort(1).values.reshape(-1)];
        }
        var one = OnThreads(1, Ops);
        var two = OnThreads(2, Ops);
        for (int i = 0; i < one.Length; i++) Assert.That(torch.equal(one[i], two[i]), Is.True, $"result {i}");
    }
}
