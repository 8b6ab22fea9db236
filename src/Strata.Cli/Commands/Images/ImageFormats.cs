using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Cli.Commands.Images;

/// <summary>Parses <c>--format docker|oci</c> for commands that write images.</summary>
public static class ImageFormats
{
    public static ImageFormat Parse(string? value) => value?.ToLowerInvariant() switch
    {
        null or "" or "docker" or "v2s2" => ImageFormat.Docker,
        "oci" => ImageFormat.Oci,
        _ => throw StrataException.Invalid("FORMAT_INVALID", $"unknown image format \"{value}\": use docker or oci"),
    };
}
