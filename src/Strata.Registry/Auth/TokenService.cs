using System.Buffers;
using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Strata.Registry.Auth;

/// <summary>
/// The built-in token service (docker's Bearer flow): JWTs signed with the registry's ES256 key,
/// carrying the access granted for each requested <c>repository:NAME:ACTIONS</c> scope. The key is
/// created once (0600) under the registry root and survives restarts, so issued tokens stay valid.
/// </summary>
public sealed class TokenService : IDisposable
{
    public const string Issuer = "strata-registry";
    private readonly ECDsa _key;

    private TokenService(ECDsa key, string service, TimeSpan lifetime, TimeProvider time)
    {
        _key = key;
        Service = service;
        Lifetime = lifetime;
        Time = time;
        KeyId = Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()))[..16];
    }

    public string Service { get; }

    public TimeSpan Lifetime { get; }

    public TimeProvider Time { get; }

    public string KeyId { get; }

    /// <summary>Loads the key from <paramref name="keyPath"/> or creates it atomically.</summary>
    public static TokenService LoadOrCreate(string keyPath, string service, TimeSpan lifetime, TimeProvider? time = null)
    {
        var key = ECDsa.Create();
        if (File.Exists(keyPath))
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        else
        {
            key.GenerateKey(ECCurve.NamedCurves.nistP256);
            var tmp = keyPath + ".tmp";
            File.WriteAllText(tmp, key.ExportECPrivateKeyPem());
            File.SetUnixFileMode(tmp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.Move(tmp, keyPath, overwrite: true);
        }

        return new TokenService(key, service, lifetime, time ?? TimeProvider.System);
    }

    /// <summary>Issues a token for <paramref name="subject"/> (empty = anonymous) with <paramref name="access"/>.</summary>
    public string Issue(string subject, IReadOnlyDictionary<string, IReadOnlyList<string>> access, out DateTimeOffset issuedAt)
    {
        var now = Time.GetUtcNow();
        issuedAt = now;
        var header = Encode(w =>
        {
            w.WriteString("alg", "ES256");
            w.WriteString("typ", "JWT");
            w.WriteString("kid", KeyId);
        });
        var payload = Encode(w =>
        {
            w.WriteString("iss", Issuer);
            w.WriteString("sub", subject);
            w.WriteString("aud", Service);
            w.WriteNumber("iat", now.ToUnixTimeSeconds());
            w.WriteNumber("nbf", now.ToUnixTimeSeconds() - 5);
            w.WriteNumber("exp", (now + Lifetime).ToUnixTimeSeconds());
            w.WriteString("jti", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)));
            w.WriteStartArray("access");
            foreach (var (name, actions) in access)
            {
                w.WriteStartObject();
                w.WriteString("type", name == "catalog" ? "registry" : "repository");
                w.WriteString("name", name);
                w.WriteStartArray("actions");
                foreach (var a in actions)
                {
                    w.WriteStringValue(a);
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
        var signingInput = header + "." + payload;
        var signature = _key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Validates signature, issuer, audience and lifetime; returns the subject and access, or null.</summary>
    public (string Subject, Dictionary<string, IReadOnlyList<string>> Access)? Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            var signature = Base64Url.DecodeFromChars(parts[2]);
            if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return null;
            }

            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            var p = doc.RootElement;
            var now = Time.GetUtcNow().ToUnixTimeSeconds();
            if (p.GetProperty("iss").GetString() != Issuer || p.GetProperty("aud").GetString() != Service
                || p.GetProperty("exp").GetInt64() < now || p.GetProperty("nbf").GetInt64() > now)
            {
                return null;
            }

            var access = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
            foreach (var a in p.GetProperty("access").EnumerateArray())
            {
                access[a.GetProperty("name").GetString()!] = [.. a.GetProperty("actions").EnumerateArray().Select(x => x.GetString()!)];
            }

            return (p.GetProperty("sub").GetString() ?? string.Empty, access);
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            return null;
        }
    }

    public void Dispose() => _key.Dispose();

    private static string Encode(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }

        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }
}
