using Strata.Registry.Tests.Backends;

namespace Strata.Registry.Tests.Server;

[Collection(BackendCollection.Name)]
public sealed class DistributionApiOnSqliteFsTests(BackendPeers peers) : DistributionApiTests(peers, RegistryBackend.SqliteFs);
