using System.Security.Cryptography;
using System.Text;
using Strata.Build.Copying;
using Strata.Build.Instructions;
using Strata.Build.Parsing;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Storage.Layers;

namespace Strata.Build.Building;

/// <summary>RUN --mount: BuildKit's bind, cache, tmpfs, secret and ssh mounts, resolved to bundle mounts for one step.</summary>
public sealed partial class Builder
{
    /// <summary>Parses a RUN's <c>--mount</c> flags after build-arg and ENV substitution.</summary>
    private List<RunMount> ParseMounts(StageState state, DockerfileNode node)
    {
        var lookup = ConfigInstructions.Lookup(state.Config, state.Args);
        var result = new List<RunMount>();
        foreach (var f in node.Flags.Where(f => f.Name == "mount"))
        {
            try
            {
                var m = RunMount.Parse(_lex.ProcessWord(f.Value ?? string.Empty, lookup));
                if (m.Type is "bind" or "cache" or "tmpfs" or "secret" or "ssh" && m.Target is { Length: > 0 } t && !t.StartsWith('/') )
                {
                    throw new FormatException("mount target must be absolute");
                }

                result.Add(m);
            }
            catch (FormatException e)
            {
                throw DockerfileErrors.At(_plan.FileName, node, "--mount: " + e.Message);
            }
        }

        return result;
    }

    /// <summary>
    /// What the mounts add to the step's cache key: each mount's fields, plus the identity of what a bind shows
    /// (the content digest of a context path, the stage or image it comes from). Cache mounts and secrets add
    /// only their fields: their contents are meant to change without invalidating the step.
    /// </summary>
    private async Task<string> MountsKeyAsync(StageState state, DockerfileNode node, IReadOnlyList<RunMount> mounts, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        foreach (var m in mounts)
        {
            sb.Append(m.CacheKey);
            if (m.Type == "bind")
            {
                if (m.From is null)
                {
                    var (host, rel) = ContextSource(node, m);
                    var isDir = UnixFs.TryLstat(host) is { IsDirectory: true };
                    sb.Append("|ctx:").Append(await ContentHasher.HashAsync(new ResolvedSource(host, rel, isDir), _request.Context.Ignore.IsExcluded, _request.Context.Root, cancellationToken).ConfigureAwait(false));
                }
                else
                {
                    var (_, identity) = await ResolveCopyFromAsync(state, node, m.From, cancellationToken).ConfigureAwait(false);
                    sb.Append('|').Append(identity);
                }
            }

            sb.Append('\n');
        }

        return sb.ToString();
    }

    private (string Host, string Relative) ContextSource(DockerfileNode node, RunMount m)
    {
        var rel = Context.DockerIgnore.CleanPath((m.Source ?? "/").TrimStart('/'));
        if (rel == ".." || rel.StartsWith("../", StringComparison.Ordinal))
        {
            throw DockerfileErrors.At(_plan.FileName, node, $"--mount: source {m.Source} is outside the build context");
        }

        var host = rel == "." ? _request.Context.Root : ScopedPath.Resolve(_request.Context.Root, rel);
        if (!Path.Exists(host))
        {
            throw DockerfileErrors.At(_plan.FileName, node, $"--mount: source {m.Source} not found in the build context");
        }

        return (host, rel == "." ? string.Empty : rel);
    }

