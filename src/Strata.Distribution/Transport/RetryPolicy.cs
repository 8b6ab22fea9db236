using System.Net.Sockets;
using System.Security.Authentication;
using Strata.Distribution.Protocol;
using Strata.Oci;

namespace Strata.Distribution.Transport;

/// <summary>
/// Retries with exponential backoff for transient failures: 5xx, 429 (honouring <c>Retry-After</c>), reset or
/// refused connections, streams cut mid-body. Never for other 4xx answers, digest mismatches or TLS trust errors.
/// </summary>
public sealed record RetryPolicy
{
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>A registry asking for longer than this is not waited for.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public static RetryPolicy Default { get; } = new();

    public static RetryPolicy None { get; } = new() { MaxAttempts = 1 };

    public static bool IsTransient(Exception e, CancellationToken cancellationToken) => e switch
    {
        OperationCanceledException when cancellationToken.IsCancellationRequested => false,
        RegistryException r => r.IsTransient,
        StrataException s => s.Kind == ErrorKind.Unavailable && s.Code != DistributionErrors.TlsUntrusted,
        HttpRequestException h when h.InnerException is AuthenticationException => false,
        HttpRequestException => true,
        IOException => true,
        SocketException => true,
        TimeoutException => true,
        OperationCanceledException => true, // an HttpClient timeout, not our cancellation
        _ => false,
    };

    public TimeSpan DelayFor(int attempt, Exception e)
    {
        if (e is RegistryException { RetryAfter: { } ra })
        {
            return ra > MaxRetryAfter ? MaxRetryAfter : ra;
        }

        var exp = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var jitter = Random.Shared.NextDouble() * 0.2 * exp;
        return TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, exp + jitter));
    }

    /// <summary>Runs <paramref name="operation"/> (given the 1-based attempt number) until it succeeds, fails for good, or attempts run out.</summary>
    public async Task<T> RunAsync<T>(Func<int, CancellationToken, Task<T>> operation, Action<int, Exception, TimeSpan>? onRetry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(attempt, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < MaxAttempts && IsTransient(e, cancellationToken))
            {
                var delay = DelayFor(attempt, e);
                onRetry?.Invoke(attempt, e, delay);
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            }
        }
    }
}
