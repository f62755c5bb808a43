using CfTasks.Client.Api;
using CfTasks.Client.Errors;
using CfTasks.Client.Models;

namespace CfTasks.Client.Services;

/// <summary>Targets an organization and a space of a connection by name, as <c>cf target -o ORG -s SPACE</c> does.</summary>
public sealed class TargetService
{
    private readonly ICloudControllerApi _cloudController;
    private readonly PagedReader _paging;
    private readonly CfTarget _target;

    internal TargetService(ICloudControllerApi cloudController, PagedReader paging, CfTarget target)
    {
        _cloudController = cloudController;
        _paging = paging;
        _target = target;
    }

    /// <summary>
    /// Targets an org (by name) and a space (by name). An org alone targets its only space when it has exactly one, as
    /// <c>cf target -o</c> does. A space alone is looked up in the currently targeted org.
    /// </summary>
    public async Task SetTargetAsync(string? organization, string? space, CancellationToken cancellationToken)
    {
        string orgGuid, orgName;
        if (organization is not null)
        {
            var org = await FindOrganizationAsync(organization, cancellationToken).ConfigureAwait(false);
            (orgGuid, orgName) = (org.Guid, org.Name);
        }
        else
        {
            (orgGuid, orgName) = (_target.OrganizationGuid ?? throw CfErrors.NoOrganizationTargeted(space), _target.Organization!);
        }

        SpaceResource? chosen;
        if (space is not null)
        {
            chosen = await FindSpaceAsync(space, orgGuid, orgName, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var spaces = await _paging.FirstPageAsync(ct => _cloudController.ListSpaces(null, [orgGuid], 1, 2, ct),
                CfJsonContext.Default.ListSpaceResource, cancellationToken).ConfigureAwait(false);
            chosen = spaces.Resources is { Count: 1 } only ? only[0] : null;
        }

        _target.Organization = orgName;
        _target.OrganizationGuid = orgGuid;
        _target.Space = chosen?.Name;
        _target.SpaceGuid = chosen?.Guid;
    }

    /// <summary>The organization of that name, or OrganizationNotFound naming it (one small request).</summary>
    internal async Task<OrganizationResource> FindOrganizationAsync(string name, CancellationToken cancellationToken)
    {
        var orgs = await _paging.FirstPageAsync(ct => _cloudController.ListOrganizations([AppService.EscapeListValue(name)], 1, 1, ct),
            CfJsonContext.Default.ListOrganizationResource, cancellationToken).ConfigureAwait(false);
        return orgs.Resources?.FirstOrDefault() ?? throw CfErrors.OrganizationNotFound(name, _target.ApiEndpoint);
    }

    /// <summary>The space of that name in an organization, or SpaceNotFound naming both (one small request).</summary>
    internal async Task<SpaceResource> FindSpaceAsync(string name, string organizationGuid, string organizationName, CancellationToken cancellationToken)
    {
        var spaces = await _paging.FirstPageAsync(ct => _cloudController.ListSpaces([AppService.EscapeListValue(name)], [organizationGuid], 1, 1, ct),
            CfJsonContext.Default.ListSpaceResource, cancellationToken).ConfigureAwait(false);
        return spaces.Resources?.FirstOrDefault() ?? throw CfErrors.SpaceNotFound(name, organizationName);
    }
}
