using System.Text.RegularExpressions;

namespace Strata.Registry.Api;

/// <summary>
/// Parses the part of a path after <c>/v2/</c>. Repository names contain slashes, so endpoints are
/// recognised from the end of the path, then the name is checked against the spec's grammar.
/// </summary>
public static partial class RegistryRouteParser
{
    public const int MaxNameLength = 255;

    public static RegistryRoute Parse(string rest)
    {
        if (rest.Length == 0)
        {
            return new RegistryRoute(RegistryEndpoint.Base);
        }

        if (rest is "_catalog" or "_catalog/")
        {
            return new RegistryRoute(RegistryEndpoint.Catalog);
        }

        Match m;
        if ((m = TagsPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.Tags, m.Groups["name"].Value);
        }

        if ((m = ManifestPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.Manifest, m.Groups["name"].Value, m.Groups["ref"].Value);
        }

        if ((m = UploadStartPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.UploadStart, m.Groups["name"].Value);
        }

        if ((m = UploadPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.Upload, m.Groups["name"].Value, m.Groups["id"].Value);
        }

        if ((m = ReferrersPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.Referrers, m.Groups["name"].Value, m.Groups["digest"].Value);
        }

        if ((m = BlobPath().Match(rest)).Success)
        {
            return new RegistryRoute(RegistryEndpoint.Blob, m.Groups["name"].Value, m.Groups["digest"].Value);
        }

        return new RegistryRoute(RegistryEndpoint.Unknown);
    }

    /// <summary>True when <paramref name="name"/> follows the spec's repository name grammar.</summary>
    public static bool IsValidName(string name) => name.Length <= MaxNameLength && NameGrammar().IsMatch(name);

    /// <summary>True when <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValidTag(string tag) => TagGrammar().IsMatch(tag);

    [GeneratedRegex(@"^(?<name>.+)/tags/list/?$", RegexOptions.CultureInvariant)]
    private static partial Regex TagsPath();

    [GeneratedRegex(@"^(?<name>.+)/manifests/(?<ref>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ManifestPath();

    [GeneratedRegex(@"^(?<name>.+)/blobs/uploads/?$", RegexOptions.CultureInvariant)]
    private static partial Regex UploadStartPath();

    [GeneratedRegex(@"^(?<name>.+)/blobs/uploads/(?<id>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex UploadPath();

    [GeneratedRegex(@"^(?<name>.+)/referrers/(?<digest>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferrersPath();

    [GeneratedRegex(@"^(?<name>.+)/blobs/(?<digest>[^/]+)$", RegexOptions.CultureInvariant)]
    private static partial Regex BlobPath();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex NameGrammar();

    [GeneratedRegex(@"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagGrammar();
}
