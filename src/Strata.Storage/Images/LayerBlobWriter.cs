using Strata.Storage.Content;
using Strata.Storage.Layers;

namespace Strata.Storage.Images;

/// <summary>Streams a layer produced by a differ straight into a verified content-store ingest (commit, build).</summary>
public static class LayerBlobWriter
{
    public static async Task<LayerBlob> WriteAsync(IContentStore content, Func<Stream, CancellationToken, Task<LayerDiffResult>> diff, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(diff);
        var writer = await content.OpenWriterAsync($"layer-{Environment.ProcessId}-{Guid.NewGuid():N}", cancellationToken).ConfigureAwait(false);
        await using (writer.ConfigureAwait(false))
        {
            var ok = false;
            try
            {
                LayerDiffResult result;
                var stream = new ContentWriterStream(writer);
                await using (stream.ConfigureAwait(false))
                {
                    result = await diff(stream, cancellationToken).ConfigureAwait(false);
                }

                await writer.CommitAsync(result.Size, result.Digest, cancellationToken).ConfigureAwait(false);
                ok = true;
                return new LayerBlob(result.Digest, result.Size, result.MediaType, result.DiffId, result.UncompressedSize);
            }
            finally
            {
                if (!ok)
                {
                    await writer.AbortAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }
}
