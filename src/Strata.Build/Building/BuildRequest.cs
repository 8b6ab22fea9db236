using Strata.Build.Context;
using Strata.Distribution;
using Strata.Distribution.Settings;
using Strata.Oci;

namespace Strata.Build.Building;

/// <summary>What <c>strata build</c> asks for (docker build's flags).</summary>
public sealed record BuildRequest
{
    public required BuildContext Context { get; init; }

    public required string DockerfileText { get; init; }

    /// <summary>The name errors use (<c>Dockerfile</c>, <c>sub/Containerfile</c>).</summary>
    public string DockerfileName { get; init; } = "Dockerfile";

    public IReadOnlyList<Reference> Tags { get; init; } = [];

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public bool NoCache { get; init; }

    public bool Pull { get; init; }

    public bool Squash { get; init; }

    /// <summary><c>--platform</c>: the target platform (TARGETPLATFORM, and the platform FROM images are picked for); null: this machine's.</summary>
    public string? Platform { get; init; }

    /// <summary><c>--progress</c>: classic step lines (default), BuildKit's plain style, or quiet.</summary>
    public ProgressMode Progress { get; init; } = ProgressMode.Classic;

    /// <summary><c>--output</c>s, exported after the image is written.</summary>
    public IReadOnlyList<BuildOutput> Outputs { get; init; } = [];

    /// <summary><c>--secret</c>s by ID, for <c>RUN --mount=type=secret</c>.</summary>
    public IReadOnlyDictionary<string, SecretSource> Secrets { get; init; } = new Dictionary<string, SecretSource>();

    /// <summary><c>--ssh ID=SOCKET</c>: agent sockets for <c>RUN --mount=type=ssh</c>.</summary>
    public IReadOnlyDictionary<string, string> Ssh { get; init; } = new Dictionary<string, string>();

    /// <summary><c>--allow</c> entitlements (<c>security.insecure</c>, <c>network.host</c>).</summary>
    public IReadOnlySet<string> Allow { get; init; } = new HashSet<string>();

    /// <summary>Where step lines and RUN output go (stdout; <see cref="Stream.Null"/> for -q).</summary>
    public Stream Output { get; init; } = Stream.Null;

    /// <summary>Mirrors, insecure registries and CA directories for pulling FROM and COPY --from images (null: daemon.json's).</summary>
    public RegistrySettings? Registry { get; init; }

    /// <summary>Pull progress for those images, docker pull's events and lines (null: silent, as with -q).</summary>
    public IProgress<TransferEvent>? PullProgress { get; init; }
}
