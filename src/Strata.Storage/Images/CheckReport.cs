namespace Strata.Storage.Images;

/// <summary>
/// What <c>system check</c> saw: problems (corruption, missing data), images left broken, and harmless leftovers
/// of interrupted work (abandoned ingests, unreferenced blobs) that are reported but are not problems.
/// </summary>
public sealed record CheckReport(
    int BlobsChecked,
    int ImagesChecked,
    int SnapshotsChecked,
    IReadOnlyList<CheckProblem> Problems,
    IReadOnlyList<string> BrokenImages,
    IReadOnlyList<string> Notes)
{
    public bool Clean => Problems.All(p => p.Repaired) && BrokenImages.Count == 0;
}
