using System.CommandLine;
using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Models;
using HyMiRec.Grains.Users;
using HyMiRec.Kafka.Hosting;
using HyMiRec.Hosting;
using HyMiRec.Testing.Deploy;
using HyMiRec.Training.Commands;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Orleans.Hosting.Kubernetes;
using YamlDotNet.RepresentationModel;

namespace HyMiRec.IntegrationTests.Deploy;

/// <summary>The rendered manifests against the code they deploy: env names, settings keys, paths, images.</summary>
public sealed class SiloManifestTests
{
    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void SiloPodGivesTheKubernetesHostingPackageItsEnvironment(string overlay)
    {
        var deployment = Find(Kustomize.Render(overlay), "Deployment", "hymirec-silo");
        var labels = Yaml.StringMap(deployment["spec", "template", "metadata", "labels"])!;
        Assert.Contains(KubernetesHostingOptions.ServiceIdLabel, labels.Keys);
        Assert.Contains(KubernetesHostingOptions.ClusterIdLabel, labels.Keys);
        var fields = Env(Container(deployment, "silo")).Where(e => e.FieldPath is not null).ToDictionary(e => e.Name, e => e.FieldPath);
        Assert.Equal("metadata.name", fields.GetValueOrDefault(KubernetesHostingOptions.PodNameEnvironmentVariable));
        Assert.Equal("metadata.namespace", fields.GetValueOrDefault(KubernetesHostingOptions.PodNamespaceEnvironmentVariable));
        Assert.Equal("status.podIP", fields.GetValueOrDefault(KubernetesHostingOptions.PodIPEnvironmentVariable));
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ServiceIdLabel}']", fields.GetValueOrDefault(KubernetesHostingOptions.ServiceIdEnvironmentVariable));
        Assert.Equal($"metadata.labels['{KubernetesHostingOptions.ClusterIdLabel}']", fields.GetValueOrDefault(KubernetesHostingOptions.ClusterIdEnvironmentVariable));
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void SiloServiceAccountMayWatchLabelAndDeletePods(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        var account = Yaml.Text(Find(objects, "Deployment", "hymirec-silo")["spec", "template", "spec", "serviceAccountName"]);
        var binding = objects.Single(o => o.Kind == "RoleBinding"
            && Yaml.Items(o["subjects"]).Any(s => Yaml.Text(Yaml.At(s, "kind")) == "ServiceAccount" && Yaml.Text(Yaml.At(s, "name")) == account));
        var role = Find(objects, "Role", Yaml.Text(binding["roleRef", "name"])!);
        var verbs = Yaml.Items(role["rules"])
            .Where(r => Yaml.Items(Yaml.At(r, "apiGroups")).Select(Yaml.Text).Contains("") && Yaml.Items(Yaml.At(r, "resources")).Select(Yaml.Text).Contains("pods"))
            .SelectMany(r => Yaml.Items(Yaml.At(r, "verbs")).Select(Yaml.Text)).ToHashSet();
        Assert.Superset(new HashSet<string?> { "get", "watch", "list", "patch", "delete" }, verbs);
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void SiloSettingsBindToTheSilosOptions(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        var data = Yaml.StringMap(Find(objects, "ConfigMap", "hymirec-silo")["data"])!;
        // Env entries of the container (secrets among them) are settings too; the Kubernetes identity ones are not.
        var env = Env(Container(Find(objects, "Deployment", "hymirec-silo"), "silo")).Where(e => e.FieldPath is null).Select(e => e.Name);
        var settings = data.Keys.Concat(env).ToDictionary(k => k.Replace("__", ":", StringComparison.Ordinal), k => data.GetValueOrDefault(k, "value-from-secret"));
        // The host environment, read by the host itself (and the switch for authentication), not a settings section.
        settings.Remove("DOTNET_ENVIRONMENT");

        var unknownSections = settings.Keys.Select(k => k.Split(':')[0]).Distinct()
            .Except(["Urls", "Logging", "Cluster", "Storage", "Model", "Inference", "Users", "Dashboard", "Telemetry", "Auth", "Kafka"]).ToList();
        Assert.True(unknownSections.Count == 0, "unknown settings sections: " + string.Join(", ", unknownSections));

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings!).Build();
        // Unknown keys and unparsable values throw here, naming the key; the silo's start-up checks pass.
        // The connection string and the signing key come from Secrets, so only their binding is checked here.
        var storage = Valid<StorageOptions>(configuration, StorageOptions.Section);
        var cluster = Valid<HyMiRecClusterOptions>(configuration, HyMiRecClusterOptions.Section, new ClusterOptionsValidator(Options.Create(storage)));
        Valid<ModelOptions>(configuration, ModelOptions.Section, new ModelOptionsValidator());
        Valid<InferenceOptions>(configuration, InferenceOptions.Section);
        Valid<UsersOptions>(configuration, UsersOptions.Section);
        Valid<HyMiRecDashboardOptions>(configuration, HyMiRecDashboardOptions.Section);
        Bind<AuthOptions>(configuration, AuthOptions.Section);
        Valid<TelemetryOptions>(configuration, TelemetryOptions.Section, new TelemetryOptionsValidator());
        var kafka = Valid<KafkaOptions>(configuration, KafkaOptions.Section, new KafkaOptionsValidator());
        Assert.Equal(ClusterMode.Kubernetes, cluster.Mode);
        Assert.True(kafka.Enabled);
        Assert.True(KafkaOptions.IsEnabled(configuration));
        Assert.False(storage.ApplySchema);
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void TopicsAndJobsMatchTheSilosSettings(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        var settings = Yaml.StringMap(Find(objects, "ConfigMap", "hymirec-silo")["data"])!;
        var clicks = Find(objects, "KafkaTopic", settings["Kafka__ClickTopic"]);
        var deadLetters = Find(objects, "KafkaTopic", settings["Kafka__DeadLetterTopic"]);
        Assert.Equal(Yaml.Int(clicks["spec", "partitions"]), Yaml.Int(deadLetters["spec", "partitions"]));

        var silo = Container(Find(objects, "Deployment", "hymirec-silo"), "silo");
        var schema = Container(Find(objects, "Job", "hymirec-schema"), "schema");
        Assert.Equal(Yaml.Text(Yaml.At(silo, "image")), Yaml.Text(Yaml.At(schema, "image")));
        Assert.Contains(SchemaCommand.Flag, Yaml.Items(Yaml.At(schema, "args")).Select(Yaml.Text));

        // The trainer's arguments parse with the real `trainer retrain` command line.
        var cronJob = Find(objects, "CronJob", "hymirec-trainer");
        var trainer = Container(cronJob, "trainer");
        var args = Yaml.Items(Yaml.At(trainer, "args")).Select(a => Yaml.Text(a)!).ToList();
        var parse = new RootCommand { RetrainCommand.Create() }.Parse(args);
        Assert.True(parse.Errors.Count == 0, string.Join('\n', parse.Errors.Select(e => e.Message)));
        Assert.Equal("retrain", parse.CommandResult.Command.Name);

        // It reads the silos' topics through the same broker with the same client settings and Kafka user ...
        Assert.Equal(settings["Kafka__BootstrapServers"], parse.GetValue<string>("--bootstrap"));
        Assert.Equal(settings["Kafka__ClickTopic"], parse.GetValue<string>("--topic"));
        Assert.NotNull(Find(objects, "KafkaTopic", parse.GetValue<string>("--items-topic")!));
        var kafka = (parse.GetValue<string[]>("--kafka-setting") ?? []).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var siloKafka = settings.Where(kv => kv.Key.StartsWith("Kafka__Settings__", StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key["Kafka__Settings__".Length..], kv => kv.Value);
        Assert.Equal(siloKafka.OrderBy(kv => kv.Key), kafka.Where(kv => kv.Key != "sasl.password").OrderBy(kv => kv.Key));
        var password = kafka["sasl.password"].Trim('$', '(', ')');
        Assert.Equal(SecretRef(trainer, password), SecretRef(silo, "Kafka__Settings__sasl.password"));

        // ... and writes the store on the claim the silos mount read-only and serve from.
        var store = parse.GetValue<DirectoryInfo>("--store")!.FullName;
        Assert.Equal(settings["Model__StoreDirectory"], store);
        Assert.Equal(store, MountOf(cronJob, trainer, "hymirec-models", out var trainerReadOnly));
        Assert.False(trainerReadOnly);
        Assert.Equal(store, MountOf(Find(objects, "Deployment", "hymirec-silo"), silo, "hymirec-models", out var siloReadOnly));
        Assert.True(siloReadOnly);
        Assert.Equal(SecretRef(trainer, parse.GetValue<string>("--cluster-connection")!.Trim('$', '(', ')')), SecretRef(silo, "Storage__ConnectionString"));
    }

    [KubectlTheory]
    [MemberData(nameof(Kustomize.Overlays), MemberType = typeof(Kustomize))]
    public void SiloRunsWithAuthenticationOnAndItsSigningKeyFromASecret(string overlay)
    {
        var objects = Kustomize.Render(overlay);
        var data = Yaml.StringMap(Find(objects, "ConfigMap", "hymirec-silo")["data"])!;
        var silo = Container(Find(objects, "Deployment", "hymirec-silo"), "silo");
        // Authentication is off only in Development; the image sets no environment, so the ConfigMap says it.
        Assert.Equal("Production", data.GetValueOrDefault("DOTNET_ENVIRONMENT"));
        Assert.DoesNotContain(Env(silo), e => e.Name is "DOTNET_ENVIRONMENT" or "ASPNETCORE_ENVIRONMENT");
        Assert.DoesNotContain("ASPNETCORE_ENVIRONMENT", data.Keys);
        Assert.DoesNotContain(data.Keys, k => k.StartsWith("Auth__SigningKey", StringComparison.Ordinal));

        var (secretName, key) = SecretRef(silo, "Auth__SigningKey");
        var secret = objects.SingleOrDefault(o => o.Kind == "Secret" && o.Name == secretName);
        if (overlay == "prod")
        {
            // Created by the operator (docs/operations.md), never committed.
            Assert.Null(secret);
            var external = Yaml.Text(Find(objects, "Namespace", secret?.Namespace ?? "hymirec")["metadata", "annotations", ManifestChecker.ExternalSecretsAnnotation]);
            Assert.Contains(secretName, external!.Split(','));
            return;
        }

        // Dev's generated key passes the silo's own start-up check with the ConfigMap's issuer and audience.
        Assert.NotNull(secret);
        var signingKey = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Yaml.Text(secret["data", key!])!));
        var options = new AuthOptions { Issuer = data["Auth__Issuer"], Audience = data["Auth__Audience"], SigningKey = signingKey };
        Assert.Empty(AuthOptionsValidator.Problems(options));
    }

