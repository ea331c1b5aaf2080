using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Notebooks.Formatters.Tests;

/// <summary>
/// Headless Chromium driven through the DevTools protocol (a WebSocket of JSON commands and events): navigate, reload,
/// evaluate JavaScript, turn scripts off, capture the page. The page's uncaught exceptions and console errors are
/// collected, so a test can assert that none happened (e.g. <c>ReferenceError: Plotly is not defined</c>). The network
/// is cut off: every request goes to a closed port and no host name resolves.
/// </summary>
internal sealed partial class DevTools : IDisposable
{
    private readonly Process _process;
    private readonly ClientWebSocket _ws = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _events = new();
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;

    /// <summary>Uncaught exceptions and console.error messages of the page since the last <see cref="ClearErrors"/>.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    [GeneratedRegex(@"DevTools listening on (ws://\S+)")]
    private static partial Regex Listening();

    private DevTools(Process p) { _process = p; }

    public static DevTools Launch(string chromium, string profileDir)
    {
        var psi = new ProcessStartInfo(chromium,
        [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-extensions",
            "--no-first-run", "--disable-sync", "--disable-component-update", "--hide-scrollbars", "--mute-audio",
            "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-port=0", "--user-data-dir=" + profileDir, "about:blank",
        ]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        var p = Process.Start(psi)!;
        var dt = new DevTools(p);
        try
        {
            string? browserWs = null;
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (browserWs is null && DateTime.UtcNow < deadline)
            {
                var line = p.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)).GetAwaiter().GetResult();
                if (line is null) throw new InvalidOperationException("chromium exited before its DevTools endpoint was up");
                var m = Listening().Match(line);
                if (m.Success) browserWs = m.Groups[1].Value;
            }
            if (browserWs is null) throw new TimeoutException("chromium did not report a DevTools endpoint");
            _ = p.StandardError.ReadToEndAsync(); // keep draining
            var port = new Uri(browserWs).Port;
            using var http = new HttpClient();
            var list = JsonDocument.Parse(http.GetStringAsync($"http://127.0.0.1:{port}/json/list").GetAwaiter().GetResult());
            var page = list.RootElement.EnumerateArray().First(t => t.GetProperty("type").GetString() == "page");
            dt._ws.ConnectAsync(new Uri(page.GetProperty("webSocketDebuggerUrl").GetString()!), CancellationToken.None).GetAwaiter().GetResult();
            _ = Task.Run(dt.ReceiveLoop);
            dt.Send("Page.enable");
            dt.Send("Runtime.enable");
            return dt;
        }
        catch
        {
            dt.Dispose();
            throw;
        }
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _ws.State == WebSocketState.Open)
            {
                var r = await _ws.ReceiveAsync(buffer, _stop.Token);
                if (r.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, r.Count);
                if (!r.EndOfMessage) continue;
                var doc = JsonDocument.Parse(message.ToArray());
                message.SetLength(0);
                var root = doc.RootElement;
                if (root.TryGetProperty("id", out var id) && _pending.TryRemove(id.GetInt32(), out var tcs))
                {
                    if (root.TryGetProperty("error", out var err)) tcs.TrySetException(new InvalidOperationException("DevTools: " + err));
                    else tcs.TrySetResult(root.GetProperty("result").Clone());
                }
                else if (root.TryGetProperty("method", out var method))
                {
                    var name = method.GetString()!;
                    _events.Enqueue(name);
                    var ps = root.GetProperty("params");
                    if (name == "Runtime.exceptionThrown")
                    {
                        var d = ps.GetProperty("exceptionDetails");
                        Errors.Enqueue(d.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var desc) ? desc.GetString()! : d.GetProperty("text").GetString()!);
                    }
                    else if (name == "Runtime.consoleAPICalled" && ps.GetProperty("type").GetString() == "error")
                        Errors.Enqueue("console.error: " + string.Join(" ", ps.GetProperty("args").EnumerateArray().Select(a => a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var ds) ? ds.GetString() : "?")));
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    public JsonElement Send(string method, object? parameters = null, int timeoutSeconds = 60)
    {
        int id = Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var json = JsonSerializer.Serialize(new { id, method, @params = parameters ?? new { } });
        lock (_ws) _ws.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None).GetAwaiter().GetResult();
        if (!tcs.Task.Wait(TimeSpan.FromSeconds(timeoutSeconds))) throw new TimeoutException($"DevTools {method} got no answer in {timeoutSeconds} s");
        return tcs.Task.Result;
    }

    /// <summary>Runs <paramref name="expression"/> in the page and returns its value (JSON-serialisable results only).</summary>
    public JsonElement Eval(string expression)
    {
        var r = Send("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true });
        if (r.TryGetProperty("exceptionDetails", out var ex)) throw new InvalidOperationException("page script failed: " + ex);
        return r.GetProperty("result").TryGetProperty("value", out var v) ? v : default;
    }

    private void WaitForLoad(int timeoutSeconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            while (_events.TryDequeue(out var e)) if (e == "Page.loadEventFired") return;
            Thread.Sleep(50);
        }
        throw new TimeoutException("the page did not finish loading");
    }

    public void Navigate(string url)
    {
        _events.Clear();
        Send("Page.navigate", new { url });
        WaitForLoad();
    }

    public void Reload()
    {
        _events.Clear();
        Send("Page.reload", new { ignoreCache = true });
        WaitForLoad();
    }

    /// <summary>Polls <paramref name="condition"/> (a JavaScript boolean expression) until it holds.</summary>
    public bool WaitFor(string condition, int timeoutSeconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (DateTime.UtcNow < deadline)
        {
            if (Eval("!!(" + condition + ")").GetBoolean()) return true;
            Thread.Sleep(100);
        }
        return false;
    }

    public void SetScriptsEnabled(bool enabled) => Send("Emulation.setScriptExecutionDisabled", new { value = !enabled });

    /// <summary>The whole page at <paramref name="width"/> CSS pixels wide, as one PNG (the viewport grown to the page's height).</summary>
    public byte[] CaptureFullPage(int width)
    {
        Send("Emulation.setDeviceMetricsOverride", new { width, height = 800, deviceScaleFactor = 1, mobile = false });
        var height = (int)Math.Ceiling(Eval("Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)").GetDouble());
        Send("Emulation.setDeviceMetricsOverride", new { width, height, deviceScaleFactor = 1, mobile = false });
        Thread.Sleep(300);
        var shot = Send("Page.captureScreenshot", new { format = "png", captureBeyondViewport = false });
        return Convert.FromBase64String(shot.GetProperty("data").GetString()!);
    }

    public void ClearErrors() { while (Errors.TryDequeue(out _)) { } }

    public void Dispose()
    {
        _stop.Cancel();
        try { _ws.Abort(); } catch (Exception) { }
        _ws.Dispose();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        _process.WaitForExit(10_000);
        _process.Dispose();
    }
}
