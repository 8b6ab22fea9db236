using Strata.Build.Building;
using Strata.Build.Instructions;
using Strata.Build.Parsing;
using Strata.Oci;

namespace Strata.Build.Tests.Building;

public class ConfigInstructionsTests
{
    /// <summary>Applies every instruction of the last stage and returns the config and the created_by texts.</summary>
    private static (StageConfig Cfg, List<string> History) Run(string dockerfile, Dictionary<string, string>? buildArgs = null)
    {
        var plan = BuildPlan.Parse(dockerfile);
        var args = new BuildArgs(buildArgs);
        var lex = new ShellLex(plan.Escape);
        foreach (var m in plan.MetaArgs)
        {
            foreach (var w in m.Args)
            {
                args.DeclareMeta(w, lex);
            }
        }

        var cfg = new StageConfig();
        var stageArgs = args.NewStage();
        var history = new List<string>();
        foreach (var node in plan.Stages[^1].Instructions)
        {
            history.Add(ConfigInstructions.Apply("Dockerfile", node, cfg, stageArgs, lex));
        }

        return (cfg, history);
    }

    [Theory]
    [InlineData("CMD [\"sh\"]", "/bin/sh -c #(nop)  CMD [\"sh\"]")]
    [InlineData("CMD echo hi", "/bin/sh -c #(nop)  CMD [\"/bin/sh\" \"-c\" \"echo hi\"]")]
    [InlineData("ENTRYPOINT [\"/bin/app\", \"-x\"]", "/bin/sh -c #(nop)  ENTRYPOINT [\"/bin/app\" \"-x\"]")]
    [InlineData("ENV A=1 B=\"two words\"", "/bin/sh -c #(nop)  ENV A=1 B=two words")]
    [InlineData("ENV A hello world", "/bin/sh -c #(nop)  ENV A=hello world")]
    [InlineData("LABEL a=b \"c d\"=e", "/bin/sh -c #(nop)  LABEL a=b c d=e")]
    [InlineData("MAINTAINER Jane <j@x>", "/bin/sh -c #(nop)  MAINTAINER Jane <j@x>")]
    [InlineData("USER 1000:1000", "/bin/sh -c #(nop)  USER 1000:1000")]
    [InlineData("EXPOSE 80 53/udp", "/bin/sh -c #(nop)  EXPOSE 80 53/udp")]
    [InlineData("VOLUME /data /logs", "/bin/sh -c #(nop)  VOLUME [/data /logs]")]
    [InlineData("VOLUME [\"/data\"]", "/bin/sh -c #(nop)  VOLUME [/data]")]
    [InlineData("STOPSIGNAL SIGKILL", "/bin/sh -c #(nop)  STOPSIGNAL SIGKILL")]
    [InlineData("ARG V=1", "/bin/sh -c #(nop)  ARG V=1")]
    [InlineData("ARG V", "/bin/sh -c #(nop)  ARG V")]
    [InlineData("ONBUILD RUN echo hi", "/bin/sh -c #(nop)  ONBUILD RUN echo hi")]
    [InlineData("HEALTHCHECK --interval=5m --timeout=3s --retries=3 CMD curl -f http://localhost/ || exit 1",
        "/bin/sh -c #(nop)  HEALTHCHECK &{[\"CMD-SHELL\" \"curl -f http://localhost/ || exit 1\"] \"5m0s\" \"3s\" \"0s\" '\\x03'}")]
    [InlineData("SHELL [\"/bin/bash\", \"-c\"]", "/bin/bash -c #(nop)  SHELL [/bin/bash -c]")]
    public void Created_by_matches_the_classic_builder(string instruction, string createdBy)
    {
        var (_, history) = Run("FROM scratch\n" + instruction);
        Assert.Equal(createdBy, Assert.Single(history));
    }

