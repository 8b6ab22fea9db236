using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.Containers;

/// <summary>A store with the busybox base image imported, for the container tests; removes its containers at the end.</summary>
public sealed class ContainerHost : IDisposable
{
    public StrataBinary Strata { get; } = new();

    public static async Task<ContainerHost> CreateAsync(string image = "busybox:latest")
    {
        var host = new ContainerHost();
        var tar = await Fixtures.BusyboxRootfsTarAsync();
        await host.Strata.OkAsync("import", "-c", "CMD [\"sh\"]", tar, image);
        return host;
    }

    public Task<ProcessResult> RunAsync(params string[] args) => Strata.RunAsync(args);

    public Task<string> OkAsync(params string[] args) => Strata.OkAsync(args);

    /// <summary>Polls <paramref name="condition"/> for up to <paramref name="seconds"/>.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, int seconds = 15)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    public void Dispose()
    {
        var ids = Strata.RunAsync("ps", "-aq", "--no-trunc").GetAwaiter().GetResult().Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (ids.Length > 0)
        {
            _ = Strata.RunAsync(["rm", "-f", .. ids]).GetAwaiter().GetResult();
        }

        Strata.Dispose();
    }
}
