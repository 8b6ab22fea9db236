namespace Strata.Runtime.Containers;

/// <summary>Docker's container states (<c>State.Status</c>).</summary>
public enum ContainerStatus
{
    Created,
    Running,
    Paused,
    Restarting,
    Exited,
    Removing,
}
