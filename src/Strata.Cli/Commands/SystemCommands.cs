using System.CommandLine;
using System.Reflection;
using Strata.Oci;

namespace Strata.Cli.Commands;

/// <summary><c>version</c> and the <c>system</c> group (df, check and info are added by the image area).</summary>
public static class SystemCommands
{
    public static string Version =>
        typeof(SystemCommands).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static void Register(RootCommand root, GlobalOptions globals)
    {
        var version = new Command("version", "Show the Strata version information");
        version.SetAction(_ =>
        {
            Console.WriteLine("Strata:");
            Console.WriteLine($" Version:    {Version}");
            Console.WriteLine($" .NET:       {Environment.Version}");
            Console.WriteLine($" OS/Arch:    linux/{Platform.Host.Architecture}");
            Console.WriteLine(" API:        OCI image-spec 1.1, distribution-spec 1.1, runtime-spec 1.2");
            return 0;
        });
        root.Subcommands.Add(version);

        // system df, check and info (image area).
        var system = new Command("system", "Manage Strata");
        system.Subcommands.Add(Images.SystemDfCommand.Create(globals));
        system.Subcommands.Add(Images.SystemCheckCommand.Create(globals));
        system.Subcommands.Add(Images.InfoCommand.Create(globals));
        root.Subcommands.Add(system);
        root.Subcommands.Add(Images.InfoCommand.Create(globals));
    }
}
