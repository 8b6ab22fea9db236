namespace Strata.Build.Running;

/// <summary>Runs a RUN step's process in a prepared root filesystem and returns its exit code.</summary>
public interface IStepRunner
{
    Task<int> RunAsync(StepRun run, CancellationToken cancellationToken = default);
}
