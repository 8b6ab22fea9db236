namespace Strata.Registry.Api;

/// <summary>A parsed <c>/v2/...</c> path: what endpoint it names and its repository/reference parts.</summary>
public sealed record RegistryRoute(RegistryEndpoint Endpoint, string? Repository = null, string? Reference = null);
