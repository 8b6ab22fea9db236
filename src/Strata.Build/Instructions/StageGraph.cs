using Strata.Build.Parsing;

namespace Strata.Build.Instructions;

/// <summary>
/// Which stages a target needs: the stages its FROM, <c>COPY --from</c> and <c>RUN --mount=from=</c> name, and
/// theirs in turn (BuildKit solves the same graph: stages nothing needs are never built). References that only
/// resolve at build time (an ARG of the stage) are found then and built on demand.
/// </summary>
public static class StageGraph
{
    public static SortedSet<int> Needed(BuildPlan plan, int target, Func<string, string> expand)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(expand);
        var needed = new SortedSet<int>();
        var pending = new Stack<int>();
        pending.Push(target);
        while (pending.Count > 0)
        {
            var i = pending.Pop();
            if (!needed.Add(i))
            {
                continue;
            }

            foreach (var d in Dependencies(plan, plan.Stages[i], expand))
            {
                pending.Push(d);
            }
        }

        return needed;
    }

    /// <summary>The earlier stages one stage names.</summary>
    public static IEnumerable<int> Dependencies(BuildPlan plan, Stage stage, Func<string, string> expand)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(stage);
        ArgumentNullException.ThrowIfNull(expand);
        var refs = new List<string> { stage.BaseName };
        foreach (var node in stage.Instructions)
        {
            refs.AddRange(References(node));
        }

        var result = new HashSet<int>();
        foreach (var r in refs)
        {
            var name = expand(r);
            var match = plan.Stages.Take(stage.Index).LastOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match is not null)
            {
                result.Add(match.Index);
            }
            else if (int.TryParse(name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var idx) && idx < stage.Index
                     && IsNotFrom(r, stage))
            {
                result.Add(idx);
            }
        }

        return result;
    }

    // FROM takes stage names only; COPY --from and mounts also take indexes.
    private static bool IsNotFrom(string reference, Stage stage) => !ReferenceEquals(reference, stage.BaseName);

    private static IEnumerable<string> References(DockerfileNode node)
    {
        foreach (var f in node.Flags)
        {
            if (f.Name == "from" && node.Keyword == "copy" && f.Value is { } v)
            {
                yield return v;
            }
            else if (f.Name == "mount" && node.Keyword == "run" && f.Value is { } m)
            {
                List<string> fields;
                try
                {
                    fields = RunMount.SplitCsv(m);
                }
                catch (FormatException)
                {
                    continue;
                }

                foreach (var field in fields)
                {
                    if (field.StartsWith("from=", StringComparison.OrdinalIgnoreCase))
                    {
                        yield return field["from=".Length..];
                    }
                }
            }
        }
    }
}
