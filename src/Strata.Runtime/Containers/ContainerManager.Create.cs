using System.Security.Cryptography;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Storage.Images;

namespace Strata.Runtime.Containers;

public sealed partial class ContainerManager
{
    private static readonly System.Text.RegularExpressions.Regex NamePattern = new("^[a-zA-Z0-9][a-zA-Z0-9_.-]*$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>
    /// <c>create</c>: merges the image's config with the flags, records the container, prepares its writable
    /// snapshot on the image's top layer and its init layer (mount points), and creates the volumes it names.
    /// The image must be in the store (the caller pulls it first).
    /// </summary>
    public async Task<ContainerRecord> CreateAsync(ContainerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return await CreateAsync(options, await _images.ResolveAsync(options.Image, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>create</c> from an image the caller has resolved (or pulled) already.</summary>
    public async Task<ContainerRecord> CreateAsync(ContainerOptions options, ImageRecord image, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(image);
        Events.Step("create: begin");
        var (_, config) = await _images.ReadAsync(image, cancellationToken).ConfigureAwait(false);
        var chain = await _images.UnpackAsync(image, cancellationToken).ConfigureAwait(false);
        var runtime = DefaultRuntime();
        var spec = BuildSpec(options, image.Id.ToString(), chain, config.Config ?? new ContainerConfig(),
            _runtime is { } asked && asked.Contains('/', StringComparison.Ordinal) ? runtime.Path : runtime.Name);

        spec = await Networks.ApplyOptionsAsync(options, spec, cancellationToken).ConfigureAwait(false);
        Events.Step("create: image unpacked");
        var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var name = options.Name;
        if (name is not null)
        {
            name = name.TrimStart('/');
            if (!NamePattern.IsMatch(name))
            {
                throw StrataException.Invalid("CONTAINER_NAME_INVALID", $"Invalid container name ({name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed");
            }
        }
        else
        {
            for (var attempt = 0; name is null || await Store.NameExistsAsync(name, cancellationToken).ConfigureAwait(false); attempt++)
            {
                name = NameGenerator.Next(attempt);
            }
        }

        var record = new ContainerRecord
        {
            Id = id,
            Name = name,
            Created = DateTimeOffset.UtcNow,
            Spec = spec with { Hostname = string.IsNullOrEmpty(spec.Hostname) ? id[..12] : spec.Hostname },
        };
        Events.Step("create: spec");
        await Store.AddAsync(record, cancellationToken).ConfigureAwait(false);
        try
        {
            await _snapshots.PrepareAsync(record.SnapshotKey, chain, new Dictionary<string, string> { ["strata.container"] = id }, cancellationToken).ConfigureAwait(false);
            Events.Step("create: snapshot prepared");
            CreateInitLayer(record);
            foreach (var m in record.Spec.Mounts.Where(m => m.Type == "volume"))
            {
                await Volumes.CreateAsync(m.Source, null, m.Anonymous, cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            await RemoveAsync(id, force: true, removeVolumes: true, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return record;
    }

    private static ContainerSpec BuildSpec(ContainerOptions o, string imageId, string? chain, ContainerConfig cfg, string runtime)
    {
        IReadOnlyList<string> entrypoint = o.Entrypoint is null ? cfg.Entrypoint ?? [] : o.Entrypoint.Length == 0 ? [] : [o.Entrypoint];
        IReadOnlyList<string> cmd = o.Command.Count > 0 ? o.Command : o.Entrypoint is not null ? [] : cfg.Cmd ?? [];
        if (o.Publish.Count > 0 && o.Network is "none" or "host")
        {
            throw StrataException.Invalid("PUBLISH_NETWORK", $"published ports are discarded when using {o.Network} network mode; remove -p");
        }

        if (o.AutoRemove && o.Restart.Name != "no")
        {
            throw StrataException.Invalid("RESTART_AUTOREMOVE", "conflicting options: cannot specify both --restart and --rm");
        }

        var mounts = new List<MountPoint>();
        mounts.AddRange(o.Volumes.Select(MountParser.ParseVolume));
        mounts.AddRange(o.Mounts.Select(MountParser.ParseMount));
        mounts.AddRange(o.Tmpfs.Select(MountParser.ParseTmpfs));
        var dup = mounts.GroupBy(m => m.Destination, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (dup is not null)
        {
            throw StrataException.Invalid("MOUNT_DUPLICATE", $"Duplicate mount point: {dup.Key}");
        }

        foreach (var v in (cfg.Volumes ?? new Dictionary<string, EmptyObject>()).Keys.Order(StringComparer.Ordinal))
        {
            var dest = "/" + string.Join('/', v.Split('/', StringSplitOptions.RemoveEmptyEntries));
            if (dest != "/" && !mounts.Any(m => m.Destination == dest))
            {
                mounts.Add(new MountPoint { Type = "volume", Destination = dest, Anonymous = true });
            }
        }

        // Anonymous volumes get their random names now, so the spec names every volume it uses.
        mounts = [.. mounts.Select(m => m.Type == "volume" && m.Anonymous && m.Source.Length == 0 ? m with { Source = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)) } : m)];
        var labels = new Dictionary<string, string>(cfg.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in o.Labels)
        {
            labels[k] = v;
        }

        var security = Security.SecurityOptions.Parse(o.SecurityOpt);
        if (security.Seccomp is { } profile && profile != Security.SecuritySettings.Unconfined)
        {
            // Resolved once now so a profile that cannot apply fails at create, not at every start.
            Security.SeccompProfiles.ToOci(Security.SeccompProfiles.Parse(profile, "--security-opt seccomp"), Bundles.Capabilities.Compute(o.CapAdd, o.CapDrop, o.Privileged));
        }

        return new ContainerSpec
        {
            Image = o.Image,
            ImageId = imageId,
            ChainId = chain,
            Entrypoint = entrypoint,
            Cmd = cmd,
            Env = ConfigChanges.MergeEnv(cfg.Env, o.Env),
            WorkingDir = o.WorkingDir ?? cfg.WorkingDir ?? string.Empty,
            User = o.User ?? cfg.User ?? string.Empty,
            Hostname = o.Network == "host" && o.Hostname is null ? System.Net.Dns.GetHostName() : o.Hostname ?? string.Empty,
            Tty = o.Tty,
            OpenStdin = o.Interactive,
            Network = o.Network == "default" ? "bridge" : o.Network,
            Mounts = mounts,
            Resources = o.Resources,
            Restart = o.Restart,
            AutoRemove = o.AutoRemove,
            Privileged = o.Privileged,
            ReadOnlyRootfs = o.ReadOnly,
            CapAdd = o.CapAdd,
            CapDrop = o.CapDrop,
            Security = security,
            Labels = labels,
            StopSignal = o.StopSignal ?? cfg.StopSignal ?? "SIGTERM",
            StopTimeout = o.StopTimeout,
            Healthcheck = MergeHealthcheck(o.Healthcheck, cfg.Healthcheck),
            Init = o.Init,
            Ulimits = o.Ulimits,
            ShmSize = o.ShmSize,
            Sysctls = SysctlPolicy.Check(o.Sysctls, o.Network),
            Runtime = runtime,
            Publish = [.. o.Publish.Select(PortMapping.Parse)],
        };
    }

    /// <summary>moby's merge of a container's health check with the image's: every unset field comes from the image.</summary>
    private static HealthConfig? MergeHealthcheck(HealthConfig? user, HealthConfig? image)
    {
        if (user is null || image is null)
        {
            return user ?? image;
        }

        return user with
        {
            Test = user.Test is { Count: > 0 } ? user.Test : image.Test,
            Interval = user.Interval is > 0 ? user.Interval : image.Interval,
            Timeout = user.Timeout is > 0 ? user.Timeout : image.Timeout,
            StartPeriod = user.StartPeriod is > 0 ? user.StartPeriod : image.StartPeriod,
            StartInterval = user.StartInterval is > 0 ? user.StartInterval : image.StartInterval,
            Retries = user.Retries is > 0 ? user.Retries : image.Retries,
        };
    }

    /// <summary>
    /// The container's init layer (<see cref="InitLayer"/>) with its volume, bind and tmpfs targets, and the init
    /// binary's mount point with <c>--init</c>.
    /// </summary>
    private void CreateInitLayer(ContainerRecord c)
    {
        var targets = c.Spec.Mounts.Select(m => (m.Destination, m.Type == "bind" && File.Exists(m.Source)));
        if (c.Spec.Init)
        {
            targets = targets.Append((Bundles.InitBinary.MountPoint, true));
        }

        InitLayer.Populate(Path.Combine(ContainerDir(c.Id), "init"), targets);
    }
}
