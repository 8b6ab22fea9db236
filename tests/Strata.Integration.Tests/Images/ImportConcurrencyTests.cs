using System.Diagnostics;
using System.Security.Cryptography;
using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Images;

/// <summary>Several strata processes on one store, and a process killed in the middle of an import.</summary>
public sealed class ImportConcurrencyTests : IDisposable
{
    private readonly StrataBinary _strata = new();
    private readonly string _tmp = Directory.CreateTempSubdirectory("strata-conc-it-").FullName;

    public void Dispose()
    {
        _strata.Dispose();
        Directory.Delete(_tmp, recursive: true);
    }

    [Fact]
    public async Task Concurrent_imports_into_one_root_all_land()
    {
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        var other = Path.Combine(_tmp, "other.tar");
        await File.WriteAllBytesAsync(other, ImageArchiveBuilder.Layer(("hello", "world"u8.ToArray())));
        var runs = await Task.WhenAll(
            _strata.RunAsync("import", tar, "a:1"),
            _strata.RunAsync("import", tar, "b:1", "-c", "CMD [\"sh\"]"),
            _strata.RunAsync("import", other, "c:1"),
            _strata.RunAsync("import", tar, "d:1", "-c", "ENV X=1"));
        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.Stderr));
        var names = (await _strata.OkAsync("images", "--format", "{{.Repository}}:{{.Tag}}")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Order();
        Assert.Equal(["a:1", "b:1", "c:1", "d:1"], names);
        // Same tar, same layer: stored and unpacked once.
        var layers = (await _strata.OkAsync("inspect", "-f", "{{index .RootFS.Layers 0}}", "a:1", "b:1", "d:1")).Split('\n', StringSplitOptions.RemoveEmptyEntries).Distinct();
        Assert.Single(layers);
        var df = await _strata.OkAsync("system", "df", "--format", "json");
        Assert.Contains("\"Layers\":2", df, StringComparison.Ordinal);
        Assert.Equal(0, (await _strata.RunAsync("system", "check")).ExitCode);
    }

    [Fact]
    public async Task Kill_9_in_the_middle_of_an_import_leaves_a_clean_store()
    {
        // A 48 MB tar of random data, streamed through stdin half way, then SIGKILL.
        var big = Path.Combine(_tmp, "big.tar");
        var data = new byte[48 << 20];
        RandomNumberGenerator.Fill(data);
        await File.WriteAllBytesAsync(big, ImageArchiveBuilder.Layer(("big.bin", data)));

        var psi = new ProcessStartInfo(StrataBinary.Path) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--root", _strata.Root, "import", "-", "killed:1" })
        {
            psi.ArgumentList.Add(a);
        }

        using (var p = Process.Start(psi)!)
        {
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            await using (var input = File.OpenRead(big))
            {
                var buffer = new byte[1 << 20];
                for (var i = 0; i < 24; i++)
                {
                    var n = await input.ReadAsync(buffer);
                    await p.StandardInput.BaseStream.WriteAsync(buffer.AsMemory(0, n));
                }

                await p.StandardInput.BaseStream.FlushAsync();
            }

            // Wait until the ingest has bytes on disk, then kill without warning.
            var ingest = Path.Combine(_strata.Root, "content", "ingest");
            for (var i = 0; i < 100 && !(Directory.Exists(ingest) && Directory.EnumerateFiles(ingest, "data", SearchOption.AllDirectories).Any(f => new FileInfo(f).Length > 0)); i++)
            {
                await Task.Delay(50);
            }

            p.Kill();
            await p.WaitForExitAsync();
            _ = await stdout;
            _ = await stderr;
        }

        Assert.Equal(string.Empty, await _strata.OkAsync("images", "-q"));
        var check = await _strata.RunAsync("system", "check");
        Assert.True(check.ExitCode == 0, check.Stdout + check.Stderr);
        Assert.Contains("No problems found.", check.Stdout, StringComparison.Ordinal);

        // Running it again succeeds, and repair clears the leftover partial write.
        var id = (await _strata.OkAsync("import", big, "killed:1")).Trim();
        Assert.StartsWith("sha256:", id, StringComparison.Ordinal);
        Assert.Equal(0, (await _strata.RunAsync("system", "check", "--repair")).ExitCode);
        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(_strata.Root, "content", "ingest")));
        Assert.Equal(0, (await _strata.RunAsync("system", "check")).ExitCode);
    }
}
