namespace Strata.Distribution.Pull;

/// <summary>When <c>run</c>/<c>create</c> pull their image (docker's <c>--pull</c>).</summary>
public enum PullPolicy
{
    /// <summary>Only when the image is not in the store (the default).</summary>
    Missing,

    /// <summary>Every time, updating the local copy.</summary>
    Always,

    /// <summary>Never: a missing image is an error.</summary>
    Never,
}
