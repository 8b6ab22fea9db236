using System.Formats.Tar;
using System.IO.Compression;
using Strata.Build.Copying;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Streams;

namespace Strata.Build.Context;

/// <summary>
/// The files a build may COPY: a directory, or a tar (optionally gzip-compressed) read from stdin and unpacked
/// into a private temporary directory, filtered by its <c>.dockerignore</c>.
/// </summary>
public sealed class BuildContext : IDisposable
{
    private readonly string? _tempDir;

    private BuildContext(string root, DockerIgnore ignore, string? tempDir)
    {
        Root = root;
        Ignore = ignore;
        _tempDir = tempDir;
    }

    public string Root { get; }

    public DockerIgnore Ignore { get; }

    public SourceTree Tree => new(Root, Ignore.IsExcluded, true, "context");

    public static async Task<BuildContext> FromDirectoryAsync(string dir, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(dir);
        if (!Directory.Exists(full))
        {
            throw StrataException.NotFound("BUILD_CONTEXT_NOT_FOUND", $"unable to prepare context: path \"{dir}\" not found");
        }

        DockerIgnore ignore;
        try
        {
            ignore = await DockerIgnore.LoadAsync(full, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException e)
        {
            throw StrataException.Invalid("DOCKERIGNORE_INVALID", $"failed to parse .dockerignore: {e.Message}");
        }

        return new BuildContext(full, ignore, null);
    }

    /// <summary>Unpacks a context tar (docker build - &lt; context.tar) under <paramref name="tempParent"/>.</summary>
    public static async Task<BuildContext> FromTarAsync(Stream tar, string tempParent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tar);
        Directory.CreateDirectory(tempParent);
        var dir = Path.Combine(tempParent, "context-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var buffered = new BufferedStream(tar, 1 << 16);
            var (peek, magic) = await PrefixedStream.PeekAsync(buffered, 2, leaveOpen: false, cancellationToken).ConfigureAwait(false);
            Stream source = LayerStreams.Detect(magic.Span) == LayerCompression.Gzip ? new GZipStream(peek, CompressionMode.Decompress) : peek;
            await TarFile.ExtractToDirectoryAsync(source, dir, overwriteFiles: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or IOException && e is not OperationCanceledException)
        {
            Directory.Delete(dir, recursive: true);
            throw StrataException.Invalid("BUILD_CONTEXT_INVALID", $"the build context on stdin is not a tar archive: {e.Message}");
        }

        var ctx = await FromDirectoryAsync(dir, cancellationToken).ConfigureAwait(false);
        return new BuildContext(ctx.Root, ctx.Ignore, dir);
    }

    public void Dispose()
    {
        if (_tempDir is not null && Directory.Exists(_tempDir))
        {
            Directory.Delete(_tempDir, recursive: true);
        }
    }
}
