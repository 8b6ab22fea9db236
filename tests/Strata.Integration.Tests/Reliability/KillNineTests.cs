using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using Strata.Integration.Tests.Images;
using Strata.Integration.Tests.Support;
using Xunit.Abstractions;

namespace Strata.Integration.Tests.Reliability;

/// <summary>
/// Issue 13's reliability suite, part two: <c>kill -9</c> of pull, commit, load and registry gc at a
/// random point of their run, <see cref="Kills"/> times each. After every kill, <c>system check</c> of the client
/// store must find nothing corrupt, a full re-pull of the registry must verify (for the operations that touch it),
/// and the same operation run again must succeed and give the right image.
/// </summary>
/// <remarks>
/// The random point is uniform over the operation's measured duration (one run without a kill first), so kills
/// land in start-up, transfer and commit alike; a run that finished before its kill is counted apart. The count
/// is <c>STRATA_KILLS</c> (default 3, which keeps the suite to a few minutes in CI; docs/reliability.md records
/// the runs made and their counts), the seed <c>STRATA_KILL_SEED</c> (printed, to replay a failure).
/// </remarks>
[Trait("Category", "Integration")]
public sealed class KillNineTests(ITestOutputHelper output) : IDisposable
{
    private readonly StrataBinary _client = new();
    private readonly List<StrataBinary> _stores = [];
    private readonly HttpClient _http = new(new HttpClientHandler { UseProxy = false }) { Timeout = TimeSpan.FromMinutes(2) };

    private static int Kills => int.TryParse(Environment.GetEnvironmentVariable("STRATA_KILLS"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 3;

    public void Dispose()
    {
        _http.Dispose();
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        _client.Dispose();
    }

    [Fact]
    public async Task Pull()
    {
        await using var registry = await StrataRegistry.StartAsync(_client);
        var name = $"{registry.Host}/kill/pull:1";
        var id = await TestImages.LoadRandomAsync(_client, "kill/pull:1", layers: 3, layerBytes: 2 * 1024 * 1024);
        await _client.OkAsync("tag", "kill/pull:1", name);
        await _client.OkAsync("push", name);
        StrataBinary? store = null;
        await RunAsync("pull", () => store!,
            prepare: i =>
            {
                store = NewStore();
                return Task.FromResult<string[]>(["pull", name]);
            },
            afterKill: async _ => await CheckClientAndRegistryAsync(store!, registry),
            verify: async _ => Assert.Equal(id, await TestImages.ImageIdAsync(store!, name)));
    }

    [Fact]
    public async Task Load()
    {
        var archive = Path.Combine(_client.Root, "kill-load.tar");
        var layers = Enumerable.Range(0, 3).Select(i => (ImageArchiveBuilder.Layer(($"data-{i}.bin", RandomNumberGenerator.GetBytes(2 * 1024 * 1024))), $"layer {i}")).ToArray();
        ImageArchiveBuilder.Write(archive, "kill/load:1", layers);
        StrataBinary? store = null;
        string? id = null;
        await RunAsync("load", () => store!,
            prepare: i =>
            {
                store = NewStore();
                return Task.FromResult<string[]>(["load", "-i", archive]);
            },
            afterKill: async _ => await CheckClientAsync(store!),
            verify: async _ =>
            {
                var loaded = await TestImages.ImageIdAsync(store!, "kill/load:1");
                Assert.Equal(id ??= loaded, loaded);
            });
    }

    [Fact]
    public async Task Commit()
    {
        await TestImages.ImportBusyboxAsync(_client, "kill/base:1");
        await _client.OkAsync("run", "--name", "kc", "kill/base:1", "sh", "-c", "head -c 4194304 /dev/urandom > /data.bin && mkdir -p /d && echo x > /d/f");
        await RunAsync("commit", _client,
            prepare: i => Task.FromResult<string[]>(["commit", "kc", $"kill/commit:{i}"]),
            afterKill: async _ => await CheckClientAsync(_client),
            verify: async i => await AssertRunsAsync(_client, $"kill/commit:{i}", "test -s /data.bin && cat /d/f"));
    }

    [Fact]
    public async Task Gc()
    {
        await using var registry = await StrataRegistry.StartAsync(_client);
        for (var k = 0; k < 2; k++)
        {
            await TestImages.LoadRandomAsync(_client, $"kill/keep:{k}", layers: 2, layerBytes: 1024 * 1024, sharedSeed: 31);
            await _client.OkAsync("tag", $"kill/keep:{k}", $"{registry.Host}/kill/keep:{k}");
            await _client.OkAsync("push", $"{registry.Host}/kill/keep:{k}");
        }

        string[] gc = ["registry", "--data-dir", registry.DataDir, "gc", "--grace", "0s", "--untagged-older-than", "0s"];
        await RunAsync("gc", _client,
            prepare: async i =>
            {
                // Garbage for this round: an image re-tagged away (its manifest and own layers) and loose blobs.
                await TestImages.LoadRandomAsync(_client, $"kill/junk:{i}", layers: 2, layerBytes: 1024 * 1024, sharedSeed: 31);
                await _client.OkAsync("tag", $"kill/junk:{i}", $"{registry.Host}/kill/junk:latest");
                await _client.OkAsync("push", $"{registry.Host}/kill/junk:latest");
                await _client.OkAsync("tag", "kill/keep:0", $"{registry.Host}/kill/junk:latest");
                await _client.OkAsync("push", $"{registry.Host}/kill/junk:latest");
                for (var b = 0; b < 3; b++)
                {
                    await UploadLooseBlobAsync(registry);
                }

                return gc;
            },
            afterKill: async _ => await new RegistryVerifier(_http, registry.BaseUri).VerifyAllAsync(),
            verify: async _ =>
            {
                await new RegistryVerifier(_http, registry.BaseUri).VerifyAllAsync();

                // The retried gc finished what the killed one started: nothing is left behind.
                var left = await registry.AdminOkAsync([.. gc[3..], "--dry-run"]);
                Assert.True(left.Contains("Would free 0B", StringComparison.Ordinal), left);
            });
    }

    private StrataBinary NewStore()
    {
        var s = new StrataBinary();
        _stores.Add(s);
        return s;
    }

    private Task RunAsync(string op, StrataBinary store, Func<int, Task<string[]>> prepare, Func<int, Task> afterKill, Func<int, Task> verify) =>
        RunAsync(op, () => store, prepare, afterKill, verify);

    /// <summary>
    /// One unkilled run to measure the operation, then <see cref="Kills"/> rounds of: prepare, start, kill -9 after a
    /// random part of the measured time, check, run again (must succeed), verify the result.
    /// </summary>
    private async Task RunAsync(string op, Func<StrataBinary> store, Func<int, Task<string[]>> prepare, Func<int, Task> afterKill, Func<int, Task> verify)
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("STRATA_KILL_SEED"), CultureInfo.InvariantCulture, out var s) ? s : Environment.TickCount;
        var random = new Random(seed);
        var args = await prepare(0);
        var clock = Stopwatch.StartNew();
        (await store().RunAsync(args)).EnsureSuccess($"strata {string.Join(' ', args)} (calibration)");
        var duration = clock.Elapsed;
        await verify(0);

        int killed = 0, finishedFirst = 0;
        var total = Stopwatch.StartNew();
        for (var i = 1; i <= Kills; i++)
        {
            args = await prepare(i);
            var delay = duration * random.NextDouble();
            if (await KillAfterAsync(store(), args, delay))
            {
                killed++;
            }
            else
            {
                finishedFirst++;
            }

            try
            {
                await afterKill(i);
                (await store().RunAsync(args)).EnsureSuccess($"strata {string.Join(' ', args)} (retry)");
                await verify(i);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"{op}: round {i} (kill after {delay.TotalMilliseconds:0} ms of ~{duration.TotalMilliseconds:0} ms, seed {seed}) left the store broken", e);
            }
        }

