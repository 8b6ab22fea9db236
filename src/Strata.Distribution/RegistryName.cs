using Strata.Oci;

namespace Strata.Distribution;

/// <summary>Normalises what users type as a registry for login/logout (<c>https://host:5000/v1/</c>, <c>index.docker.io</c>) to a registry name.</summary>
public static class RegistryName
{
    public static string Normalize(string? server)
    {
        if (string.IsNullOrWhiteSpace(server))
        {
            return Reference.DefaultDomain;
        }

        var s = server.Trim();
        if (s.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            s = s[7..];
        }
        else if (s.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            s = s[8..];
        }

        var slash = s.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            s = s[..slash];
        }

        s = s.ToLowerInvariant();
        if (DockerHub.IsAlias(s))
        {
            return DockerHub.Domain;
        }

        if (s.Length == 0 || s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '[' or ']')))
        {
            throw StrataException.Invalid("REGISTRY_INVALID", $"invalid registry \"{server}\"");
        }

        return s;
    }
}
