using System.Text.Json.Serialization;

namespace Strata.Runtime.Containers;

/// <summary>Source-generated JSON for what the runtime area stores (NativeAOT has no reflection serializer).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ContainerSpec))]
[JsonSerializable(typeof(ContainerState))]
internal sealed partial class RuntimeJsonContext : JsonSerializerContext;
