namespace Strata.Build.Context;

/// <summary>A build's context and Dockerfile (its text and the name errors use); disposing it drops a context unpacked from stdin.</summary>
public sealed record BuildInput(BuildContext Context, string DockerfileText, string DockerfileName) : IDisposable
{
    public void Dispose() => Context.Dispose();
}
