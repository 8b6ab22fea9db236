using System.Globalization;
using System.Security.Cryptography;
using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>A comparable description of a directory tree: type, mode, owner, size, content hash, link, mtime, xattrs.</summary>
public static class TreeState
{
    public static SortedDictionary<string, string> Capture(string root, bool mtimes = true)
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var inodes = new Dictionary<ulong, string>();
        Walk(root, "", result, inodes, mtimes);
        return result;
    }

    public static void AssertSame(string expectedRoot, string actualRoot, bool mtimes = true)
    {
        var expected = Capture(expectedRoot, mtimes);
        var actual = Capture(actualRoot, mtimes);
        var diff = expected.Keys.Union(actual.Keys)
            .Where(k => !expected.TryGetValue(k, out var e) || !actual.TryGetValue(k, out var a) || e != a)
            .Select(k => $"{k}: expected [{expected.GetValueOrDefault(k)}] actual [{actual.GetValueOrDefault(k)}]")
            .ToList();
        Assert.True(diff.Count == 0, string.Join('\n', diff));
    }

    private static void Walk(string abs, string rel, SortedDictionary<string, string> into, Dictionary<ulong, string> inodes, bool mtimes)
    {
        foreach (var child in Directory.EnumerateFileSystemEntries(abs).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            var r = rel.Length == 0 ? name : rel + "/" + name;
            var st = UnixFs.Lstat(child);
            var xattrs = string.Join(',', UnixFs.GetXattrs(child)
                .Where(x => !x.Key.StartsWith("trusted.overlay.", StringComparison.Ordinal))
                .Select(x => x.Key + "=" + Convert.ToHexString(x.Value)));
            var desc = $"type={st.FileType:x} mode={Convert.ToString(st.Permissions, 8)} uid={st.Uid} gid={st.Gid} xattrs={xattrs}";
            if (mtimes && !st.IsDirectory)
            {
                desc += " mtime=" + st.MtimeSeconds.ToString(CultureInfo.InvariantCulture);
            }

            if (mtimes && st.IsDirectory)
            {
                desc += " dmtime=" + st.MtimeSeconds.ToString(CultureInfo.InvariantCulture);
            }

            if (st.IsRegular)
            {
                desc += $" size={st.Size} sha={Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(child)))[..16]}";
                if (st.Links > 1)
                {
                    desc += inodes.TryGetValue(st.Inode, out var first) ? " linkto=" + first : "";
                    inodes.TryAdd(st.Inode, r);
                }
            }
            else if (st.IsSymlink)
            {
                desc += " -> " + new FileInfo(child).LinkTarget;
            }
            else if (!st.IsDirectory)
            {
                desc += $" dev={st.RdevMajor}:{st.RdevMinor}";
            }

            into[r] = desc;
            if (st.IsDirectory)
            {
                Walk(child, r, into, inodes, mtimes);
            }
        }
    }
}
