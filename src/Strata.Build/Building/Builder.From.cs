using Strata.Build.Instructions;
using Strata.Oci;
using Strata.Storage.Images;

namespace Strata.Build.Building;

public sealed partial class Builder
{
    private async Task<FromResult> FromAsync(Stage stage, StepLog log, CancellationToken cancellationToken)
    {
        string baseName;
        string? platform;
        try
        {
            baseName = _lex.ProcessWord(stage.BaseName, _buildArgs.MetaLookup);
            platform = stage.PlatformFlag is { } p ? _lex.ProcessWord(p, _buildArgs.MetaLookup) : _request.Platform;
        }
        catch (FormatException e)
        {
            throw Parsing.DockerfileErrors.At(_plan.FileName, stage.From, e.Message);
        }

        if (baseName.Length == 0)
        {
            throw Parsing.DockerfileErrors.At(_plan.FileName, stage.From, "base name (" + stage.BaseName + ") should not be blank");
        }

        var args = _buildArgs.NewStage();
        if (baseName.Equals("scratch", StringComparison.OrdinalIgnoreCase))
        {
            var scratch = new StageState(stage, new StageConfig(), args);
            if (platform is not null)
            {
                var pl = Platform.Parse(platform);
                scratch.Os = pl.Os;
                scratch.Architecture = pl.Architecture;
                scratch.Variant = pl.Variant;
            }

            await log.DoneAsync(cancellationToken).ConfigureAwait(false);
            return new FromResult(scratch, []);
        }

        // A previous stage by name (case-insensitive, as Docker) or by index.
        var previous = _plan.Stages.Take(stage.Index).LastOrDefault(s => string.Equals(s.Name, baseName, StringComparison.OrdinalIgnoreCase));
        if (previous is not null)
        {
            var from = await StageTask(previous.Index).ConfigureAwait(false);
            var st = new StageState(stage, StageConfig.From(await ReadConfigAsync(from.StepId, cancellationToken).ConfigureAwait(false)), args)
            {
                Architecture = from.Architecture,
                Os = from.Os,
                Variant = from.Variant,
                ChainId = from.ChainId,
                StepId = from.StepId,
            };
            st.Config.Author = from.Config.Author;
            st.Layers.AddRange(from.Layers);
            st.DiffIds.AddRange(from.DiffIds);
            st.History.AddRange(from.History);
            st.BaseLayerCount = st.Layers.Count;
            st.BaseChainId = st.ChainId;
            st.BaseStepId = st.StepId;
            st.BaseHistoryCount = st.History.Count;
            await log.ClassicAsync($" ---> {(st.StepId is { } id ? Short(id) : string.Empty)}", cancellationToken).ConfigureAwait(false);
            await log.DoneAsync(cancellationToken).ConfigureAwait(false);
            return new FromResult(st, [.. from.Config.OnBuild]);
        }

        var image = await ResolveImageAsync(baseName, platform, cancellationToken).ConfigureAwait(false);
        var (manifest, config) = await _services.Images.ReadAsync(image, cancellationToken).ConfigureAwait(false);
        var chain = await _services.Images.UnpackAsync(image, cancellationToken).ConfigureAwait(false);
        var state = new StageState(stage, StageConfig.From(config), args)
        {
            Architecture = config.Architecture,
            Os = config.Os,
            Variant = config.Variant,
            ChainId = chain,
            StepId = image.Id,
        };
        state.Layers.AddRange(manifest.Layers);
        state.DiffIds.AddRange(config.RootFs.DiffIds);
        state.History.AddRange(config.History ?? []);
        state.BaseLayerCount = state.Layers.Count;
        state.BaseChainId = chain;
        state.BaseStepId = image.Id;
        state.BaseHistoryCount = state.History.Count;
        await log.ClassicAsync($" ---> {Short(image.Id)}", cancellationToken).ConfigureAwait(false);
        await log.DoneAsync(cancellationToken).ConfigureAwait(false);
        return new FromResult(state, config.Config?.OnBuild ?? []);
    }

    /// <summary>Finds an image locally, pulling it when missing or when --pull asks for a fresh copy.</summary>
    private async Task<ImageRecord> ResolveImageAsync(string name, string? platform, CancellationToken cancellationToken)
    {
        var local = await _services.Images.TryResolveAsync(name, cancellationToken).ConfigureAwait(false);
        if (local is not null && !_request.Pull)
        {
            return local;
        }

        // --pull with an unreachable registry fails even when the image is stored, as docker's does.
        return await _services.Pull(name, platform, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ImageConfig?> ReadConfigAsync(Digest? digest, CancellationToken cancellationToken)
    {
        if (digest is null)
        {
            return null;
        }

        await using var s = await _services.Content.OpenReadAsync(digest.Value, cancellationToken).ConfigureAwait(false);
        using var ms = new MemoryStream();
        await s.CopyToAsync(ms, cancellationToken).ConfigureAwait(false);
        return ImageConfig.Parse(ms.ToArray());
    }
}
