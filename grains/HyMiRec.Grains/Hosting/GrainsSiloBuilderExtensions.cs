using HyMiRec.Grains.Inference;
using HyMiRec.Grains.Intake;
using HyMiRec.Grains.Journal;
using HyMiRec.Grains.Models;
using HyMiRec.Grains.Users;
using HyMiRec.Interfaces;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HyMiRec.Grains.Hosting;

public static class GrainsSiloBuilderExtensions
{
    /// <summary>
    /// The grains' options (sections Users, Inference, Model, Intake, Journal; bound, checked at silo start) and the
    /// services the grains need: the model host and its lifecycle, a clock, and logged dead letters unless a stream
    /// provider brings its own. Where user histories are journaled is the host's choice (<see cref="IUserJournal"/>).
    /// </summary>
    public static ISiloBuilder AddHyMiRecGrains(this ISiloBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<UsersOptions>().BindConfiguration(UsersOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<InferenceOptions>().BindConfiguration(InferenceOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ModelOptions>, ModelOptionsValidator>());
        services.AddOptions<IntakeOptions>().BindConfiguration(IntakeOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<JournalOptions>().BindConfiguration(JournalOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<InterestModelHost>();
        // The Kafka provider replaces this with the dead-letter topic.
        services.TryAddSingleton<IClickDeadLetters, LoggedClickDeadLetters>();
        services.TryAddSingleton<ModelLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<ModelLifecycle>());
        return builder;
    }
}
