using System.Security.Cryptography;
using System.Text;
using Strata.Storage.Layers;

namespace Strata.Build.Copying;

/// <summary>
/// The content digest of COPY/ADD inputs for the build cache and for <c>created_by</c> (<c>file:HASH</c>,
/// <c>dir:HASH</c>, <c>multi:HASH</c> as the classic builder writes): relative names, types, permission bits,
/// link targets and file bytes. Modification times are left out, as Docker's tarsum does.
/// </summary>
public static class ContentHasher
{
    public static async Task<string> HashAsync(ResolvedSource source, Func<string, bool> isExcluded, string treeRoot, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await AddAsync(h, source.HostPath, string.Empty, cancellationToken).ConfigureAwait(false);
        if (source.IsDirectory)
        {
            var tree = new SourceTree(source.HostPath, rel => isExcluded(Combine(source.RelativePath, rel)), false, string.Empty);
            _ = treeRoot;
            foreach (var rel in tree.Walk(descendExcluded: true))
            {
                await AddAsync(h, Path.Combine(source.HostPath, rel), rel, cancellationToken).ConfigureAwait(false);
            }
        }

        return Convert.ToHexStringLower(h.GetHashAndReset());
    }

    public static string Combine(string a, string b) => a.Length == 0 ? b : b.Length == 0 ? a : a + "/" + b;

    public static string HashText(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static async Task AddAsync(IncrementalHash h, string path, string rel, CancellationToken cancellationToken)
    {
        var st = UnixFs.Lstat(path);
        h.AppendData(Encoding.UTF8.GetBytes($"{rel}\0{st.FileType:x}\0{Convert.ToString((long)st.Permissions, 8)}\0"));
        if (st.IsSymlink)
        {
            h.AppendData(Encoding.UTF8.GetBytes(new FileInfo(path).LinkTarget ?? string.Empty));
        }
        else if (st.IsRegular)
        {
            await using var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
            var buf = new byte[1 << 16];
            int n;
            while ((n = await f.ReadAsync(buf, cancellationToken).ConfigureAwait(false)) > 0)
            {
                h.AppendData(buf, 0, n);
            }
        }

        h.AppendData([0]);
    }
}
