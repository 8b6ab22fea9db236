namespace Strata.Registry.Ui;

/// <summary>A registry user as the admin page lists it (never the password hash).</summary>
public sealed record UiUserInfo(string Name, bool Admin, IReadOnlyList<string> Groups, DateTimeOffset Created);
