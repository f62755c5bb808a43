using System.Management.Automation;

namespace CfTasks.Bench.EmptyModule;

/// <summary>The module's only cmdlet: writes its -Name back.</summary>
[Cmdlet(VerbsCommon.Get, "BenchEmpty")]
[OutputType(typeof(string))]
public sealed class GetBenchEmptyCommand : PSCmdlet
{
    /// <summary>What to write.</summary>
    [Parameter(Position = 0)]
    public string Name { get; set; } = "";

    /// <inheritdoc />
    protected override void ProcessRecord() => WriteObject(Name);
}
