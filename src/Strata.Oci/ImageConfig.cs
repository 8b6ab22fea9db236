using System.Text.Json;
using System.Text.Json.Serialization;

namespace Strata.Oci;

/// <summary>
/// An image configuration (OCI image spec, config.md; Docker image JSON v1.2). Unknown fields are kept
/// in <see cref="Extra"/> so a config we re-serialize after a mutation loses nothing.
/// </summary>
public sealed record ImageConfig
{
    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; init; }

    [JsonPropertyName("author")]
    public string? Author { get; init; }

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = Platform.Host.Architecture;

    [JsonPropertyName("os")]
    public string Os { get; init; } = "linux";

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    [JsonPropertyName("config")]
    public ContainerConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public RootFs RootFs { get; init; } = new();

    [JsonPropertyName("history")]
    public IReadOnlyList<HistoryEntry>? History { get; init; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }

    [JsonIgnore]
    public ReadOnlyMemory<byte> Raw { get; init; }

    [JsonIgnore]
    public Digest Digest => Digest.Compute(Raw.Span);

    public static ImageConfig Parse(ReadOnlyMemory<byte> raw)
    {
        try
        {
            var c = JsonSerializer.Deserialize(raw.Span, OciJsonContext.Default.ImageConfig)
                ?? throw StrataException.Invalid("CONFIG_INVALID", "image config is null");
            // The source-generated reader leaves a member the JSON lacks at null, initializer or not
            // (init-only members are set through one object initializer): restore the defaults so a
            // config without rootfs (found by fuzz/, target oci) is an image with no layers, not a crash.
            return c with
            {
                Raw = raw,
                Architecture = c.Architecture ?? Platform.Host.Architecture,
                Os = c.Os ?? "linux",
                RootFs = c.RootFs is { DiffIds: not null } rootFs ? rootFs : new RootFs { Type = c.RootFs?.Type ?? "layers" },
            };
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("CONFIG_INVALID", $"invalid image config: {e.Message}", e);
        }
    }

    /// <summary>Serializes a config Strata produced and returns it with <see cref="Raw"/> set.</summary>
    public ImageConfig Seal() => this with { Raw = JsonSerializer.SerializeToUtf8Bytes(this, OciJsonContext.Default.ImageConfig) };

    public Platform Platform => new() { Os = Os, Architecture = Architecture, Variant = Variant };
}
