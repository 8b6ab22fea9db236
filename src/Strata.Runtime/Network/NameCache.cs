using System.Net;

namespace Strata.Runtime.Network;

/// <summary>
/// What a container's DNS responder asks: a <see cref="NameTable"/> kept until the store's names stamp changes
/// (every attach, detach, connect and disconnect rewrites it). File times are coarse (a few ms), so a table
/// loaded right after a change is reloaded on the next query; a name not found reloads at most once a second.
/// </summary>
public sealed class NameCache
{
    private static readonly TimeSpan Coarse = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MissReload = TimeSpan.FromSeconds(1);
    private readonly NetworkManager _manager;
    private readonly string _containerId;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private NameTable? _table;
    private DateTime _stamp;
    private DateTime _loadedAt;
    private bool _uncertain;

    internal NameCache(NetworkManager manager, string containerId)
    {
        _manager = manager;
        _containerId = containerId;
    }

    public async ValueTask<IPAddress?> FindAsync(string name, CancellationToken cancellationToken)
    {
        var stamp = File.GetLastWriteTimeUtc(_manager.NamesStampPath);
        if (_table is null || stamp != _stamp || _uncertain)
        {
            await ReloadAsync(stamp, cancellationToken).ConfigureAwait(false);
        }

        if (_table!.Find(name) is { } ip)
        {
            return ip;
        }

        if (DateTime.UtcNow - _loadedAt > MissReload)
        {
            await ReloadAsync(stamp, cancellationToken).ConfigureAwait(false);
            return _table.Find(name);
        }

        return null;
    }

    private async Task ReloadAsync(DateTime stamp, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var now = DateTime.UtcNow;
            _table = await _manager.NameTableAsync(_containerId, cancellationToken).ConfigureAwait(false);
            _stamp = stamp;
            _loadedAt = now;
            _uncertain = now - stamp < Coarse;
        }
        finally
        {
            _gate.Release();
        }
    }
}
