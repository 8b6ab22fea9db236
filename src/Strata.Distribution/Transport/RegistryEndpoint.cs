namespace Strata.Distribution.Transport;

/// <summary>
/// Where requests for a registry go: <see cref="Registry"/> is the name in image references and logins
/// (<c>docker.io</c>, <c>localhost:5000</c>), <see cref="BaseUri"/> the scheme and authority spoken to
/// (<c>https://registry-1.docker.io</c>, a mirror). <see cref="Insecure"/> allows plain HTTP and unverified TLS;
/// <see cref="SchemeFixed"/> is true when the scheme was given (mirror URLs) and must not be changed.
/// </summary>
public sealed record RegistryEndpoint(string Registry, Uri BaseUri, bool Insecure, bool IsMirror = false, bool SchemeFixed = false)
{
    /// <summary>The name used to look up credentials: the registry itself, or the mirror's host.</summary>
    public string CredentialName => IsMirror ? BaseUri.Authority : Registry;

    public override string ToString() => IsMirror ? $"mirror {BaseUri.GetLeftPart(UriPartial.Authority)}" : Registry;
}
