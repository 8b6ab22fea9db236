namespace Strata.Storage.Images;

/// <summary>One image in <c>system df -v</c>: its size, the part shared with other images, the part only it uses.</summary>
public sealed record ImageSpace(ImageRecord Image, long Size, long SharedSize, long UniqueSize, int Containers);