    private static (string?, string?) SecretRef(YamlNode container, string env)
    {
        var entry = Yaml.Items(Yaml.At(container, "env")).Single(e => Yaml.Text(Yaml.At(e, "name")) == env);
        return (Yaml.Text(Yaml.At(entry, "valueFrom", "secretKeyRef", "name")), Yaml.Text(Yaml.At(entry, "valueFrom", "secretKeyRef", "key")));
    }

    /// <summary>Bound as the silo binds it, and passing the checks the silo runs at start.</summary>
    private static T Valid<T>(IConfiguration configuration, string section, params IValidateOptions<T>[] validators) where T : class, new()
    {
        var options = Bind<T>(configuration, section);
        var failures = validators.Prepend(new DataAnnotationValidateOptions<T>(null)).SelectMany(v => v.Validate(null, options).Failures ?? []).ToList();
        Assert.True(failures.Count == 0, $"{section}: " + string.Join(" ", failures));
        return options;
    }

    private static T Bind<T>(IConfiguration configuration, string section) where T : new() =>
        configuration.GetSection(section).Get<T>(o => o.ErrorOnUnknownConfiguration = true) ?? new T();

    private static Manifest Find(IReadOnlyList<Manifest> objects, string kind, string name) =>
        objects.SingleOrDefault(o => o.Kind == kind && o.Name == name) ?? throw new Xunit.Sdk.XunitException($"{kind}/{name} is not rendered");

