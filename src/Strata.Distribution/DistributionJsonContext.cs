using System.Text.Json.Serialization;
using Strata.Distribution.Auth;
using Strata.Distribution.Credentials;
using Strata.Distribution.Protocol;
using Strata.Distribution.Settings;

namespace Strata.Distribution;

/// <summary>Source-generated JSON for registry protocol documents, token answers and settings files (NativeAOT).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true)]
[JsonSerializable(typeof(RegistryErrorBody))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(TagList))]
[JsonSerializable(typeof(DaemonSettingsFile))]
[JsonSerializable(typeof(HelperCredential))]
public sealed partial class DistributionJsonContext : JsonSerializerContext;
