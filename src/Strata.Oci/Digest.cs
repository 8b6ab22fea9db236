using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Strata.Oci;

/// <summary>
/// A validated content digest, <c>algorithm:encoded</c> (OCI image spec, descriptor.md#digests).
/// Only sha256 (64 lowercase hex) and sha512 (128 lowercase hex) are accepted, so a digest is always
/// safe to use as a path component.
/// </summary>
public readonly record struct Digest : IComparable<Digest>
{
    private Digest(DigestAlgorithm algorithm, string encoded)
    {
        Algorithm = algorithm;
        Encoded = encoded;
    }

    public DigestAlgorithm Algorithm { get; }

    /// <summary>The lowercase hex part after the colon.</summary>
    public string Encoded { get; }

    public string AlgorithmName => Algorithm == DigestAlgorithm.Sha256 ? "sha256" : "sha512";

    /// <summary>The first 12 hex characters, as docker shows image IDs.</summary>
    public string Short => Encoded[..12];

    public bool IsDefault => Encoded is null;

    public static Digest Parse(string value)
    {
        if (!TryParse(value, out var digest, out var error))
        {
            throw StrataException.Invalid("DIGEST_INVALID", $"invalid digest \"{value}\": {error}");
        }

        return digest;
    }

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest) => TryParse(value, out digest, out _);

    public static bool TryParse([NotNullWhen(true)] string? value, out Digest digest, out string error)
    {
        digest = default;
        if (string.IsNullOrEmpty(value))
        {
            error = "empty";
            return false;
        }

        var colon = value.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            error = "missing algorithm";
            return false;
        }

        var alg = value.AsSpan(0, colon);
        var hex = value.AsSpan(colon + 1);
        DigestAlgorithm algorithm;
        int length;
        if (alg.SequenceEqual("sha256"))
        {
            algorithm = DigestAlgorithm.Sha256;
            length = 64;
        }
        else if (alg.SequenceEqual("sha512"))
        {
            algorithm = DigestAlgorithm.Sha512;
            length = 128;
        }
        else
        {
            error = $"unsupported algorithm \"{alg}\"";
            return false;
        }

        if (hex.Length != length)
        {
            error = $"{alg} needs {length} hex characters, got {hex.Length}";
            return false;
        }

        foreach (var c in hex)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                error = "encoded part must be lowercase hex";
                return false;
            }
        }

        digest = new Digest(algorithm, hex.ToString());
        error = string.Empty;
        return true;
    }

    public static Digest FromHash(DigestAlgorithm algorithm, ReadOnlySpan<byte> hash)
    {
        var expected = algorithm == DigestAlgorithm.Sha256 ? 32 : 64;
        if (hash.Length != expected)
        {
            throw new ArgumentException($"hash must be {expected} bytes", nameof(hash));
        }

        return new Digest(algorithm, Convert.ToHexStringLower(hash));
    }

    public static Digest Compute(ReadOnlySpan<byte> data, DigestAlgorithm algorithm = DigestAlgorithm.Sha256) =>
        algorithm == DigestAlgorithm.Sha256
            ? FromHash(algorithm, SHA256.HashData(data))
            : FromHash(algorithm, SHA512.HashData(data));

    public static async Task<Digest> ComputeAsync(Stream data, DigestAlgorithm algorithm = DigestAlgorithm.Sha256, CancellationToken cancellationToken = default)
    {
        var hash = algorithm == DigestAlgorithm.Sha256
            ? await SHA256.HashDataAsync(data, cancellationToken).ConfigureAwait(false)
            : await SHA512.HashDataAsync(data, cancellationToken).ConfigureAwait(false);
        return FromHash(algorithm, hash);
    }

    public static HashAlgorithmName HashName(DigestAlgorithm algorithm) =>
        algorithm == DigestAlgorithm.Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;

    public int CompareTo(Digest other) => string.CompareOrdinal(ToString(), other.ToString());

    public override string ToString() => Encoded is null ? string.Empty : $"{AlgorithmName}:{Encoded}";
}
