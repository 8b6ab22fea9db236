namespace Strata.Cli.Commands.Registry;

/// <summary>What the registry admin commands share.</summary>
internal static class RegistryAdmin
{
    public static async Task<string> ReadPasswordAsync(string? password, bool stdin, CancellationToken cancellationToken)
    {
        if (stdin && password is not null)
        {
            throw Strata.Oci.StrataException.Invalid("PASSWORD_FLAGS", "--password and --password-stdin are mutually exclusive");
        }

        if (stdin)
        {
            return (await Console.In.ReadToEndAsync(cancellationToken).ConfigureAwait(false)).TrimEnd('\n', '\r');
        }

        return password ?? throw Strata.Oci.StrataException.Invalid("PASSWORD_REQUIRED", "give the password with --password-stdin (or --password)");
    }
}
