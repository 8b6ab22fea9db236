using Strata.Build.Building;
using Strata.Distribution.Settings;
using Strata.Storage.Images.Archives;
using Strata.Storage.Layers;
using Strata.Storage.Snapshots;

namespace Strata.Engine;

/// <summary><c>build --output</c>: the exporters that run after the image is written.</summary>
public sealed partial class StrataEngine
{
    private async Task ExportBuildAsync(BuildRequest request, BuildResult result, CancellationToken cancellationToken)
    {
        foreach (var o in request.Outputs)
        {
            switch (o.Type)
            {
                case "local":
                    await WithRootfsViewAsync(result.ChainId, root => TreeCopier.CopyAsync(root, o.Dest!, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case "tar":
                    await WriteAtomicallyAsync(o.Dest!, f => WithRootfsViewAsync(result.ChainId,
                        root => LayerDiffer.DiffAsync(root, f, LayerCompression.None, overlayWhiteouts: false, cancellationToken), cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case "oci" or "docker":
                    var format = o.Type == "oci" ? ArchiveFormat.OciArchive : ArchiveFormat.DockerArchive;
                    await WriteAtomicallyAsync(o.Dest!, f => ImageArchiveWriter.SaveAsync([result.Image.Id.ToString()], f, format, cancellationToken), cancellationToken).ConfigureAwait(false);
                    break;
                case "image":
                    foreach (var name in o.Names)
                    {
                        await Images.TagAsync(result.Image.Id.ToString(), name, cancellationToken).ConfigureAwait(false);
                    }

                    if (o.Push)
                    {
                        var pusher = ImagePusher(Registries(request.Registry ?? await RegistrySettings.LoadAsync(null, cancellationToken).ConfigureAwait(false)));
                        foreach (var name in o.Names)
                        {
                            await pusher.PushAsync(name, request.PullProgress, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>Mounts a read-only view of a committed snapshot (an empty directory for an empty image) while <paramref name="work"/> runs.</summary>
    private async Task WithRootfsViewAsync(string? chainId, Func<string, Task> work, CancellationToken cancellationToken)
    {
        var key = $"export-{Environment.ProcessId}-{Guid.NewGuid():N}";
        var target = Path.Combine(Root, "build", "mounts", key);
        Directory.CreateDirectory(target);
        try
        {
            if (chainId is null)
            {
                await work(target).ConfigureAwait(false);
                return;
            }

            var mounts = await Snapshotter.ViewAsync(key, chainId, null, cancellationToken).ConfigureAwait(false);
            try
            {
                Mounter.MountAll(mounts, target);
                try
                {
                    await work(target).ConfigureAwait(false);
                }
                finally
                {
                    Mounter.TryUnmount(target, detach: true);
                }
            }
            finally
            {
                await Snapshotter.RemoveAsync(key, CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            Directory.Delete(target);
        }
    }

    private static async Task WriteAtomicallyAsync(string path, Func<Stream, Task> write, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using (var f = File.Create(tmp))
            {
                await write(f).ConfigureAwait(false);
                await f.FlushAsync(cancellationToken).ConfigureAwait(false);
                f.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
