using System.Text.Json.Serialization;

namespace Strata.Runtime.Volumes;

[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class VolumeJsonContext : JsonSerializerContext;
