using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Strata.Oci;
using Strata.Registry.Auth;
using Strata.Registry.Blobs;
using Strata.Registry.Metadata;
using Strata.Registry.Proxy;

namespace Strata.Registry.Api;

/// <summary>
/// The OCI Distribution Spec 1.1 / Docker Registry HTTP API v2 under <c>/v2/</c>. One handler parses
/// the path (repository names contain slashes), authorizes the action, and runs the endpoint; every
/// failure becomes the spec's JSON error with its status code: storage raises domain errors
/// (<see cref="RegistryErrors"/>) and <see cref="Map"/> turns them into HTTP.
/// </summary>
public sealed partial class DistributionApi
{
    private const string ApiVersionHeader = "Docker-Distribution-API-Version";
    private readonly RegistryMetadata _meta;
    private readonly IRegistryBlobStore _blobs;
    private readonly Authenticator _auth;
    private readonly IUpstreamRegistry? _upstream;
    private readonly ILogger _log;
    private readonly TimeSpan? _redirect;

    /// <param name="redirect">Answer blob GETs with a 307 to a URL valid this long when the blob store has one (presigned S3).</param>
    public DistributionApi(RegistryMetadata meta, IRegistryBlobStore blobs, Authenticator auth, IUpstreamRegistry? upstream, ILogger log, TimeSpan? redirect = null)
    {
        _meta = meta;
        _blobs = blobs;
        _auth = auth;
        _upstream = upstream;
        _log = log;
        _redirect = redirect;
    }