    [Fact]
    public void Config_fields_are_set()
    {
        var (cfg, _) = Run("""
            FROM scratch
            ENV PATH=/usr/bin A=1
            ENV B=$A C=${A:+set}
            LABEL version="1.0" desc='a b'
            USER nobody
            EXPOSE 80 8000-8001/udp
            VOLUME ["/v1"]
            STOPSIGNAL 9
            HEALTHCHECK --interval=1s --start-period=2s CMD ["true"]
            ONBUILD COPY . /app
            MAINTAINER me
            ENTRYPOINT ["/e"]
            CMD ["c"]
            """);
        Assert.Equal(["PATH=/usr/bin", "A=1", "B=1", "C=set"], cfg.Env);
        Assert.Equal("1.0", cfg.Labels["version"]);
        Assert.Equal("a b", cfg.Labels["desc"]);
        Assert.Equal("nobody", cfg.User);
        Assert.Equal(["80/tcp", "8000/udp", "8001/udp"], cfg.ExposedPorts.Keys);
        Assert.Equal(["/v1"], cfg.Volumes.Keys);
        Assert.Equal("9", cfg.StopSignal);
        Assert.Equal(["CMD", "true"], cfg.Healthcheck!.Test);
        Assert.Equal(1_000_000_000, cfg.Healthcheck.Interval);
        Assert.Equal(2_000_000_000, cfg.Healthcheck.StartPeriod);
        Assert.Equal(["COPY . /app"], cfg.OnBuild);
        Assert.Equal("me", cfg.Author);
        Assert.Equal(["/e"], cfg.Entrypoint);
        Assert.Equal(["c"], cfg.Cmd);
    }

    [Fact]
    public void Entrypoint_clears_inherited_cmd_but_not_one_set_in_the_stage()
    {
        var cfg = StageConfig.From(new ImageConfig { Config = new ContainerConfig { Cmd = ["sh"] } });
        var args = new BuildArgs().NewStage();
        var lex = new ShellLex();
        var plan = BuildPlan.Parse("FROM x\nENTRYPOINT [\"/e\"]\nCMD [\"a\"]\nENTRYPOINT [\"/f\"]");
        ConfigInstructions.Apply("Dockerfile", plan.Stages[0].Instructions[0], cfg, args, lex);
        Assert.Null(cfg.Cmd);
        ConfigInstructions.Apply("Dockerfile", plan.Stages[0].Instructions[1], cfg, args, lex);
        ConfigInstructions.Apply("Dockerfile", plan.Stages[0].Instructions[2], cfg, args, lex);
        Assert.Equal(["a"], cfg.Cmd);
        Assert.Equal(["/f"], cfg.Entrypoint);
    }

    [Fact]
    public void Env_wins_over_arg_and_build_args_override_defaults()
    {
        var (cfg, _) = Run("""
            ARG GLOBAL=g
            FROM scratch
            ARG GLOBAL
            ARG V=default
            ARG W=w
            ENV W=env
            LABEL g=$GLOBAL v=$V w=$W
            """, new() { ["V"] = "cli" });
        Assert.Equal("g", cfg.Labels["g"]);
        Assert.Equal("cli", cfg.Labels["v"]);
        Assert.Equal("env", cfg.Labels["w"]);
    }

    [Fact]
    public void Global_arg_is_invisible_in_a_stage_until_redeclared()
    {
        var (cfg, _) = Run("ARG G=g\nFROM scratch\nLABEL before=x$G\nARG G\nLABEL after=x$G");
        Assert.Equal("x", cfg.Labels["before"]);
        Assert.Equal("xg", cfg.Labels["after"]);
    }

    [Theory]
    [InlineData("STOPSIGNAL NOPE")] // unknown signal
    [InlineData("EXPOSE 80/xyz")] // bad protocol
    [InlineData("EXPOSE 99999")] // port out of range
    [InlineData("VOLUME \"\"")] // empty volume
    public void Bad_values_fail_with_location(string instruction)
    {
        var e = Assert.Throws<StrataException>(() => Run("FROM scratch\n" + instruction));
        Assert.StartsWith("Dockerfile:2:1: ", e.Message, StringComparison.Ordinal);
    }
}
