using Strata.Runtime.Bundles;

namespace Strata.Build.Building;

/// <summary>The resolved <c>RUN --mount</c>s of one step: bundle mounts, extra environment, and what to release after the run.</summary>
internal sealed class StepMounts : IAsyncDisposable
{
    public List<BundleMount> Mounts { get; } = [];

    /// <summary>Secret <c>env=</c> values and <c>SSH_AUTH_SOCK</c>: given to the process, never recorded.</summary>
    public List<string> Env { get; } = [];

    public List<Func<Task>> Releases { get; } = [];

    public async ValueTask DisposeAsync()
    {
        for (var i = Releases.Count - 1; i >= 0; i--)
        {
            await Releases[i]().ConfigureAwait(false);
        }

        Releases.Clear();
    }
}