    /// <summary>Sets up every mount of a step; disposing the result takes them down (views unmounted, secrets deleted, locks released).</summary>
    private async Task<StepMounts> ResolveMountsAsync(StageState state, DockerfileNode node, IReadOnlyList<RunMount> mounts, CancellationToken cancellationToken)
    {
        var result = new StepMounts();
        try
        {
            foreach (var m in mounts)
            {
                switch (m.Type)
                {
                    case "bind":
                        await BindAsync(state, node, m, result, cancellationToken).ConfigureAwait(false);
                        break;
                    case "cache":
                        await CacheMountAsync(state, node, m, result, cancellationToken).ConfigureAwait(false);
                        break;
                    case "tmpfs":
                        List<string> options = ["nosuid", "nodev"];
                        if (m.Size > 0)
                        {
                            options.Add("size=" + m.Size.ToString(System.Globalization.CultureInfo.InvariantCulture));
                        }

                        result.Mounts.Add(new BundleMount(m.Target, "tmpfs", "tmpfs", options));
                        break;
                    case "secret":
                        await SecretAsync(node, m, result, cancellationToken).ConfigureAwait(false);
                        break;
                    case "ssh":
                        Ssh(node, m, result);
                        break;
                }
            }

            return result;
        }
        catch
        {
            await result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async Task BindAsync(StageState state, DockerfileNode node, RunMount m, StepMounts result, CancellationToken cancellationToken)
    {
        string host;
        if (m.From is null)
        {
            host = ContextSource(node, m).Host;
        }
        else
        {
            var (chain, _) = await ResolveCopyFromAsync(state, node, m.From, cancellationToken).ConfigureAwait(false);
            var (root, release) = await MountViewAsync(chain, cancellationToken).ConfigureAwait(false);
            result.Releases.Add(release);
            host = ScopedPath.Resolve(root, m.Source ?? "/");
            if (!Path.Exists(host))
            {
                throw DockerfileErrors.At(_plan.FileName, node, $"--mount: source {m.Source} not found in {m.From}");
            }
        }

        if (!m.ReadWrite)
        {
            result.Mounts.Add(new BundleMount(m.Target, "bind", host, ["rbind", "rprivate", "ro"]));
            return;
        }

        // rw: writes land in a throwaway upper directory (BuildKit discards them too).
        var scratch = Path.Combine(_services.StateDir, "mounts", "rw-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        result.Releases.Add(() =>
        {
            UnixFs.RemoveAll(scratch);
            return Task.CompletedTask;
        });
        if (File.Exists(host))
        {
            var copy = Path.Combine(scratch, "file");
            File.Copy(host, copy);
            result.Mounts.Add(new BundleMount(m.Target, "bind", copy, ["rbind", "rprivate", "rw"]));
            return;
        }

        Directory.CreateDirectory(Path.Combine(scratch, "upper"));
        Directory.CreateDirectory(Path.Combine(scratch, "work"));
        result.Mounts.Add(new BundleMount(m.Target, "overlay", "overlay",
            [$"lowerdir={host}", $"upperdir={Path.Combine(scratch, "upper")}", $"workdir={Path.Combine(scratch, "work")}"]));
    }

    /// <summary>
    /// A persistent directory under the build state keyed by the cache ID, kept across builds until
    /// <c>builder prune</c>. <c>locked</c> waits for other users; <c>private</c> takes a fresh directory when it is in use.
    /// </summary>
    private async Task CacheMountAsync(StageState state, DockerfileNode node, RunMount m, StepMounts result, CancellationToken cancellationToken)
    {
        var dir = Path.Combine(CacheMountsDir(_services.StateDir), Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(m.Id ?? m.Target)))[..32]);
        Directory.CreateDirectory(dir);
        var data = Path.Combine(dir, "data");
        if (m.Sharing is "locked" or "private")
        {
            var lockPath = Path.Combine(dir, "lock");
            FileStream? held = null;
            while (held is null)
            {
                try
                {
                    held = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (m.Sharing == "locked")
                {
                    await Task.Delay(100, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException)
                {
                    // private and in use: a directory of its own for this step, thrown away after.
                    data = Path.Combine(_services.StateDir, "mounts", "cache-private-" + Guid.NewGuid().ToString("N"));
                    var throwaway = data;
                    result.Releases.Add(() =>
                    {
                        UnixFs.RemoveAll(throwaway);
                        return Task.CompletedTask;
                    });
                    break;
                }
            }

            if (held is not null)
            {
                result.Releases.Add(() =>
                {
                    held.Dispose();
                    return Task.CompletedTask;
                });
            }
        }

        if (!Directory.Exists(data))
        {
            var staging = data + "-" + Guid.NewGuid().ToString("N");
            if (m.From is not null)
            {
                var (chain, _) = await ResolveCopyFromAsync(state, node, m.From, cancellationToken).ConfigureAwait(false);
                var (root, release) = await MountViewAsync(chain, cancellationToken).ConfigureAwait(false);
                try
                {
                    var src = ScopedPath.Resolve(root, m.Source ?? "/");
                    if (Directory.Exists(src))
                    {
                        await Storage.Snapshots.TreeCopier.CopyAsync(src, staging, cancellationToken).ConfigureAwait(false);
                    }
                }
                finally
                {
                    await release().ConfigureAwait(false);
                }
            }

            Directory.CreateDirectory(staging);
            UnixFs.Chmod(staging, m.Mode ?? 0b111_101_101);
            UnixFs.Lchown(staging, m.Uid ?? 0, m.Gid ?? 0);
            try
            {
                Directory.Move(staging, data);
            }
            catch (IOException)
            {
                UnixFs.RemoveAll(staging); // made by a concurrent step first
            }
        }

        result.Mounts.Add(new BundleMount(m.Target, "bind", data, ["rbind", "rprivate", m.ReadWrite ? "rw" : "ro"]));
    }

    /// <summary>Where cache mounts live; <c>builder prune</c> empties it.</summary>
    private static string CacheMountsDir(string stateDir) => Path.Combine(stateDir, "cache-mounts");

    /// <summary>Removes every cache mount (<c>builder prune</c>): renamed aside first, so a build never sees half of one.</summary>
    public static void PruneCacheMounts(string stateDir)
    {
        var dir = CacheMountsDir(stateDir);
        if (!Directory.Exists(dir))
        {
            return;
        }

        var doomed = dir + "-pruned-" + Guid.NewGuid().ToString("N");
        Directory.Move(dir, doomed);
        UnixFs.RemoveAll(doomed);
    }

    private async Task SecretAsync(DockerfileNode node, RunMount m, StepMounts result, CancellationToken cancellationToken)
    {
        var id = m.Id!;
        byte[]? value = null;
        if (_request.Secrets.TryGetValue(id, out var source))
        {
            value = await source.ReadAsync(cancellationToken).ConfigureAwait(false);
        }

        if (value is null)
        {
            if (m.Required)
            {
                throw new StrataException(ErrorKind.InvalidArgument, BuildErrors.SecretNotFound, $"{_plan.FileName}:{node.StartLine}: secret {id}: not found (give it with --secret id={id},src=FILE)");
            }

            return;
        }

        if (m.Env is { } envName)
        {
            result.Env.Add(envName + "=" + Encoding.UTF8.GetString(value));
        }

        if (m.Target.Length == 0)
        {
            return;
        }

        // The file lives outside the root filesystem (bind-mounted read-only), so no layer ever holds it.
        var dir = Path.Combine(_services.StateDir, "secrets", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        UnixFs.Chmod(dir, 0b111_000_000);
        result.Releases.Add(() =>
        {
            UnixFs.RemoveAll(dir);
            return Task.CompletedTask;
        });
        var file = Path.Combine(dir, "secret");
        await File.WriteAllBytesAsync(file, value, cancellationToken).ConfigureAwait(false);
        UnixFs.Chmod(file, m.Mode ?? 0b100_000_000);
        UnixFs.Lchown(file, m.Uid ?? 0, m.Gid ?? 0);
        result.Mounts.Add(new BundleMount(m.Target, "bind", file, ["rbind", "rprivate", "ro"]));
    }

    private void Ssh(DockerfileNode node, RunMount m, StepMounts result)
    {
        var id = m.Id ?? "default";
        if (!_request.Ssh.TryGetValue(id, out var socket) || !Path.Exists(socket))
        {
            if (m.Required)
            {
                throw new StrataException(ErrorKind.InvalidArgument, BuildErrors.SshNotFound, $"{_plan.FileName}:{node.StartLine}: no SSH key \"{id}\" forwarded from the client (give it with --ssh {id}=$SSH_AUTH_SOCK)");
            }

            return;
        }

        result.Mounts.Add(new BundleMount(m.Target, "bind", socket, ["rbind", "rprivate"]));
        if (!result.Env.Any(e => e.StartsWith("SSH_AUTH_SOCK=", StringComparison.Ordinal)))
        {
            result.Env.Add("SSH_AUTH_SOCK=" + m.Target);
        }
    }
}
