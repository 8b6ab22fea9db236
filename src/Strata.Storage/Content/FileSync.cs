namespace Strata.Storage.Content;

/// <summary>Durability helpers: fsync of directories after a rename, as rename alone is not durable.</summary>
public static partial class FileSync
{
    /// <summary>fsyncs a directory so a rename into it survives a crash. Best effort off Linux.</summary>
    public static void SyncDirectory(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            SyncDirectoryLinux(path);
        }
    }

    /// <summary>Writes bytes to a temp file, fsyncs it and renames it over <paramref name="path"/>.</summary>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                await fs.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                await fs.FlushAsync(cancellationToken).ConfigureAwait(false);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
            SyncDirectory(dir);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }
}
