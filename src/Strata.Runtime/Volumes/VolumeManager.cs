using Strata.Oci;
using Strata.Runtime.Containers;

namespace Strata.Runtime.Volumes;

/// <summary>
/// Volume operations that need to know the containers (<c>volume rm</c>, <c>volume prune</c>, <c>rm -v</c>):
/// a volume a container's mounts name is in use. Plain records (create, list, inspect) are on <see cref="Store"/>.
/// </summary>
public sealed class VolumeManager
{
    private readonly ContainerStore _containers;

    public VolumeManager(VolumeStore store, ContainerStore containers)
    {
        Store = store;
        _containers = containers;
    }

    public VolumeStore Store { get; }

    /// <summary><c>volume rm</c>: refuses a volume a container uses unless forced.</summary>
    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken = default)
    {
        await Store.GetAsync(name, cancellationToken).ConfigureAwait(false);
        if (!force && await UsersOfAsync(name, cancellationToken).ConfigureAwait(false) is { Count: > 0 } users)
        {
            throw new StrataException(ErrorKind.Conflict, "VOLUME_IN_USE", $"remove {name}: volume is in use - [{string.Join(", ", users)}]");
        }

        await Store.RemoveAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>volume prune</c>: unused anonymous volumes, or every unused volume with <paramref name="all"/>.</summary>
    public async Task<IReadOnlyList<string>> PruneAsync(bool all, CancellationToken cancellationToken = default)
    {
        var removed = new List<string>();
        foreach (var v in await Store.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if ((all || v.Anonymous) && !await InUseAsync(v.Name, cancellationToken).ConfigureAwait(false))
            {
                await Store.RemoveAsync(v.Name, cancellationToken).ConfigureAwait(false);
                removed.Add(v.Name);
            }
        }

        return removed;
    }

    /// <summary><c>rm -v</c>: the anonymous volumes among <paramref name="mounts"/> that no other container uses (never named ones).</summary>
    public async Task RemoveAnonymousAsync(IEnumerable<MountPoint> mounts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mounts);
        foreach (var m in mounts.Where(m => m.Type == "volume" && m.Anonymous))
        {
            if (!await InUseAsync(m.Source, cancellationToken).ConfigureAwait(false)
                && await Store.TryGetAsync(m.Source, cancellationToken).ConfigureAwait(false) is not null)
            {
                await Store.RemoveAsync(m.Source, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>IDs of the containers whose mounts name volume <paramref name="name"/>.</summary>
    public async Task<IReadOnlyList<string>> UsersOfAsync(string name, CancellationToken cancellationToken = default) =>
        [.. (await _containers.ListAsync(cancellationToken).ConfigureAwait(false)).Where(c => c.Spec.Mounts.Any(m => m.Type == "volume" && m.Source == name)).Select(c => c.Id)];

    private async Task<bool> InUseAsync(string name, CancellationToken cancellationToken) =>
        (await UsersOfAsync(name, cancellationToken).ConfigureAwait(false)).Count > 0;
}
