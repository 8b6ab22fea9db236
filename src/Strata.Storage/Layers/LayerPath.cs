namespace Strata.Storage.Layers;

/// <summary>Lexical normalisation of tar entry names (docker's cleaning): never lets a name climb above the root.</summary>
public static class LayerPath
{
    public const string WhiteoutPrefix = ".wh.";
    public const string OpaqueMarker = ".wh..wh..opq";
    public const string WhiteoutMetaPrefix = ".wh..wh.";

    /// <summary>
    /// Strips leading <c>/</c> and <c>./</c>, drops <c>.</c> and empty components and resolves <c>..</c>
    /// lexically; a <c>..</c> that would climb above the root is refused (LAYER_UNSAFE_PATH). Returns the
    /// relative path without trailing slash, or "" for the root itself.
    /// </summary>
    public static string Normalize(string name)
    {
        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            switch (part)
            {
                case "" or ".":
                    continue;
                case "..":
                    if (parts.Count == 0)
                    {
                        throw LayerErrors.Unsafe(name, "the path climbs out of the layer root with \"..\"");
                    }

                    parts.RemoveAt(parts.Count - 1);
                    continue;
                default:
                    parts.Add(part);
                    continue;
            }
        }

        return string.Join('/', parts);
    }

    public static string Parent(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? "" : path[..slash];
    }

    public static string BaseName(string path)
    {
        var slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }

    public static string Join(string parent, string name) => parent.Length == 0 ? name : parent + "/" + name;
}
