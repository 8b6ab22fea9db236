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
    private readonly Dictionary<Digest, long> _uncompressedSizes = [];
    private BuildRequest _request = null!;
    private BuildPlan _plan = null!;
    private ShellLex _lex = null!;
    private BuildArgs _buildArgs = null!;
    private Stream _out = Stream.Null;
    private readonly Dictionary<int, StageState> _stages = [];
    private readonly List<string> _warnings = [];
    private int _step;
    private int _totalSteps;
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
        _out = request.Output;
        _plan = BuildPlan.Parse(request.DockerfileText, request.DockerfileName);
        foreach (var w in _plan.Warnings)
        {
            _warnings.Add(w);
            await WriteLineAsync("[Warning] " + w, cancellationToken).ConfigureAwait(false);
        }

        if (_plan.Syntax is { Length: > 0 } syntax)
        {
            await WriteLineAsync($"[Notice] # syntax={syntax} ignored: Strata builds with its own Dockerfile frontend", cancellationToken).ConfigureAwait(false);
        }

        _lex = new ShellLex(_plan.Escape);
        _buildArgs = new BuildArgs(request.BuildArgs);
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

        var target = _plan.TargetIndex(request.Target);
        var labelNodes = LabelNodes(request.Labels, _plan.Stages[target]);
        _totalSteps = _plan.Stages.Take(target + 1).Sum(s => 1 + s.Instructions.Count) + labelNodes.Count;
        StageState? last = null;
        for (var i = 0; i <= target; i++)
        {
            var stage = _plan.Stages[i];
            var extra = i == target ? labelNodes : [];
            last = await BuildStageAsync(stage, extra, cancellationToken).ConfigureAwait(false);
            _stages[i] = last;
        }

        foreach (var unused in _buildArgs.Unconsumed)
        {
            var w = $"One or more build-args [{unused}] were not consumed";
            _warnings.Add(w);
            await WriteLineAsync("[Warning] " + w, cancellationToken).ConfigureAwait(false);
        }

        var final = last!;
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

        return new BuildResult(image, _warnings, advice, _cacheHits, _stepsRun);
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

    private async Task<StageState> BuildStageAsync(Stage stage, IReadOnlyList<DockerfileNode> extra, CancellationToken cancellationToken)
    {
        await StepLineAsync(stage.From, cancellationToken).ConfigureAwait(false);
        var state = await FromAsync(stage, cancellationToken).ConfigureAwait(false);

        var triggers = state.PendingTriggers;
        if (triggers.Count > 0)
        {
            await WriteLineAsync($"# Executing {triggers.Count} build trigger{(triggers.Count == 1 ? string.Empty : "s")}", cancellationToken).ConfigureAwait(false);
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

        foreach (var node in stage.Instructions.Concat(extra))
        {
            await StepLineAsync(node, cancellationToken).ConfigureAwait(false);
            await DispatchAsync(state.State, node, cancellationToken).ConfigureAwait(false);
        }

        return state.State;
    }

    private async Task StepLineAsync(DockerfileNode node, CancellationToken cancellationToken)
    {
        _step++;
        await WriteLineAsync($"Step {_step}/{_totalSteps} : {node.Original}", cancellationToken).ConfigureAwait(false);
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
        _cacheHits++;
        await WriteLineAsync(" ---> Using cache", cancellationToken).ConfigureAwait(false);
        await WriteLineAsync($" ---> {Short(hit.ConfigDigest)}", cancellationToken).ConfigureAwait(false);
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
        await WriteLineAsync($" ---> {Short(digest)}", cancellationToken).ConfigureAwait(false);
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

    private async Task WriteLineAsync(string line, CancellationToken cancellationToken)
    {
        var bytes = Encoding.UTF8.GetBytes(line + "\n");
        await _out.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await _out.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

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
