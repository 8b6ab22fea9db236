namespace Strata.Registry.Tests.Backends;

/// <summary>Test classes that share one PostgreSQL and one radosgw (started once, on first use).</summary>
[CollectionDefinition(Name)]
public sealed class BackendCollection : ICollectionFixture<BackendPeers>
{
    public const string Name = "registry backends";
}
