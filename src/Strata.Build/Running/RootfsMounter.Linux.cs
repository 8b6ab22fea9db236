using System.Runtime.InteropServices;

namespace Strata.Build.Running;

public sealed partial class RootfsMounter
{
    private const ulong MsRdonly = 1;
    private const ulong MsRemount = 32;
    private const ulong MsBind = 4096;
    private const ulong MsRec = 16384;
    private const int MntDetach = 2;

    [LibraryImport("libc", EntryPoint = "mount", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Mount(string source, string target, string? fstype, ulong flags, string? data);

    [LibraryImport("libc", EntryPoint = "umount2", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Umount2(string target, int flags);
}
