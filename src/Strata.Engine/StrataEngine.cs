using Strata.Oci;
using Strata.Storage.Content;
using Strata.Storage.Metadata;

namespace Strata.Engine;

/// <summary>
/// The facade the CLI talks to: opens the store under <see cref="EngineOptions.Root"/> and wires content,
/// metadata, snapshots and images. Each area adds its part in a partial file (StrataEngine.Images.cs, ...).
/// Constructing it does no work beyond opening the database.
/// </summary>
public sealed partial class StrataEngine
{
    private StrataEngine(EngineOptions options, MetadataDb db, LocalContentStore content, IEngineEvents events)
    {
        Options = options;
        Db = db;
        Content = content;
        Events = events;
    }

    public EngineOptions Options { get; }

    public string Root => Options.Root;

    public MetadataDb Db { get; }

    public LocalContentStore Content { get; }

    /// <summary>Where the engine's notices and timing steps go (the front end renders them).</summary>
    public IEngineEvents Events { get; }

    public static Task<StrataEngine> OpenAsync(EngineOptions options, CancellationToken cancellationToken = default) =>
        OpenAsync(options, SilentEngineEvents.Instance, cancellationToken);

    public static async Task<StrataEngine> OpenAsync(EngineOptions options, IEngineEvents events, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.Root);
        var content = new LocalContentStore(Path.Combine(options.Root, "content"));
        var db = await MetadataDb.OpenAsync(Path.Combine(options.Root, "strata.db"), AllMigrations(), cancellationToken).ConfigureAwait(false);
        var engine = new StrataEngine(options, db, content, events);
        await engine.InitializeAreasAsync(cancellationToken).ConfigureAwait(false);
        return engine;
    }

    /// <summary>Schema steps of every area; areas add theirs here.</summary>
    private static IEnumerable<Migration> AllMigrations() =>
    [
        .. Strata.Storage.Images.ImageMigrations.All,
        .. SnapshotAreaMigrations(),
        .. Strata.Distribution.BlobSources.Migrations,
        .. Strata.Build.Caching.BuildMigrations.All,
        .. Strata.Runtime.Containers.RuntimeMigrations.All,
    ];

    /// <summary>Per-area start-up (snapshotter choice, image store); areas add theirs here.</summary>
    private async Task InitializeAreasAsync(CancellationToken cancellationToken)
    {
        await InitializeSnapshotsAsync(cancellationToken).ConfigureAwait(false);
        InitializeContainers();
    }
}
