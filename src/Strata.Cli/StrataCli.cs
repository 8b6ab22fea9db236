using System.CommandLine;
using Strata.Cli.Commands;
using Strata.Cli.Output;
using Strata.Oci;

namespace Strata.Cli;

/// <summary>Builds the command tree and maps failures to one line and an exit code, as docker does.</summary>
public static class StrataCli
{
    public static RootCommand Build()
    {
        var globals = new GlobalOptions();
        var root = new RootCommand("strata: a Docker-compatible image engine and registry");
        globals.AddTo(root);
        SystemCommands.Register(root, globals);
        ImageCommands.Register(root, globals);
        DistributionCommands.Register(root, globals);
        ContainerCommands.Register(root, globals);
        RegistryCommands.Register(root, globals);
        BuildCommands.Register(root, globals);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cts.Cancel();
        };
        try
        {
            var parse = Build().Parse(ArgsPreprocessor.Process(args));
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }, cts.Token).ConfigureAwait(false);
        }
        catch (StrataException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode ?? ExitCodes.For(e.Kind);
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Error: cancelled").ConfigureAwait(false);
            return 130;
        }
        catch (UnauthorizedAccessException e)
        {
            await Console.Error.WriteLineAsync($"Error: permission denied: {e.Message}").ConfigureAwait(false);
            return 125;
        }
        catch (IOException e)
        {
            await Console.Error.WriteLineAsync($"Error: {e.Message}").ConfigureAwait(false);
            return 125;
        }
        catch (Exception e) when (Environment.GetEnvironmentVariable("STRATA_DEBUG") is null)
        {
            // Bugs still get one line; STRATA_DEBUG=1 shows the stack trace.
            await Console.Error.WriteLineAsync($"Error: internal error ({e.GetType().Name}): {e.Message}").ConfigureAwait(false);
            return 125;
        }
    }
}
