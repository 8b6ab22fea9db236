using Strata.Storage.Layers;

namespace Strata.Storage.Tests.Layers;

/// <summary>
/// Archives every tar consumer must refuse, with the code it must refuse them with: layers (LayerApplier) and
/// ADD of a local tar (Strata.Build.Tests links this file) go through the same rules. A sibling <c>outside</c>
/// directory of the target holds a file <c>secret</c> that none may touch.
/// </summary>
public static class HostileTars
{
    private static readonly string Deep = string.Join('/', Enumerable.Range(0, 60).Select(i => $"d{i:D2}" + new string('x', 96)));

    public static TheoryData<string, byte[], string> Refused => new()
    {
        // ".." climbs out of the archive's root.
        { "dotdot", new RawTar().File("../outside/pwned", "x").End().ToArray(), LayerErrors.UnsafePath },
        // A symlink climbing out is only a link; writing through it is refused.
        { "through symlink out", new RawTar().Header("evil", '2', link: "../outside").File("evil/pwned", "x").End().ToArray(), LayerErrors.UnsafePath },
        // A hardlink to a file outside.
        { "hardlink out", new RawTar().Header("h", '1', link: "../outside/secret").End().ToArray(), LayerErrors.UnsafePath },
        // A hardlink through a symlink climbing out.
        { "hardlink through symlink out", new RawTar().Header("up", '2', link: "../outside").Header("h", '1', link: "up/secret").End().ToArray(), LayerErrors.UnsafePath },
        // 20 KiB of data declaring 10 GiB, then the end of the stream.
        { "huge declared size", new RawTar().Header("big", size: 10L << 30).Data(new byte[20 * 1024]).ToArray(), LayerErrors.InvalidTar },
        // A 5,000-byte PAX path.
        { "pax path past PATH_MAX", new RawTar().Pax(("path", Deep[..5000])).Header("short", size: 1).Data("x"u8).End().ToArray(), LayerErrors.PathTooLong },
        // A 4,200-byte GNU long name.
        { "gnu long name past PATH_MAX", new RawTar().GnuLongName(Deep[..4200]).Header("short", size: 1).Data("x"u8).End().ToArray(), LayerErrors.PathTooLong },
        // A sparse map whose fragments overlap.
        {
            "overlapping sparse map",
            new RawTar().Pax(("GNU.sparse.major", "1"), ("GNU.sparse.minor", "0"), ("GNU.sparse.name", "s"), ("GNU.sparse.realsize", "10000"))
                .Header("GNUSparseFile.0/s", size: 512 + 200).Data(Block("2\n0\n100\n50\n100\n").Concat(new byte[200]).ToArray()).End().ToArray(),
            LayerErrors.InvalidTar
        },
    };

    /// <summary>One 512-byte block holding <paramref name="text"/>.</summary>
    public static byte[] Block(string text)
    {
        var block = new byte[512];
        System.Text.Encoding.ASCII.GetBytes(text).CopyTo(block, 0);
        return block;
    }
}
