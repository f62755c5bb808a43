namespace CfTasks.Client.Models;

/// <summary>The CC error body: always a list.</summary>
public sealed record CfErrorBody(List<CfErrorItem>? Errors);

/// <summary>One CC error: program against code/title; detail is for people.</summary>
public sealed record CfErrorItem(int Code, string? Title, string? Detail);

/// <summary>A UAA error body.</summary>
public sealed record UaaErrorBody(string? Error, string? ErrorDescription);
