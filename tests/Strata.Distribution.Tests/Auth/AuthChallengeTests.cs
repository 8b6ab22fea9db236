using System.Net;
using System.Net.Http.Headers;
using Strata.Distribution.Auth;

namespace Strata.Distribution.Tests.Auth;

/// <summary>WWW-Authenticate parsing (RFC 7235 section 4.1) as registries send it, including the odd forms.</summary>
public sealed class AuthChallengeTests
{
    [Fact]
    public void Docker_hub_bearer_challenge_gives_realm_service_and_scope()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/busybox:pull\""));
        Assert.True(c.IsBearer);
        Assert.False(c.IsBasic);
        Assert.Equal("https://auth.docker.io/token", c.Realm);
        Assert.Equal("registry.docker.io", c.Service);
        Assert.Equal(["repository:library/busybox:pull"], c.Scopes);
    }

    [Fact]
    public void Several_challenges_in_one_header_keep_their_order_and_parameters()
    {
        var all = AuthChallenge.Parse("Basic realm=\"basic-realm\", Bearer realm=\"https://a/token\",service=\"svc\"");
        Assert.Equal(["Basic", "Bearer"], all.Select(c => c.Scheme));
        Assert.Equal("basic-realm", all[0].Realm);
        Assert.Null(all[0].Service);
        Assert.Equal("https://a/token", all[1].Realm);
        Assert.Equal("svc", all[1].Service);
    }

    [Theory]
    // Unquoted values end at a comma or space.
    [InlineData("Bearer realm=https://a/t,service=s", "https://a/t", "s")]
    // Parameter names are case-insensitive.
    [InlineData("Bearer REALM=\"https://a/t\", Service=\"s\"", "https://a/t", "s")]
    // Spaces around '=' and after commas are allowed.
    [InlineData("Bearer realm = \"https://a/t\" ,  service = s", "https://a/t", "s")]
    // A backslash escapes the next character in a quoted value.
    [InlineData("Bearer realm=\"a \\\"quoted\\\" realm\",service=\"x\\\\y\"", "a \"quoted\" realm", "x\\y")]
    // A comma inside quotes is part of the value.
    [InlineData("Bearer realm=\"https://a/t?x=1,2\",service=s", "https://a/t?x=1,2", "s")]
    public void Parameter_forms(string header, string realm, string service)
    {
        var c = Assert.Single(AuthChallenge.Parse(header));
        Assert.Equal(realm, c.Realm);
        Assert.Equal(service, c.Service);
    }

    [Fact]
    public void Several_scopes_are_space_separated()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"r\",scope=\"repository:a:pull repository:b:pull,push\""));
        Assert.Equal(["repository:a:pull", "repository:b:pull,push"], c.Scopes);
    }

    [Theory]
    // Nothing, or only separators: no challenge.
    [InlineData("")]
    [InlineData(" , ,")]
    public void Empty_headers_have_no_challenges(string header) => Assert.Empty(AuthChallenge.Parse(header));

    [Fact]
    public void A_scheme_without_parameters_is_a_challenge_with_none()
    {
        var c = Assert.Single(AuthChallenge.Parse("Negotiate"));
        Assert.Equal("Negotiate", c.Scheme);
        Assert.Empty(c.Parameters);
        Assert.Null(c.Realm);
        Assert.Empty(c.Scopes);
    }

    [Fact]
    public void An_unterminated_quote_takes_the_rest_of_the_header()
    {
        var c = Assert.Single(AuthChallenge.Parse("Bearer realm=\"https://a/t"));
        Assert.Equal("https://a/t", c.Realm);
    }

    [Fact]
    public void A_response_lists_bearer_before_basic_and_unknown_schemes_last()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Negotiate"));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"b\""));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"https://t\",service=\"s\""));
        var all = AuthChallenge.FromResponse(response);
        Assert.Equal(["Bearer", "Basic", "Negotiate"], all.Select(c => c.Scheme));
        Assert.Equal("https://t", all[0].Realm);
        Assert.Equal("b", all[1].Realm);
    }
}
