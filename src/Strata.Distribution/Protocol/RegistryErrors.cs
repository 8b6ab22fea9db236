using System.Globalization;
using System.Net;
using System.Text.Json;
using Strata.Oci;

namespace Strata.Distribution.Protocol;

/// <summary>Turns a registry's error answer into a <see cref="RegistryException"/> with the OCI code and a kind callers branch on.</summary>
public static class RegistryErrors
{
    /// <summary>Error bodies are small; a registry that streams megabytes of error is cut here.</summary>
    private const int MaxBody = 64 * 1024;

    /// <summary>Reads the body of a failed response and builds the exception; <paramref name="registry"/> names the host in messages.</summary>
    public static async Task<RegistryException> FromResponseAsync(HttpResponseMessage response, string registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        RegistryErrorEntry? first = null;
        if (response.RequestMessage?.Method != HttpMethod.Head)
        {
            try
            {
                await using var s = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var buffer = new byte[MaxBody];
                var n = 0;
                int r;
                while (n < buffer.Length && (r = await s.ReadAsync(buffer.AsMemory(n), cancellationToken).ConfigureAwait(false)) > 0)
                {
                    n += r;
                }

                first = Parse(buffer.AsSpan(0, n));
            }
            catch (IOException)
            {
                // The body is only a hint; the status still tells what happened.
            }
            catch (HttpRequestException)
            {
            }
        }

        return Create(response.StatusCode, first?.Code, first?.Message, registry, RetryAfter(response));
    }

    /// <summary>The first error of a spec error body, or null when the body is not one.</summary>
    public static RegistryErrorEntry? Parse(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            var parsed = JsonSerializer.Deserialize(body, DistributionJsonContext.Default.RegistryErrorBody);
            return parsed?.Errors is { Count: > 0 } errors ? errors[0] : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static RegistryException Create(HttpStatusCode status, string? code, string? message, string registry, TimeSpan? retryAfter = null)
    {
        code = string.IsNullOrEmpty(code) ? null : code.ToUpperInvariant();
        var kind = code switch
        {
            "UNAUTHORIZED" => ErrorKind.Unauthenticated,
            "DENIED" => ErrorKind.Denied,
            "MANIFEST_UNKNOWN" or "BLOB_UNKNOWN" or "NAME_UNKNOWN" or "BLOB_UPLOAD_UNKNOWN" => ErrorKind.NotFound,
            "NAME_INVALID" or "TAG_INVALID" or "MANIFEST_INVALID" or "DIGEST_INVALID" or "SIZE_INVALID"
                or "BLOB_UPLOAD_INVALID" or "MANIFEST_BLOB_UNKNOWN" or "PAGINATION_NUMBER_INVALID" or "RANGE_INVALID" => ErrorKind.InvalidArgument,
            "UNSUPPORTED" => ErrorKind.FailedPrecondition,
            "TOOMANYREQUESTS" => ErrorKind.Unavailable,
            _ => status switch
            {
                HttpStatusCode.Unauthorized => ErrorKind.Unauthenticated,
                HttpStatusCode.Forbidden => ErrorKind.Denied,
                HttpStatusCode.NotFound => ErrorKind.NotFound,
                HttpStatusCode.TooManyRequests => ErrorKind.Unavailable,
                HttpStatusCode.RequestedRangeNotSatisfiable => ErrorKind.InvalidArgument,
                _ when (int)status >= 500 => ErrorKind.Unavailable,
                _ when (int)status >= 400 => ErrorKind.InvalidArgument,
                _ => ErrorKind.Unknown,
            },
        };
        code ??= status switch
        {
            HttpStatusCode.Unauthorized => "UNAUTHORIZED",
            HttpStatusCode.Forbidden => "DENIED",
            _ => "HTTP_" + ((int)status).ToString(CultureInfo.InvariantCulture),
        };
        var what = code.Replace('_', ' ').ToLowerInvariant();
        var detail = string.IsNullOrWhiteSpace(message) ? DefaultMessage(status) : message;
        var text = kind switch
        {
            ErrorKind.Unauthenticated => $"unauthorized: {detail}; run strata login {registry}",
            ErrorKind.Denied => $"denied: {detail}",
            _ when code.StartsWith("HTTP_", StringComparison.Ordinal) => $"{registry}: {detail} (HTTP {(int)status})",
            _ => $"{what}: {detail}",
        };
        return new RegistryException(kind, code, text, status, retryAfter);
    }

    private static string DefaultMessage(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Unauthorized => "authentication required",
        HttpStatusCode.Forbidden => "requested access to the resource is denied",
        HttpStatusCode.NotFound => "not found",
        HttpStatusCode.TooManyRequests => "too many requests",
        _ => status.ToString(),
    };

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var ra = response.Headers.RetryAfter;
        if (ra?.Delta is { } delta)
        {
            return delta;
        }

        if (ra?.Date is { } date)
        {
            var d = date - DateTimeOffset.UtcNow;
            return d > TimeSpan.Zero ? d : TimeSpan.Zero;
        }

        return null;
    }
}
