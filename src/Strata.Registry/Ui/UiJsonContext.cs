using System.Text.Json.Serialization;

namespace Strata.Registry.Ui;

/// <summary>Source-generated JSON for the UI endpoints (NativeAOT: no reflection).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UiRepositoryPage))]
[JsonSerializable(typeof(UiRepositoryTags))]
[JsonSerializable(typeof(WastedBytesReport))]
[JsonSerializable(typeof(UiSessionInfo))]
[JsonSerializable(typeof(IReadOnlyList<UiReferrer>))]
[JsonSerializable(typeof(UiError))]
[JsonSerializable(typeof(IReadOnlyList<UiUserInfo>))]
[JsonSerializable(typeof(IReadOnlyList<UiRule>))]
[JsonSerializable(typeof(IReadOnlyList<UiUsage>))]
[JsonSerializable(typeof(UiUsage))]
[JsonSerializable(typeof(UiGcReport))]
internal sealed partial class UiJsonContext : JsonSerializerContext;
