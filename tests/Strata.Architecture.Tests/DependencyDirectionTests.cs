using System.Xml.Linq;

namespace Strata.Architecture.Tests;

/// <summary>
/// Enforces the dependency direction of docs/architecture.md by reading the project files themselves
/// (as go-containerregistry's depcheck does): Oci &lt;- Storage &lt;- Distribution, Runtime &lt;- Build &lt;- Engine &lt;- Cli;
/// Registry depends only on Oci and Storage (it uses Storage.Content and Storage.Metadata, never runtime or builder).
/// </summary>
public class DependencyDirectionTests
{
    private static readonly Dictionary<string, string[]> Allowed = new()
    {
        ["Strata.Oci"] = [],
        ["Strata.Storage"] = ["Strata.Oci"],
        ["Strata.Distribution"] = ["Strata.Oci", "Strata.Storage"],
        ["Strata.Runtime"] = ["Strata.Oci", "Strata.Storage"],
        ["Strata.Registry"] = ["Strata.Oci", "Strata.Storage"],
        ["Strata.Build"] = ["Strata.Oci", "Strata.Storage", "Strata.Runtime", "Strata.Distribution"],
        ["Strata.Engine"] = ["Strata.Oci", "Strata.Storage", "Strata.Runtime", "Strata.Distribution", "Strata.Build"],
        ["Strata.Cli"] = ["Strata.Engine", "Strata.Registry"],
    };

    public static string RepoRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "Strata.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("Strata.slnx not found above the test directory");
    }

    public static TheoryData<string> Projects() => new(Allowed.Keys);

    [Theory]
    [MemberData(nameof(Projects))]
    public void Project_references_only_allowed_projects(string project)
    {
        var csproj = Path.Combine(RepoRoot(), "src", project, project + ".csproj");
        var refs = XDocument.Load(csproj).Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value))
            .ToList();
        var forbidden = refs.Except(Allowed[project]).ToList();
        Assert.True(forbidden.Count == 0, $"{project} must not reference {string.Join(", ", forbidden)}");
    }

    [Fact]
    public void Every_source_project_is_covered()
    {
        var projects = Directory.GetDirectories(Path.Combine(RepoRoot(), "src")).Select(Path.GetFileName).ToList();
        Assert.All(projects, p => Assert.Contains(p!, Allowed.Keys));
    }

    [Fact]
    public void Folders_match_namespaces()
    {
        var src = Path.Combine(RepoRoot(), "src");
        var bad = new List<string>();
        foreach (var file in Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains("/obj/", StringComparison.Ordinal) || file.Contains("/bin/", StringComparison.Ordinal) || Path.GetFileName(file) == "Program.cs")
            {
                continue;
            }

            var rel = Path.GetRelativePath(src, Path.GetDirectoryName(file)!).Replace('/', '.');
            var ns = File.ReadLines(file).FirstOrDefault(l => l.StartsWith("namespace ", StringComparison.Ordinal));
            if (ns is null || ns.TrimEnd(';') != $"namespace {rel}")
            {
                bad.Add($"{Path.GetRelativePath(src, file)} declares '{ns}', expected namespace {rel}");
            }
        }

        Assert.True(bad.Count == 0, string.Join('\n', bad));
    }
}
