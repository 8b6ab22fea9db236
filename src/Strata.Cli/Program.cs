using Strata.Cli;

return await StrataCli.RunAsync(args).ConfigureAwait(false);
