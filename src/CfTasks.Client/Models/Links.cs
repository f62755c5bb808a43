namespace CfTasks.Client.Models;

/// <summary>A CF link: <c>{"href": "...", "method": "POST", "meta": {...}}</c>.</summary>
public sealed record Link(string Href, string? Method = null, LinkMeta? Meta = null);

/// <summary>Extra data on a root link (the CC version lives here).</summary>
public sealed record LinkMeta(string? Version = null);

/// <summary>The global root document (<c>GET /</c>): links, some of them JSON null when not configured.</summary>
public sealed record RootDocument(Dictionary<string, Link?>? Links);

/// <summary><c>{"data": {"guid": "..."}}</c> relationship.</summary>
public sealed record Relationship(RelationshipData? Data);

/// <summary>The guid inside a relationship.</summary>
public sealed record RelationshipData(string Guid);

/// <summary>Labels and annotations.</summary>
public sealed record Metadata(Dictionary<string, string?>? Labels = null, Dictionary<string, string?>? Annotations = null);
