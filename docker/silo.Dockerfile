# hymirec-silo: the Orleans silo + HTTP API. Build from the repository root:
#   docker build -f docker/silo.Dockerfile -t hymirec-silo:dev .
#   docker build -f docker/silo.Dockerfile --build-arg TORCH_FLAVOR=cuda -t hymirec-silo:dev-cuda .
# The .NET 10 images are Ubuntu 24.04, whose libstdc++ (GCC 14) has GLIBCXX_3.4.32, so the TorchSharp native fix
# (Directory.Build.targets) finds nothing to do; build and runtime stages share the distro for that reason.
ARG TORCH_FLAVOR=cpu

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TORCH_FLAVOR
WORKDIR /src
COPY . .
RUN dotnet publish silo/HyMiRec.Silo/HyMiRec.Silo.csproj -c Release -o /out -nologo -p:TorchFlavor=${TORCH_FLAVOR}

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
# Owned by the app user: TorchSharp copies its natives into a folder beside the app at first load.
COPY --from=build --chown=app:app /out .
# APP_UID (1654) is the numeric id of the images' non-root "app" user; numeric so runAsNonRoot can verify it.
USER $APP_UID
ENV Urls=http://+:8080
EXPOSE 8080 11111 30000
ENTRYPOINT ["dotnet", "hymirec-silo.dll"]