    /// <summary>Handles a request whose path starts with <c>/v2</c>.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        var ct = context.RequestAborted;
        var request = context.Request;
        var response = context.Response;
        response.Headers[ApiVersionHeader] = "registry/2.0";
        var path = request.Path.Value ?? "/v2/";
        var rest = path.Length <= 4 ? string.Empty : path[4..];
        var route = RegistryRouteParser.Parse(rest);
        context.Items["strata.endpoint"] = route.Endpoint.ToString().ToLowerInvariant();
        try
        {
            if (route.Repository is { } repo && !RegistryRouteParser.IsValidName(repo))
            {
                throw RegistryApiException.NameInvalid(repo);
            }

            var principal = await _auth.AuthenticateAsync(request, ct).ConfigureAwait(false);
            switch (route.Endpoint)
            {
                case RegistryEndpoint.Base:
                    await BaseAsync(context, principal).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Catalog:
                    Require(context, principal, null, RegistryAction.Pull, HttpMethods.IsGet(request.Method));
                    await CatalogAsync(context, principal, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Tags:
                    Require(context, principal, route.Repository!, RegistryAction.Pull, HttpMethods.IsGet(request.Method));
                    await TagsAsync(context, route.Repository!, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Manifest:
                    await ManifestAsync(context, principal, route.Repository!, route.Reference!, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Blob:
                    await BlobAsync(context, principal, route.Repository!, route.Reference!, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.UploadStart:
                    Require(context, principal, route.Repository!, RegistryAction.Push, HttpMethods.IsPost(request.Method));
                    await StartUploadAsync(context, principal, route.Repository!, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Upload:
                    Require(context, principal, route.Repository!, RegistryAction.Push,
                        request.Method is "GET" or "PATCH" or "PUT" or "DELETE");
                    await UploadAsync(context, route.Repository!, route.Reference!, ct).ConfigureAwait(false);
                    break;
                case RegistryEndpoint.Referrers:
                    Require(context, principal, route.Repository!, RegistryAction.Pull, HttpMethods.IsGet(request.Method));
                    await ReferrersAsync(context, route.Repository!, route.Reference!, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new RegistryApiException(404, DistributionErrorCodes.Unsupported, "unknown API endpoint", path);
            }
        }
        catch (RegistryApiException e)
        {
            await WriteErrorAsync(context, e, route).ConfigureAwait(false);
        }
        catch (StrataException e) when (!response.HasStarted)
        {
            await WriteErrorAsync(context, Map(e), route).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The client went away; an upload's bytes so far stay in its ingest for a resume.
        }
        catch (BadHttpRequestException e) when (!response.HasStarted)
        {
            await WriteErrorAsync(context, new RegistryApiException(e.StatusCode, e.StatusCode == 413 ? DistributionErrorCodes.SizeInvalid : DistributionErrorCodes.Unknown, e.Message), route).ConfigureAwait(false);
        }
        catch (IOException) when (ct.IsCancellationRequested || response.HasStarted)
        {
            // Connection reset while streaming.
        }
        catch (Exception e) when (!response.HasStarted)
        {
            LogUnexpected(_log, e, request.Method, path);
            await WriteErrorAsync(context, new RegistryApiException(500, DistributionErrorCodes.Unknown, "internal server error"), route).ConfigureAwait(false);
        }
    }

    private async Task BaseAsync(HttpContext context, Principal? principal)
    {
        if (principal is null && _auth.Policy.AuthEnabled)
        {
            throw new RegistryApiException(401, DistributionErrorCodes.Unauthorized, "authentication required");
        }

        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync("{}", context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Throws 405 for a wrong method, then 401 (challenge) or 403 when the caller may not act.</summary>
    private void Require(HttpContext context, Principal? principal, string? repository, string action, bool methodOk)
    {
        if (!methodOk)
        {
            throw RegistryApiException.Unsupported($"{context.Request.Method} is not supported here");
        }

        if (_upstream is not null && action != RegistryAction.Pull)
        {
            throw RegistryApiException.Unsupported("this registry is a pull-through cache: push and delete are not allowed");
        }

        if (repository is null)
        {
            // The catalog: anyone the registry lets in; results are filtered per repository.
            if (principal is null && _auth.Policy.AuthEnabled && !_auth.Policy.AnonymousPull)
            {
                context.Items["strata.scope"] = "registry:catalog:*";
                throw new RegistryApiException(401, DistributionErrorCodes.Unauthorized, "authentication required");
            }

            return;
        }

        if (_auth.Policy.IsAllowed(principal, repository, action))
        {
            return;
        }

        var wanted = action switch
        {
            RegistryAction.Push => "pull,push",
            RegistryAction.Delete => "delete",
            _ => "pull",
        };
        context.Items["strata.scope"] = $"repository:{repository}:{wanted}";
        if (principal is null || principal.TokenAccess is not null)
        {
            throw new RegistryApiException(401, DistributionErrorCodes.Unauthorized, "authentication required", $"{action} access to {repository}");
        }

        throw RegistryApiException.Denied($"requested access to the resource is denied: {action} on {repository}");
    }

    /// <summary>A storage domain error as the spec's status and code.</summary>
    internal static RegistryApiException Map(StrataException e) => e.Code switch
    {
        RegistryErrors.BlobUnknown => new RegistryApiException(404, DistributionErrorCodes.BlobUnknown, "blob unknown to registry", e.Message),
        RegistryErrors.ManifestUnknown => new RegistryApiException(404, DistributionErrorCodes.ManifestUnknown, "manifest unknown", e.Message),
        RegistryErrors.ManifestInvalid => RegistryApiException.ManifestInvalid(e.Message),
        RegistryErrors.ManifestBlobUnknown => new RegistryApiException(400, DistributionErrorCodes.ManifestBlobUnknown, e.Message),
        RegistryErrors.QuotaExceeded => new RegistryApiException(413, DistributionErrorCodes.Denied, e.Message),
        RegistryErrors.UploadUnknown => RegistryApiException.UploadUnknown(e.Message),
        RegistryErrors.IngestLocked or RegistryErrors.UploadBusy => new RegistryApiException(409, DistributionErrorCodes.BlobUploadInvalid, "the upload is being written by another request"),
        RegistryErrors.SizeMismatch => new RegistryApiException(400, DistributionErrorCodes.SizeInvalid, e.Message),
        RegistryErrors.DigestMismatch => RegistryApiException.DigestInvalid("provided digest did not match uploaded content", e.Message),
        _ => e.Kind switch
        {
            ErrorKind.NotFound => new RegistryApiException(404, DistributionErrorCodes.BlobUnknown, e.Message),
            ErrorKind.InvalidArgument => new RegistryApiException(400, DistributionErrorCodes.Unknown, e.Message),
            ErrorKind.DataLoss => RegistryApiException.DigestInvalid(e.Message),
            ErrorKind.Unavailable => new RegistryApiException(503, DistributionErrorCodes.Unavailable, e.Message),
            ErrorKind.AlreadyExists or ErrorKind.Conflict => new RegistryApiException(409, DistributionErrorCodes.Unknown, e.Message),
            _ => new RegistryApiException(500, DistributionErrorCodes.Unknown, e.Message),
        },
    };

    private async Task WriteErrorAsync(HttpContext context, RegistryApiException e, RegistryRoute route)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            context.Abort();
            return;
        }

        response.Clear();
        response.Headers[ApiVersionHeader] = "registry/2.0";
        response.StatusCode = e.Status;
        if (e.Status == 401)
        {
            var scope = context.Items.TryGetValue("strata.scope", out var s) ? s as string : null;
            response.Headers.WWWAuthenticate = _auth.Challenge(context.Request, route.Endpoint == RegistryEndpoint.Base ? null : scope);
        }

        if (HttpMethods.IsHead(context.Request.Method))
        {
            return;
        }

        response.ContentType = "application/json; charset=utf-8";
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("errors");
            w.WriteStartObject();
            w.WriteString("code", e.Code);
            w.WriteString("message", e.Message);
            if (e.Detail is not null)
            {
                w.WriteString("detail", e.Detail);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, CancellationToken.None).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, string contentType, Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            body(w);
        }

        context.Response.ContentType = contentType;
        context.Response.ContentLength = buffer.WrittenCount;
        if (!HttpMethods.IsHead(context.Request.Method))
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>Parses <c>n</c>; null when absent; 400 when not a non-negative integer.</summary>
    private static int? PageSize(HttpRequest request)
    {
        var n = request.Query["n"].ToString();
        if (n.Length == 0)
        {
            return null;
        }

        return int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 0
            ? Math.Min(v, 10_000)
            : throw new RegistryApiException(400, DistributionErrorCodes.PaginationNumberInvalid, "invalid number of results requested", n);
    }

    private static void SetBodyLimit(HttpContext context, long? limit)
    {
        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }
    }

    private static Digest ParseDigest(string value) =>
        Digest.TryParse(value, out var d, out var error) ? d : throw RegistryApiException.DigestInvalid($"invalid digest: {error}", value);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, string path);
}
