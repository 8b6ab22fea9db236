using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Strata.Distribution.Settings;

namespace Strata.Distribution.Transport;

/// <summary>
/// Decides whether a registry's TLS certificate is trusted: the system roots, plus the CA certificates in
/// <c>certs.d/HOST[:PORT]/*.crt</c> (docker's <c>/etc/docker/certs.d</c> layout), and anything for hosts
/// configured as insecure. Client certificates come from <c>*.cert</c> + <c>*.key</c> in the same folder.
/// </summary>
public sealed class TlsTrust
{
    private readonly RegistrySettings _settings;
    private readonly ConcurrentDictionary<string, X509Certificate2Collection> _roots = new(StringComparer.OrdinalIgnoreCase);

    public TlsTrust(RegistrySettings settings) => _settings = settings;

    public bool Validate(string authority, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (_settings.IsInsecure(authority))
        {
            return true;
        }

        // A name mismatch or a missing certificate is never fixed by an extra CA.
        if (certificate is null || errors != SslPolicyErrors.RemoteCertificateChainErrors)
        {
            return false;
        }

        var roots = RootsFor(authority);
        if (roots.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(roots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        return custom.Build(certificate);
    }

    /// <summary>CA certificates for <paramref name="authority"/> from <c>certs.d/AUTHORITY/*.crt</c> (then <c>certs.d/HOST/</c>).</summary>
    public X509Certificate2Collection RootsFor(string authority) => _roots.GetOrAdd(authority, a =>
    {
        var result = new X509Certificate2Collection();
        foreach (var dir in CandidateDirs(a))
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*.crt").Order(StringComparer.Ordinal))
            {
                result.ImportFromPemFile(file);
            }
        }

        return result;
    });

    /// <summary>Client certificates (<c>NAME.cert</c> with <c>NAME.key</c>) for mutual TLS with <paramref name="authority"/>.</summary>
    public X509Certificate2Collection ClientCertificatesFor(string authority)
    {
        var result = new X509Certificate2Collection();
        foreach (var dir in CandidateDirs(authority))
        {
            foreach (var cert in Directory.EnumerateFiles(dir, "*.cert").Order(StringComparer.Ordinal))
            {
                var key = Path.ChangeExtension(cert, ".key");
                if (File.Exists(key))
                {
                    result.Add(X509Certificate2.CreateFromPemFile(cert, key));
                }
            }
        }

        return result;
    }

    private IEnumerable<string> CandidateDirs(string authority)
    {
        if (string.IsNullOrEmpty(_settings.CertsDir) || authority.Contains('/', StringComparison.Ordinal) || authority.Contains("..", StringComparison.Ordinal))
        {
            yield break;
        }

        var exact = Path.Combine(_settings.CertsDir, authority);
        if (Directory.Exists(exact))
        {
            yield return exact;
            yield break;
        }

        var host = Path.Combine(_settings.CertsDir, RegistrySettings.HostOf(authority));
        if (host != exact && Directory.Exists(host))
        {
            yield return host;
        }
    }
}
