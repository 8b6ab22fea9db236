using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Registry.Ui;

/// <summary>
/// Signs and checks the UI's session cookie and CSRF tokens with HMAC-SHA256 under a key kept
/// only in memory (a restart signs everyone out). Cookie value: base64url(user|admin|expiry|nonce).mac.
/// The CSRF token is a MAC over the session value, so it is bound to one session and needs no store.
/// </summary>
public sealed class UiSessionSigner
{
    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public UiSessionSigner(byte[]? key = null, TimeProvider? time = null)
    {
        _key = key ?? RandomNumberGenerator.GetBytes(32);
        _time = time ?? TimeProvider.System;
    }

    public static TimeSpan Lifetime { get; } = TimeSpan.FromHours(8);

    public string Issue(UiUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var expiry = _time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds();
        var nonce = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
        var payload = $"{user.Name}|{(user.IsAdmin ? 1 : 0)}|{expiry}|{nonce}";
        var body = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload));
        return body + "." + Mac("session", body);
    }

    public UiUser? Validate(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie))
        {
            return null;
        }

        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }

        var body = cookie[..dot];
        if (!FixedEquals(cookie[(dot + 1)..], Mac("session", body)))
        {
            return null;
        }

        string payload;
        try
        {
            payload = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(body));
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = payload.Split('|');
        if (parts.Length != 4 || !long.TryParse(parts[2], out var expiry) || expiry < _time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        return new UiUser(parts[0], parts[1] == "1");
    }

    /// <summary>The CSRF token for a session cookie value (double-submit, bound to the session).</summary>
    public string CsrfToken(string sessionCookie) => Mac("csrf", sessionCookie ?? string.Empty);

    public bool ValidateCsrf(string? sessionCookie, string? token) =>
        !string.IsNullOrEmpty(token) && FixedEquals(token, CsrfToken(sessionCookie ?? string.Empty));

    private string Mac(string purpose, string value) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + ":" + value)));

    private static bool FixedEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
