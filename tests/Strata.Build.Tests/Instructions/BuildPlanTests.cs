using Strata.Build.Instructions;
using Strata.Oci;

namespace Strata.Build.Tests.Instructions;

public class BuildPlanTests
{
    [Fact]
    public void Stages_meta_args_and_targets()
    {
        var plan = BuildPlan.Parse("ARG V=1\nFROM busybox:${V} AS Build\nRUN x\nFROM scratch\nCOPY --from=build /a /a\n");
        Assert.Single(plan.MetaArgs);
        Assert.Equal(2, plan.Stages.Count);
        Assert.Equal("build", plan.Stages[0].Name);
        Assert.Equal(0, plan.TargetIndex("BUILD"));
        Assert.Equal(1, plan.TargetIndex(null));
        Assert.Equal("BUILD_TARGET_NOT_FOUND", Assert.Throws<StrataException>(() => plan.TargetIndex("nope")).Code);
    }

    [Theory]
    [InlineData("RUN x", "Dockerfile:1:1: no build stage in current context (found RUN before FROM)")]
    [InlineData("FROM x\nFOO bar", "Dockerfile:2:1: unknown instruction: FOO")]
    [InlineData("FROM x\nCOPY --bogus=1 a b", "Dockerfile:2:1: Unknown flag: bogus")]
    [InlineData("FROM x\n  RUN --network=bridge true", "Dockerfile:2:3: unsupported network mode \"bridge\" (default, none or host)")]
    [InlineData("FROM x\nCOPY a", "Dockerfile:2:1: COPY requires at least two arguments, but only one was provided. Destination could not be determined")]
    [InlineData("FROM a b", "Dockerfile:1:1: FROM requires either one or three arguments")]
    [InlineData("FROM a AS 1x", "Dockerfile:1:1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols")]
    [InlineData("FROM a AS x\nFROM b AS X", "Dockerfile:2:1: duplicate stage name \"x\"")]
    [InlineData("FROM x\nSHELL /bin/bash", "Dockerfile:2:1: SHELL requires the arguments to be in JSON form")]
    [InlineData("FROM x\nONBUILD ONBUILD RUN x", "Dockerfile:2:1: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed")]
    [InlineData("FROM x\nONBUILD FROM y", "Dockerfile:2:1: FROM isn't allowed as an ONBUILD trigger")]
    [InlineData("FROM x\nHEALTHCHECK --interval=5 CMD true", "Dockerfile:2:1: --interval: missing unit in duration \"5\"")]
    [InlineData("FROM x\nHEALTHCHECK --retries=-1 CMD true", "Dockerfile:2:1: --retries must be a non-negative integer, got \"-1\"")]
    [InlineData("FROM x\nRUN", "Dockerfile:2:1: RUN requires at least one argument")]
    [InlineData("", "Dockerfile:1:1: file with no instructions")]
    public void Invalid_dockerfiles_fail_with_file_line_column(string text, string message)
    {
        var e = Assert.Throws<StrataException>(() => BuildPlan.Parse(text));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData("5m", 300_000_000_000L, "5m0s")]
    [InlineData("1.5s", 1_500_000_000L, "1.5s")]
    [InlineData("300ms", 300_000_000L, "300ms")]
    [InlineData("1h2m3s", 3_723_000_000_000L, "1h2m3s")]
    [InlineData("0", 0L, "0s")]
    public void Go_durations(string text, long ns, string formatted)
    {
        Assert.Equal(ns, GoDuration.ToNanoseconds(GoDuration.Parse(text)));
        Assert.Equal(formatted, GoDuration.Format(ns));
    }
}
