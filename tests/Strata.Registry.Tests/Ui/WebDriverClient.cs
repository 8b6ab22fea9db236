using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Strata.Registry.Tests.Ui;

/// <summary>
/// A tiny W3C WebDriver client over HttpClient driving Debian's chromedriver + headless chromium.
/// Only what the UI tests need: navigate, find, click, type, text, script, screenshot.
/// </summary>
internal sealed class WebDriverClient : IAsyncDisposable
{
    private const string ElementKey = "element-6066-11e4-a52e-4f735466cecf";
    private readonly Process _driver;
    private readonly HttpClient _http;
    private readonly string _session;

    private WebDriverClient(Process driver, HttpClient http, string session)
    {
        _driver = driver;
        _http = http;
        _session = session;
    }

    public static string? DriverPath => new[] { "/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver" }.FirstOrDefault(File.Exists);

    public static async Task<WebDriverClient> StartAsync(CancellationToken cancellationToken)
    {
        var path = DriverPath ?? throw new InvalidOperationException("chromedriver not installed: apt-get install -y chromium chromium-driver");
        int port;
        using (var l = new TcpListener(IPAddress.Loopback, 0))
        {
            l.Start();
            port = ((IPEndPoint)l.LocalEndpoint).Port;
        }

        var driver = Process.Start(new ProcessStartInfo(path, $"--port={port} --allowed-ips=127.0.0.1")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        try
        {
            var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
            for (var i = 0; ; i++)
            {
                try
                {
                    using var status = await http.GetAsync("status", cancellationToken);
                    if (status.IsSuccessStatusCode)
                    {
                        break;
                    }
                }
                catch (HttpRequestException) when (i < 100)
                {
                }

                await Task.Delay(100, cancellationToken);
            }

            var caps = new JsonObject
            {
                ["capabilities"] = new JsonObject
                {
                    ["alwaysMatch"] = new JsonObject
                    {
                        ["browserName"] = "chrome",
                        ["goog:chromeOptions"] = new JsonObject
                        {
                            ["binary"] = "/usr/bin/chromium",
                            ["args"] = new JsonArray("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,900", "--no-first-run", "--user-data-dir=" + Path.Combine(Path.GetTempPath(), "strata-ui-chrome-" + Guid.NewGuid().ToString("N"))),
                        },
                    },
                },
            };
            using var response = await http.PostAsync("session", Json(caps), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            var session = body?["value"]?["sessionId"]?.GetValue<string>()
                ?? throw new InvalidOperationException("chromedriver refused the session: " + body);
            return new WebDriverClient(driver, http, session);
        }
        catch
        {
            // never leave a chromedriver behind when the session could not start
            driver.Kill(entireProcessTree: true);
            await driver.WaitForExitAsync(CancellationToken.None);
            driver.Dispose();
            throw;
        }
    }

    public Task NavigateAsync(Uri url, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, "url", new JsonObject { ["url"] = url.ToString() }, cancellationToken);

    /// <summary>Waits until a CSS selector matches and returns the element id.</summary>
    public async Task<string> FindAsync(string css, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var found = await TryFindAsync(css, cancellationToken);
            if (found is not null)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"no element matches '{css}'; page: {await ScriptAsync("return document.body.innerText", cancellationToken)}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public async Task<string?> TryFindAsync(string css, CancellationToken cancellationToken)
    {
        var value = await CommandAsync(HttpMethod.Post, "elements", new JsonObject { ["using"] = "css selector", ["value"] = css }, cancellationToken);
        return value is JsonArray { Count: > 0 } list ? ElementId(list[0]!.AsObject()) : null;
    }

    public Task ClickAsync(string element, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, $"element/{element}/click", new JsonObject(), cancellationToken);

    public Task TypeAsync(string element, string text, CancellationToken cancellationToken) =>
        CommandAsync(HttpMethod.Post, $"element/{element}/value", new JsonObject { ["text"] = text }, cancellationToken);

    public async Task<string> TextAsync(string element, CancellationToken cancellationToken) =>
        (await CommandAsync(HttpMethod.Get, $"element/{element}/text", null, cancellationToken))?.GetValue<string>() ?? string.Empty;

    public async Task<string?> ScriptAsync(string script, CancellationToken cancellationToken) =>
        (await CommandAsync(HttpMethod.Post, "execute/sync", new JsonObject { ["script"] = script, ["args"] = new JsonArray() }, cancellationToken))?.ToString();

    /// <summary>Runs an async script; it finishes by calling <c>done(value)</c>.</summary>
    public async Task<string?> AsyncScriptAsync(string body, CancellationToken cancellationToken) =>
        (await CommandAsync(HttpMethod.Post, "execute/async", new JsonObject
        {
            ["script"] = "const done = arguments[arguments.length - 1]; (async () => { " + body + " })().then(done, e => done('error: ' + e));",
            ["args"] = new JsonArray(),
        }, cancellationToken))?.ToString();

    public async Task ScreenshotAsync(string file, CancellationToken cancellationToken)
    {
        var png = (await CommandAsync(HttpMethod.Get, "screenshot", null, cancellationToken))!.GetValue<string>();
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        await File.WriteAllBytesAsync(file, Convert.FromBase64String(png), cancellationToken);
    }

    private async Task<JsonNode?> CommandAsync(HttpMethod method, string path, JsonObject? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, $"session/{_session}/{path}");
        if (body is not null)
        {
            request.Content = Json(body);
        }

        using var response = await _http.SendAsync(request, cancellationToken);
        var json = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"WebDriver {method} {path}: {json?["value"]?["message"]}");
        }

        return json?["value"];
    }

    private static string ElementId(JsonObject reference) =>
        (reference[ElementKey] ?? reference.First().Value)!.GetValue<string>();

    // chromedriver does not accept chunked request bodies, so send a sized string.
    private static StringContent Json(JsonObject body) =>
        new(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var _ = await _http.DeleteAsync($"session/{_session}");
        }
        catch (HttpRequestException)
        {
        }

        if (!_driver.HasExited)
        {
            _driver.Kill(entireProcessTree: true);
            await _driver.WaitForExitAsync();
        }

        _driver.Dispose();
        _http.Dispose();
    }
}
