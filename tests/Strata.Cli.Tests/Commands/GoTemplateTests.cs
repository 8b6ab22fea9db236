using System.Text.Json.Nodes;
using Strata.Cli.Commands.Images;
using Strata.Oci;

namespace Strata.Cli.Tests.Commands;

public sealed class GoTemplateTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"Id":"sha256:abc","RepoTags":["a:1","b:2"],"Config":{"Env":["A=1"],"Labels":{"k":"v","a":"b"},"Cmd":null},
         "Size":1234,"Os":"linux","Empty":""}
        """)!;

    [Theory]
    [InlineData("{{.Id}}", "sha256:abc")]
    [InlineData("{{.Config.Env}}", "[A=1]")]
    [InlineData("{{.Config.Labels}}", "map[a:b k:v]")]
    [InlineData("{{.Config.Cmd}}", "[]")]
    [InlineData("{{.Size}}", "1234")]
    [InlineData("{{json .RepoTags}}", "[\"a:1\",\"b:2\"]")]
    [InlineData("{{index .Config.Labels \"k\"}}", "v")]
    [InlineData("{{join .RepoTags \",\"}}", "a:1,b:2")]
    [InlineData("{{upper .Os}}", "LINUX")]
    [InlineData("{{len .RepoTags}}", "2")]
    [InlineData("{{range .RepoTags}}<{{.}}>{{end}}", "<a:1><b:2>")]
    [InlineData("{{if .Empty}}yes{{else}}no{{end}}", "no")]
    [InlineData("x {{- .Os -}} y", "xlinuxy")]
    public void Renders_docker_format_templates(string template, string expected) =>
        Assert.Equal(expected, GoTemplate.Parse(template).Render(Doc));

    [Theory]
    [InlineData("{{.Id")]
    [InlineData("{{end}}")]
    [InlineData("{{range .RepoTags}}")]
    public void Malformed_templates_are_invalid_argument(string template)
    {
        var e = Assert.Throws<StrataException>(() => GoTemplate.Parse(template));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
    }
}
