namespace Strata.Build.Analysis;

/// <summary>One layer to analyse: how to open its blob and the history text that made it.</summary>
public sealed record LayerSource(Func<CancellationToken, Task<Stream>> Open, string? CreatedBy);
