namespace Strata.Build.Copying;

/// <summary>
/// Where COPY/ADD sources come from: the build context (with its .dockerignore) or another stage's or image's
/// root filesystem (<c>--from</c>). <see cref="Identity"/> names it in cache keys.
/// </summary>
public sealed record SourceTree(string Root, Func<string, bool> IsExcluded, bool IsContext, string Identity)
{
    /// <summary>Every path (slash-separated, relative) in the tree that is not excluded; excluded directories are
    /// still walked when exceptions may re-include something inside them, as docker's context walk does.</summary>
    public IEnumerable<string> Walk(bool descendExcluded)
    {
        var stack = new Stack<string>();
        stack.Push(string.Empty);
        while (stack.Count > 0)
        {
            var rel = stack.Pop();
            var dir = rel.Length == 0 ? Root : Path.Combine(Root, rel);
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateFileSystemEntries(dir).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }

            foreach (var name in children.Reverse())
            {
                var childRel = rel.Length == 0 ? name : rel + "/" + name;
                var full = Path.Combine(Root, childRel);
                var excluded = IsExcluded(childRel);
                var isDir = Directory.Exists(full) && new FileInfo(full).LinkTarget is null;
                if (!excluded)
                {
                    yield return childRel;
                }

                if (isDir && (!excluded || descendExcluded))
                {
                    stack.Push(childRel);
                }
            }
        }
    }
}
