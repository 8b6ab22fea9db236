using Strata.Storage.Layers;

namespace Strata.Fuzz.Targets;

/// <summary>
/// The layer applier: the input is a layer blob (plain, gzip or zstd tar) unpacked into a fresh temp
/// directory, as a pull does. Besides not crashing, nothing may land outside that directory.
/// </summary>
public sealed class LayerTarget : IFuzzTarget
{
    private static readonly LayerApplier Applier = new();

    public string Name => "layer";

    public async Task RunAsync(byte[] input, CancellationToken cancellationToken)
    {
        var parent = Directory.CreateTempSubdirectory("strata-fuzz-layer-");
        var root = Directory.CreateDirectory(Path.Combine(parent.FullName, "root"));
        try
        {
            using var stream = new MemoryStream(input, writable: false);
            await Applier.ApplyAsync(stream, root.FullName, new LayerApplyOptions(), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            var escaped = parent.EnumerateFileSystemInfos().Where(i => i.Name != "root").Select(i => i.Name).ToList();
            DeleteTree(parent.FullName);
            if (escaped.Count > 0)
            {
                throw new FuzzInvariantException($"layer wrote outside its root: {string.Join(", ", escaped)}");
            }
        }
    }

    /// <summary>Removes what the layer made, even directories it left without write or search permission.</summary>
    private static void DeleteTree(string path)
    {
        foreach (var dir in Directory.EnumerateDirectories(path, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = true }))
        {
            if (!new FileInfo(dir).Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        Directory.Delete(path, recursive: true);
    }
}
