namespace Strata.Oci;

/// <summary>Drops every event (library use, tests, the container monitor).</summary>
public sealed class SilentEngineEvents : IEngineEvents
{
    public static readonly SilentEngineEvents Instance = new();

    private SilentEngineEvents()
    {
    }

    public void Notice(string message)
    {
    }

    public void Step(string step)
    {
    }
}
