namespace Strata.Runtime.Logs;

/// <summary>One line of a container's log (docker's json-file driver: <c>{"log":..,"stream":..,"time":..}</c>).</summary>
public sealed record LogEntry(string Stream, string Text, DateTimeOffset Time);
