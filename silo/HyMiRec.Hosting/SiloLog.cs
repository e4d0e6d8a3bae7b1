namespace HyMiRec.Hosting;

internal static partial class SiloLog
{
    [LoggerMessage(1, LogLevel.Warning, "Storage: no Storage:ConnectionString configured; grain state is IN MEMORY and is lost when the silo stops")]
    public static partial void InMemoryStorage(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "Storage: PostgreSQL schema applied ({Scripts} scripts)")]
    public static partial void SchemaApplied(ILogger logger, int scripts);

    [LoggerMessage(3, LogLevel.Information, "Storage: PostgreSQL grain storage; schema left to the operator (Storage:ApplySchema = false)")]
    public static partial void SchemaNotApplied(ILogger logger);
}
