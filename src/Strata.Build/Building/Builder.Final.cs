using Strata.Oci;
using Strata.Storage.Images;
using Strata.Storage.Layers;

namespace Strata.Build.Building;

public sealed partial class Builder
{
    /// <summary>Writes the target stage as an image: its last step's config, a manifest over its layers, the tags.</summary>
    private async Task<ImageRecord> WriteImageAsync(StageState final, CancellationToken cancellationToken)
    {
        if (final.StepId is not { } configDigest)
        {
            throw StrataException.Invalid("BUILD_EMPTY", "No image was generated. Is your Dockerfile empty?");
        }

        ImageRecord image;
        var existing = await _services.Images.TryResolveAsync(configDigest.ToString(), cancellationToken).ConfigureAwait(false);
        if (existing is not null && final.Layers.Count == final.BaseLayerCount && final.History.Count == final.BaseHistoryCount)
        {
            // FROM an image and nothing else: the image itself, as Docker does.
            image = existing;
        }
        else
        {
            var format = final.Layers.Any(l => l.MediaType is MediaTypes.OciLayerZstd) ? ImageFormat.Oci : ImageFormat.Docker;
            var info = await _services.Content.InfoAsync(configDigest, cancellationToken).ConfigureAwait(false)
                ?? throw StrataException.NotFound("BLOB_UNKNOWN", $"config {configDigest} of the last build step is missing");
            var manifest = new ImageManifest
            {
                MediaType = format == ImageFormat.Docker ? MediaTypes.DockerManifest : MediaTypes.OciManifest,
                Config = new Descriptor
                {
                    MediaType = format == ImageFormat.Docker ? MediaTypes.DockerConfig : MediaTypes.OciConfig,
                    Digest = configDigest,
                    Size = info.Size,
                },
                Layers = final.Layers.Select(l => new Descriptor { MediaType = ImageWriter.LayerMediaType(l.MediaType, format), Digest = l.Digest, Size = l.Size }).ToList(),
            }.Seal();
            var manifestDigest = await _services.Writer.PutAsync(manifest.Raw, cancellationToken).ConfigureAwait(false);
            image = await _services.Images.RegisterAsync(manifestDigest, null, null, cancellationToken).ConfigureAwait(false);
            // The same layer may be listed more than once (two steps that wrote the same files, metadata included).
            var recorded = (await _services.Images.LayersAsync(image, cancellationToken).ConfigureAwait(false))
                .DistinctBy(l => l.Digest).ToDictionary(l => l.Digest, l => l.UncompressedSize);
            foreach (var l in final.Layers.DistinctBy(l => l.Digest))
            {
                if (recorded.GetValueOrDefault(l.Digest) is not null)
                {
                    continue;
                }

                // A step reused from the cache of an earlier, failed build was never registered: measure it once.
                if (!_uncompressedSizes.TryGetValue(l.Digest, out var size))
                {
                    await using var blob = await _services.Content.OpenReadAsync(l.Digest, cancellationToken).ConfigureAwait(false);
                    var (_, tar) = await LayerStreams.OpenDecompressedAsync(blob, leaveOpen: true, cancellationToken).ConfigureAwait(false);
                    await using (tar.ConfigureAwait(false))
                    {
                        size = await LayerStreams.DrainAsync(tar, cancellationToken).ConfigureAwait(false);
                    }
                }

                await _services.Images.SetUncompressedSizeAsync(l.Digest, size, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var tag in _request.Tags)
        {
            await _services.Images.TagAsync(image.Id.ToString(), tag, cancellationToken).ConfigureAwait(false);
        }

        return await _services.Images.ResolveAsync(image.Id.ToString(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// --squash: the layers this build added become one layer on top of the base image (the base's layers are
    /// kept). The new layers are applied in order onto a snapshot of the base, so files added and later deleted
    /// vanish. Their history entries stay, marked empty, followed by Docker's <c>merge X to Y</c> entry.
    /// </summary>
    private async Task SquashAsync(StageState final, CancellationToken cancellationToken)
    {
        var added = final.Layers.Skip(final.BaseLayerCount).ToList();
        if (added.Count == 0 || final.StepId is null)
        {
            return;
        }

        await WriteLineAsync("Squashing the layers of this build into one", cancellationToken).ConfigureAwait(false);
        var baseState = new StageState(final.Stage, final.Config, final.Args) { ChainId = final.BaseChainId, StepId = final.BaseStepId };
        var layer = await WithSnapshotAsync(baseState, runtimeInit: false, async root =>
        {
            foreach (var l in added)
            {
                await using var blob = await _services.Content.OpenReadAsync(l.Digest, cancellationToken).ConfigureAwait(false);
                await _services.Applier.ApplyAsync(blob, root, new LayerApplyOptions { Whiteouts = WhiteoutMode.Delete, Devices = DevicePolicy.Refuse }, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);

        var before = final.StepId.Value;
        var baseId = final.BaseHistoryCount;
        var history = final.History.Select((h, i) => i < baseId ? h : h with { EmptyLayer = true }).ToList();
        history.Add(new HistoryEntry { Created = Now(), CreatedBy = $"merge {before} to {(final.BaseStepId?.ToString() ?? "scratch")}", EmptyLayer = layer is null ? true : null });
        final.Layers.RemoveRange(final.BaseLayerCount, final.Layers.Count - final.BaseLayerCount);
        final.DiffIds.RemoveRange(final.BaseLayerCount, final.DiffIds.Count - final.BaseLayerCount);
        final.History.Clear();
        final.History.AddRange(history);
        final.ChainId = final.BaseChainId;
        if (layer is not null)
        {
            final.Layers.Add(layer.Descriptor);
            final.DiffIds.Add(layer.DiffId);
            final.ChainId = layer.ChainId;
        }

        var config = StepConfig(final, Now());
        final.StepId = await _services.Writer.PutAsync(config.Raw, cancellationToken).ConfigureAwait(false);
        await WriteLineAsync($" ---> {Short(final.StepId.Value)}", cancellationToken).ConfigureAwait(false);
    }
}
