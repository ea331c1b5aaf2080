using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Notebooks.Tensors.Backend.Cpu;

/// <summary>One index's work in a <see cref="WorkerTeam.Run{TTask}"/> call.</summary>
internal interface ITeamTask
{
    void Run(int index);
}

/// <summary>
/// The CPU backend's one parallel-for: a persistent team of <c>threads - 1</c> workers beside the calling thread,
/// as ATen's OpenMP team is. <see cref="System.Threading.Tasks.Parallel.For(int, int, Action{int})"/> wakes a parked
/// pool thread on a call after idling (measured 140-360 µs; 11-18 µs back to back, against 0.4-0.6 µs here), where a
/// 64³ product is ~5-20 µs of work on one core and an LSTM training step forks a dozen times. Here:
/// <list type="bullet">
/// <item>after a call the workers spin on a generation counter for <see cref="SpinTicks"/> (~100 µs, like OpenMP's
/// KMP_BLOCKTIME, ATen's team's, bounded) and then park on a monitor: nothing is burnt while the library is idle;</item>
/// <item>the caller publishes the job and takes indices itself; every participant claims the next index with one
/// atomic increment (rather than a static `i = tid; i += threads` split), so a worker that is parked (or
/// descheduled on a loaded machine) never makes the caller wait to start — the caller runs what nobody else
/// claimed. Which thread runs an index never changes its result: callers give each index its own output;</item>
/// <item>an exception thrown by an index is rethrown on the caller (the first one, with its own stack trace) once
/// every claimed index has finished; the unclaimed ones are skipped;</item>
/// <item>a call made while the team is busy — from inside a team task (nested), or from a second user thread while
/// another one's call runs — runs inline on its own thread, every index in order: no deadlock, no waiting;</item>
/// <item>the size follows <see cref="Threads"/> (<c>torch.set_num_threads</c>, else <see cref="Environment.ProcessorCount"/>,
/// which honours <c>DOTNET_PROCESSOR_COUNT</c>); a change replaces the team at the next call.</item>
/// </list>
/// </summary>
internal static unsafe class WorkerTeam
{
    /// <summary>How long an idle worker spins before it parks: 100 µs, or <c>NOTEBOOKS_TEAM_SPIN_US</c> (as
    /// KMP_BLOCKTIME sets OpenMP's).</summary>
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 1_000_000 *
        (long.TryParse(Environment.GetEnvironmentVariable("NOTEBOOKS_TEAM_SPIN_US"), out var us) && us >= 0 ? us : DefaultSpinMicroseconds);

    private const long DefaultSpinMicroseconds = 100;

    private static int _requested; // 0: Environment.ProcessorCount
    private static Team? _team;
    private static readonly object Resize = new();

    /// <summary>The number of threads the CPU kernels use: <c>torch.get_num_threads()</c>.</summary>
    public static int Threads => _requested > 0 ? _requested : Environment.ProcessorCount;

    /// <summary><c>torch.set_num_threads</c>: the team is rebuilt at its next call.</summary>
    public static void SetThreads(int threads)
    {
        // torch/csrc/Module.cpp, THPModule_setNumThreads.
        if (threads <= 0) throw new ArgumentException("set_num_threads expects a positive integer");
        Volatile.Write(ref _requested, threads);
    }

    /// <summary>Runs task.Run(i) for every i in [0, count), each once, on up to <paramref name="threads"/> threads
    /// (the calling one included); returns when all have finished. <paramref name="task"/> must be a local of the
    /// caller (the workers reach it through its address on the caller's stack, which stays put until this returns).</summary>
    public static void Run<TTask>(int count, ref TTask task, int threads) where TTask : struct, ITeamTask
    {
        if (count <= 0) return;
        threads = Math.Min(threads, Threads);
        if (count == 1 || threads <= 1) { Inline(count, ref task); return; }
        var team = Current();
        if (team is null || !team.TryEnter()) { Inline(count, ref task); return; }
        try
        {
            team.Run(count, (delegate*<void*, int, void>)&Invoke<TTask>, Unsafe.AsPointer(ref task), threads);
        }
        finally
        {
            team.Exit();
        }
    }

    /// <summary>Runs body(i) for every i in [0, count) (see <see cref="Run{TTask}"/>).</summary>
    public static void For(int count, Action<int> body, int threads)
    {
        var task = new ActionTask(body);
        Run(count, ref task, threads);
    }

    /// <summary>Runs body(from, to) over [0, count) cut into <paramref name="parts"/> contiguous ranges, one index each.</summary>
    public static void ForRanges(long count, int parts, Action<long, long> body)
    {
        var task = new RangeTask(count, parts, body);
        Run(parts, ref task, parts);
    }

    private static void Inline<TTask>(int count, ref TTask task) where TTask : struct, ITeamTask
    {
        for (int i = 0; i < count; i++) task.Run(i);
    }

    private static void Invoke<TTask>(void* state, int index) where TTask : struct, ITeamTask => Unsafe.AsRef<TTask>(state).Run(index);

