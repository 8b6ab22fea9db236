using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using Strata.Cli.Output;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Cli.Commands.Images;

/// <summary><c>strata images [REPOSITORY[:TAG]]</c> / <c>image ls</c>: one row per tag, <c>&lt;none&gt;</c> for dangling images.</summary>
public static class ListCommand
{
    public static Command Create(GlobalOptions globals, string name)
    {
        var repo = new Argument<string?>("repository") { Description = "Only images of this REPOSITORY[:TAG]", Arity = ArgumentArity.ZeroOrOne };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only show image IDs" };
        var digests = new Option<bool>("--digests") { Description = "Show digests" };
        var all = new Option<bool>("--all", "-a") { Description = "Show all images (default hides intermediate images)" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Don't truncate output" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, or 'json'" };
        var filter = new Option<string[]>("--filter", "-f") { Description = "Filter output (dangling=true|false, reference=PATTERN)" };
        var cmd = new Command(name, "List images");
        if (name == "ls")
        {
            cmd.Aliases.Add("list");
        }

        cmd.Arguments.Add(repo);
        foreach (var o in new Option[] { quiet, digests, all, noTrunc, format, filter })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await globals.OpenEngineAsync(parse, ct);
            var images = await engine.Images.ListAsync(ct).ToListAsync(ct);
            var rows = Rows(images, parse.GetValue(repo), parse.GetValue(filter) ?? []);
            var trunc = !parse.GetValue(noTrunc);
            string Id(Digest d) => trunc ? d.Short : d.ToString();
            var fmt = parse.GetValue(format);
            if (parse.GetValue(quiet))
            {
                foreach (var id in rows.Select(r => Id(r.Image.Id)).Distinct())
                {
                    Console.WriteLine(id);
                }

                return 0;
            }

            if (fmt is not null)
            {
                var template = fmt == "json" ? null : GoTemplate.Parse(fmt.StartsWith("table ", StringComparison.Ordinal) ? fmt[6..] : fmt);
                foreach (var r in rows)
                {
                    var o = Json(r, Id);
                    Console.WriteLine(template is null ? o.ToJsonString(Strata.Cli.Output.CliJson.Compact) : template.Render(o));
                }

                return 0;
            }

            var showDigests = parse.GetValue(digests);
            var table = showDigests
                ? new Table("REPOSITORY", "TAG", "DIGEST", "IMAGE ID", "CREATED", "SIZE")
                : new Table("REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE");
            foreach (var r in rows)
            {
                var created = ImageInspectView.Ago(r.Image.Created);
                var size = Units.FormatSize(r.Image.Size);
                if (showDigests)
                {
                    table.Add(r.Repository, r.Tag, r.Digest, Id(r.Image.Id), created, size);
                }
                else
                {
                    table.Add(r.Repository, r.Tag, Id(r.Image.Id), created, size);
                }
            }

            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }

    private sealed record Row(ImageRecord Image, string Repository, string Tag, string Digest);

    private static List<Row> Rows(IReadOnlyList<ImageRecord> images, string? repoFilter, string[] filters)
    {
        bool? dangling = null;
        var patterns = new List<string>();
        foreach (var f in filters)
        {
            var (k, v) = f.Split('=', 2) is [var a, var b] ? (a, b) : throw StrataException.Invalid("FILTER_INVALID", $"bad format of filter (expected name=value): {f}");
            switch (k)
            {
                case "dangling":
                    dangling = v is "true" or "1";
                    break;
                case "reference":
                    patterns.Add(v);
                    break;
                default:
                    throw StrataException.Invalid("FILTER_INVALID", $"invalid filter '{k}'");
            }
        }

        Reference? wanted = null;
        if (repoFilter is not null)
        {
            var r = Reference.ParseAny(repoFilter);
            wanted = r;
        }

        var rows = new List<Row>();
        foreach (var image in images)
        {
            if (dangling is { } d && d != (image.Names.Count == 0))
            {
                continue;
            }

            if (image.Names.Count == 0)
            {
                if (wanted is null && patterns.Count == 0)
                {
                    var digest = image.RepoDigests.FirstOrDefault()?.Digest?.ToString() ?? "<none>";
                    rows.Add(new Row(image, "<none>", "<none>", digest));
                }

                continue;
            }

            foreach (var n in image.Names)
            {
                if (wanted is not null && (n.Name != wanted.Name || (wanted.Tag is { } t && n.Tag != t)))
                {
                    continue;
                }

                if (patterns.Count > 0 && !patterns.Any(p => Glob(p, n.FamiliarString) || Glob(p, n.FamiliarName)))
                {
                    continue;
                }

                var digest = image.RepoDigests.FirstOrDefault(rd => rd.Name == n.Name)?.Digest?.ToString() ?? "<none>";
                rows.Add(new Row(image, n.FamiliarName, n.Tag ?? "<none>", digest));
            }
        }

        return rows;
    }

    private static JsonObject Json(Row r, Func<Digest, string> id) => new()
    {
        ["Containers"] = "N/A",
        ["CreatedAt"] = r.Image.Created.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss '+0000 UTC'", CultureInfo.InvariantCulture),
        ["CreatedSince"] = ImageInspectView.Ago(r.Image.Created),
        ["Digest"] = r.Digest,
        ["ID"] = id(r.Image.Id),
        ["Repository"] = r.Repository,
        ["SharedSize"] = "N/A",
        ["Size"] = Units.FormatSize(r.Image.Size),
        ["Tag"] = r.Tag,
        ["UniqueSize"] = "N/A",
        ["VirtualSize"] = Units.FormatSize(r.Image.Size),
    };

    /// <summary>Shell-style glob (<c>*</c>, <c>?</c>) as docker's reference filter uses.</summary>
    internal static bool Glob(string pattern, string value)
    {
        var rx = "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", "[^/]*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";
        return System.Text.RegularExpressions.Regex.IsMatch(value, rx, System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }
}
