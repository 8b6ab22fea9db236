using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Strata.Registry.Operations;

/// <summary>
/// Request, byte and latency counters in Prometheus text format (exposition 0.0.4), kept with
/// Interlocked counters so the hot path takes no lock.
/// </summary>
public sealed class RegistryMetrics
{
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
    private readonly ConcurrentDictionary<(string Method, string Endpoint, int Status), Counter> _requests = new();
    private readonly long[] _bucketCounts = new long[Buckets.Length + 1];
    private long _latencyMicros;
    private long _latencyCount;
    private long _bytesIn;
    private long _bytesOut;

    public void Record(string method, string endpoint, int status, TimeSpan elapsed, long bytesIn, long bytesOut)
    {
        _requests.GetOrAdd((method, endpoint, status), _ => new Counter()).Increment();
        Interlocked.Add(ref _bytesIn, Math.Max(0, bytesIn));
        Interlocked.Add(ref _bytesOut, Math.Max(0, bytesOut));
        Interlocked.Add(ref _latencyMicros, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _latencyCount);
        var s = elapsed.TotalSeconds;
        var i = 0;
        while (i < Buckets.Length && s > Buckets[i])
        {
            i++;
        }

        Interlocked.Increment(ref _bucketCounts[i]);
    }

    /// <summary>Renders all metrics plus the storage gauges passed in.</summary>
    public string Render(long blobCount, long blobBytes, long repositories, long uploadsInProgress)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine("# HELP strata_registry_requests_total HTTP requests by method, endpoint and status.");
        sb.AppendLine("# TYPE strata_registry_requests_total counter");
        foreach (var ((method, endpoint, status), c) in _requests.OrderBy(k => k.Key.Endpoint, StringComparer.Ordinal).ThenBy(k => k.Key.Method, StringComparer.Ordinal).ThenBy(k => k.Key.Status))
        {
            sb.Append(inv, $"strata_registry_requests_total{{method=\"{method}\",endpoint=\"{endpoint}\",status=\"{status}\"}} {c.Value}\n");
        }

        sb.AppendLine("# HELP strata_registry_request_duration_seconds Request latency.");
        sb.AppendLine("# TYPE strata_registry_request_duration_seconds histogram");
        long cumulative = 0;
        for (var i = 0; i < Buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _bucketCounts[i]);
            sb.Append(inv, $"strata_registry_request_duration_seconds_bucket{{le=\"{Buckets[i]}\"}} {cumulative}\n");
        }

        cumulative += Interlocked.Read(ref _bucketCounts[Buckets.Length]);
        sb.Append(inv, $"strata_registry_request_duration_seconds_bucket{{le=\"+Inf\"}} {cumulative}\n");
        sb.Append(inv, $"strata_registry_request_duration_seconds_sum {Interlocked.Read(ref _latencyMicros) / 1e6}\n");
        sb.Append(inv, $"strata_registry_request_duration_seconds_count {Interlocked.Read(ref _latencyCount)}\n");
        sb.AppendLine("# TYPE strata_registry_received_bytes_total counter");
        sb.Append(inv, $"strata_registry_received_bytes_total {Interlocked.Read(ref _bytesIn)}\n");
        sb.AppendLine("# TYPE strata_registry_sent_bytes_total counter");
        sb.Append(inv, $"strata_registry_sent_bytes_total {Interlocked.Read(ref _bytesOut)}\n");
        sb.AppendLine("# HELP strata_registry_storage_blobs Blobs stored.");
        sb.AppendLine("# TYPE strata_registry_storage_blobs gauge");
        sb.Append(inv, $"strata_registry_storage_blobs {blobCount}\n");
        sb.AppendLine("# TYPE strata_registry_storage_bytes gauge");
        sb.Append(inv, $"strata_registry_storage_bytes {blobBytes}\n");
        sb.AppendLine("# TYPE strata_registry_repositories gauge");
        sb.Append(inv, $"strata_registry_repositories {repositories}\n");
        sb.AppendLine("# TYPE strata_registry_uploads_in_progress gauge");
        sb.Append(inv, $"strata_registry_uploads_in_progress {uploadsInProgress}\n");
        return sb.ToString();
    }

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
