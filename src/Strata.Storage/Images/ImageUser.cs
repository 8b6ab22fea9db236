namespace Strata.Storage.Images;

/// <summary>Something that uses an image and blocks its removal (a container), as an <see cref="IImageUsageCheck"/> reports it.</summary>
public sealed record ImageUser(string Id, string Kind, bool Running);