        output.WriteLine($"reliability: kill -9 {op}: {Kills} rounds, {killed} killed mid-operation, {finishedFirst} finished before the kill; "
            + $"after each: check clean, retry succeeded, result verified ({total.Elapsed.TotalSeconds:0.0} s, op ~{duration.TotalMilliseconds:0} ms, seed {seed})");
    }

    /// <summary>Starts <c>strata ARGS</c> and SIGKILLs it (that process only) after <paramref name="delay"/>; true when it was still running.</summary>
    private static async Task<bool> KillAfterAsync(StrataBinary store, string[] args, TimeSpan delay)
    {
        var psi = new ProcessStartInfo(StrataBinary.Path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in (string[])["--root", store.Root, .. args])
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        await Task.WhenAny(p.WaitForExitAsync(), Task.Delay(delay));
        if (p.HasExited)
        {
            return false;
        }

        p.Kill(entireProcessTree: false);
        await p.WaitForExitAsync();
        return p.ExitCode == 137; // 128 + SIGKILL; anything else finished on its own just before the kill
    }

    /// <summary><c>system check</c> must find nothing corrupt (leftovers of the killed run are notes, not problems).</summary>
    private static async Task CheckClientAsync(StrataBinary store)
    {
        var check = await store.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, $"system check after kill -9:\n{check.Stdout}{check.Stderr}");
    }

    private async Task CheckClientAndRegistryAsync(StrataBinary store, StrataRegistry registry)
    {
        await CheckClientAsync(store);
        await new RegistryVerifier(_http, registry.BaseUri).VerifyAllAsync();
    }

    private static async Task AssertRunsAsync(StrataBinary store, string image, string script)
    {
        var run = await store.RunAsync("run", "--rm", image, "sh", "-c", script);
        Assert.True(run.ExitCode == 0, $"run {image}: {run.Stdout}{run.Stderr}");
    }

    private async Task UploadLooseBlobAsync(StrataRegistry registry)
    {
        var blob = RandomNumberGenerator.GetBytes(256 * 1024);
        var digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(blob));
        using var content = new ByteArrayContent(blob);
        using var post = await _http.PostAsync(new Uri(registry.BaseUri, $"v2/kill/loose/blobs/uploads/?digest={digest}"), content);
        Assert.Equal(HttpStatusCode.Created, post.StatusCode);
    }
}
