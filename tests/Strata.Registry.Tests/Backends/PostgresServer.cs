using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Strata.Registry.Tests.Backends;

/// <summary>
/// A throwaway PostgreSQL cluster from Debian's packages: <c>initdb</c> in a temp directory as the
/// postgres user, <c>pg_ctl start</c> on 127.0.0.1 and a random port; stopped and deleted on dispose.
/// Each test asks for its own database (<see cref="CreateDatabaseAsync"/>).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly string _bin;
    private int _databases;

    private PostgresServer(string dir, string bin, int port)
    {
        _dir = dir;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        var bin = Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(d => Path.Combine(d, "bin")).FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")))
            ?? throw new InvalidOperationException("PostgreSQL is not installed (scripts/deps.sh installs it)");
        var dir = Directory.CreateTempSubdirectory("strata-pg-").FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        await RunAsync("chown", "postgres:postgres", dir);
        var data = Path.Combine(dir, "data");
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
        var port = FreePort();
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");
        return new PostgresServer(dir, bin, port);
    }

    /// <summary>A new empty database; returns its <c>postgres://</c> URL.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"t{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}_{Guid.NewGuid():N}"[..40];
        await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "psql"), "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-U", "postgres", "-d", "postgres", "-q", "-c", $"CREATE DATABASE {name}");
        return $"postgres://postgres@127.0.0.1:{Port}/{name}";
    }

    /// <summary>Stops the server at once (as a crash would); <see cref="RestartAsync"/> brings it back.</summary>
    public Task StopAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop");

    public Task RestartAsync() =>
        RunAsync("runuser", "-u", "postgres", "--", Path.Combine(_bin, "pg_ctl"), "-D", Path.Combine(_dir, "data"), "-l", Path.Combine(_dir, "log"), "-w", "-t", "60",
            "-o", $"-p {Port} -k {_dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300", "start");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
        }

        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {p.ExitCode}: {await stderr}{await stdout}");
        }
    }
}
