using System.Text.Json.Serialization;

namespace Strata.Registry.Blobs;

[JsonSerializable(typeof(S3UploadState))]
internal sealed partial class S3JsonContext : JsonSerializerContext;
