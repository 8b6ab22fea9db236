using System.CommandLine;
using System.Globalization;
using Strata.Oci;
using Strata.Runtime.Logs;

namespace Strata.Cli.Commands.Containers;

/// <summary><c>strata logs [-f] [--tail N] [-t] CONTAINER</c>: stdout lines to stdout, stderr lines to stderr.</summary>
public static class LogsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var name = new Argument<string>("container");
        var follow = new Option<bool>("--follow", "-f") { Description = "Follow log output" };
        var tail = new Option<string>("--tail", "-n") { Description = "Number of lines to show from the end of the logs", DefaultValueFactory = _ => "all" };
        var timestamps = new Option<bool>("--timestamps", "-t") { Description = "Show timestamps" };
        var cmd = new Command("logs", "Fetch the logs of a container");
        cmd.Arguments.Add(name);
        cmd.Options.Add(follow);
        cmd.Options.Add(tail);
        cmd.Options.Add(timestamps);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var c = await engine.Containers.GetAsync(parse.GetValue(name)!, ct);
            var t = parse.GetValue(tail)!;
            int? n = t == "all" ? null
                : int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v
                : throw StrataException.Invalid("TAIL_INVALID", $"invalid value for --tail: \"{t}\"");
            var stamps = parse.GetValue(timestamps);
            await using var stdout = Console.OpenStandardOutput();
            await using var stderr = Console.OpenStandardError();
            await foreach (var e in JsonLogReader.ReadAsync(engine.Containers.LogPath(c.Id), n, parse.GetValue(follow),
                async token => (await engine.Containers.GetAsync(c.Id, token)).State.IsActive, ct))
            {
                var text = stamps ? e.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'00Z '", CultureInfo.InvariantCulture) + e.Text : e.Text;
                var bytes = System.Text.Encoding.UTF8.GetBytes(text);
                var target = e.Stream == "stderr" ? stderr : stdout;
                await target.WriteAsync(bytes, ct);
                await target.FlushAsync(ct);
            }

            return 0;
        });
        return cmd;
    }
}
