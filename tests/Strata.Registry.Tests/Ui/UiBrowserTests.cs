namespace Strata.Registry.Tests.Ui;

/// <summary>
/// The UI in a real headless Chromium (Debian chromium + chromium-driver) over WebDriver:
/// sign in, find a repository, open a tag, see layers/history/waste, delete a tag; a reader sees
/// no delete button. Screenshots go to a temp dir for looking at failures; docs/ui/ is taken against the
/// real registry server with images pushed by skopeo (scripts/ui-screenshots.sh).
/// </summary>
public sealed class UiBrowserTests
{
    private static readonly string DocsDir = Directory.CreateTempSubdirectory("strata-ui-shots-").FullName;

    [Fact]
    public async Task Admin_signs_in_browses_an_image_and_deletes_a_tag()
    {
        var ct = CancellationToken.None;
        await using var host = await UiTestHost.StartAsync();
        await using var browser = await WebDriverClient.StartAsync(ct);

        await browser.NavigateAsync(new Uri(host.Address, "ui/"), ct);
        await browser.FindAsync("#login-form", ct);
        await browser.ScreenshotAsync(Path.Combine(DocsDir, "sign-in.png"), ct);
        await browser.TypeAsync(await browser.FindAsync("#username", ct), "admin", ct);
        await browser.TypeAsync(await browser.FindAsync("#password", ct), "secret", ct);
        await browser.ClickAsync(await browser.FindAsync("#login-submit", ct), ct);

        var row = await browser.FindAsync("tr[data-repo='team/busybox'] a", ct);
        Assert.Equal("2 repositories", await browser.TextAsync(await browser.FindAsync("#repo-total", ct), ct));
        await browser.ScreenshotAsync(Path.Combine(DocsDir, "repositories.png"), ct);
        await browser.TypeAsync(await browser.FindAsync("#repo-filter", ct), "busy\uE007", ct);
        await WaitAsync(async () => await browser.TextAsync(await browser.FindAsync("#repo-total", ct), ct) == "1 repositories", ct);
        await browser.ClickAsync(await browser.FindAsync("tr[data-repo='team/busybox'] a", ct), ct);

        await browser.FindAsync("tr[data-tag='latest'] button.delete-tag", ct);
        var tagsText = await browser.TextAsync(await browser.FindAsync("#tags", ct), ct);
        Assert.Contains("linux/amd64", tagsText, StringComparison.Ordinal);
        Assert.Contains("strata pull " + host.Address.Authority + "/team/busybox:latest", tagsText, StringComparison.Ordinal);
        await browser.ScreenshotAsync(Path.Combine(DocsDir, "repository.png"), ct);
        await browser.ClickAsync(await browser.FindAsync("tr[data-tag='latest'] td a", ct), ct);

        var layers = await browser.TextAsync(await browser.FindAsync("#layers", ct), ct);
        Assert.Contains("application/vnd.oci.image.layer.v1.tar+gzip", layers, StringComparison.Ordinal);
        var history = await browser.TextAsync(await browser.FindAsync("#history", ct), ct);
        Assert.Contains("rm /tmp/cache.bin", history, StringComparison.Ordinal);
        Assert.Contains("8080/tcp", await browser.TextAsync(await browser.FindAsync("#config", ct), ct), StringComparison.Ordinal);
        var waste = await browser.TextAsync(await browser.FindAsync("#waste-summary", ct), ct);
        Assert.StartsWith("4.13 kB wasted", waste, StringComparison.Ordinal); // 30 B passwd + 4096 B cache.bin
        await browser.ScreenshotAsync(Path.Combine(DocsDir, "image.png"), ct);

        await browser.NavigateAsync(new Uri(host.Address, "ui/#/repo/team%2Fbusybox"), ct);
        await browser.ScriptAsync("window.confirm = () => true; return 1", ct);
        await browser.ClickAsync(await browser.FindAsync("tr[data-tag='latest'] button.delete-tag", ct), ct);
        await WaitAsync(async () => await browser.TryFindAsync("tr[data-tag='latest']", ct) is null, ct);
        Assert.False(host.Data.Tags["team/busybox"].ContainsKey("latest"));
        Assert.NotNull(await browser.TryFindAsync("tr[data-tag='1.35']", ct));
    }

    [Fact]
    public async Task Reader_sees_no_delete_button()
    {
        var ct = CancellationToken.None;
        await using var host = await UiTestHost.StartAsync();
        await using var browser = await WebDriverClient.StartAsync(ct);
        await browser.NavigateAsync(new Uri(host.Address, "ui/#/login"), ct);
        await browser.TypeAsync(await browser.FindAsync("#username", ct), "reader", ct);
        await browser.TypeAsync(await browser.FindAsync("#password", ct), "read", ct);
        await browser.ClickAsync(await browser.FindAsync("#login-submit", ct), ct);
        await browser.FindAsync("#repos", ct);
        Assert.Equal("Repositories", await browser.TextAsync(await browser.FindAsync("#nav", ct), ct)); // no admin link, and no "null" in its place
        await browser.NavigateAsync(new Uri(host.Address, "ui/#/repo/team%2Fbusybox"), ct);
        await browser.FindAsync("tr[data-tag='latest']", ct);
        Assert.Null(await browser.TryFindAsync("button.delete-tag", ct));

        // Calling the API anyway from the page, with the session's own CSRF token: still 403.
        var status = await browser.AsyncScriptAsync(
            "const s = await (await fetch('/ui/api/session')).json();" +
            "const r = await fetch('/ui/api/tag?repo=team/busybox&tag=latest', {method:'DELETE', headers:{'X-CSRF-Token': s.csrf}});" +
            "return r.status;", ct);
        Assert.Equal("403", status);
        Assert.True(host.Data.Tags["team/busybox"].ContainsKey("latest"));
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, CancellationToken ct)
    {
        for (var i = 0; i < 100; i++)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (InvalidOperationException e) when (e.Message.Contains("stale element", StringComparison.Ordinal))
            {
                // The page re-rendered between finding the element and reading it: look again.
            }

            await Task.Delay(100, ct);
        }

        Assert.Fail("condition not met within 10 s");
    }
}
