using System.Net.Http.Headers;
using System.Text;

namespace Strata.Distribution.Auth;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge (RFC 7235 section 4.1): a scheme and its auth-params, as registries
/// send them (<c>Bearer realm="https://auth/token",service="registry",scope="repository:x:pull"</c>).
/// </summary>
public sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public bool IsBearer => Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase);

    public bool IsBasic => Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase);

    public string? Realm => Parameters.GetValueOrDefault("realm");

    public string? Service => Parameters.GetValueOrDefault("service");

    /// <summary>The scopes the server asked for (space separated in the <c>scope</c> parameter).</summary>
    public IReadOnlyList<string> Scopes =>
        Parameters.GetValueOrDefault("scope") is { Length: > 0 } s ? s.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    /// <summary>The challenges of a response, strongest usable first (Bearer before Basic).</summary>
    public static IReadOnlyList<AuthChallenge> FromResponse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var result = new List<AuthChallenge>();
        foreach (var h in response.Headers.WwwAuthenticate)
        {
            result.Add(FromHeader(h));
        }

        return [.. result.OrderBy(c => c.IsBearer ? 0 : c.IsBasic ? 1 : 2)];
    }

    public static AuthChallenge FromHeader(AuthenticationHeaderValue header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return new AuthChallenge(header.Scheme, ParseParameters(header.Parameter ?? string.Empty));
    }

    /// <summary>Parses one header value that may hold several challenges (<c>Basic realm="a", Bearer realm="b"</c>).</summary>
    public static IReadOnlyList<AuthChallenge> Parse(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var result = new List<AuthChallenge>();
        var i = 0;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        while (i < header.Length)
        {
            SkipSeparators(header, ref i);
            var token = ReadToken(header, ref i);
            if (token.Length == 0)
            {
                i++;
                continue;
            }

            SkipSpaces(header, ref i);
            if (i < header.Length && header[i] == '=' && scheme is not null)
            {
                i++;
                SkipSpaces(header, ref i);
                parameters[token] = ReadValue(header, ref i);
                continue;
            }

            if (scheme is not null)
            {
                result.Add(new AuthChallenge(scheme, parameters));
                parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            }

            scheme = token;
        }

        if (scheme is not null)
        {
            result.Add(new AuthChallenge(scheme, parameters));
        }

        return result;
    }

    /// <summary>Parses <c>k=v, k2="quoted \" value"</c>; names are case-insensitive.</summary>
    public static IReadOnlyDictionary<string, string> ParseParameters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < text.Length)
        {
            SkipSeparators(text, ref i);
            var name = ReadToken(text, ref i);
            if (name.Length == 0)
            {
                i++;
                continue;
            }

            SkipSpaces(text, ref i);
            if (i < text.Length && text[i] == '=')
            {
                i++;
                SkipSpaces(text, ref i);
                parameters[name] = ReadValue(text, ref i);
            }
        }

        return parameters;
    }

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t')
        {
            i++;
        }
    }

    private static void SkipSeparators(string s, ref int i)
    {
        while (i < s.Length && s[i] is ' ' or '\t' or ',')
        {
            i++;
        }
    }

    private static string ReadToken(string s, ref int i)
    {
        var start = i;
        while (i < s.Length && s[i] is not (' ' or '\t' or ',' or '=' or '"'))
        {
            i++;
        }

        return s[start..i];
    }

    private static string ReadValue(string s, ref int i)
    {
        if (i < s.Length && s[i] == '"')
        {
            i++;
            var sb = new StringBuilder();
            while (i < s.Length && s[i] != '"')
            {
                if (s[i] == '\\' && i + 1 < s.Length)
                {
                    i++;
                }

                sb.Append(s[i]);
                i++;
            }

            i++; // closing quote
            return sb.ToString();
        }

        var start = i;
        while (i < s.Length && s[i] is not (',' or ' ' or '\t'))
        {
            i++;
        }

        return s[start..i];
    }
}
