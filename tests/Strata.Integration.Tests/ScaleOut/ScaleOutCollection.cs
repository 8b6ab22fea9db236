using Strata.Integration.Tests.Support;

namespace Strata.Integration.Tests.ScaleOut;

/// <summary>The replica tests share one PostgreSQL and one radosgw (heavy on a small machine: started once).</summary>
[CollectionDefinition(Name)]
public sealed class ScaleOutCollection : ICollectionFixture<ScaleOutCluster>
{
    public const string Name = "scale-out";
}
