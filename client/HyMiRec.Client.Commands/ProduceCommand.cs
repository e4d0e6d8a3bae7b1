using System.CommandLine;
using System.Diagnostics;
using Confluent.Kafka;
using HyMiRec.Events;
using HyMiRec.Kafka.Client;

namespace HyMiRec.Client.Commands;

/// <summary>
/// <c>hymirec produce</c>: publishes clicks (format v1, key = user id) from a JSON-lines file or a MovieLens
/// directory to a Kafka topic, optionally paced to a rate, with a progress line. Input is validated in full before
/// the first message is sent, so a bad file sends nothing.
/// </summary>
public static class ProduceCommand
{
    public const int UsageExitCode = 2;
    public const int DeliveryFailedExitCode = 1;

    public static Command Create()
    {
        var bootstrap = new Option<string>("--bootstrap") { Description = "Kafka bootstrap servers, host:port[,host:port]", Required = true };
        var topic = new Option<string>("--topic") { Description = "Click topic", DefaultValueFactory = _ => "clicks" };
        var file = new Option<string?>("--file") { Description = "JSON-lines file of clicks (docs/events.md), sent unchanged" };
        var movieLens = new Option<string?>("--movielens") { Description = "MovieLens directory (u.data or ratings.dat); ratings become clicks in time order" };
        var rate = new Option<double>("--rate") { Description = "Messages per second; 0 = as fast as possible", DefaultValueFactory = _ => 0 };
        var limit = new Option<int?>("--limit") { Description = "Send only the first N clicks" };
        var maxBytes = new Option<int>("--max-message-bytes") { Description = "Refuse lines larger than this (the silo's Kafka:MaxMessageBytes)", DefaultValueFactory = _ => ClickEventCodec.DefaultMaxMessageBytes };
        var timeout = new Option<int>("--delivery-timeout") { Description = "Seconds to wait for the brokers to acknowledge each message", DefaultValueFactory = _ => 30 };
        var settings = new Option<string[]>("--setting") { Description = "Extra librdkafka setting key=value (e.g. security.protocol=SASL_SSL); repeatable", AllowMultipleArgumentsPerToken = false };

        var command = new Command("produce", "Publish clicks to Kafka from a JSON-lines file or a MovieLens directory")
        {
            bootstrap, topic, file, movieLens, rate, limit, maxBytes, timeout, settings,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            try
            {
                var request = new ProduceRequest(
                    parse.GetValue(bootstrap)!,
                    parse.GetValue(topic)!,
                    parse.GetValue(file),
                    parse.GetValue(movieLens),
                    parse.GetValue(rate),
                    parse.GetValue(limit),
                    parse.GetValue(maxBytes),
                    parse.GetValue(timeout),
                    KafkaSettingPairs.Parse(parse.GetValue(settings) ?? [], "--setting"));
                return await RunAsync(request, output, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return UsageExitCode;
            }
        });
        return command;
    }

    internal static async Task<int> RunAsync(ProduceRequest request, TextWriter output, CancellationToken cancellationToken)
    {
        request.Validate();
        var messages = request.File is not null
            ? ClickSource.ReadJsonLines(request.File, request.MaxMessageBytes)
            : ClickSource.ReadMovieLens(request.MovieLens!);
        if (request.Limit is { } limit && limit < messages.Count)
        {
            messages = messages.GetRange(0, limit);
        }

        // Idempotent, so each user's clicks stay in order across retries; the default partitioner (CRC-32 of the key)
        // is the one the silo's queue mapper assumes.
        var config = KafkaClientConfigs.Producer(request.Bootstrap, "hymirec-cli", request.Settings);
        config.LingerMs = 5;
        config.MessageTimeoutMs = request.DeliveryTimeoutSeconds * 1000;
        using var producer = new ProducerBuilder<byte[], byte[]>(config).Build();
        var progress = new ProduceProgress(output, messages.Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count && !cancellationToken.IsCancellationRequested; i++)
        {
            if (request.Rate > 0)
            {
                var due = TimeSpan.FromSeconds(i / request.Rate) - clock.Elapsed;
                if (due > TimeSpan.FromMilliseconds(1))
                {
                    // Pacing to the requested rate, measured against the start so short sleeps do not drift.
                    try
                    {
                        await Task.Delay(due, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }
            }

            Send(producer, request.Topic, messages[i], progress);
            progress.Sent();
            progress.Report(clock.Elapsed, final: false);
        }

        var flushDeadline = clock.Elapsed + TimeSpan.FromSeconds(request.DeliveryTimeoutSeconds);
        while (producer.Flush(TimeSpan.FromSeconds(1)) > 0 && clock.Elapsed < flushDeadline)
        {
            progress.Report(clock.Elapsed, final: false);
        }

        progress.Report(clock.Elapsed, final: true);
        if (progress.Failed > 0 || progress.Delivered < progress.Total)
        {
            output.WriteLine($"error: {progress.Total - progress.Delivered} of {progress.Total} clicks were not delivered to {request.Topic} at {request.Bootstrap}" +
                (progress.FirstError is { } reason ? $" ({reason})" : cancellationToken.IsCancellationRequested ? " (cancelled)" : string.Empty));
            return DeliveryFailedExitCode;
        }

        return 0;
    }

    private static void Send(IProducer<byte[], byte[]> producer, string topic, ClickMessage click, ProduceProgress progress)
    {
        var message = new Message<byte[], byte[]> { Key = ClickEventCodec.EncodeKey(click.UserId), Value = click.Value };
        while (true)
        {
            try
            {
                producer.Produce(topic, message, progress.OnDelivery);
                return;
            }
            catch (ProduceException<byte[], byte[]> e) when (e.Error.Code == Confluent.Kafka.ErrorCode.Local_QueueFull)
            {
                // librdkafka's buffer is full: serve delivery reports until there is room.
                producer.Poll(TimeSpan.FromMilliseconds(100));
            }
        }
    }
}
