namespace Strata.Oci;

/// <summary>The <c>{}</c> value of set-like maps such as ExposedPorts and Volumes.</summary>
public sealed record EmptyObject
{
    public static EmptyObject Instance { get; } = new();
}
