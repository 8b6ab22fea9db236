using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using Strata.Oci;
using Strata.Storage.Layers;
using Strata.Storage.Streams;

namespace Strata.Build.Copying;

/// <summary>
/// ADD's local archive handling: a plain, gzip, bzip2 or xz compressed tar is unpacked into the destination
/// directory (owners kept unless <c>--chown</c>); anything else is copied as a file. bzip2 and xz go through
/// the host's <c>bzip2</c>/<c>xz</c> tools.
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

    public static async Task ExtractAsync(string archive, string rootfs, string destDir, CopyOwner owner, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var kind = await DetectAsync(archive, cancellationToken).ConfigureAwait(false);
        var targetRoot = FileCopier.MkdirAll(rootfs, destDir, owner);
        await using var s = await OpenDecompressedAsync(archive, kind, cancellationToken).ConfigureAwait(false);
        using var reader = new TarReader(s);
        var dirTimes = new List<(string Path, DateTimeOffset Time)>();
        TarEntry? entry;
        while ((entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken).ConfigureAwait(false)) is not null)
        {
            var name = Clean(entry.Name);
            if (name.Length == 0)
            {
                continue;
            }

            var containerPath = FileCopier.CombineContainer(destDir, name);
            var parent = FileCopier.MkdirAll(rootfs, FileCopier.ParentOf(containerPath), owner);
            var target = Path.Combine(parent, Path.GetFileName(name));
            var uid = owner.KeepArchiveOwners ? entry.Uid : owner.Uid;
            var gid = owner.KeepArchiveOwners ? entry.Gid : owner.Gid;
            var mode = owner.Mode ?? (uint)entry.Mode & 0xFFF;
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    if (UnixFs.TryLstat(target) is not { IsDirectory: true })
                    {
                        Remove(target);
                        Directory.CreateDirectory(target);
                    }

                    UnixFs.Chmod(target, mode);
                    UnixFs.Lchown(target, uid, gid);
                    dirTimes.Add((target, entry.ModificationTime));
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Remove(target);
                    await using (var f = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
                    {
                        if (entry.DataStream is { } data)
                        {
                            await data.CopyToAsync(f, cancellationToken).ConfigureAwait(false);
                        }
                    }

                    UnixFs.Chmod(target, mode);
                    UnixFs.Lchown(target, uid, gid);
                    UnixFs.SetMtime(target, entry.ModificationTime.ToUnixTimeSeconds(), 0);
                    break;
                case TarEntryType.SymbolicLink:
                    Remove(target);
                    File.CreateSymbolicLink(target, entry.LinkName);
                    UnixFs.Lchown(target, uid, gid);
                    UnixFs.SetMtime(target, entry.ModificationTime.ToUnixTimeSeconds(), 0);
                    break;
                case TarEntryType.HardLink:
                {
                    var linkName = Clean(entry.LinkName);
                    var existing = ScopedPath.Resolve(rootfs, FileCopier.CombineContainer(destDir, linkName), followFinal: false);
                    if (!existing.StartsWith(targetRoot, StringComparison.Ordinal) || UnixFs.TryLstat(existing) is null)
                    {
                        throw StrataException.Invalid("ADD_BAD_HARDLINK", $"archive {Path.GetFileName(archive)}: hard link {entry.Name} points outside the archive");
                    }

                    Remove(target);
                    UnixFs.Link(existing, target);
                    break;
                }

                default:
                    // Devices and fifos need privileges the build should not grant by unpacking an archive.
                    break;
            }
        }

        foreach (var (path, time) in dirTimes.AsEnumerable().Reverse())
        {
            UnixFs.SetMtime(path, time.ToUnixTimeSeconds(), 0);
        }
    }

    /// <summary>An archive member name made relative and free of <c>..</c> (never escapes the destination).</summary>
    private static string Clean(string name)
    {
        var parts = new List<string>();
        foreach (var p in name.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (p == ".")
            {
                continue;
            }

            if (p == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(p);
        }

        return string.Join('/', parts);
    }

    private static void Remove(string path)
    {
        var st = UnixFs.TryLstat(path);
        if (st is null)
        {
            return;
        }

        if (st.Value.IsDirectory)
        {
            Directory.Delete(path, recursive: true);
        }
        else
        {
            File.Delete(path);
        }
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
