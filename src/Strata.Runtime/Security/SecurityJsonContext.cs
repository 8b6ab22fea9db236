using System.Text.Json.Serialization;

namespace Strata.Runtime.Security;

/// <summary>Source-generated JSON for seccomp profiles (NativeAOT has no reflection serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(SeccompProfile))]
[JsonSerializable(typeof(OciSeccomp))]
internal sealed partial class SecurityJsonContext : JsonSerializerContext;