    private readonly struct ActionTask(Action<int> body) : ITeamTask
    {
        public void Run(int index) => body(index);
    }

    private readonly struct RangeTask(long count, int parts, Action<long, long> body) : ITeamTask
    {
        public void Run(int index) => body(count * index / parts, count * (index + 1) / parts);
    }

    /// <summary>The team for the current thread count, built (or rebuilt) on first use; null for one thread.</summary>
    private static Team? Current()
    {
        int threads = Threads;
        var team = Volatile.Read(ref _team);
        if (team is not null && team.Size == threads) return team;
        if (threads <= 1) return null;
        lock (Resize)
        {
            team = _team;
            if (team is not null && team.Size == threads) return team;
            team?.Stop();
            team = new Team(threads);
            Volatile.Write(ref _team, team);
            return team;
        }
    }

    /// <summary>For tests: whether the team's workers have all parked (spun out their <see cref="SpinTicks"/>).</summary>
    internal static bool WorkersParked => Volatile.Read(ref _team) is not { } t || t.Parked == t.Size - 1;

    /// <summary>One call's work: published to the workers by reference, so a worker that wakes late finds its own
    /// (finished) job, never a half-written next one.</summary>
    private sealed class Job(delegate*<void*, int, void> fn, void* state, int count, int threads)
    {
        /// <summary>Workers still allowed to join (a call may want fewer threads than the team has).</summary>
        public int Seats = threads - 1;
        public readonly delegate*<void*, int, void> Fn = fn;
        public readonly void* State = state;
        public readonly int Count = count;
        public int Next;
        public int Done;
        public ExceptionDispatchInfo? Error;

        /// <summary>Claims and runs indices until none are left; returns how many this thread ran.</summary>
        public void Work()
        {
            int i;
            while ((i = Interlocked.Increment(ref Next) - 1) < Count)
            {
                if (Volatile.Read(ref Error) is null)
                {
                    try { Fn(State, i); }
                    catch (Exception e) { Interlocked.CompareExchange(ref Error, ExceptionDispatchInfo.Capture(e), null); }
                }
                Interlocked.Increment(ref Done);
            }
        }
    }

    private sealed class Team
    {
        public readonly int Size;
        private int _busy;
        private long _generation;
        private Job? _job;
        private int _sleepers;
        private volatile bool _stopped;
        private readonly object _gate = new();
        public int Parked => Volatile.Read(ref _sleepers);

        public Team(int size)
        {
            Size = size;
            for (int w = 1; w < size; w++)
                new Thread(Worker) { IsBackground = true, Name = $"torch CPU worker {w}" }.Start();
        }

        public bool TryEnter() => Interlocked.CompareExchange(ref _busy, 1, 0) == 0;
        public void Exit() => Volatile.Write(ref _busy, 0);

        public void Run(int count, delegate*<void*, int, void> fn, void* state, int threads)
        {
            var job = new Job(fn, state, count, threads);
            Volatile.Write(ref _job, job);
            Interlocked.Increment(ref _generation);
            if (Volatile.Read(ref _sleepers) > 0)
                lock (_gate) Monitor.PulseAll(_gate);
            job.Work();
            if (Volatile.Read(ref job.Done) < count)
            {
                var spin = new SpinWait();
                while (Volatile.Read(ref job.Done) < count) spin.SpinOnce(sleep1Threshold: -1);
            }
            job.Error?.Throw();
        }

        public void Stop()
        {
            _stopped = true;
            Interlocked.Increment(ref _generation);
            lock (_gate) Monitor.PulseAll(_gate);
        }

        private void Worker()
        {
            long seen = Volatile.Read(ref _generation);
            while (!_stopped)
            {
                long now = Volatile.Read(ref _generation);
                if (now == seen)
                {
                    now = Await(seen);
                    if (_stopped) return;
                }
                seen = now;
                // Only as many workers as the call wants take part.
                if (Volatile.Read(ref _job) is { } job && Interlocked.Decrement(ref job.Seats) >= 0) job.Work();
            }
        }

        /// <summary>Spins up to <see cref="SpinTicks"/> for a new generation, then parks until one is published.</summary>
        private long Await(long seen)
        {
            long until = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
            long now;
            int spins = 0;
            while ((now = Volatile.Read(ref _generation)) == seen)
            {
                Thread.SpinWait(8);
                if (++spins % 64 == 0)
                {
                    if (System.Diagnostics.Stopwatch.GetTimestamp() > until) break;
                    // Another runnable thread on this core (a loaded machine) gets it rather than our spin.
                    if (spins % 1024 == 0) Thread.Yield();
                }
            }
            if (now != seen) return now;
            lock (_gate)
            {
                Interlocked.Increment(ref _sleepers);
                // The publisher bumps the generation and then reads _sleepers (both full fences): either it sees
                // this sleeper and pulses under the lock, or this read sees its generation.
                while ((now = Volatile.Read(ref _generation)) == seen) Monitor.Wait(_gate);
                Interlocked.Decrement(ref _sleepers);
            }
            return now;
        }
    }
}
