namespace Strata.Build.Building;

/// <summary>A build secret (<c>build --secret id=X,src=FILE|env=VAR</c>): read when a RUN mounts it, never stored.</summary>
public sealed record SecretSource(string Id, string? File, string? EnvironmentVariable)
{
    /// <summary>The secret's bytes, or null when its file or variable is missing.</summary>
    public async Task<byte[]?> ReadAsync(CancellationToken cancellationToken)
    {
        if (File is not null)
        {
            return System.IO.File.Exists(File) ? await System.IO.File.ReadAllBytesAsync(File, cancellationToken).ConfigureAwait(false) : null;
        }

        return Environment.GetEnvironmentVariable(EnvironmentVariable ?? Id) is { } v ? System.Text.Encoding.UTF8.GetBytes(v) : null;
    }
}
