using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Amazon.S3;
using Strata.Registry.Blobs;

namespace Strata.Registry.Tests.Backends;

/// <summary>
/// A real S3 server: Ceph radosgw from Debian (one mon, one memstore OSD), started by
/// <c>scripts/s3/start-s3.sh</c> in a temp directory on random loopback ports and stopped with
/// <c>stop-s3.sh --wipe</c>. Each test gets its own bucket (<see cref="CreateBucketAsync"/>).
/// </summary>
public sealed class S3Server : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _scripts;

    private S3Server(string dir, string scripts, S3Settings settings)
    {
        _dir = dir;
        _scripts = scripts;
        Settings = settings;
    }

    public S3Settings Settings { get; }

    public static async Task<S3Server> StartAsync()
    {
        var scripts = Path.Combine(RepoRoot(), "scripts", "s3");
        var dir = Directory.CreateTempSubdirectory("strata-s3-").FullName;
        var psi = new ProcessStartInfo(Path.Combine(scripts, "start-s3.sh")) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(dir);
        var osd = FreePort();
        psi.Environment["S3_PORT"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["CEPH_MON_PORT_V2"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["CEPH_MON_PORT_V1"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["CEPH_OSD_PORT_MIN"] = osd.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["CEPH_OSD_PORT_MAX"] = (osd + 40).ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.Ordinal)).ToList())
        {
            psi.Environment.Remove(key);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"start-s3.sh failed ({p.ExitCode}): {await stderr}");
        }

        var env = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).Where(kv => kv.Length == 2)
            .ToDictionary(kv => kv[0], kv => kv[1].Trim('"', '\''), StringComparer.Ordinal);
        return new S3Server(dir, scripts, new S3Settings
        {
            Endpoint = env["S3_ENDPOINT"],
            AccessKey = env["S3_ACCESS_KEY"],
            SecretKey = env["S3_SECRET_KEY"],
            Region = env["S3_REGION"],
            PathStyle = true,
        });
    }

    /// <summary>A new empty bucket; returns its <c>s3://</c> blob store value.</summary>
    public async Task<string> CreateBucketAsync(string prefix = "registry")
    {
        var name = $"t-{Guid.NewGuid():N}"[..30];
        using var client = Client();
        await client.PutBucketAsync(name);
        return $"s3://{name}/{prefix}";
    }

    public AmazonS3Client Client() => new(new BasicAWSCredentials(Settings.AccessKey, Settings.SecretKey), new AmazonS3Config
    {
        ServiceURL = Settings.Endpoint,
        ForcePathStyle = true,
        AuthenticationRegion = Settings.Region,
        RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
        ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
    });

    public async ValueTask DisposeAsync()
    {
        using var p = Process.Start(new ProcessStartInfo(Path.Combine(_scripts, "stop-s3.sh")) { ArgumentList = { _dir, "--wipe" }, RedirectStandardError = true })!;
        await p.WaitForExitAsync();
    }

    internal static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Strata.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
