using System.Text.Encodings.Web;
using System.Text.Json;

namespace Strata.Cli.Output;

/// <summary>JSON as docker prints it: <c>+0000</c> and <c>&lt;none&gt;</c> literally, not as \u escapes.</summary>
public static class CliJson
{
    /// <summary>One object per line (<c>--format json</c>).</summary>
    public static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Indented with four spaces (<c>inspect</c>).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, IndentSize = 4, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
