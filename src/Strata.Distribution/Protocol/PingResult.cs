namespace Strata.Distribution.Protocol;

/// <summary>What <c>GET /v2/</c> told: whether we are in, the auth scheme asked for, and the API version header.</summary>
public sealed record PingResult(bool Authenticated, string? Scheme, string? ApiVersion);
