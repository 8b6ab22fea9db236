using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Strata.Build.Analysis;
using Strata.Build.Caching;
using Strata.Build.Instructions;
using Strata.Build.Parsing;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Build.Building;

/// <summary>
/// Builds an image from a Dockerfile the way Docker's classic builder does: stages in order up to the target,
/// one layer per RUN/COPY/ADD (WORKDIR too when it creates the directory), config-only instructions as
/// empty-layer history entries, every step cached by parent step + instruction text after substitution +
/// build args in scope + digest of its inputs, and the same output (<c>Step N/M : ...</c>, <c> ---&gt; ID</c>).
/// </summary>
public sealed partial class Builder
{
    private readonly BuildServices _services;
    private readonly BuildCache _cache;
    private readonly ConcurrentDictionary<Digest, long> _uncompressedSizes = [];
    private readonly Dictionary<int, Task<StageState>> _stageTasks = [];
    private readonly ConcurrentQueue<string> _warnings = [];
    private readonly Lock _sync = new();
    private BuildRequest _request = null!;
    private BuildPlan _plan = null!;
    private ShellLex _lex = null!;
    private BuildArgs _buildArgs = null!;
    private BuildProgress _progress = null!;
    private SemaphoreSlim _slots = null!;
    private CancellationTokenSource _failed = null!;
    private IReadOnlyList<DockerfileNode> _labelNodes = [];
    private int _target;
    private int _cacheHits;
    private int _stepsRun;

    public Builder(BuildServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _cache = new BuildCache(services.Db, services.Content, services.Snapshots);
    }

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        _request = request;
        _progress = new BuildProgress(request.Output, request.Progress);
        _plan = BuildPlan.Parse(request.DockerfileText, request.DockerfileName);
        foreach (var w in _plan.Warnings)
        {
            _warnings.Enqueue(w);
            await WriteLineAsync("[Warning] " + w, cancellationToken).ConfigureAwait(false);
        }

        if (_plan.Syntax is { Length: > 0 } syntax)
        {
            await WriteLineAsync($"[Notice] # syntax={syntax} ignored: Strata builds with its own Dockerfile frontend", cancellationToken).ConfigureAwait(false);
        }

        _lex = new ShellLex(_plan.Escape);
        var targetPlatform = request.Platform is { } p ? Platform.Normalize(Platform.Parse(p)) : Platform.Host;
        _buildArgs = new BuildArgs(request.BuildArgs, BuildArgs.PlatformArgs(targetPlatform, Platform.Host));
        foreach (var meta in _plan.MetaArgs)
        {
            foreach (var word in meta.Args)
            {
                try
                {
                    _buildArgs.DeclareMeta(word, _lex);
                }
                catch (FormatException e)
                {
                    throw DockerfileErrors.At(_plan.FileName, meta, e.Message);
                }
            }
        }

        _target = _plan.TargetIndex(request.Target);
        _labelNodes = LabelNodes(request.Labels, _plan.Stages[_target]);
        var needed = StageGraph.Needed(_plan, _target, MetaExpand);
        _progress.TotalSteps = needed.Sum(i => 1 + _plan.Stages[i].Instructions.Count) + _labelNodes.Count;
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _failed = failed;
        using var slots = new SemaphoreSlim(Math.Max(1, Environment.ProcessorCount));
        _slots = slots;
        foreach (var i in needed)
        {
            _ = StageTask(i);
        }

        var final = await AwaitStagesAsync(cancellationToken).ConfigureAwait(false);

        foreach (var unused in _buildArgs.Unconsumed)
        {
            var w = $"One or more build-args [{unused}] were not consumed";
            _warnings.Enqueue(w);
            await WriteLineAsync("[Warning] " + w, cancellationToken).ConfigureAwait(false);
        }

        if (request.Squash)
        {
            await SquashAsync(final, cancellationToken).ConfigureAwait(false);
        }

        var image = await WriteImageAsync(final, cancellationToken).ConfigureAwait(false);
        var advice = await AnalyzeAsync(final, image, cancellationToken).ConfigureAwait(false);
        foreach (var a in advice)
        {
            await WriteLineAsync("[Warning] " + a.Message, cancellationToken).ConfigureAwait(false);
        }

        await WriteLineAsync($"Successfully built {Short(image.Id)}", cancellationToken).ConfigureAwait(false);
        foreach (var tag in _request.Tags)
        {
            await WriteLineAsync($"Successfully tagged {tag.FamiliarString}", cancellationToken).ConfigureAwait(false);
        }

