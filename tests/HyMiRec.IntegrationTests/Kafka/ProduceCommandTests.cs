using System.CommandLine;
using System.Diagnostics;
using System.Text;
using Confluent.Kafka;
using HyMiRec.Client.Commands;
using HyMiRec.Kafka.Embedded;
using HyMiRec.Kafka.Streaming;

namespace HyMiRec.IntegrationTests.Kafka;

public sealed class ProduceCommandTests
{
    private const string Topic = "clicks";
    private const int Partitions = 3;

    private static async Task<(int Exit, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var root = new RootCommand { ProduceCommand.Create() };
        var exit = await root.Parse(["produce", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private static EmbeddedKafkaCluster StartKafka()
    {
        var kafka = EmbeddedKafkaCluster.Start();
        kafka.CreateTopic(Topic, Partitions);
        return kafka;
    }

    private static List<ConsumeResult<string, string>> ReadAll(EmbeddedKafkaCluster kafka, int expected)
    {
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "reader" }).Build();
        consumer.Assign(Enumerable.Range(0, Partitions).Select(p => new TopicPartitionOffset(Topic, p, Offset.Beginning)));
        var results = new List<ConsumeResult<string, string>>();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (results.Count < expected && DateTime.UtcNow < deadline)
        {
            if (consumer.Consume(TimeSpan.FromMilliseconds(100)) is { Message: not null } result)
            {
                results.Add(result);
            }
        }

        return results;
    }

    [Fact]
    public async Task Json_lines_are_sent_unchanged_keyed_by_user_in_order_per_user()
    {
        await using var kafka = StartKafka();
        using var directory = new TempDirectory();
        var lines = Enumerable.Range(0, 60)
            .Select(i => $$"""{"userId":"u{{i % 7}}","itemId":"i{{i}}","timestamp":{{1_700_000_000_000 + i}}}""")
            .ToList();
        var file = directory.File("clicks.jsonl");
        await File.WriteAllTextAsync(file, string.Join('\n', lines.Take(30)) + "\n\n" + string.Join('\n', lines.Skip(30)) + "\n");

        var (exit, output, error) = await Run("--bootstrap", kafka.BootstrapServers, "--file", file);

        Assert.True(exit == 0, error);
        Assert.Contains("delivered 60", output, StringComparison.Ordinal);
        var received = ReadAll(kafka, 60);
        Assert.Equal(60, received.Count);
        foreach (var user in Enumerable.Range(0, 7).Select(u => $"u{u}"))
        {
            var sent = lines.Where(l => l.Contains($"\"{user}\"", StringComparison.Ordinal)).ToList();
            var got = received.Where(r => r.Message.Key == user).ToList();
            Assert.Equal(sent, got.Select(r => r.Message.Value));
            Assert.All(got, r => Assert.Equal(ClickPartitioner.PartitionFor(Encoding.UTF8.GetBytes(user), Partitions), r.Partition.Value));
        }
    }

    [Fact]
    public async Task MovieLens_ratings_go_out_in_time_order_up_to_the_limit()
    {
        await using var kafka = StartKafka();
        using var directory = new TempDirectory();
        directory.Write("u.data", "1\t10\t5\t300", "1\t11\t3\t100", "2\t12\t4\t200", "1\t13\t1\t100", "2\t14\t2\t50", "3\t15\t2\t999");

        var (exit, _, error) = await Run("--bootstrap", kafka.BootstrapServers, "--movielens", directory.Path, "--limit", "5");

        Assert.True(exit == 0, error);
        var received = ReadAll(kafka, 5);
        Assert.Equal(5, received.Count);
        var user1 = received.Where(r => r.Message.Key == "1").Select(r => r.Message.Value).ToList();
        Assert.Equal(
            [
                """{"schema":1,"userId":"1","itemId":"11","timestamp":"1970-01-01T00:01:40.0000000\u002B00:00","eventType":"click"}""",
                """{"schema":1,"userId":"1","itemId":"13","timestamp":"1970-01-01T00:01:40.0000000\u002B00:00","eventType":"click"}""",
                """{"schema":1,"userId":"1","itemId":"10","timestamp":"1970-01-01T00:05:00.0000000\u002B00:00","eventType":"click"}""",
            ],
            user1);
        Assert.Equal(["14", "12"], received.Where(r => r.Message.Key == "2").Select(r => r.Message.Value.Split('"')[9]));
        Assert.DoesNotContain(received, r => r.Message.Key == "3");
    }

    [Fact]
    public async Task A_bad_line_stops_the_command_before_anything_is_sent()
    {
        await using var kafka = StartKafka();
        using var directory = new TempDirectory();
        var file = directory.Write("clicks.jsonl",
            """{"userId":"u1","itemId":"i1","timestamp":1}""",
            """{"userId":"u1","itemId":"i2","timestamp":2}""",
            """{"userId":"u1","timestamp":3}""");

        var (exit, _, error) = await Run("--bootstrap", kafka.BootstrapServers, "--file", file);

        Assert.Equal(ProduceCommand.UsageExitCode, exit);
        Assert.Contains("line 3", error, StringComparison.Ordinal);
        Assert.Contains("missing-field", error, StringComparison.Ordinal);
        using var consumer = new ConsumerBuilder<string, string>(new ConsumerConfig { BootstrapServers = kafka.BootstrapServers, GroupId = "check" }).Build();
        Assert.All(Enumerable.Range(0, Partitions), p =>
            Assert.Equal(0, consumer.QueryWatermarkOffsets(new TopicPartition(Topic, p), TimeSpan.FromSeconds(5)).High.Value));
    }

    [Fact]
    public async Task The_rate_paces_sending()
    {
        await using var kafka = StartKafka();
        using var directory = new TempDirectory();
        var file = directory.Write("clicks.jsonl", Enumerable.Range(0, 31).Select(i => $$"""{"userId":"u","itemId":"i{{i}}","timestamp":{{i}}}""").ToArray());

        var clock = Stopwatch.StartNew();
        var (exit, _, error) = await Run("--bootstrap", kafka.BootstrapServers, "--file", file, "--rate", "100");

        Assert.True(exit == 0, error);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.3), $"31 clicks at 100/s took only {clock.Elapsed.TotalSeconds:F2} s");
    }

    [Theory]
    [InlineData("--rate", "-1")]
    [InlineData("--movielens", "/nonexistent")]
    [InlineData("--setting", "novalue")]
    public async Task Usage_mistakes_exit_2_with_one_line(string option, string value)
    {
        using var directory = new TempDirectory();
        var file = directory.Write("clicks.jsonl", """{"userId":"u","itemId":"i","timestamp":1}""");

        var (exit, _, error) = await Run("--bootstrap", "127.0.0.1:1", "--file", file, option, value);

        Assert.Equal(ProduceCommand.UsageExitCode, exit);
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));
    }
}
