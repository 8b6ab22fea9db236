using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Strata.Oci;

/// <summary>
/// An image reference with Docker's normalisation (distribution/reference, normalize.go):
/// <c>busybox</c> is <c>docker.io/library/busybox:latest</c>, <c>index.docker.io</c> is <c>docker.io</c>,
/// the first path component is a registry host only when it has a '.' or ':' or is <c>localhost</c>.
/// </summary>
public sealed partial record Reference
{
    public const string DefaultDomain = "docker.io";
    public const string DefaultTag = "latest";
    private const string OfficialPrefix = "library/";
    private const int NameMaxLength = 255;

    private Reference(string domain, string path, string? tag, Digest? digest)
    {
        Domain = domain;
        Path = path;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>Registry host, with port when given (<c>docker.io</c>, <c>localhost:5000</c>).</summary>
    public string Domain { get; }

    /// <summary>Repository path inside the registry (<c>library/busybox</c>).</summary>
    public string Path { get; }

    public string? Tag { get; init; }

    public Digest? Digest { get; init; }

    /// <summary><c>domain/path</c>, the fully qualified repository name.</summary>
    public string Name => $"{Domain}/{Path}";

    /// <summary>The short form docker prints: <c>busybox</c>, <c>me/box</c>, <c>localhost:5000/x</c>.</summary>
    public string FamiliarName
    {
        get
        {
            if (Domain != DefaultDomain)
            {
                return Name;
            }

            if (Path.StartsWith(OfficialPrefix, StringComparison.Ordinal) && Path.IndexOf('/', OfficialPrefix.Length) < 0)
            {
                return Path[OfficialPrefix.Length..];
            }

            return Path;
        }
    }

    /// <summary>The familiar form with tag and digest, as docker prints references.</summary>
    public string FamiliarString => FamiliarName + Suffix;

    private string Suffix => (Tag is null ? string.Empty : ":" + Tag) + (Digest is { } d ? "@" + d : string.Empty);

    public Reference WithTag(string tag)
    {
        if (!TagPattern().IsMatch(tag))
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"invalid tag \"{tag}\"");
        }

        return this with { Tag = tag, Digest = null };
    }

    public Reference WithDigest(Digest digest) => this with { Digest = digest };

    /// <summary>The repository alone, without tag or digest.</summary>
    public Reference Repository => this with { Tag = null, Digest = null };

    /// <summary>Parses and normalises a reference; adds tag <c>latest</c> when neither tag nor digest is given.</summary>
    public static Reference Parse(string value)
    {
        var r = ParseAny(value);
        return r.Tag is null && r.Digest is null ? r with { Tag = DefaultTag } : r;
    }

    /// <summary>Parses a repository name with no tag or digest (as <c>push -a NAME</c>).</summary>
    public static Reference ParseRepository(string value)
    {
        var r = ParseAny(value);
        if (r.Tag is not null || r.Digest is not null)
        {
            throw StrataException.Invalid("REFERENCE_INVALID", $"\"{value}\": a repository name takes no tag or digest");
        }

        return r;
    }

    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out Reference? reference)
    {
        reference = null;
        if (value is null)
        {
            return false;
        }

        try
        {
            reference = Parse(value);
            return true;
        }
        catch (StrataException)
        {
            return false;
        }
    }

    /// <summary>Parses and normalises without adding a default tag.</summary>
    public static Reference ParseAny(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length == 0)
        {
            throw Bad(value, "empty reference");
        }

        var rest = value;
        Digest? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            if (!Oci.Digest.TryParse(rest[(at + 1)..], out var d, out var why))
            {
                throw Bad(value, why);
            }

            digest = d;
            rest = rest[..at];
        }

        string? tag = null;
        var lastColon = rest.LastIndexOf(':');
        if (lastColon >= 0 && rest.IndexOf('/', lastColon) < 0)
        {
            tag = rest[(lastColon + 1)..];
            rest = rest[..lastColon];
            if (!TagPattern().IsMatch(tag))
            {
                throw Bad(value, $"invalid tag \"{tag}\"");
            }
        }

        string domain;
        string path;
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? string.Empty : rest[..slash];
        if (slash < 0 || (first != "localhost" && first.IndexOfAny(['.', ':']) < 0 && first.ToLowerInvariant() == first))
        {
            domain = DefaultDomain;
            path = rest;
        }
        else
        {
            domain = first;
            path = rest[(slash + 1)..];
            if (!DomainPattern().IsMatch(domain))
            {
                throw Bad(value, $"invalid registry host \"{domain}\"");
            }
        }

        if (domain == DockerHub.LegacyDomain)
        {
            domain = DefaultDomain;
        }

        if (domain == DefaultDomain && !path.Contains('/', StringComparison.Ordinal))
        {
            path = OfficialPrefix + path;
        }

        if (path.Any(char.IsAsciiLetterUpper))
        {
            throw Bad(value, "repository name must be lowercase");
        }

        if (!PathPattern().IsMatch(path))
        {
            throw Bad(value, "invalid reference format");
        }

        if (domain.Length + 1 + path.Length > NameMaxLength)
        {
            throw Bad(value, $"repository name must not be more than {NameMaxLength} characters");
        }

        return new Reference(domain, path, tag, digest);
    }

    /// <summary>True when the string is a valid repository path component sequence (registry side).</summary>
    public static bool IsValidRepositoryPath(string path) =>
        path.Length <= NameMaxLength && PathPattern().IsMatch(path);

    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    public override string ToString() => Name + Suffix;

    private static StrataException Bad(string value, string why) =>
        StrataException.Invalid("REFERENCE_INVALID", $"invalid reference \"{value}\": {why}");

    // distribution/reference regexp.go: path-component := alpha-numeric [separator alpha-numeric]*
    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*)*$", RegexOptions.CultureInvariant)]
    private static partial Regex PathPattern();

    [GeneratedRegex(@"^[\w][\w.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"^(?:(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])(?:\.(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]))*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex DomainPattern();
}
