using System.Globalization;
using System.Net;
using Strata.Oci;

namespace Strata.Runtime.Containers;

/// <summary><c>-p [IP:]HOST:CONTAINER[/tcp]</c>: published on 127.0.0.1 unless another host address is given.</summary>
public sealed record PortMapping(string HostIp, int HostPort, int ContainerPort, string Protocol)
{
    public static PortMapping Parse(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        var proto = "tcp";
        var body = text;
        var slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            proto = text[(slash + 1)..].ToLowerInvariant();
            body = text[..slash];
        }

        if (proto is not "tcp")
        {
            throw StrataException.Invalid("PUBLISH_PROTOCOL", $"invalid port mapping \"{text}\": only tcp is published (udp is not supported yet)");
        }

        var parts = body.Split(':');
        var (ip, host, ctr) = parts.Length switch
        {
            1 => ("127.0.0.1", parts[0], parts[0]),
            2 => ("127.0.0.1", parts[0], parts[1]),
            3 => (parts[0].Length == 0 ? "127.0.0.1" : parts[0], parts[1], parts[2]),
            _ => throw StrataException.Invalid("PUBLISH_INVALID", $"invalid port mapping \"{text}\": use [IP:]HOST:CONTAINER[/tcp]"),
        };
        if (!IPAddress.TryParse(ip, out _))
        {
            throw StrataException.Invalid("PUBLISH_INVALID", $"invalid port mapping \"{text}\": \"{ip}\" is not an IP address");
        }

        return new PortMapping(ip, Port(host, text), Port(ctr, text), proto);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{HostIp}:{HostPort}->{ContainerPort}/{Protocol}");

    private static int Port(string s, string text) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p is > 0 and < 65536
            ? p
            : throw StrataException.Invalid("PUBLISH_INVALID", $"invalid port mapping \"{text}\": \"{s}\" is not a port number");
}
