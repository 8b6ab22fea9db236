using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Strata.Distribution.Tests.Support;

/// <summary>
/// A real CNCF distribution (<c>docker-registry</c>, the Debian package) on 127.0.0.1 with a random port, with
/// optional htpasswd Basic auth, TLS, or token auth. Stopped by its own PID on dispose.
/// </summary>
public sealed class TestRegistry : IDisposable
{
    private readonly Process _process;

    private TestRegistry(string dir, int port, bool tls, Process process)
    {
        Dir = dir;
        Port = port;
        Tls = tls;
        _process = process;
    }

    public string Dir { get; }

    public int Port { get; }

    public bool Tls { get; }

    /// <summary><c>127.0.0.1:PORT</c>: the registry part of references.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public string StorageDir => Path.Combine(Dir, "storage");

    public static bool Available => File.Exists("/usr/bin/docker-registry");

    public static async Task<TestRegistry> StartAsync(
        (string User, string Password)? htpasswd = null,
        TestCertificates? tls = null,
        string? tokenRealm = null,
        string? tokenService = null,
        string? tokenIssuer = null,
        string? tokenRootCert = null,
        int? port = null)
    {
        var dir = Directory.CreateTempSubdirectory("strata-registry-").FullName;
        var p = port ?? FreePort.Next();
        var yml = new StringBuilder();
        yml.AppendLine("version: 0.1");
        yml.AppendLine("log: {level: error, accesslog: {disabled: true}}");
        yml.AppendLine(CultureInfo.InvariantCulture, $"storage: {{filesystem: {{rootdirectory: {Path.Combine(dir, "storage")}}}, delete: {{enabled: true}}, cache: {{blobdescriptor: inmemory}}}}");
        yml.AppendLine("http:");
        yml.AppendLine(CultureInfo.InvariantCulture, $"  addr: 127.0.0.1:{p}");
        yml.AppendLine("  secret: strata-test-secret");
        if (tls is not null)
        {
            yml.AppendLine(CultureInfo.InvariantCulture, $"  tls: {{certificate: {tls.ServerCertPath}, key: {tls.ServerKeyPath}}}");
        }

        if (htpasswd is { } hp)
        {
            var (code, stdout, stderr) = await TestProcess.RunAsync("htpasswd", ["-Bbn", hp.User, hp.Password]);
            Assert.True(code == 0, stderr);
            var file = Path.Combine(dir, "htpasswd");
            await File.WriteAllTextAsync(file, stdout);
            yml.AppendLine(CultureInfo.InvariantCulture, $"auth: {{htpasswd: {{realm: strata-test, path: {file}}}}}");
        }
        else if (tokenRealm is not null)
        {
            yml.AppendLine(CultureInfo.InvariantCulture, $"auth: {{token: {{realm: \"{tokenRealm}\", service: {tokenService}, issuer: {tokenIssuer}, rootcertbundle: {tokenRootCert}}}}}");
        }

        var config = Path.Combine(dir, "config.yml");
        await File.WriteAllTextAsync(config, yml.ToString());
        var psi = new ProcessStartInfo("docker-registry")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("serve");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new TestRegistry(dir, p, tls is not null, process);
        await registry.WaitReadyAsync();
        return registry;
    }

    private async Task WaitReadyAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var url = $"{(Tls ? "https" : "http")}://{Host}/v2/";
        for (var i = 0; i < 100; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}");
            }

            try
            {
                using var r = await http.GetAsync(url);
                return;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("docker-registry did not start");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
