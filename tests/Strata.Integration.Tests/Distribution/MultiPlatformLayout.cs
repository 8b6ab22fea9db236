using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Strata.Integration.Tests.Images;

namespace Strata.Integration.Tests.Distribution;

/// <summary>
/// Writes an OCI image layout by hand whose index (tag <c>multi</c>) holds one image per architecture, each with one
/// gzip layer containing <c>arch.txt</c> with the architecture's name: what <c>skopeo copy --all</c> pushes as a
/// multi-platform image.
/// </summary>
public static class MultiPlatformLayout
{
    /// <summary>Writes the layout to <paramref name="dir"/>; returns each architecture's layer diffID.</summary>
    public static IReadOnlyDictionary<string, string> Write(string dir, params string[] architectures)
    {
        var blobs = Path.Combine(dir, "blobs", "sha256");
        Directory.CreateDirectory(blobs);
        var diffIds = new Dictionary<string, string>();
        var entries = new List<string>();
        foreach (var arch in architectures)
        {
            var tar = ImageArchiveBuilder.Layer(("arch.txt", Encoding.UTF8.GetBytes(arch + "\n")));
            var diffId = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar));
            diffIds[arch] = diffId;
            using var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true))
            {
                z.Write(tar);
            }

            var layer = Blob(blobs, gz.ToArray());
            var config = Blob(blobs, Encoding.UTF8.GetBytes(
                $"{{\"architecture\":\"{arch}\",\"os\":\"linux\",\"config\":{{\"Cmd\":[\"cat\",\"/arch.txt\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[\"{diffId}\"]}}}}"));
            var manifest = Blob(blobs, Encoding.UTF8.GetBytes(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\"," +
                $"\"config\":{{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"{config.Digest}\",\"size\":{config.Size}}}," +
                $"\"layers\":[{{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"{layer.Digest}\",\"size\":{layer.Size}}}]}}"));
            entries.Add($"{{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"{manifest.Digest}\",\"size\":{manifest.Size},\"platform\":{{\"architecture\":\"{arch}\",\"os\":\"linux\"}}}}");
        }

        var index = Blob(blobs, Encoding.UTF8.GetBytes(
            $"{{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{string.Join(',', entries)}]}}"));
        File.WriteAllText(Path.Combine(dir, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllText(Path.Combine(dir, "index.json"),
            $"{{\"schemaVersion\":2,\"manifests\":[{{\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"digest\":\"{index.Digest}\",\"size\":{index.Size},\"annotations\":{{\"org.opencontainers.image.ref.name\":\"multi\"}}}}]}}");
        return diffIds;
    }

    private static (string Digest, int Size) Blob(string blobs, byte[] data)
    {
        var hex = Convert.ToHexStringLower(SHA256.HashData(data));
        File.WriteAllBytes(Path.Combine(blobs, hex), data);
        return ("sha256:" + hex, data.Length);
    }
}
