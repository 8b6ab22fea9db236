using System.Runtime.InteropServices;

namespace Strata.Storage.Content;

public static partial class FileSync
{
    private const int ORdonly = 0;
    private const int ODirectory = 0x10000;

    private static void SyncDirectoryLinux(string path)
    {
        var fd = Open(path, ORdonly | ODirectory);
        if (fd < 0)
        {
            return;
        }

        _ = Fsync(fd);
        _ = Close(fd);
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
