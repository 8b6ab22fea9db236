using Strata.Registry.Tests.Backends;

namespace Strata.Registry.Tests.Server;

[Collection(BackendCollection.Name)]
public sealed class DistributionApiOnPostgresS3Tests(BackendPeers peers) : DistributionApiTests(peers, RegistryBackend.PostgresS3);
