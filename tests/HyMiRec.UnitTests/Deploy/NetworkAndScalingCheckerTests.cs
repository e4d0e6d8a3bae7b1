using HyMiRec.Testing.Deploy;

namespace HyMiRec.UnitTests.Deploy;

/// <summary>The checks of NetworkPolicy and KEDA objects: a valid set passes; each kind of mistake is caught.</summary>
public sealed class NetworkAndScalingCheckerTests
{
    private const string Valid = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: ns
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: silo
          namespace: ns
        spec:
          selector:
            matchLabels:
              app: silo
          template:
            metadata:
              labels:
                app: silo
            spec:
              securityContext:
                runAsNonRoot: true
              containers:
                - name: silo
                  image: registry/hymirec-silo:1.0
                  ports:
                    - name: http
                      containerPort: 8080
                  livenessProbe:
                    tcpSocket:
                      port: http
                  readinessProbe:
                    tcpSocket:
                      port: http
                  resources:
                    requests:
                      cpu: 500m
                      memory: 1Gi
                    limits:
                      cpu: "1"
                      memory: 2Gi
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: Kafka
        metadata:
          name: kafka
          namespace: ns
        spec:
          kafka:
            listeners:
              - name: plain
                port: 9092
                type: internal
                tls: false
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaNodePool
        metadata:
          name: pool
          namespace: ns
          labels:
            strimzi.io/cluster: kafka
        spec:
          replicas: 1
          roles: [broker, controller]
          storage:
            type: ephemeral
        ---
        apiVersion: kafka.strimzi.io/v1beta2
        kind: KafkaTopic
        metadata:
          name: clicks
          namespace: ns
          labels:
            strimzi.io/cluster: kafka
        spec:
          partitions: 4
          replicas: 1
        ---
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata:
          name: silo
          namespace: ns
        spec:
          scaleTargetRef:
            name: silo
          minReplicaCount: 1
          maxReplicaCount: 4
          triggers:
            - type: kafka
              metadata:
                bootstrapServers: kafka-kafka-bootstrap:9092
                consumerGroup: silos
                topic: clicks
                lagThreshold: "100"
              authenticationRef:
                name: kafka-user
        ---
        apiVersion: keda.sh/v1alpha1
        kind: TriggerAuthentication
        metadata:
          name: kafka-user
          namespace: ns
        spec:
          secretTargetRef:
            - parameter: ca
              name: kafka-cluster-ca-cert
              key: ca.crt
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata:
          name: silo-http
          namespace: ns
        spec:
          podSelector:
            matchLabels:
              app: silo
          policyTypes: [Ingress]
          ingress:
            - from:
                - podSelector:
                    matchLabels:
                      app: silo
                - namespaceSelector:
                    matchLabels:
                      kubernetes.io/metadata.name: monitoring
              ports:
                - port: http
        """;

    private const string SecondAutoscaler = """

        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: silo-cpu
          namespace: ns
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: silo
          maxReplicas: 3
          metrics:
            - type: Resource
              resource:
                name: cpu
                target:
                  type: Utilization
                  averageUtilization: 70
        """;

    [Fact]
    public void ValidSetPasses() => Assert.Empty(Problems(Valid));

    [Theory]
    [InlineData("maxReplicaCount: 4", "maxReplicaCount: 5", "spec.maxReplicaCount 5 exceeds the 4 partitions of topic 'clicks'")]
    [InlineData("lagThreshold: \"100\"", "lagThreshold: 100", "metadata values must all be strings")]
    [InlineData("topic: clicks", "topic: views", "topic 'views' is not a rendered KafkaTopic")]
    [InlineData("        consumerGroup: silos\n", "", "metadata.consumerGroup is required")]
    [InlineData("scaleTargetRef:\n    name: silo", "scaleTargetRef:\n    name: api", "scaleTargetRef Deployment/api is not among")]
    [InlineData("authenticationRef:\n        name: kafka-user", "authenticationRef:\n        name: kafka-users", "TriggerAuthentication 'kafka-users' is not among")]
    [InlineData("key: ca.crt", "key: ca.pem", "Secret 'kafka-cluster-ca-cert' has no key 'ca.pem'")]
    [InlineData("- port: http", "- port: web", "port 'web' is not a named container port of every selected pod")]
    [InlineData("policyTypes: [Ingress]", "policyTypes: [Ingres]", "may list only Ingress and Egress")]
    [InlineData("  podSelector:\n    matchLabels:\n      app: silo\n  policyTypes", "  podSelector:\n    matchLabels:\n      app: web\n  policyTypes", "spec.podSelector {app=web} matches no pod template")]
    [InlineData("        - podSelector:\n            matchLabels:\n              app: silo", "        - podSelector:\n            matchLabels:\n              app: client", "from[].podSelector {app=client} matches no pod template")]
    public void MistakeIsReported(string find, string replace, string expected)
    {
        var yaml = Valid.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(find, yaml, StringComparison.Ordinal);
        var problems = Problems(yaml.Replace(find, replace, StringComparison.Ordinal));
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join('\n', problems)}");
    }

    [Fact]
    public void TwoAutoscalersOnOneDeploymentAreReported()
    {
        var problems = Problems(Valid + SecondAutoscaler);
        Assert.Contains(problems, p => p.Contains("Deployment/silo is scaled by more than one autoscaler", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> Problems(string yaml)
    {
        var (objects, parse) = Manifest.ParseAll(yaml);
        return [.. parse, .. ManifestChecker.Check(objects, new HashSet<string>())];
    }
}
