using Strata.Storage.Metadata;

namespace Strata.Storage.Images;

/// <summary>
/// The "images" area schema. An image is keyed by its config digest (docker's IMAGE ID); names and repo
/// digests point at it; layers are keyed by blob digest and listed per image with their chain IDs, so
/// garbage collection can tell which blobs and snapshots no image uses any more.
/// </summary>
public static class ImageMigrations
{
    public const string Area = "images";

    public static IReadOnlyList<Migration> All { get; } =
    [
        new(Area, 1, """
            CREATE TABLE images (
                id              TEXT PRIMARY KEY,
                manifest_digest TEXT NOT NULL,
                media_type      TEXT NOT NULL,
                size            INTEGER NOT NULL,
                created         TEXT NOT NULL,
                added           TEXT NOT NULL
            );
            CREATE INDEX images_manifest ON images(manifest_digest);
            CREATE TABLE image_tags (
                name     TEXT PRIMARY KEY,
                image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                added    TEXT NOT NULL
            );
            CREATE INDEX image_tags_image ON image_tags(image_id);
            CREATE TABLE image_repo_digests (
                name     TEXT PRIMARY KEY,
                image_id TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE
            );
            CREATE INDEX image_repo_digests_image ON image_repo_digests(image_id);
            CREATE TABLE layers (
                digest            TEXT PRIMARY KEY,
                diff_id           TEXT NOT NULL,
                media_type        TEXT NOT NULL,
                size              INTEGER NOT NULL,
                uncompressed_size INTEGER
            );
            CREATE INDEX layers_diff_id ON layers(diff_id);
            CREATE TABLE image_layers (
                image_id     TEXT NOT NULL REFERENCES images(id) ON DELETE CASCADE,
                idx          INTEGER NOT NULL,
                layer_digest TEXT NOT NULL,
                diff_id      TEXT NOT NULL,
                chain_id     TEXT NOT NULL,
                PRIMARY KEY (image_id, idx)
            );
            CREATE INDEX image_layers_layer ON image_layers(layer_digest);
            CREATE INDEX image_layers_chain ON image_layers(chain_id);
            """),
    ];
}
