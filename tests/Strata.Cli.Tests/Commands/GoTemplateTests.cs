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

    private static readonly JsonNode Nested = JsonNode.Parse("""
        {"Name":"web","State":{"Running":true,"ExitCode":0,"Paused":false},
         "Mounts":[{"Source":"/a","Destination":"/x"},{"Source":"/b","Destination":"/y"}],
         "NetworkSettings":{"Ports":{"80/tcp":[{"HostPort":"8080"}]}},"Labels":{},"Count":2.5,"Nothing":null}
        """)!;

    [Theory]
    // Nested fields and a field of each range item.
    [InlineData("{{.State.Running}}", "true")]
    [InlineData("{{range .Mounts}}{{.Source}}:{{.Destination}} {{end}}", "/a:/x /b:/y ")]
    // $ is the root inside a range.
    [InlineData("{{range .Mounts}}{{$.Name}}{{end}}", "webweb")]
    // index walks maps and arrays, several keys deep; a missing key prints <nil>.
    [InlineData("{{index .NetworkSettings.Ports \"80/tcp\" \"0\"}}", "map[HostPort:8080]")]
    [InlineData("{{index .Mounts \"1\"}}", "map[Destination:/y Source:/b]")]
    [InlineData("{{index .Mounts \"7\"}}", "<nil>")]
    // Field lookup falls back to a case-insensitive match, as docker's does.
    [InlineData("{{.name}}", "web")]
    // Falsy values: false, 0, empty map, null; the else branch runs.
    [InlineData("{{if .State.Paused}}p{{else}}not paused{{end}}", "not paused")]
    [InlineData("{{if .State.ExitCode}}failed{{else}}ok{{end}}", "ok")]
    [InlineData("{{if .Labels}}l{{else}}no labels{{end}}", "no labels")]
    [InlineData("{{if .Nothing}}x{{else}}nil{{end}}", "nil")]
    [InlineData("{{if .Count}}{{.Count}}{{end}}", "2.5")]
    // range over an empty collection runs its else branch; over a map, values in key order.
    [InlineData("{{range .Labels}}x{{else}}empty{{end}}", "empty")]
    [InlineData("{{range .State}}{{.}},{{end}}", "0,false,true,")]
    // A null field prints <nil> unless it is a known slice or map field.
    [InlineData("{{.Nothing}}", "<nil>")]
    // String literals, lower, println, and len of a string.
    [InlineData("{{\"lit\"}}", "lit")]
    [InlineData("{{lower .Name}}", "web")]
    [InlineData("{{println .Name .State.ExitCode}}", "web 0\n")]
    [InlineData("{{len .Name}}", "3")]
    // Trim markers eat the whitespace on their side only.
    [InlineData("a  {{- .Name}}  b", "aweb  b")]
    [InlineData("a  {{.Name -}}  b", "a  webb")]
    // json of a missing path through a non-object is null.
    [InlineData("{{json .Name.Inner}}", "null")]
    public void Renders_nested_data_as_docker_does(string template, string expected) =>
        Assert.Equal(expected, GoTemplate.Parse(template).Render(Nested));

    [Theory]
    // An unknown function.
    [InlineData("{{frobnicate .Name}}")]
    // A field that does not exist.
    [InlineData("{{.NoSuchField}}")]
    // A bare word that is neither a path nor a literal.
    [InlineData("{{Name}}")]
    public void Bad_actions_fail_when_rendered(string template)
    {
        var e = Assert.Throws<StrataException>(() => GoTemplate.Parse(template).Render(Nested));
        Assert.Equal(ErrorKind.InvalidArgument, e.Kind);
        Assert.Equal("TEMPLATE_INVALID", e.Code);
    }

    [Theory]
    // else without if/range, and an if never closed.
    [InlineData("{{else}}")]
    [InlineData("{{if .Name}}x")]
    public void Unbalanced_blocks_are_refused_at_parse(string template) =>
        Assert.Equal(ErrorKind.InvalidArgument, Assert.Throws<StrataException>(() => GoTemplate.Parse(template)).Kind);

    [Fact]
    public void Print_formats_values_as_go_fmt()
    {
        Assert.Equal("[]", GoTemplate.Print(null, "Env"));
        Assert.Equal("map[]", GoTemplate.Print(null, "Labels"));
        Assert.Equal("<nil>", GoTemplate.Print(null));
        Assert.Equal("[1 x map[a:true]]", GoTemplate.Print(JsonNode.Parse("[1,\"x\",{\"a\":true}]")));
    }
}
