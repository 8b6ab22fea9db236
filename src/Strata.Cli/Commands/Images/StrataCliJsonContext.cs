using System.Text.Json.Serialization;

namespace Strata.Cli.Commands.Images;

/// <summary>Source-generated JSON for the image commands' output (NativeAOT).</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class StrataCliJsonContext : JsonSerializerContext;
