namespace FakeCloudFoundry.Http;

/// <summary>Which of the fake's "services" a path belongs to.</summary>
internal enum FakeService
{
    CloudController,
    Uaa,
    LogCache,
    Controls,
}

internal static class ServiceRoutes
{
    public static FakeService Classify(PathString path)
    {
        if (path.StartsWithSegments("/_fake")) return FakeService.Controls;
        if (path.StartsWithSegments("/log-cache")) return FakeService.LogCache;
        if (path.StartsWithSegments("/login") || path.StartsWithSegments("/uaa")) return FakeService.Uaa;
        return FakeService.CloudController;
    }
}
