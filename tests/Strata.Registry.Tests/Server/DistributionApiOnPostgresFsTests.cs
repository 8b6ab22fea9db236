using Strata.Registry.Tests.Backends;

namespace Strata.Registry.Tests.Server;

[Collection(BackendCollection.Name)]
public sealed class DistributionApiOnPostgresFsTests(BackendPeers peers) : DistributionApiTests(peers, RegistryBackend.Postgres);
