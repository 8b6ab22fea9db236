namespace Strata.Build.Parsing;

/// <summary>A <c>--name[=value]</c> flag written before an instruction's arguments.</summary>
public sealed record BuilderFlag(string Name, string? Value)
{
    public override string ToString() => Value is null ? "--" + Name : $"--{Name}={Value}";
}
