namespace Strata.Storage.Layers;

/// <summary>What applying a layer does with device nodes (char/block/fifo-free devices).</summary>
public enum DevicePolicy
{
    /// <summary>Fail with a clear error (untrusted layers: pulled, loaded).</summary>
    Refuse,

    /// <summary>Skip them with a warning.</summary>
    Skip,

    /// <summary>Create them (trusted local layers, root only).</summary>
    Allow,
}
