using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Distribution.Credentials;

/// <summary>
/// Talks to a docker credential helper program, <c>docker-credential-NAME</c>, with its protocol
/// (docker-credential-helpers: <c>get</c>/<c>store</c>/<c>erase</c>, one request on stdin, JSON out).
/// </summary>
public sealed class CredentialHelper
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public CredentialHelper(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw StrataException.Invalid("CREDENTIAL_HELPER_INVALID", $"invalid credential helper name \"{name}\"");
        }

        Name = name;
    }

    public string Name { get; }

    public string Program => "docker-credential-" + Name;

    /// <summary>The stored credential for <paramref name="serverUrl"/>, or null when the helper has none.</summary>
    public async Task<RegistryCredential?> GetAsync(string serverUrl, CancellationToken cancellationToken = default)
    {
        var (code, stdout) = await RunAsync("get", serverUrl, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            if (stdout.Contains("credentials not found", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            throw StrataException.Unavailable("CREDENTIAL_HELPER_FAILED", $"error getting credentials - err: {Program} get exited {code}, out: `{stdout.Trim()}`");
        }

        HelperCredential? c;
        try
        {
            c = JsonSerializer.Deserialize(stdout, DistributionJsonContext.Default.HelperCredential);
        }
        catch (JsonException e)
        {
            throw StrataException.Unavailable("CREDENTIAL_HELPER_FAILED", $"{Program} get printed invalid JSON: {e.Message}", e);
        }

        if (c is null || string.IsNullOrEmpty(c.Secret))
        {
            return null;
        }

        return c.Username == RegistryCredential.TokenUsername
            ? new RegistryCredential(string.Empty, string.Empty, c.Secret)
            : new RegistryCredential(c.Username ?? string.Empty, c.Secret);
    }

    public async Task StoreAsync(string serverUrl, RegistryCredential credential, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var payload = JsonSerializer.Serialize(
            new HelperCredential
            {
                ServerUrl = serverUrl,
                Username = credential.HasIdentityToken ? RegistryCredential.TokenUsername : credential.Username,
                Secret = credential.HasIdentityToken ? credential.IdentityToken : credential.Password,
            },
            DistributionJsonContext.Default.HelperCredential);
        var (code, stdout) = await RunAsync("store", payload, cancellationToken).ConfigureAwait(false);
        if (code != 0)
        {
            throw StrataException.Unavailable("CREDENTIAL_HELPER_FAILED", $"error storing credentials - err: {Program} store exited {code}, out: `{stdout.Trim()}`");
        }
    }

    public async Task EraseAsync(string serverUrl, CancellationToken cancellationToken = default)
    {
        var (code, stdout) = await RunAsync("erase", serverUrl, cancellationToken).ConfigureAwait(false);
        if (code != 0 && !stdout.Contains("not found", StringComparison.OrdinalIgnoreCase))
        {
            throw StrataException.Unavailable("CREDENTIAL_HELPER_FAILED", $"error erasing credentials - err: {Program} erase exited {code}, out: `{stdout.Trim()}`");
        }
    }

    private async Task<(int Code, string Stdout)> RunAsync(string verb, string input, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(Program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        psi.ArgumentList.Add(verb);
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new InvalidOperationException("no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw StrataException.Precondition("CREDENTIAL_HELPER_MISSING", $"credential helper {Program} not found in PATH ({e.Message})");
        }

        using (p)
        {
            var stdout = p.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = p.StandardError.ReadToEndAsync(cancellationToken);
            await p.StandardInput.WriteAsync(input.AsMemory(), cancellationToken).ConfigureAwait(false);
            p.StandardInput.Close();
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            cts.CancelAfter(Timeout);
            try
            {
                await p.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                p.Kill(entireProcessTree: true);
                throw;
            }

            var output = await stdout.ConfigureAwait(false);
            _ = await stderr.ConfigureAwait(false);
            return (p.ExitCode, output);
        }
    }
}