        return new BuildResult(image, [.. _warnings], advice, _cacheHits, _stepsRun) { ChainId = final.ChainId };
    }

    /// <summary>docker build --label: one LABEL step per label, sorted, appended to the target stage.</summary>
    private static List<DockerfileNode> LabelNodes(IReadOnlyDictionary<string, string> labels, Stage target) =>
        labels.OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => new DockerfileNode
            {
                Keyword = "label",
                Original = $"LABEL {Quote(l.Key)}={Quote(l.Value)}",
                Args = [Quote(l.Key), Quote(l.Value)],
                StartLine = target.From.StartLine,
                EndLine = target.From.EndLine,
            })
            .ToList();

    // Single quotes keep the value literal through word processing (no expansion of --label values).
    private static string Quote(string s) => "'" + s.Replace("'", "'\"'\"'", StringComparison.Ordinal) + "'";

    /// <summary>
    /// The stage's build, started on first use: every stage the target needs is started at once, so stages that
    /// do not depend on each other build in parallel; a stage that needs another (FROM, COPY --from, a bind or
    /// cache mount from it) awaits only that one. The first failure cancels the rest.
    /// </summary>
    private Task<StageState> StageTask(int index)
    {
        lock (_sync)
        {
            if (!_stageTasks.TryGetValue(index, out var task))
            {
                var token = _failed.Token;
                task = Task.Run(async () =>
                {
                    try
                    {
                        return await BuildStageAsync(_plan.Stages[index], index == _target ? _labelNodes : [], token).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        await _failed.CancelAsync().ConfigureAwait(false);
                        throw;
                    }
                }, token);
                _stageTasks[index] = task;
            }

            return task;
        }
    }

    /// <summary>Waits for the target and every stage started; rethrows the failure that stopped the build, not the cancellations it caused.</summary>
    private async Task<StageState> AwaitStagesAsync(CancellationToken cancellationToken)
    {
        Task<StageState> target;
        lock (_sync)
        {
            target = _stageTasks[_target];
        }

        try
        {
            await target.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Task<StageState>[] all;
        lock (_sync)
        {
            all = [.. _stageTasks.Values];
        }

        try
        {
            await Task.WhenAll(all).ConfigureAwait(false);
        }
        catch (Exception) when (all.Any(t => t.IsFaulted))
        {
            var first = all.Where(t => t.IsFaulted).Select(t => t.Exception!.InnerException!).FirstOrDefault(e => e is not OperationCanceledException);
            if (first is not null)
            {
                ExceptionDispatchInfo.Throw(first);
            }

            throw;
        }
        catch (OperationCanceledException)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw;
        }

        return await target.ConfigureAwait(false);
    }

    /// <summary>A stage reference (FROM, --from) with the ARGs before the first FROM substituted; as written when that fails.</summary>
    private string MetaExpand(string word)
    {
        try
        {
            return _lex.ProcessWord(word, _buildArgs.MetaLookup);
        }
        catch (FormatException)
        {
            return word;
        }
    }

    private async Task<StageState> BuildStageAsync(Stage stage, IReadOnlyList<DockerfileNode> extra, CancellationToken cancellationToken)
    {
        var label = stage.Name ?? "stage-" + stage.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var steps = 1 + stage.Instructions.Count + extra.Count;
        var fromLog = await _progress.BeginAsync($"{label} 1/{steps}", stage.From.Original, cancellationToken).ConfigureAwait(false);
        var state = await FromAsync(stage, fromLog, cancellationToken).ConfigureAwait(false);
        state.State.Log = fromLog;

        var triggers = state.PendingTriggers;
        if (triggers.Count > 0)
        {
            await fromLog.InfoAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? string.Empty : "s")}", cancellationToken).ConfigureAwait(false);
            foreach (var t in triggers)
            {
                DockerfileNode node;
                try
                {
                    node = DockerfileParser.NodeFromLine(t, '\\', _plan.FileName, stage.From.StartLine, 1);
                    BuildPlan.Validate(_plan.FileName, node, nested: true);
                }
                catch (StrataException e)
                {
                    throw StrataException.Invalid("ONBUILD_TRIGGER_INVALID", $"ONBUILD trigger \"{t}\" of the base image is invalid: {e.Message}");
                }

                await DispatchAsync(state.State, node, cancellationToken).ConfigureAwait(false);
            }
        }

        var n = 1;
        foreach (var node in stage.Instructions.Concat(extra))
        {
            n++;
            state.State.Log = await _progress.BeginAsync($"{label} {n}/{steps}", node.Original, cancellationToken).ConfigureAwait(false);
            await DispatchAsync(state.State, node, cancellationToken).ConfigureAwait(false);
        }

        return state.State;
    }

    private async Task DispatchAsync(StageState state, DockerfileNode node, CancellationToken cancellationToken)
    {
        switch (node.Keyword)
        {
            case "run":
                await RunStepAsync(state, node, cancellationToken).ConfigureAwait(false);
                break;
            case "copy" or "add":
                await CopyStepAsync(state, node, cancellationToken).ConfigureAwait(false);
                break;
            case "workdir":
                await WorkdirStepAsync(state, node, cancellationToken).ConfigureAwait(false);
                break;
            default:
                await ConfigStepAsync(state, node, cancellationToken).ConfigureAwait(false);
                break;
        }
    }

    private async Task ConfigStepAsync(StageState state, DockerfileNode node, CancellationToken cancellationToken)
    {
        var createdBy = ConfigInstructions.Apply(_plan.FileName, node, state.Config, state.Args, _lex);
        var key = CacheKey(state, "config", createdBy, string.Empty);
        if (await TryCacheAsync(state, key, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await CommitStepAsync(state, key, createdBy, layer: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The cache key: parent step, instruction text after substitution, build args in scope, input digest.</summary>
    private string CacheKey(StageState state, string kind, string createdBy, string inputs)
    {
        var args = string.Join('\n', state.Args.InScope(state.Config.EnvNames()).Select(p => p.Key + "=" + p.Value));
        var text = $"strata-build-v1\n{state.ParentKey}\n{kind}\n{createdBy}\n{args}\n{inputs}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Reuses a cached step: prints <c> ---&gt; Using cache</c> and moves the stage to its result.</summary>
    private async Task<bool> TryCacheAsync(StageState state, string key, CancellationToken cancellationToken)
    {
        if (_request.NoCache)
        {
            return false;
        }

        var hit = await _cache.LookupAsync(key, cancellationToken).ConfigureAwait(false);
        if (hit is null)
        {
            return false;
        }

        ImageConfig config;
        await using (var s = await _services.Content.OpenReadAsync(hit.ConfigDigest, cancellationToken).ConfigureAwait(false))
        using (var ms = new MemoryStream())
        {
            await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
            config = ImageConfig.Parse(ms.ToArray());
        }

        state.Layers.Clear();
        state.Layers.AddRange(hit.Layers);
        state.DiffIds.Clear();
        state.DiffIds.AddRange(config.RootFs.DiffIds);
        state.History.Clear();
        state.History.AddRange(config.History ?? []);
        state.ChainId = hit.ChainId;
        state.StepId = hit.ConfigDigest;
        Interlocked.Increment(ref _cacheHits);
        await state.Log.ClassicAsync(" ---> Using cache", cancellationToken).ConfigureAwait(false);
        await state.Log.ClassicAsync($" ---> {Short(hit.ConfigDigest)}", cancellationToken).ConfigureAwait(false);
        await state.Log.CachedAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Writes the step's config (its ID), records history, stores the cache entry and prints the ID.</summary>
    private async Task CommitStepAsync(StageState state, string key, string createdBy, NewLayer? layer, CancellationToken cancellationToken)
    {
        var now = Now();
        if (layer is not null)
        {
            state.Layers.Add(layer.Descriptor);
            state.DiffIds.Add(layer.DiffId);
            state.ChainId = layer.ChainId;
        }

        state.History.Add(new HistoryEntry
        {
            Created = now,
            CreatedBy = createdBy,
            Author = string.IsNullOrEmpty(state.Config.Author) ? null : state.Config.Author,
            EmptyLayer = layer is null ? true : null,
        });
        var config = StepConfig(state, now);
        var digest = await _services.Writer.PutAsync(config.Raw, cancellationToken).ConfigureAwait(false);
        state.StepId = digest;
        await _cache.StoreAsync(key, new CachedStep(digest, [.. state.Layers], state.ChainId), cancellationToken).ConfigureAwait(false);
        await state.Log.ClassicAsync($" ---> {Short(digest)}", cancellationToken).ConfigureAwait(false);
        await state.Log.DoneAsync(cancellationToken).ConfigureAwait(false);
    }

    private static ImageConfig StepConfig(StageState state, DateTimeOffset now) => new ImageConfig
    {
        Created = now,
        Author = string.IsNullOrEmpty(state.Config.Author) ? null : state.Config.Author,
        Architecture = state.Architecture,
        Os = state.Os,
        Variant = state.Variant,
        Config = state.Config.ToContainerConfig(),
        RootFs = new RootFs { DiffIds = [.. state.DiffIds] },
        History = [.. state.History],
    }.Seal();

    private static DateTimeOffset Now()
    {
        var epoch = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        if (long.TryParse(epoch, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var s))
        {
            return DateTimeOffset.FromUnixTimeSeconds(s);
        }

        var t = DateTimeOffset.UtcNow;
        return new DateTimeOffset(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
    }

    public static string Short(Digest digest) => digest.Short;

    private Task WriteLineAsync(string line, CancellationToken cancellationToken) => _progress.LineAsync(line, cancellationToken);

    private async Task<IReadOnlyList<SlimmingAdvice>> AnalyzeAsync(StageState final, ImageRecord image, CancellationToken cancellationToken)
    {
        _ = image;
        var layerHistory = final.History.Where(h => h.EmptyLayer != true).Select(h => h.CreatedBy).ToList();
        var sources = new List<LayerSource>();
        for (var i = 0; i < final.Layers.Count; i++)
        {
            var digest = final.Layers[i].Digest;
            sources.Add(new LayerSource(ct => _services.Content.OpenReadAsync(digest, ct), i < layerHistory.Count ? layerHistory[i] : null));
        }

        return await SlimmingAnalyzer.AnalyzeAsync(sources, firstReported: final.BaseLayerCount, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
