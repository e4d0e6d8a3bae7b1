# trainer: the training CLI, run by the CronJob (`trainer retrain ...`). Build from the repository root:
#   docker build -f docker/trainer.Dockerfile -t hymirec-trainer:dev .
#   docker build -f docker/trainer.Dockerfile --build-arg TORCH_FLAVOR=cuda -t hymirec-trainer:dev-cuda .
# Same base-image reasoning as silo.Dockerfile (Ubuntu 24.04: no TorchSharp native fix needed); the trainer needs no
# ASP.NET, so it runs on the plain runtime image.
ARG TORCH_FLAVOR=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_FLAVOR
WORKDIR /src
COPY . .
RUN dotnet publish trainer/HyMiRec.Trainer/HyMiRec.Trainer.csproj -c Release -o /out -nologo -p:TorchFlavor=${TORCH_FLAVOR}

FROM mcr.microsoft.com/dotnet/runtime:10.0
WORKDIR /app
COPY --from=build --chown=app:app /out .
USER $APP_UID
ENTRYPOINT ["dotnet", "trainer.dll"]
