namespace Strata.Registry.Auth;

/// <summary>
/// Who is calling: a user (with admin flag and groups) or, with a bearer token, the access the
/// token carries (<see cref="TokenAccess"/>, repository -> actions) which bounds what may be done.
/// </summary>
public sealed record Principal(string Name, bool Admin, IReadOnlyList<string> Groups, IReadOnlyDictionary<string, IReadOnlyList<string>>? TokenAccess = null);
