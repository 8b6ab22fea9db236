using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    /// <summary>
    /// <c>commit</c>: the container's upper directory becomes one new layer (overlay whiteouts turned into OCI
    /// whiteouts, gzip, digest and diffID in one pass) on top of its image; the config is the container's
    /// (command, env, working dir, user) with the <c>--change</c> instructions applied, and a history entry
    /// carries the author and message. A running container is paused while its layer is read, unless told not to.
    /// </summary>
    public async Task<ImageRecord> CommitAsync(CommitRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var changes = ChangeInstructions.Parse(request.Changes);
        var c = await GetAsync(request.Container, cancellationToken).ConfigureAwait(false);
        var baseImage = await _images.ResolveAsync(c.Spec.ImageId, cancellationToken).ConfigureAwait(false);
        var runtime = RuntimeFor(c.Spec);
        var paused = false;
        if (request.Pause && c.State.Status == ContainerStatus.Running)
        {
            paused = (await runtime.PauseAsync(c.Id, cancellationToken).ConfigureAwait(false)).ExitCode == 0;
        }

        LayerBlob layer;
        try
        {
            layer = await LayerBlobWriter.WriteAsync(_content, (s, ct) => _snapshots.DiffAsync(c.SnapshotKey, s, LayerCompression.Gzip, ct), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (paused)
            {
                await runtime.ResumeAsync(c.Id, CancellationToken.None).ConfigureAwait(false);
            }
        }

        var fromContainer = new ConfigChanges
        {
            Cmd = c.Spec.Cmd,
            Entrypoint = c.Spec.Entrypoint,
            Env = c.Spec.Env,
            WorkingDir = c.Spec.WorkingDir,
            User = c.Spec.User,
        };
        return await _writer.WriteAsync(new ImageWriteRequest
        {
            Base = baseImage,
            Layers = [layer],
            Changes = ConfigChanges.Combine(fromContainer, changes),
            CreatedBy = string.Join(' ', c.Spec.Args),
            Comment = request.Message,
            Author = request.Author,
            Name = request.Name,
        }, cancellationToken).ConfigureAwait(false);
    }
}
