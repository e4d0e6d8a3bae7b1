using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace HyMiRec.Testing.Deploy;

/// <summary>One rendered Kubernetes object and helpers to walk its YAML tree.</summary>
internal sealed record Manifest(string ApiVersion, string Kind, string Name, string? Namespace, YamlMappingNode Root)
{
    public string Id => $"{Kind}/{Name}";

    public YamlNode? this[params string[] path] => Yaml.At(Root, path);

    /// <summary>Every object of a multi-document YAML text; a document without apiVersion/kind/name is reported, not skipped.</summary>
    public static (IReadOnlyList<Manifest> Objects, IReadOnlyList<string> Problems) ParseAll(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        var objects = new List<Manifest>();
        var problems = new List<string>();
        for (var i = 0; i < stream.Documents.Count; i++)
        {
            if (stream.Documents[i].RootNode is not YamlMappingNode root)
            {
                problems.Add($"document {i}: not a mapping");
                continue;
            }

            var apiVersion = Yaml.Text(Yaml.At(root, "apiVersion"));
            var kind = Yaml.Text(Yaml.At(root, "kind"));
            var name = Yaml.Text(Yaml.At(root, "metadata", "name"));
            if (apiVersion is null || kind is null || string.IsNullOrEmpty(name))
            {
                problems.Add($"document {i}: apiVersion, kind and metadata.name must be strings (got {apiVersion ?? "?"}, {kind ?? "?"}, {name ?? "?"})");
                continue;
            }

            objects.Add(new Manifest(apiVersion, kind, name, Yaml.Text(Yaml.At(root, "metadata", "namespace")), root));
        }

        return (objects, problems);
    }
}

/// <summary>YAML tree access and the type a plain scalar resolves to (YAML 1.1 core schema, as Kubernetes decodes it).</summary>
internal static partial class Yaml
{
    public enum ScalarType { String, Int, Float, Bool, Null }

    public static YamlNode? At(YamlNode? node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out node))
            {
                return null;
            }
        }

        return node;
    }

    public static ScalarType TypeOf(YamlScalarNode scalar)
    {
        if (scalar.Style is not YamlDotNet.Core.ScalarStyle.Plain and not YamlDotNet.Core.ScalarStyle.Any)
        {
            return ScalarType.String;
        }

        var value = scalar.Value ?? "";
        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => ScalarType.Null,
            "true" or "True" or "TRUE" or "false" or "False" or "FALSE" or "yes" or "no" or "on" or "off" => ScalarType.Bool,
            _ when IntPattern().IsMatch(value) => ScalarType.Int,
            _ when FloatPattern().IsMatch(value) => ScalarType.Float,
            _ => ScalarType.String,
        };
    }

    /// <summary>The scalar's text when it is a string (quoted, or plain and not a number/bool/null); else null.</summary>
    public static string? Text(YamlNode? node) =>
        node is YamlScalarNode scalar && TypeOf(scalar) == ScalarType.String ? scalar.Value : null;

    public static long? Int(YamlNode? node) =>
        node is YamlScalarNode scalar && TypeOf(scalar) == ScalarType.Int && long.TryParse(scalar.Value, out var value) ? value : null;

    public static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequenceNode sequence ? sequence.Children : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(kv => (((YamlScalarNode)kv.Key).Value ?? "", kv.Value)) : [];

    /// <summary>A map whose values are all strings (labels, selectors, ConfigMap data), or null when it is not one.</summary>
    public static Dictionary<string, string>? StringMap(YamlNode? node)
    {
        if (node is not YamlMappingNode)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in Entries(node))
        {
            if (Text(value) is not { } text)
            {
                return null;
            }

            result[key] = text;
        }

        return result;
    }

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9]*|0x[0-9a-fA-F]+|0o[0-7]+)$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$|^[-+]?\.(inf|Inf|INF)$|^\.(nan|NaN|NAN)$")]
    private static partial Regex FloatPattern();
}
