namespace Strata.Runtime.Network;

/// <summary>
/// The host-wide lock over bridges, addresses and NAT rules: every store on this host shares the kernel's
/// interfaces, so allocations and rule changes from any strata process are serialized through one lock file.
/// </summary>
internal static class HostNetworkLock
{
    public static async Task<FileStream> AcquireAsync(string stateDir, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(stateDir);
        while (true)
        {
            try
            {
                return new FileStream(Path.Combine(stateDir, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(5, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
