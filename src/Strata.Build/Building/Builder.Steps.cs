using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Strata.Build.Copying;
using Strata.Build.Parsing;
using Strata.Build.Running;
using Strata.Runtime.Bundles;
using Strata.Storage.Layers;
using Strata.Oci;

namespace Strata.Build.Building;

public sealed partial class Builder
{
    private async Task RunStepAsync(StageState state, DockerfileNode node, CancellationToken cancellationToken)
    {
        var network = node.Flags.LastOrDefault(f => f.Name == "network")?.Value ?? "default";
        var cmd = RunCommandLine(state, node);
        var envNames = state.Config.EnvNames();
        var inScope = state.Args.InScope(envNames);
        var prefix = inScope.Count > 0 ? $"|{inScope.Count} " + string.Join(' ', inScope.Select(p => p.Key + "=" + p.Value)) + " " : string.Empty;
        var createdBy = prefix + string.Join(' ', cmd);
        var key = CacheKey(state, "run:" + network, createdBy, string.Empty);
        if (await TryCacheAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        await WriteLineAsync($" ---> Running in {id[..12]}", cancellationToken).ConfigureAwait(false);
        var env = new List<string>(state.Config.Env);
        env.AddRange(inScope.Select(p => p.Key + "=" + p.Value));
        env.AddRange(state.Args.PredefinedInScope(envNames).Select(p => p.Key + "=" + p.Value));
        var layer = await WithSnapshotAsync(state, runtimeInit: true, async root =>
        {
            var exit = await _services.Runner.RunAsync(new StepRun
            {
                Id = "strata-build-" + id[..12],
                RootfsDir = root,
                Args = cmd,
                Env = env,
                WorkingDir = string.IsNullOrEmpty(state.Config.WorkingDir) ? "/" : state.Config.WorkingDir,
                User = state.Config.User,
                Network = network == "none" ? "none" : "host",
                Hostname = id[..12],
                Output = _out,
            }, cancellationToken).ConfigureAwait(false);
            if (exit != 0)
            {
                throw new StrataException(ErrorKind.Unknown, "BUILD_RUN_FAILED", $"The command '{string.Join(' ', cmd)}' returned a non-zero code: {exit}");
            }
        }, cancellationToken).ConfigureAwait(false);
        _stepsRun++;
        await WriteLineAsync($"Removing intermediate container {id[..12]}", cancellationToken).ConfigureAwait(false);
        await CommitStepAsync(state, key, createdBy, layer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The argv of a RUN: exec form as written; shell form through the stage's SHELL. A RUN that is only one
    /// heredoc runs the heredoc body as the script; other heredocs are handed to the shell with the line
    /// (buildkit's behaviour; the classic builder had no heredocs).
    /// </summary>
    private static List<string> RunCommandLine(StageState state, DockerfileNode node)
    {
        if (node.Json)
        {
            return [.. node.Args];
        }

        var text = node.Args[0];
        if (node.Heredocs.Count > 0)
        {
            var only = DockerfileParser.ParseHeredoc(text.Trim());
            if (node.Heredocs.Count == 1 && only is not null)
            {
                text = node.Heredocs[0].Body;
            }
            else
            {
                var sb = new StringBuilder(text);
                foreach (var h in node.Heredocs)
                {
                    sb.Append('\n').Append(h.Content).Append(h.Name);
                }

                text = sb.ToString();
            }
        }

        return [.. state.Config.EffectiveShell, text];
    }

    private async Task WorkdirStepAsync(StageState state, DockerfileNode node, CancellationToken cancellationToken)
    {
        string dir;
        try
        {
            dir = _lex.ProcessWord(node.Args[0], ConfigInstructions.Lookup(state.Config, state.Args));
        }
        catch (FormatException e)
        {
            throw DockerfileErrors.At(_plan.FileName, node, e.Message);
        }

        if (!dir.StartsWith('/'))
        {
            dir = (string.IsNullOrEmpty(state.Config.WorkingDir) ? "/" : state.Config.WorkingDir) + "/" + dir;
        }

        dir = Context.DockerIgnore.CleanPath(dir);
        state.Config.WorkingDir = dir;
        var createdBy = string.Join(' ', state.Config.EffectiveShell) + " #(nop) WORKDIR " + dir;
        var key = CacheKey(state, "workdir", createdBy, string.Empty);
        if (await TryCacheAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var layer = await WithSnapshotAsync(state, runtimeInit: false, root =>
        {
            FileCopier.MkdirAll(root, dir, CopyOwner.Root);
            return Task.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        await CommitStepAsync(state, key, createdBy, layer, cancellationToken).ConfigureAwait(false);
    }

    private async Task CopyStepAsync(StageState state, DockerfileNode node, CancellationToken cancellationToken)
    {
        var isAdd = node.Keyword == "add";
        var name = isAdd ? "ADD" : "COPY";
        var lookup = ConfigInstructions.Lookup(state.Config, state.Args);
        string Expand(string w)
        {
            try
            {
                return _lex.ProcessWord(w, lookup);
            }
            catch (FormatException e)
            {
                throw DockerfileErrors.At(_plan.FileName, node, e.Message);
            }
        }

        string? Flag(string n) => node.Flags.LastOrDefault(f => f.Name == n)?.Value is { } v ? Expand(v) : null;
        var from = Flag("from");
        var chown = Flag("chown");
        var chmodText = Flag("chmod");
        uint? chmod = null;
        if (!string.IsNullOrEmpty(chmodText))
        {
            if (chmodText.Length > 4 || !chmodText.All(c => c is >= '0' and <= '7'))
            {
                throw DockerfileErrors.At(_plan.FileName, node, $"invalid chmod parameter \"{chmodText}\": must be an octal mode like 755");
            }

            chmod = Convert.ToUInt32(chmodText, 8);
        }

        if (isAdd && from is not null)
        {
            throw DockerfileErrors.At(_plan.FileName, node, "ADD does not support --from");
        }

        var rawDest = node.Args[^1];
        var dest = Expand(rawDest);
        var destIsDir = dest.EndsWith('/') || dest == "." || dest.EndsWith("/.", StringComparison.Ordinal);
        var containerDest = dest;
        if (!containerDest.StartsWith('/'))
        {
            containerDest = (string.IsNullOrEmpty(state.Config.WorkingDir) ? "/" : state.Config.WorkingDir).TrimEnd('/') + "/" + containerDest;
        }

        var heredocs = node.Heredocs.ToDictionary(h => h.Name, StringComparer.Ordinal);
        var rawSources = node.Args.Take(node.Args.Count - 1).ToList();

        async Task Work(Copying.SourceTree tree)
        {
            var items = new List<CopyItem>();
            var downloads = new List<string>();
            try
            {
                foreach (var raw in rawSources)
                {
                    if (!node.Json && DockerfileParser.ParseHeredoc(raw) is { } hd && heredocs.TryGetValue(hd.Name, out var doc))
                    {
                        var content = doc.Body;
                        if (doc.Expand)
                        {
                            content = new ShellLex(_plan.Escape) { RawQuotes = true, RawEscapes = true }.ProcessWord(content, lookup);
                        }

                        var bytes = Encoding.UTF8.GetBytes(content);
                        items.Add(new CopyItem { Inline = bytes, Name = doc.Name, Hash = "file:" + Convert.ToHexStringLower(SHA256.HashData(bytes)) });
                        continue;
                    }

                    var src = Expand(raw);
                    if (isAdd && (src.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || src.StartsWith("https://", StringComparison.OrdinalIgnoreCase)))
                    {
                        var item = await DownloadAsync(node, src, cancellationToken).ConfigureAwait(false);
                        downloads.Add(item.ContentFile!);
                        items.Add(item);
                        continue;
                    }

                    foreach (var r in ResolveSources(node, name, tree, src))
                    {
                        var hash = await ContentHasher.HashAsync(r, tree.IsExcluded, tree.Root, cancellationToken).ConfigureAwait(false);
                        var extract = isAdd && !r.IsDirectory && tree.IsContext && await ArchiveExtractor.IsArchiveAsync(r.HostPath, cancellationToken).ConfigureAwait(false);
                        items.Add(new CopyItem { Source = r, Extract = extract, Hash = (r.IsDirectory ? "dir:" : "file:") + hash });
                    }
                }

                if (items.Count > 1 && !destIsDir)
                {
                    throw DockerfileErrors.At(_plan.FileName, node, $"When using {name} with more than one source file, the destination must be a directory and end with a /");
                }

                var srcHash = items.Count == 1
                    ? items[0].Hash
                    : "multi:" + ContentHasher.HashText(string.Join(',', items.Select(i => i.Hash)));
                var chownComment = chown is null ? string.Empty : $"--chown={chown}";
                var createdBy = string.Join(' ', state.Config.EffectiveShell) + $" #(nop) {name} {chownComment}{srcHash} in {dest} ";
                var keyExtra = $"from={tree.Identity}\nchown={chown}\nchmod={chmodText}";
                var key = CacheKey(state, name, createdBy, keyExtra);
                if (await TryCacheAsync(state, key, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var layer = await WithSnapshotAsync(state, runtimeInit: false, async root =>
                {
                    var owner = CopyOwner.Root;
                    if (chown is not null)
                    {
                        var (uid, gid, _) = UserSpec.Resolve(chown, root);
                        owner = new CopyOwner(uid, gid, null);
                    }

                    owner = owner with { Mode = chmod, KeepArchiveOwners = chown is null };
                    foreach (var item in items)
                    {
                        await CopyItemAsync(_services.Applier, root, tree, item, containerDest, destIsDir, owner, cancellationToken).ConfigureAwait(false);
                    }
                }, cancellationToken).ConfigureAwait(false);
                await CommitStepAsync(state, key, createdBy, layer, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                foreach (var d in downloads)
                {
                    File.Delete(d);
                }
            }
        }

        if (from is null)
        {
            await Work(_request.Context.Tree).ConfigureAwait(false);
            return;
        }

        var (chain, identity) = await ResolveCopyFromAsync(state, node, from, cancellationToken).ConfigureAwait(false);
        await WithViewAsync(chain, root => Work(new Copying.SourceTree(root, _ => false, false, identity)), cancellationToken).ConfigureAwait(false);
    }

    private static async Task CopyItemAsync(ILayerApplier applier, string root, Copying.SourceTree tree, CopyItem item, string dest, bool destIsDir, CopyOwner owner, CancellationToken cancellationToken)
    {
        if (item.Inline is { } bytes)
        {
            using var ms = new MemoryStream(bytes);
            await FileCopier.WriteFileAsync(root, dest, destIsDir, item.Name, ms, item.Mode, item.ModTime, owner with { KeepArchiveOwners = false }, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (item.ContentFile is { } file)
        {
            await using var fs = File.OpenRead(file);
            await FileCopier.WriteFileAsync(root, dest, destIsDir, item.Name, fs, item.Mode, item.ModTime, owner with { KeepArchiveOwners = false }, cancellationToken).ConfigureAwait(false);
            return;
        }

        var src = item.Source!;
        if (item.Extract)
        {
            await ArchiveExtractor.ExtractAsync(applier, src.HostPath, root, dest, owner, cancellationToken).ConfigureAwait(false);
            return;
        }

        var descend = tree.IsContext && tree.Root.Length > 0;
        await FileCopier.CopyAsync(root, src, tree.IsExcluded, descend, dest, destIsDir, owner with { KeepArchiveOwners = false }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Expands one COPY source (glob or path) against the source tree, as Docker does.</summary>
    private IReadOnlyList<ResolvedSource> ResolveSources(DockerfileNode node, string name, Copying.SourceTree tree, string src)
    {
        var clean = Context.DockerIgnore.CleanPath(src.TrimStart('/'));
        if (clean == ".." || clean.StartsWith("../", StringComparison.Ordinal))
        {
            throw DockerfileErrors.At(_plan.FileName, node, $"{name} failed: forbidden path outside the build context: {src}");
        }

        if (clean == ".")
        {
            return [new ResolvedSource(tree.Root, string.Empty, IsDirectory: true)];
        }

        if (Glob.HasMeta(clean))
        {
            try
            {
                Glob.Validate(clean);
            }
            catch (FormatException)
            {
                throw DockerfileErrors.At(_plan.FileName, node, $"{name} failed: bad pattern {src}");
            }

            var matches = tree.Walk(descendExcluded: false)
                .Where(rel => Glob.Match(clean, rel, '/'))
                .Select(rel =>
                {
                    var host = Path.Combine(tree.Root, rel);
                    return new ResolvedSource(host, rel, Directory.Exists(host) && new FileInfo(host).LinkTarget is null);
                })
                .ToList();
            if (matches.Count == 0)
            {
                throw DockerfileErrors.At(_plan.FileName, node, $"{name} failed: no source files were specified");
            }

            return matches;
        }

        var resolved = ScopedPath.Resolve(tree.Root, clean);
        var st = Storage.Layers.UnixFs.TryLstat(resolved);
        if (st is null || tree.IsExcluded(clean))
        {
            var where = tree.IsContext ? "build context or excluded by .dockerignore" : "source image or stage";
            throw DockerfileErrors.At(_plan.FileName, node, $"{name} failed: file not found in {where}: stat {clean}: file does not exist");
        }

        return [new ResolvedSource(resolved, clean, st.Value.IsDirectory)];
    }

    /// <summary>COPY --from: a stage (by name or index) or an image (pulled when missing).</summary>
    private async Task<(string? Chain, string Identity)> ResolveCopyFromAsync(StageState state, DockerfileNode node, string from, CancellationToken cancellationToken)
    {
        var stage = _plan.Stages.Take(state.Stage.Index).LastOrDefault(s => string.Equals(s.Name, from, StringComparison.OrdinalIgnoreCase));
        if (stage is null && int.TryParse(from, NumberStyles.None, CultureInfo.InvariantCulture, out var idx))
        {
            if (idx >= state.Stage.Index)
            {
                throw DockerfileErrors.At(_plan.FileName, node, $"invalid from flag value {from}: refers to current build stage or a later one");
            }

            stage = _plan.Stages[idx];
        }

        if (stage is not null)
        {
            var built = _stages[stage.Index];
            return (built.ChainId, "stage:" + built.ParentKey);
        }

        if (string.Equals(from, state.Stage.Name, StringComparison.OrdinalIgnoreCase))
        {
            throw DockerfileErrors.At(_plan.FileName, node, $"invalid from flag value {from}: refers to current build stage");
        }

        var image = await ResolveImageAsync(from, null, cancellationToken).ConfigureAwait(false);
        var chain = await _services.Images.UnpackAsync(image, cancellationToken).ConfigureAwait(false);
        return (chain, "image:" + image.Id);
    }

    private async Task<CopyItem> DownloadAsync(DockerfileNode node, string url, CancellationToken cancellationToken)
    {
        var http = _services.Http ?? throw DockerfileErrors.At(_plan.FileName, node, "ADD of a URL is not available");
        var uri = new Uri(url);
        var fileName = Path.GetFileName(uri.AbsolutePath.TrimEnd('/'));
        var dir = Path.Combine(_services.StateDir, "downloads");
        Directory.CreateDirectory(dir);
        var tmp = Path.Combine(dir, Guid.NewGuid().ToString("N"));
        using var response = await http.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw StrataException.Unavailable("ADD_DOWNLOAD_FAILED", $"failed to GET {url} with status {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false))
        await using (var f = File.Create(tmp))
        {
            var buf = new byte[1 << 16];
            int n;
            while ((n = await body.ReadAsync(buf, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buf, 0, n);
                await f.WriteAsync(buf.AsMemory(0, n), cancellationToken).ConfigureAwait(false);
            }
        }

        if (fileName.Length == 0)
        {
            File.Delete(tmp);
            throw DockerfileErrors.At(_plan.FileName, node, $"cannot determine filename from url: {url}");
        }

        return new CopyItem
        {
            ContentFile = tmp,
            Name = fileName,
            Mode = 0b110_000_000,
            ModTime = response.Content.Headers.LastModified,
            Hash = "file:" + Convert.ToHexStringLower(hash.GetHashAndReset()),
        };
    }
}
