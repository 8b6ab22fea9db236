using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>
/// One <c>--output</c> (BuildKit's exporters): <c>type=local,dest=DIR</c> (the final stage's files),
/// <c>type=tar,dest=FILE</c> (them as a tar), <c>type=oci|docker,dest=FILE</c> (the image as an archive) or
/// <c>type=image,name=REF[,push=true]</c> (stored under the name, and pushed). <c>-o DIR</c> is <c>type=local,dest=DIR</c>.
/// </summary>
public sealed record BuildOutput(string Type, string? Dest, IReadOnlyList<Reference> Names, bool Push)
{
    public static BuildOutput Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('=', StringComparison.Ordinal))
        {
            return new BuildOutput("local", value, [], false);
        }

        string? type = null, dest = null;
        var names = new List<Reference>();
        var push = false;
        foreach (var field in Instructions.RunMount.SplitCsv(value))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            var key = (eq < 0 ? field : field[..eq]).Trim().ToLowerInvariant();
            var v = eq < 0 ? string.Empty : field[(eq + 1)..];
            switch (key)
            {
                case "type":
                    type = v.ToLowerInvariant();
                    break;
                case "dest":
                    dest = v;
                    break;
                case "name":
                    foreach (var n in v.Split(',', StringSplitOptions.RemoveEmptyEntries))
                    {
                        var r = Reference.Parse(n);
                        names.Add(r.Tag is null && r.Digest is null ? r.WithTag(Reference.DefaultTag) : r);
                    }

                    break;
                case "push":
                    push = v.Length == 0 || v.Equals("true", StringComparison.OrdinalIgnoreCase);
                    break;
                default:
                    // BuildKit's exporter attributes Strata does not act on (compression, oci-mediatypes, ...) are accepted.
                    break;
            }
        }

        switch (type)
        {
            case "local" or "tar" or "oci" or "docker" when string.IsNullOrEmpty(dest):
                throw StrataException.Invalid(BuildErrors.OutputInvalid, $"invalid --output \"{value}\": type={type} needs dest=PATH");
            case "image" or "registry" when names.Count == 0:
                throw StrataException.Invalid(BuildErrors.OutputInvalid, $"invalid --output \"{value}\": type={type} needs name=REF");
            case "local" or "tar" or "oci" or "docker" or "image":
                return new BuildOutput(type, dest, names, push);
            case "registry":
                return new BuildOutput("image", null, names, true);
            default:
                throw StrataException.Invalid(BuildErrors.OutputInvalid, $"invalid --output \"{value}\": type must be local, tar, oci, docker, image or registry");
        }
    }
}
