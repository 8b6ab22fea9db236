using System.Reflection;

namespace Strata.Registry.Ui;

/// <summary>The UI's static files, embedded in the assembly (no files on disk, no build step).</summary>
internal static class UiAssets
{
    private const string Prefix = "Strata.Registry.Ui.Assets.";

    public static Stream? Open(string name)
    {
        if (name.Length == 0 || name.Contains('/', StringComparison.Ordinal) || name.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        return typeof(UiAssets).Assembly.GetManifestResourceStream(Prefix + name);
    }

    public static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };

    public static IEnumerable<string> Names =>
        typeof(UiAssets).Assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Select(n => n[Prefix.Length..]);

    internal static Assembly Assembly => typeof(UiAssets).Assembly;
}
