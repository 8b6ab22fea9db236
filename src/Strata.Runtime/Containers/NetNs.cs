using System.Runtime.InteropServices;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary>setns(2) for one thread: sockets created while a thread is in a network namespace stay in it.</summary>
internal static partial class NetNs
{
    private const int CloneNewNet = 0x40000000;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setns(int fd, int nstype);

    /// <summary>Runs <paramref name="create"/> on a dedicated thread inside the network namespace of process <paramref name="pid"/>.</summary>
    public static T InNamespaceOf<T>(int pid, Func<T> create) => InNamespace($"/proc/{pid}/ns/net", create);

    /// <summary>Runs <paramref name="create"/> on a dedicated thread inside the network namespace at <paramref name="path"/> (/proc/PID/ns/net, /run/netns/NAME).</summary>
    public static T InNamespace<T>(string path, Func<T> create)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using var self = File.OpenHandle("/proc/thread-self/ns/net");
                using var target = File.OpenHandle(path);
                if (setns((int)target.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    throw StrataException.Unavailable("NETNS_ENTER", $"cannot enter the network namespace {path} (errno {Marshal.GetLastPInvokeError()})");
                }

                try
                {
                    result = create();
                }
                finally
                {
                    if (setns((int)self.DangerousGetHandle(), CloneNewNet) != 0)
                    {
                        Environment.FailFast("cannot return to the host network namespace");
                    }
                }
            }
            catch (Exception e) when (e is StrataException or IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        if (error is not null)
        {
            throw error is StrataException s ? s : StrataException.Unavailable("NETNS", error.Message, error);
        }

        return result!;
    }
}
