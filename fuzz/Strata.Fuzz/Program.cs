using SharpFuzz;
using Strata.Fuzz;

// Strata.Fuzz TARGET                 : afl-fuzz mode (persistent, in process), input on stdin/shared memory
// Strata.Fuzz TARGET --replay PATH.. : run files or folders once each, report any input that fails or hangs
// Strata.Fuzz --list                 : the target names
if (args.Length == 0 || args[0] == "--list")
{
    foreach (var t in FuzzTargets.All)
    {
        Console.WriteLine(t.Name);
    }

    return args.Length == 0 ? 2 : 0;
}

var target = FuzzTargets.Find(args[0]);
if (target is null)
{
    await Console.Error.WriteLineAsync($"unknown fuzz target \"{args[0]}\"; --list shows them").ConfigureAwait(false);
    return 2;
}

if (args.Length > 1 && args[1] == "--replay")
{
    var failures = 0;
    var inputs = FuzzReplay.Inputs(args.Skip(2)).ToList();
    foreach (var file in inputs)
    {
        var error = await FuzzReplay.ReplayAsync(target, file, FuzzReplay.DefaultTimeout).ConfigureAwait(false);
        if (error is not null)
        {
            failures++;
            Console.WriteLine($"FAIL {file}: {error}");
        }
    }

    Console.WriteLine($"{target.Name}: {inputs.Count - failures} passed, {failures} failed");
    return failures == 0 ? 0 : 1;
}

// Persistent mode: afl-fuzz feeds many inputs to one process; an escaping exception is a crash.
Fuzzer.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    FuzzTargets.RunOneAsync(target, buffer.ToArray(), CancellationToken.None).GetAwaiter().GetResult();
});
return 0;
