namespace Strata.Distribution.Auth;

/// <summary>Token scopes (distribution docs, token-scope.md): <c>repository:NAME:pull,push</c>.</summary>
public static class RegistryScope
{
    /// <summary>The request option carrying the scopes a request needs, so the auth handler can ask for them.</summary>
    public static readonly HttpRequestOptionsKey<IReadOnlyList<string>> Key = new("strata.registry.scopes");

    public static string Pull(string repository) => $"repository:{repository}:pull";

    public static string PullPush(string repository) => $"repository:{repository}:pull,push";

    /// <summary>Merges scopes by resource: <c>repository:a:pull</c> + <c>repository:a:push</c> = <c>repository:a:pull,push</c>.</summary>
    public static IReadOnlyList<string> Merge(IEnumerable<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var byResource = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        foreach (var scope in scopes)
        {
            var lastColon = scope.LastIndexOf(':');
            if (lastColon <= 0)
            {
                continue;
            }

            var resource = scope[..lastColon];
            if (!byResource.TryGetValue(resource, out var actions))
            {
                actions = new SortedSet<string>(StringComparer.Ordinal);
                byResource[resource] = actions;
            }

            foreach (var a in scope[(lastColon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                actions.Add(a);
            }
        }

        return [.. byResource.Select(kv => $"{kv.Key}:{string.Join(',', kv.Value)}")];
    }
}
