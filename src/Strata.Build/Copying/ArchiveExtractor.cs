using System.Diagnostics;
using System.IO.Compression;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Streams;

namespace Strata.Build.Copying;

/// <summary>
/// ADD's local archive handling: a plain, gzip, bzip2 or xz compressed tar is unpacked into the destination
/// directory by the layer applier (owners kept unless <c>--chown</c>); anything else is copied as a file. bzip2
/// and xz go through the host's <c>bzip2</c>/<c>xz</c> tools. There is one tar extractor in Strata: this only
/// recognises and decompresses.
/// </summary>
public static class ArchiveExtractor
{
    private enum Kind
    {
        None,
        Tar,
        Gzip,
        Bzip2,
        Xz,
    }

    /// <summary>True when <paramref name="path"/> is a (possibly compressed) tar archive.</summary>
    public static async Task<bool> IsArchiveAsync(string path, CancellationToken cancellationToken)
    {
        var kind = await DetectAsync(path, cancellationToken).ConfigureAwait(false);
        if (kind == Kind.None)
        {
            return false;
        }

        // A compressed file is only an archive if what it holds is a tar (Docker checks the same way).
        try
        {
            await using var s = await OpenDecompressedAsync(path, kind, cancellationToken).ConfigureAwait(false);
            var header = new byte[512];
            var n = await s.ReadAtLeastAsync(header, 512, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            return n == 512 && IsTarHeader(header);
        }
        catch (InvalidDataException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// Unpacks <paramref name="archive"/> into <paramref name="destDir"/> of <paramref name="rootfs"/> through the layer
    /// applier, so ADD gets the same rules as image layers: no name or hardlink leaves the destination, symlinks are
    /// followed inside the rootfs as a chroot would, sizes are never trusted before the bytes arrive, sparse files
    /// keep their holes, names past PATH_MAX are refused with LAYER_PATH_TOO_LONG. Unlike a layer, <c>.wh.</c>
    /// names are ordinary files and device nodes are skipped (docker's untrusted ADD).
    /// </summary>
    public static async Task ExtractAsync(ILayerApplier applier, string archive, string rootfs, string destDir, CopyOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(applier);
        ArgumentNullException.ThrowIfNull(owner);
        var kind = await DetectAsync(archive, cancellationToken).ConfigureAwait(false);
        var root = Path.GetFullPath(rootfs).TrimEnd('/');
        var target = FileCopier.MkdirAll(root, destDir, owner);
        var subdirectory = Path.GetRelativePath(root, target);

        // gzip (and plain tar) the applier recognises itself; bzip2 and xz come decompressed from the host's tools.
        await using var s = kind is Kind.Bzip2 or Kind.Xz
            ? await OpenDecompressedAsync(archive, kind, cancellationToken).ConfigureAwait(false)
            : File.OpenRead(archive);
        await applier.ApplyAsync(s, root, new LayerApplyOptions
        {
            Whiteouts = WhiteoutMode.Literal,
            Devices = DevicePolicy.Skip,
            Subdirectory = subdirectory,
            Owner = owner.KeepArchiveOwners ? null : (owner.Uid, owner.Gid),
            Mode = owner.Mode,
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<Kind> DetectAsync(string path, CancellationToken cancellationToken)
    {
        var header = new byte[512];
        int n;
        await using (var f = File.OpenRead(path))
        {
            n = await f.ReadAtLeastAsync(header, 512, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        }

        if (n >= 2 && header[0] == 0x1f && header[1] == 0x8b)
        {
            return Kind.Gzip;
        }

        if (n >= 3 && header[0] == 'B' && header[1] == 'Z' && header[2] == 'h')
        {
            return Kind.Bzip2;
        }

        if (n >= 6 && header[0] == 0xFD && header[1] == '7' && header[2] == 'z' && header[3] == 'X' && header[4] == 'Z' && header[5] == 0)
        {
            return Kind.Xz;
        }

        return n == 512 && IsTarHeader(header) ? Kind.Tar : Kind.None;
    }

    private static bool IsTarHeader(byte[] h)
    {
        // ustar magic, or a v7 header whose checksum adds up.
        if (h[257] == 'u' && h[258] == 's' && h[259] == 't' && h[260] == 'a' && h[261] == 'r')
        {
            return true;
        }

        var sum = 0;
        for (var i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? ' ' : h[i];
        }

        var text = System.Text.Encoding.ASCII.GetString(h, 148, 8).Trim('\0', ' ');
        return text.Length > 0 && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _)
            && Convert.ToInt32(text, 8) == sum;
    }

    private static Task<Stream> OpenDecompressedAsync(string path, Kind kind, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        Stream file = File.OpenRead(path);
        return Task.FromResult<Stream>(kind switch
        {
            Kind.Gzip => new GZipStream(file, CompressionMode.Decompress),
            Kind.Bzip2 => ToolStream(file, "bzip2"),
            Kind.Xz => ToolStream(file, "xz"),
            _ => file,
        });
    }

    private static Stream ToolStream(Stream file, string tool)
    {
        var psi = new ProcessStartInfo(tool, ["-dc"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        Process p;
        try
        {
            p = Process.Start(psi) ?? throw new IOException($"cannot start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            file.Dispose();
            throw StrataException.Precondition("ADD_DECOMPRESSOR_MISSING", $"ADD of a {tool} archive needs the {tool} tool on the host: {e.Message}");
        }

        _ = Task.Run(async () =>
        {
            try
            {
                await using (file.ConfigureAwait(false))
                {
                    await file.CopyToAsync(p.StandardInput.BaseStream).ConfigureAwait(false);
                }
            }
            catch (IOException)
            {
                // The reader stopped early (header sniffing); the tool gets SIGPIPE.
            }
            finally
            {
                p.StandardInput.Close();
            }
        });
        _ = p.StandardError.ReadToEndAsync();
        return new OwnedStream(p.StandardOutput.BaseStream, () => Reap(p));
    }

    /// <summary>Disposing the tool's output reaps the tool (killing it when the reader stopped early).</summary>
    private static void Reap(Process p)
    {
        if (!p.HasExited)
        {
            try
            {
                p.Kill();
            }
            catch (InvalidOperationException)
            {
            }
        }

        p.WaitForExit();
        p.Dispose();
    }
}
