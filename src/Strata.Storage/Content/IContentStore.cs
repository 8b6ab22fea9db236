namespace Strata.Storage.Content;

/// <summary>All content roles together; consumers should take the narrowest role they need.</summary>
public interface IContentStore : IContentProvider, IContentIngester, IContentManager;
