using System.Text;

namespace CfTasks;

/// <summary>
/// Labels or annotations of a Cloud Foundry resource. A dictionary (so ConvertTo-Json writes an object and scripts
/// can index it) whose text form is <c>key=value</c> pairs separated by <c>; </c>, so Export-Csv writes readable text.
/// </summary>
public sealed class CfMetadataMap : Dictionary<string, string>
{
    /// <summary>An empty map.</summary>
    public CfMetadataMap() : base(StringComparer.Ordinal) { }

    /// <summary>A copy of the given pairs.</summary>
    public CfMetadataMap(IEnumerable<KeyValuePair<string, string>> pairs) : base(StringComparer.Ordinal)
    {
        foreach (var pair in pairs) this[pair.Key] = pair.Value;
    }

    /// <summary><c>key=value</c> pairs in key order, separated by <c>; </c>; empty text when there are none.</summary>
    public override string ToString()
    {
        if (Count == 0) return string.Empty;
        var text = new StringBuilder();
        foreach (var key in Keys.OrderBy(k => k, StringComparer.Ordinal))
        {
            if (text.Length > 0) text.Append("; ");
            text.Append(key).Append('=').Append(this[key]);
        }
        return text.ToString();
    }
}
