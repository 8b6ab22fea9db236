using System.Text.Json;
using Strata.Oci;
using Strata.Runtime.Bundles;
using Strata.Runtime.Security;

namespace Strata.Runtime.Tests.Security;

public sealed class SeccompProfilesTests
{
    private static readonly string[] DefaultCaps = [.. Capabilities.Default];

    private static HashSet<string> Allowed(OciSeccomp s) =>
        [.. s.Syscalls.Where(r => r.Action == "SCMP_ACT_ALLOW" && r.Args is null).SelectMany(r => r.Names)];

    [Fact]
    public void Default_profile_for_default_caps_on_amd64_blocks_namespaces_and_keyrings()
    {
        var s = SeccompProfiles.ToOci(SeccompProfiles.Default, DefaultCaps, "amd64", (6, 18))!;
        Assert.Equal("SCMP_ACT_ERRNO", s.DefaultAction);
        Assert.Equal(1u, s.DefaultErrnoRet);
        Assert.Equal(["SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"], s.Architectures);
        var allowed = Allowed(s);
        Assert.Contains("read", allowed);
        Assert.Contains("arch_prctl", allowed);     // amd64-only rule kept
        Assert.Contains("ptrace", allowed);         // minKernel 4.8 met
        Assert.Contains("chroot", allowed);         // CAP_SYS_CHROOT is a default capability
        foreach (var blocked in new[] { "unshare", "setns", "mount", "add_key", "keyctl", "request_key", "reboot", "set_tls" })
        {
            Assert.DoesNotContain(blocked, allowed);
        }

        // clone is allowed only without namespace flags, clone3 answers ENOSYS so libc falls back to clone.
        Assert.Contains(s.Syscalls, r => r.Names.SequenceEqual(["clone"]) && r.Args is [{ Op: "SCMP_CMP_MASKED_EQ", Index: 0 }]);
        Assert.Contains(s.Syscalls, r => r.Names.SequenceEqual(["clone3"]) && r.Action == "SCMP_ACT_ERRNO" && r.ErrnoRet == 38);
    }

    [Fact]
    public void Conditional_rules_follow_capabilities_architecture_and_kernel()
    {
        var admin = SeccompProfiles.ToOci(SeccompProfiles.Default, [.. DefaultCaps, "CAP_SYS_ADMIN"], "amd64", (6, 18))!;
        Assert.Contains("unshare", Allowed(admin));
        Assert.Contains("clone", Allowed(admin));
        Assert.DoesNotContain(admin.Syscalls, r => r.Names.Contains("clone3") && r.Action == "SCMP_ACT_ERRNO");

        var arm = SeccompProfiles.ToOci(SeccompProfiles.Default, DefaultCaps, "arm64", (6, 18))!;
        Assert.Equal(["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], arm.Architectures);
        Assert.Contains("set_tls", Allowed(arm));
        Assert.DoesNotContain("arch_prctl", Allowed(arm));

        var old = SeccompProfiles.ToOci(SeccompProfiles.Default, DefaultCaps, "amd64", (4, 4))!;
        Assert.DoesNotContain("ptrace", Allowed(old));
    }

    [Fact]
    public void Resolved_profile_serializes_as_the_runtime_spec_section()
    {
        var s = SeccompProfiles.ToOci(SeccompProfiles.Default, DefaultCaps, "amd64", (6, 18))!;
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            SeccompProfiles.Write(w, s);
            w.WriteEndObject();
        }

        var root = JsonDocument.Parse(ms.ToArray()).RootElement.GetProperty("seccomp");
        Assert.Equal("SCMP_ACT_ERRNO", root.GetProperty("defaultAction").GetString());
        var first = root.GetProperty("syscalls")[0];
        Assert.Equal("SCMP_ACT_ALLOW", first.GetProperty("action").GetString());
        Assert.False(first.TryGetProperty("errnoRet", out _));
        Assert.False(first.TryGetProperty("includes", out _));
    }

    [Theory]
    [InlineData("{ not json", "is not valid JSON")]                                                                   // syntax
    [InlineData("null", "is empty")]                                                                                  // JSON null
    [InlineData("""{"defaultAction":"SCMP_ACT_NOPE"}""", "unknown defaultAction")]                                    // action typo
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"action":"SCMP_ACT_ERRNO"}]}""", "names no syscall")] // rule without names
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","args":[{"index":0,"value":1,"op":"SCMP_CMP_XX"}]}]}""", "unknown argument op")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","args":[{"index":9,"value":1,"op":"SCMP_CMP_EQ"}]}]}""", "out of range")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["x"],"action":"SCMP_ACT_ALLOW","includes":{"minKernel":"four"}}]}""", "minKernel")]
    [InlineData("""{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"archMap":[{"architecture":"SCMP_ARCH_X86_64"}]}""", "both 'architectures' and 'archMap'")]
    public void Bad_profiles_are_refused_with_what_to_fix(string json, string message)
    {
        var e = Assert.Throws<StrataException>(() => SeccompProfiles.Parse(json, "p.json"));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal(SeccompProfiles.InvalidCode, e.Code);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Security_options_parse_docker_spellings()
    {
        var s = SecurityOptions.Parse(["seccomp=unconfined", "no-new-privileges", "apparmor=docker-default", "label=disable"]);
        Assert.Equal(SecuritySettings.Unconfined, s.Seccomp);
        Assert.True(s.NoNewPrivileges);
        Assert.Equal("docker-default", s.AppArmor);
        Assert.Equal(4, s.Options.Count);
        Assert.False(SecurityOptions.Parse(["no-new-privileges:false"]).NoNewPrivileges);
        Assert.Null(SecurityOptions.Parse(["seccomp=builtin"]).Seccomp);
        Assert.Throws<StrataException>(() => SecurityOptions.Parse(["seccomp"]));
        Assert.Throws<StrataException>(() => SecurityOptions.Parse(["nonsense"]));
    }
}
