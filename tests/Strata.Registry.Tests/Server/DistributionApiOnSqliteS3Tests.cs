using Strata.Registry.Tests.Backends;

namespace Strata.Registry.Tests.Server;

[Collection(BackendCollection.Name)]
public sealed class DistributionApiOnSqliteS3Tests(BackendPeers peers) : DistributionApiTests(peers, RegistryBackend.S3);
