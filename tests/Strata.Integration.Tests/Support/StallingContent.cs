using System.Net;

namespace Strata.Integration.Tests.Support;

/// <summary>A request body that sends <see cref="_head"/>, then never finishes (until cancelled): an upload caught mid-chunk.</summary>
public sealed class StallingContent : HttpContent
{
    private readonly byte[] _head;
    private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public StallingContent(byte[] head)
    {
        _head = head;
    }

    /// <summary>Completes once the head bytes were handed to the connection.</summary>
    public Task Sent => _sent.Task;

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        await stream.WriteAsync(_head, cancellationToken);
        await stream.FlushAsync(cancellationToken);
        _sent.TrySetResult();
        await Task.Delay(Timeout.Infinite, cancellationToken);
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
