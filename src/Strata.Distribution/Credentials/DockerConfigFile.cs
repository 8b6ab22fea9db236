using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Strata.Oci;
using Strata.Storage.Content;

namespace Strata.Distribution.Credentials;

/// <summary>
/// Docker's client <c>config.json</c> (<c>$DOCKER_CONFIG/config.json</c> or <c>~/.docker/config.json</c>):
/// <c>auths</c> (base64 <c>user:password</c> or <c>identitytoken</c>), <c>credsStore</c>, <c>credHelpers</c>.
/// Keys Strata does not use are kept as they are, so docker and Strata share the file.
/// </summary>
public sealed class DockerConfigFile
{
    /// <summary>The key docker uses for Docker Hub in <c>auths</c>.</summary>
    public const string DockerHubKey = DockerHub.ConfigKey;

    private readonly JsonObject _root;

    private DockerConfigFile(string path, JsonObject root)
    {
        Path = path;
        _root = root;
    }

    public string Path { get; }

    /// <summary><c>credsStore</c>: the helper for every registry without its own <c>credHelpers</c> entry.</summary>
    public string? CredsStore => _root["credsStore"] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>The default location: <c>$DOCKER_CONFIG/config.json</c>, else <c>$HOME/.docker/config.json</c>.</summary>
    public static string DefaultPath()
    {
        var dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (string.IsNullOrEmpty(dir))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            dir = System.IO.Path.Combine(home, ".docker");
        }

        return System.IO.Path.Combine(dir, "config.json");
    }

    public static async Task<DockerConfigFile> LoadAsync(string? path = null, CancellationToken cancellationToken = default)
    {
        path ??= DefaultPath();
        if (!File.Exists(path))
        {
            return new DockerConfigFile(path, []);
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return new DockerConfigFile(path, []);
        }

        try
        {
            var node = JsonNode.Parse(bytes, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return node is JsonObject o
                ? new DockerConfigFile(path, o)
                : throw StrataException.Invalid("CONFIG_INVALID", $"{path}: not a JSON object");
        }
        catch (JsonException e)
        {
            throw StrataException.Invalid("CONFIG_INVALID", $"loading config file {path}: {e.Message}", e);
        }
    }

    /// <summary>The <c>auths</c> / <c>credHelpers</c> key docker uses for <paramref name="registry"/>.</summary>
    public static string KeyFor(string registry) =>
        DockerHub.IsAlias(registry) ? DockerHubKey : registry;

    /// <summary>The helper configured for <paramref name="registry"/>: its <c>credHelpers</c> entry, else <c>credsStore</c>.</summary>
    public string? HelperFor(string registry)
    {
        if (_root["credHelpers"] is JsonObject helpers)
        {
            foreach (var (key, value) in helpers)
            {
                if (Matches(key, registry) && value is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0)
                {
                    return name;
                }
            }
        }

        return CredsStore;
    }

    /// <summary>The credential stored inline in <c>auths</c>, or null.</summary>
    public RegistryCredential? GetAuth(string registry)
    {
        if (_root["auths"] is not JsonObject auths)
        {
            return null;
        }

        foreach (var (key, value) in auths)
        {
            if (!Matches(key, registry) || value is not JsonObject entry)
            {
                continue;
            }

            var token = Str(entry, "identitytoken");
            var (user, pass) = (Str(entry, "username"), Str(entry, "password"));
            if (Str(entry, "auth") is { Length: > 0 } auth)
            {
                try
                {
                    var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth));
                    var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                    if (colon < 0)
                    {
                        throw StrataException.Invalid("CONFIG_INVALID", $"{Path}: invalid auth for {key}: no colon in user:password");
                    }

                    (user, pass) = (decoded[..colon], decoded[(colon + 1)..]);
                }
                catch (FormatException e)
                {
                    throw StrataException.Invalid("CONFIG_INVALID", $"{Path}: invalid auth for {key}: {e.Message}", e);
                }
            }

            if (string.IsNullOrEmpty(user) && string.IsNullOrEmpty(pass) && string.IsNullOrEmpty(token))
            {
                continue; // an empty marker docker leaves when a credential store holds the secret
            }

            return new RegistryCredential(user ?? string.Empty, pass ?? string.Empty, string.IsNullOrEmpty(token) ? null : token);
        }

        return null;
    }

    /// <summary>Stores a credential inline (<c>auth</c> = base64 <c>user:password</c>), as <c>docker login</c> does without a store.</summary>
    public void SetAuth(string registry, RegistryCredential credential)
    {
        ArgumentNullException.ThrowIfNull(credential);
        var entry = new JsonObject();
        if (credential.HasIdentityToken)
        {
            entry["identitytoken"] = credential.IdentityToken;
        }
        else
        {
            entry["auth"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credential.Username}:{credential.Password}"));
        }

        RemoveAuth(registry);
        Auths()[KeyFor(registry)] = entry;
    }

    /// <summary>Leaves an empty entry, as docker does when the secret went to a credential helper.</summary>
    public void SetMarker(string registry)
    {
        RemoveAuth(registry);
        Auths()[KeyFor(registry)] = new JsonObject();
    }

    /// <summary>Removes every <c>auths</c> entry for <paramref name="registry"/>; returns whether there was one.</summary>
    public bool RemoveAuth(string registry)
    {
        if (_root["auths"] is not JsonObject auths)
        {
            return false;
        }

        var keys = auths.Select(kv => kv.Key).Where(k => Matches(k, registry)).ToList();
        foreach (var k in keys)
        {
            auths.Remove(k);
        }

        return keys.Count > 0;
    }

    /// <summary>Writes the file as docker does (tab-indented JSON, mode 0600), atomically.</summary>
    public async Task SaveAsync(CancellationToken cancellationToken = default)
    {
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (!Directory.Exists(dir))
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        using var buffer = new MemoryStream();
        await using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, IndentCharacter = '\t', IndentSize = 1 }))
        {
            _root.WriteTo(w);
        }

        var data = buffer.ToArray();
        var tmp = System.IO.Path.Combine(dir, $".{System.IO.Path.GetFileName(Path)}.{Environment.ProcessId}.tmp");
        try
        {
            await using (var fs = new FileStream(tmp, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }))
            {
                await fs.WriteAsync(data, cancellationToken).ConfigureAwait(false);
                fs.Flush(flushToDisk: true);
            }

            File.Move(tmp, Path, overwrite: true);
            FileSync.SyncDirectory(dir);
        }
        catch
        {
            File.Delete(tmp);
            throw;
        }
    }

    /// <summary>docker's ConvertToHostname: keys may be URLs (<c>https://host/v1/</c>); compare their host part.</summary>
    private static bool Matches(string key, string registry)
    {
        var host = key;
        if (host.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            host = host[7..];
        }
        else if (host.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            host = host[8..];
        }

        var slash = host.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            host = host[..slash];
        }

        return string.Equals(DockerHub.Normalize(host), DockerHub.Normalize(registry), StringComparison.OrdinalIgnoreCase);
    }

    private JsonObject Auths()
    {
        if (_root["auths"] is JsonObject o)
        {
            return o;
        }

        var created = new JsonObject();
        _root["auths"] = created;
        return created;
    }

    private static string? Str(JsonObject o, string name) =>
        o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
