namespace Strata.Runtime.Health;

/// <summary>Docker's health states (moby api/types/container: Starting, Healthy, Unhealthy).</summary>
public static class HealthStatus
{
    public const string Starting = "starting";

    public const string Healthy = "healthy";

    public const string Unhealthy = "unhealthy";
}
