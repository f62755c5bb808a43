namespace CfTasks.Client.Models;

/// <summary>One page of a CC V3 list.</summary>
public sealed record Page<T>(Pagination? Pagination, List<T>? Resources);

/// <summary>The pagination block: totals and absolute links (next/previous are JSON null when absent).</summary>
public sealed record Pagination(int TotalResults, int TotalPages, Link? First, Link? Last, Link? Next, Link? Previous);
