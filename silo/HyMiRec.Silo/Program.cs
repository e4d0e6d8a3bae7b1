using HyMiRec.Silo.Hosting;

await ServingApp.Build(args).RunAsync();
