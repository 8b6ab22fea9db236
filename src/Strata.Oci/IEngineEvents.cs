namespace Strata.Oci;

/// <summary>
/// What the engine tells its front end while it works, besides results and errors: notices (a fallback it
/// chose, a degraded mode) and named steps of slow operations (for latency tuning). The CLI prints them on
/// stderr, the Engine API service will stream them; nothing below the front end writes to the console.
/// Transfer progress of pull/push is <c>IProgress&lt;TransferEvent&gt;</c>; a build's step output is its
/// request's output stream.
/// </summary>
public interface IEngineEvents
{
    /// <summary>A one-line notice for the user, e.g. "overlayfs is not available; using vfs".</summary>
    void Notice(string message);

    /// <summary>A step of a slow operation was reached (e.g. "create: image unpacked"); front ends may drop it.</summary>
    void Step(string step);
}
