using System.Formats.Tar;
using System.Security.Cryptography;
using System.Text;

namespace Strata.Integration.Tests.Images;

/// <summary>Builds small docker-archives by hand (legacy layout: &lt;id&gt;.json, &lt;n&gt;/layer.tar, manifest.json) for load tests.</summary>
public static class ImageArchiveBuilder
{
    /// <summary>A tar of files (null content: directory).</summary>
    public static byte[] Layer(params (string Path, byte[]? Content)[] files)
    {
        using var ms = new MemoryStream();
        using (var w = new TarWriter(ms, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var (path, content) in files)
            {
                var e = new PaxTarEntry(content is null ? TarEntryType.Directory : TarEntryType.RegularFile, path)
                {
                    Mode = content is null ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100,
                    ModificationTime = DateTimeOffset.UnixEpoch,
                };
                if (content is not null)
                {
                    e.DataStream = new MemoryStream(content);
                }

                w.WriteEntry(e);
            }
        }

        return ms.ToArray();
    }

    /// <summary>Writes a docker-archive of one image with these layers (uncompressed) to <paramref name="path"/>.</summary>
    public static void Write(string path, string repoTag, params (byte[] Tar, string CreatedBy)[] layers)
    {
        var diffIds = layers.Select(l => "\"sha256:" + Convert.ToHexStringLower(SHA256.HashData(l.Tar)) + "\"");
        var history = layers.Select(l => $"{{\"created\":\"2024-01-01T00:00:00Z\",\"created_by\":\"{l.CreatedBy}\"}}");
        var config = Encoding.UTF8.GetBytes(
            $"{{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2024-01-01T00:00:00Z\",\"config\":{{\"Cmd\":[\"sh\"]}},\"rootfs\":{{\"type\":\"layers\",\"diff_ids\":[{string.Join(',', diffIds)}]}},\"history\":[{string.Join(',', history)}]}}");
        var configName = Convert.ToHexStringLower(SHA256.HashData(config)) + ".json";
        var layerNames = layers.Select((_, i) => $"layer{i}/layer.tar").ToList();
        var manifest = Encoding.UTF8.GetBytes($"[{{\"Config\":\"{configName}\",\"RepoTags\":[\"{repoTag}\"],\"Layers\":[{string.Join(',', layerNames.Select(n => "\"" + n + "\""))}]}}]");
        using var fs = File.Create(path);
        using var w = new TarWriter(fs, TarEntryFormat.Pax);
        void Add(string name, byte[] data) => w.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data), Mode = (UnixFileMode)0b110_100_100 });
        Add(configName, config);
        for (var i = 0; i < layers.Length; i++)
        {
            Add(layerNames[i], layers[i].Tar);
        }

        Add("manifest.json", manifest);
    }
}
