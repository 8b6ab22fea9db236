using System.Globalization;
using System.Text;

namespace Strata.Build.Building;

/// <summary>Go's fmt verbs Docker's classic builder uses in history text (<c>%q</c> of strings and slices, <c>%v</c> of slices).</summary>
public static class GoFormat
{
    /// <summary>strconv.Quote.</summary>
    public static string Quote(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var sb = new StringBuilder("\"");
        foreach (var r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (r.Value < 0x20 || r.Value == 0x7f)
                    {
                        sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(r.ToString());
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }

    /// <summary><c>%q</c> of a []string: <c>["a" "b"]</c>.</summary>
    public static string QuoteList(IEnumerable<string>? items) => "[" + string.Join(' ', (items ?? []).Select(Quote)) + "]";

    /// <summary><c>%v</c> of a []string: <c>[a b]</c>.</summary>
    public static string List(IEnumerable<string>? items) => "[" + string.Join(' ', items ?? []) + "]";

    /// <summary><c>%q</c> of an int: a quoted rune (<c>'\x03'</c>, <c>'a'</c>).</summary>
    public static string QuoteRune(int value)
    {
        if (value is >= 0x20 and < 0x7f)
        {
            return value == '\'' ? "'\\''" : value == '\\' ? "'\\\\'" : $"'{(char)value}'";
        }

        return value < 0x100 ? $"'\\x{value:x2}'" : $"'\\u{value:x4}'";
    }
}
