namespace Strata.Oci;

/// <summary>
/// Docker Hub's names, in one place: the domain references use (<c>docker.io</c>), the host its API is served
/// from, the key docker's config.json files its logins under, and the other names users and tools write for it.
/// </summary>
public static class DockerHub
{
    /// <summary>The registry name references normalise to (<see cref="Reference.DefaultDomain"/>).</summary>
    public const string Domain = Reference.DefaultDomain;

    /// <summary>The old name a reference may still spell (docker's normalize.go rewrites only this one).</summary>
    public const string LegacyDomain = "index.docker.io";

    /// <summary>Where the Distribution API is served.</summary>
    public const string ApiHost = "registry-1.docker.io";

    /// <summary>The <c>auths</c>/<c>credHelpers</c> key of docker's config.json for Docker Hub.</summary>
    public const string ConfigKey = "https://index.docker.io/v1/";

    public static readonly Uri Endpoint = new("https://" + ApiHost);

    /// <summary>Whether <paramref name="host"/> (lower case, no scheme) names Docker Hub.</summary>
    public static bool IsAlias(string host) => host is Domain or LegacyDomain or ApiHost or "registry.hub.docker.com";

    /// <summary><see cref="Domain"/> for any of Docker Hub's names, else <paramref name="host"/> unchanged.</summary>
    public static string Normalize(string host) => IsAlias(host) ? Domain : host;
}
