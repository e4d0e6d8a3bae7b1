using HyMiRec.Testing.Deploy;

namespace HyMiRec.UnitTests.Deploy;

/// <summary>The schema check itself: a small valid set passes; each kind of mistake is caught with a clear message.</summary>
public sealed class ManifestCheckerTests
{
    private const string Valid = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: ns
          annotations:
            hymirec.io/external-secrets: db
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
          namespace: ns
        data:
          Cluster__Mode: Kubernetes
          Storage__ApplySchema: "false"
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
                orleans/serviceId: svc
            spec:
              securityContext:
                runAsNonRoot: true
              containers:
                - name: silo
                  image: registry/hymirec-silo:1.0
                  args: ["--x", "$(POD_NAME)"]
                  ports:
                    - name: http
                      containerPort: 8080
                  envFrom:
                    - configMapRef:
                        name: settings
                  env:
                    - name: POD_NAME
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.name
                    - name: ORLEANS_SERVICE_ID
                      valueFrom:
                        fieldRef:
                          fieldPath: metadata.labels['orleans/serviceId']
                    - name: Storage__ConnectionString
                      valueFrom:
                        secretKeyRef:
                          name: db
                          key: connection-string
                  livenessProbe:
                    httpGet:
                      path: /healthz/live
                      port: http
                  readinessProbe:
                    httpGet:
                      path: /healthz/ready
                      port: 8080
                  resources:
                    requests:
                      cpu: 500m
                      memory: 1Gi
                    limits:
                      cpu: "1"
                      memory: 2Gi
        ---
        apiVersion: v1
        kind: Service
        metadata:
          name: silo
          namespace: ns
        spec:
          selector:
            app: silo
          ports:
            - port: 80
              targetPort: http
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata:
          name: silo
          namespace: ns
        spec:
          scaleTargetRef:
            apiVersion: apps/v1
            kind: Deployment
            name: silo
          minReplicas: 1
          maxReplicas: 3
          metrics:
            - type: Resource
              resource:
                name: cpu
                target:
                  type: Utilization
                  averageUtilization: 70
        ---
        apiVersion: batch/v1
        kind: CronJob
        metadata:
          name: trainer
          namespace: ns
        spec:
          schedule: "0 3 * * *"
          jobTemplate:
            spec:
              template:
                spec:
                  restartPolicy: Never
                  securityContext:
                    runAsNonRoot: true
                  containers:
                    - name: trainer
                      image: registry/hymirec-trainer:1.0
                      resources:
                        requests:
                          cpu: "1"
                          memory: 1Gi
                        limits:
                          cpu: "2"
                          memory: 2Gi
        """;

    private static readonly HashSet<string> SiloPaths = ["/healthz", "/healthz/live", "/healthz/ready"];

    [Fact]
    public void ValidSetPasses() => Assert.Empty(Problems(Valid));

    [Theory]
    [InlineData("name: ns\n", "name: other\n", "namespace 'ns' is not among the rendered objects")]
    [InlineData("kind: Service", "kind: Servce", "unknown apiVersion/kind pair v1 Servce")]
    [InlineData("  selector:\n    app: silo", "  selector:\n    app: api", "matches no pod template")]
    [InlineData("matchLabels:\n      app: silo", "matchLabels:\n      app: web", "does not match spec.template.metadata.labels")]
    [InlineData("Storage__ApplySchema: \"false\"", "Storage__ApplySchema: false", "data values must all be strings")]
    [InlineData("configMapRef:\n                name: settings", "configMapRef:\n                name: setting", "ConfigMap 'setting' is not among the rendered objects")]
    [InlineData("name: db", "name: database", "Secret 'database' is neither rendered")]
    [InlineData("- name: ORLEANS_SERVICE_ID", "- name: POD_NAME", "name 'POD_NAME' is invalid or not unique")]
    [InlineData("metadata.labels['orleans/serviceId']", "metadata.labels['orleans/clusterId']", "names a label the pod template lacks")]
    [InlineData("$(POD_NAME)", "$(POD_IP)", "uses $(POD_IP)")]
    [InlineData("path: /healthz/ready", "path: /ready", "'/ready' is not served by the silo")]
    [InlineData("port: http\n          readiness", "port: web\n          readiness", "port 'web' is not a port of the container")]
    [InlineData("          readinessProbe:\n            httpGet:\n              path: /healthz/ready\n              port: 8080\n", "", "readinessProbe is missing")]
    [InlineData("image: registry/hymirec-trainer:1.0", "image: registry/hymirec-trainer", "explicit tag")]
    [InlineData("cpu: 500m", "cpu: 5", "cpu request exceeds its limit")]
    [InlineData("              memory: 2Gi\n---", "---", "requests and limits for memory")]
    [InlineData("schedule: \"0 3 * * *\"", "schedule: \"0 25 * * *\"", "not a valid five-field cron schedule")]
    [InlineData("restartPolicy: Never", "restartPolicy: Always", "restartPolicy must be Never or OnFailure")]
    [InlineData("    kind: Deployment\n    name: silo", "    kind: Deployment\n    name: api", "scaleTargetRef Deployment/api is not among")]
    [InlineData("minReplicas: 1", "minReplicas: 5", "maxReplicas must be an integer at least")]
    [InlineData("      securityContext:\n        runAsNonRoot: true\n      containers:\n        - name: silo", "      containers:\n        - name: silo", "must run as non-root")]
    public void MistakeIsReported(string find, string replace, string expected)
    {
        var yaml = Valid.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Contains(find, yaml, StringComparison.Ordinal);
        var problems = Problems(yaml.Replace(find, replace, StringComparison.Ordinal));
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"expected '{expected}' among:\n{string.Join('\n', problems)}");
    }

    private static IReadOnlyList<string> Problems(string yaml)
    {
        var (objects, parse) = Manifest.ParseAll(yaml);
        return [.. parse, .. ManifestChecker.Check(objects, SiloPaths)];
    }
}