    private static YamlNode PodSpec(Manifest owner) =>
        (owner.Kind == "CronJob" ? owner["spec", "jobTemplate", "spec", "template", "spec"] : owner["spec", "template", "spec"])!;

    private static YamlNode Container(Manifest owner, string name) =>
        Yaml.Items(Yaml.At(PodSpec(owner), "containers")).Single(c => Yaml.Text(Yaml.At(c, "name")) == name);

    private static IEnumerable<(string Name, string? FieldPath)> Env(YamlNode container) =>
        Yaml.Items(Yaml.At(container, "env")).Select(e => (Yaml.Text(Yaml.At(e, "name"))!, Yaml.Text(Yaml.At(e, "valueFrom", "fieldRef", "fieldPath"))));

    /// <summary>Where the container mounts the volume backed by <paramref name="claim"/>.</summary>
    private static string? MountOf(Manifest owner, YamlNode container, string claim, out bool readOnly)
    {
        var volume = Yaml.Items(Yaml.At(PodSpec(owner), "volumes"))
            .Single(v => Yaml.Text(Yaml.At(v, "persistentVolumeClaim", "claimName")) == claim);
        var volumeName = Yaml.Text(Yaml.At(volume, "name"));
        var mount = Yaml.Items(Yaml.At(container, "volumeMounts")).Single(m => Yaml.Text(Yaml.At(m, "name")) == volumeName);
        readOnly = Yaml.At(mount, "readOnly") is YamlScalarNode { Value: "true" };
        return Yaml.Text(Yaml.At(mount, "mountPath"));
    }
}
