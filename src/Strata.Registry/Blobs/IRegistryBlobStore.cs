namespace Strata.Registry.Blobs;

/// <summary>Both blob roles of one backend; consumers take the narrower <see cref="IBlobStore"/> or <see cref="IBlobUploads"/>.</summary>
public interface IRegistryBlobStore : IBlobStore, IBlobUploads, IAsyncDisposable;
