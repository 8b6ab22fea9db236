using Strata.Registry.Ui;

namespace Strata.Registry.Tests.Ui;

public sealed class UiSessionSignerTests
{
    [Fact]
    public void Issued_cookie_validates_to_the_same_user()
    {
        var signer = new UiSessionSigner();
        var user = signer.Validate(signer.Issue(new UiUser("alice", IsAdmin: true)));
        Assert.Equal(new UiUser("alice", true), user);
    }

    [Theory]
    [InlineData(null)] // no cookie
    [InlineData("")] // empty cookie
    [InlineData("nodot")] // no MAC part
    [InlineData("YWxpY2V8MXw5OTk5OTk5OTk5fDAw.forged")] // well-formed payload with a made-up MAC
    public void Malformed_or_forged_cookies_are_refused(string? cookie) =>
        Assert.Null(new UiSessionSigner().Validate(cookie));

    [Fact]
    public void Cookie_from_another_key_is_refused()
    {
        var cookie = new UiSessionSigner().Issue(new UiUser("alice", false));
        Assert.Null(new UiSessionSigner().Validate(cookie));
    }

    [Fact]
    public void Tampered_payload_is_refused()
    {
        var signer = new UiSessionSigner();
        var cookie = signer.Issue(new UiUser("bob", false));
        var dot = cookie.IndexOf('.', StringComparison.Ordinal);
        var body = cookie[..dot];
        var tampered = (body[0] == 'A' ? 'B' : 'A') + body[1..] + cookie[dot..];
        Assert.Null(signer.Validate(tampered));
    }

    [Fact]
    public void Expired_cookie_is_refused()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.UnixEpoch.AddYears(56));
        var signer = new UiSessionSigner(time: clock);
        var cookie = signer.Issue(new UiUser("carol", false));
        clock.Now += UiSessionSigner.Lifetime - TimeSpan.FromMinutes(1);
        Assert.NotNull(signer.Validate(cookie));
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.Null(signer.Validate(cookie));
    }

    [Fact]
    public void Csrf_token_is_bound_to_its_session()
    {
        var signer = new UiSessionSigner();
        var a = signer.Issue(new UiUser("alice", false));
        var b = signer.Issue(new UiUser("alice", false));
        Assert.True(signer.ValidateCsrf(a, signer.CsrfToken(a)));
        Assert.False(signer.ValidateCsrf(b, signer.CsrfToken(a)));
        Assert.False(signer.ValidateCsrf(a, null));
        Assert.False(signer.ValidateCsrf(a, ""));
    }
}
