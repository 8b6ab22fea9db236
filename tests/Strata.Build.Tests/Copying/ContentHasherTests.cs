using Strata.Build.Copying;

namespace Strata.Build.Tests.Copying;

public sealed class ContentHasherTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("strata-hash-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<string> HashAsync(string rel = "src") =>
        ContentHasher.HashAsync(new ResolvedSource(Path.Combine(_dir, rel), rel, Directory.Exists(Path.Combine(_dir, rel))), _ => false, _dir, CancellationToken.None);

    private void Write(string rel, string text)
    {
        var p = Path.Combine(_dir, rel);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        File.WriteAllText(p, text);
    }

    [Fact]
    public async Task Same_tree_hashes_the_same_whatever_the_modification_times()
    {
        Write("src/a.txt", "hello");
        Write("src/sub/b.txt", "world");
        var first = await HashAsync();
        File.SetLastWriteTimeUtc(Path.Combine(_dir, "src/a.txt"), DateTime.UtcNow.AddDays(-3));
        Assert.Equal(first, await HashAsync());
        Assert.Equal(64, first.Length);
    }

    [Fact]
    public async Task Content_permissions_and_names_change_the_hash()
    {
        Write("src/a.txt", "hello");
        var h0 = await HashAsync();
        Write("src/a.txt", "hellO");
        var h1 = await HashAsync();
        File.SetUnixFileMode(Path.Combine(_dir, "src/a.txt"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var h2 = await HashAsync();
        File.Move(Path.Combine(_dir, "src/a.txt"), Path.Combine(_dir, "src/c.txt"));
        var h3 = await HashAsync();
        Assert.Equal(4, new HashSet<string> { h0, h1, h2, h3 }.Count);
    }

    [Fact]
    public async Task A_single_file_hashes()
    {
        Write("one.txt", "x");
        Assert.Matches("^[0-9a-f]{64}$", await HashAsync("one.txt"));
    }
}
