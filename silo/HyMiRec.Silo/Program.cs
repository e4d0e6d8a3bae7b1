using HyMiRec.Hosting;

if (SchemaCommand.IsRequested(args))
{
    return await SchemaCommand.RunAsync(args, Console.Out, Console.Error);
}

await ServingApp.Build(args).RunAsync();
return 0;
