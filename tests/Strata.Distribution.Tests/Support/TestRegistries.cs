using Strata.Distribution.Credentials;
using Strata.Distribution.Settings;
using Strata.Distribution.Transport;

namespace Strata.Distribution.Tests.Support;

/// <summary>Registry client factories for tests: loopback is insecure by default, retries are quick.</summary>
public static class TestRegistries
{
    public static readonly RetryPolicy QuickRetry = new() { MaxAttempts = 5, BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromMilliseconds(200) };

    public static RegistryClientFactory Factory(RegistrySettings? settings = null, ICredentialProvider? credentials = null, RetryPolicy? retry = null) =>
        new(settings ?? RegistrySettings.Default, credentials ?? new FixedCredentialProvider(null), retry ?? QuickRetry);

    public static TransferPolicy Policy(RetryPolicy? retry = null, long? chunk = null) =>
        new() { Retry = retry ?? QuickRetry, ChunkSize = chunk };
}
