using System.CommandLine;
using System.Text.Json.Nodes;
using Strata.Cli.Commands.Containers;
using Strata.Cli.Commands.Images;
using Strata.Cli.Output;
using Strata.Runtime.Network;

namespace Strata.Cli.Commands.Networks;

/// <summary><c>strata network create|ls|inspect|rm|prune|connect|disconnect</c>: renderers over <c>engine.Networks</c>.</summary>
public static class NetworkCommands
{
    public static Command Create(GlobalOptions globals)
    {
        var network = new Command("network", "Manage networks");
        network.Subcommands.Add(CreateCommand(globals));
        network.Subcommands.Add(ListCommand(globals));
        network.Subcommands.Add(InspectCommand(globals));
        network.Subcommands.Add(RemoveCommand(globals));
        network.Subcommands.Add(PruneCommand(globals));
        network.Subcommands.Add(ConnectCommand(globals));
        network.Subcommands.Add(DisconnectCommand(globals));
        return network;
    }

    private static Command CreateCommand(GlobalOptions globals)
    {
        var name = new Argument<string>("name");
        var driver = new Option<string>("--driver", "-d") { Description = "Driver to manage the network", DefaultValueFactory = _ => "bridge" };
        var subnet = new Option<string?>("--subnet") { Description = "Subnet in CIDR format" };
        var gateway = new Option<string?>("--gateway") { Description = "IPv4 gateway for the subnet" };
        var isInternal = new Option<bool>("--internal") { Description = "Restrict external access to the network" };
        var label = new Option<string[]>("--label") { Description = "Set metadata on a network" };
        var cmd = new Command("create", "Create a network");
        cmd.Arguments.Add(name);
        foreach (var o in new Option[] { driver, subnet, gateway, isInternal, label })
        {
            cmd.Options.Add(o);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var result = await engine.Networks.CreateAsync(new NetworkCreateRequest
            {
                Name = parse.GetValue(name)!,
                Driver = parse.GetValue(driver) ?? "bridge",
                Subnet = parse.GetValue(subnet),
                Gateway = parse.GetValue(gateway),
                Internal = parse.GetValue(isInternal),
                Labels = Labels(parse.GetValue(label)),
            }, ct);
            await NoticesAsync(result.Warnings);
            Console.WriteLine(result.Network.Id);
            return 0;
        });
        return cmd;
    }

    private static Command ListCommand(GlobalOptions globals)
    {
        var quiet = new Option<bool>("--quiet", "-q") { Description = "Only display network IDs" };
        var noTrunc = new Option<bool>("--no-trunc") { Description = "Do not truncate the output" };
        var format = new Option<string?>("--format") { Description = "Format output using a Go template, or 'json'" };
        var cmd = new Command("ls", "List networks");
        cmd.Aliases.Add("list");
        cmd.Options.Add(quiet);
        cmd.Options.Add(noTrunc);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var full = parse.GetValue(noTrunc);
            var rows = (await engine.Networks.ListAsync(ct)).Select(n => NetworkView.Row(n, full)).ToList();
            rows.AddRange(NetworkView.Predefined.Select(p => new JsonObject
            {
                ["ID"] = full ? p.Id : p.Id[..12], ["Name"] = p.Name, ["Driver"] = p.Driver, ["Scope"] = "local",
                ["Internal"] = "false", ["IPv6"] = "false", ["CreatedAt"] = string.Empty, ["Labels"] = string.Empty,
            }));
            rows = [.. rows.OrderBy(r => (string?)r["Name"], StringComparer.Ordinal)];
            if (parse.GetValue(quiet))
            {
                rows.ForEach(r => Console.WriteLine((string?)r["ID"]));
                return 0;
            }

            if (parse.GetValue(format) is { } fmt)
            {
                var template = fmt == "json" ? null : GoTemplate.Parse(fmt.StartsWith("table ", StringComparison.Ordinal) ? fmt[6..] : fmt);
                rows.ForEach(r => Console.WriteLine(template is null ? r.ToJsonString(CliJson.Compact) : template.Render(r)));
                return 0;
            }

            var table = new Table("NETWORK ID", "NAME", "DRIVER", "SCOPE");
            rows.ForEach(r => table.Add((string?)r["ID"] ?? string.Empty, (string?)r["Name"] ?? string.Empty, (string?)r["Driver"] ?? string.Empty, "local"));
            table.Write(Console.Out);
            return 0;
        });
        return cmd;
    }

    private static Command InspectCommand(GlobalOptions globals)
    {
        var names = new Argument<string[]>("network") { Arity = ArgumentArity.OneOrMore };
        var format = new Option<string?>("--format", "-f") { Description = "Format output using a Go template" };
        var cmd = new Command("inspect", "Display detailed information on one or more networks");
        cmd.Arguments.Add(names);
        cmd.Options.Add(format);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await InspectPrinter.PrintAsync(parse.GetValue(names)!, parse.GetValue(format),
                async n => await engine.Networks.Store.TryResolveAsync(n, ct) is { } network
                    ? NetworkView.Inspect(network, await engine.Networks.ContainersOnAsync(network, ct))
                    : null,
                n => $"network {n} not found");
        });
        return cmd;
    }

    private static Command RemoveCommand(GlobalOptions globals)
    {
        var names = new Argument<string[]>("network") { Arity = ArgumentArity.OneOrMore };
        var cmd = new Command("rm", "Remove one or more networks");
        cmd.Aliases.Add("remove");
        cmd.Arguments.Add(names);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            return await EachCommand.ForEachAsync(parse.GetValue(names)!, async n =>
            {
                await engine.Networks.RemoveAsync(n, ct);
                Console.WriteLine(n);
            });
        });
        return cmd;
    }

    private static Command PruneCommand(GlobalOptions globals)
    {
        var force = new Option<bool>("--force", "-f") { Description = "Do not prompt for confirmation" };
        var cmd = new Command("prune", "Remove all unused networks");
        cmd.Options.Add(force);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var removed = await engine.Networks.PruneAsync(ct);
            if (removed.Count > 0)
            {
                Console.WriteLine("Deleted Networks:");
                foreach (var r in removed)
                {
                    Console.WriteLine(r);
                }

                Console.WriteLine();
            }

            return 0;
        });
        return cmd;
    }

    private static Command ConnectCommand(GlobalOptions globals)
    {
        var network = new Argument<string>("network");
        var container = new Argument<string>("container");
        var alias = new Option<string[]>("--alias") { Description = "Add network-scoped alias for the container" };
        var ip = new Option<string?>("--ip") { Description = "IPv4 address" };
        var cmd = new Command("connect", "Connect a container to a network");
        cmd.Arguments.Add(network);
        cmd.Arguments.Add(container);
        cmd.Options.Add(alias);
        cmd.Options.Add(ip);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            var result = await engine.Networks.ConnectAsync(new NetworkConnectRequest
            {
                Network = parse.GetValue(network)!,
                Container = parse.GetValue(container)!,
                Aliases = parse.GetValue(alias) ?? [],
                IpAddress = parse.GetValue(ip),
            }, ct);
            await NoticesAsync(result.Warnings);
            return 0;
        });
        return cmd;
    }

    private static Command DisconnectCommand(GlobalOptions globals)
    {
        var network = new Argument<string>("network");
        var container = new Argument<string>("container");
        var force = new Option<bool>("--force", "-f") { Description = "Force the container to disconnect from a network" };
        var cmd = new Command("disconnect", "Disconnect a container from a network");
        cmd.Arguments.Add(network);
        cmd.Arguments.Add(container);
        cmd.Options.Add(force);
        cmd.SetAction(async (parse, ct) =>
        {
            var engine = await ContainerCli.OpenAsync(globals, parse, ct);
            await engine.Networks.DisconnectAsync(parse.GetValue(network)!, parse.GetValue(container)!, ct);
            return 0;
        });
        return cmd;
    }

    private static Dictionary<string, string> Labels(string[]? labels) =>
        (labels ?? []).Select(l => l.Split('=', 2)).ToDictionary(kv => kv[0], kv => kv.Length == 2 ? kv[1] : string.Empty, StringComparer.Ordinal);

    private static async Task NoticesAsync(IEnumerable<string> warnings)
    {
        foreach (var w in warnings)
        {
            await Console.Error.WriteLineAsync("notice: " + w);
        }
    }
}
