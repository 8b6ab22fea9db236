using System.Text;
using System.Text.Json;
using Strata.Build.Building;
using Strata.Oci;

namespace Strata.Cli.Commands.Build;

/// <summary><c>--metadata-file</c>: the keys buildx writes (<c>containerimage.digest</c>, <c>containerimage.config.digest</c>, <c>image.name</c>).</summary>
public static class BuildMetadata
{
    public static string Json(BuildResult result, IReadOnlyList<Reference> names)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(names);
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("containerimage.config.digest", result.Image.Id.ToString());
            w.WriteString("containerimage.digest", result.Image.ManifestDigest.ToString());
            if (names.Count > 0)
            {
                w.WriteString("image.name", string.Join(',', names.Select(n => n.ToString())));
            }

            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }
}
