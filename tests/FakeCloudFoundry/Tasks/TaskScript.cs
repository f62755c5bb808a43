using System.Globalization;
using System.Text;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// Reads a task command as steps separated by <c>;</c> or <c>&amp;&amp;</c> (outside quotes):
/// <c>echo TEXT</c>, <c>echo TEXT &gt;&amp;2</c>, <c>sleep SECONDS</c>, <c>exit N</c>, <c>lines N</c>,
/// <c>late SECONDS TEXT</c>, anything containing <c>printenv</c>, and anything else (opaque).
/// </summary>
public static class TaskScript
{
    public static IReadOnlyList<TaskStep> Parse(string command)
    {
        var steps = new List<TaskStep>();
        foreach (var part in SplitSteps(command))
        {
            var text = part.Trim();
            if (text.Length > 0) steps.Add(ParseStep(text));
        }
        return steps;
    }

    private static TaskStep ParseStep(string text)
    {
        var (verb, rest) = SplitVerb(text);
        switch (verb)
        {
            case "echo":
                return ParseEcho(rest);
            case "sleep" when double.TryParse(rest, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0:
                return new TaskStep.Sleep(TimeSpan.FromSeconds(seconds));
            case "exit" when rest.Length == 0:
                return new TaskStep.Exit(0);
            case "exit" when int.TryParse(rest, NumberStyles.Integer, CultureInfo.InvariantCulture, out var code):
                return new TaskStep.Exit(code & 0xFF);
            case "lines" when int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var count):
                return new TaskStep.NumberedLines(count);
            case "late" when SplitVerb(rest) is var (delay, line) &&
                             double.TryParse(delay, NumberStyles.Float, CultureInfo.InvariantCulture, out var lateSeconds) && lateSeconds >= 0:
                return new TaskStep.Late(TimeSpan.FromSeconds(lateSeconds), Unquote(line));
        }
        return text.Contains("printenv", StringComparison.Ordinal) ? new TaskStep.PrintEnvironment() : new TaskStep.Opaque(text);
    }

    private static TaskStep.Echo ParseEcho(string rest)
    {
        var stream = "OUT";
        foreach (var redirect in new[] { "1>&2", ">&2" })
        {
            if (rest.EndsWith(redirect, StringComparison.Ordinal))
            {
                stream = "ERR";
                rest = rest[..^redirect.Length].TrimEnd();
                break;
            }
        }
        return new TaskStep.Echo(Unquote(rest), stream);
    }

    private static (string Verb, string Arguments) SplitVerb(string text)
    {
        var space = text.IndexOfAny([' ', '\t']);
        return space < 0 ? (text, "") : (text[..space], text[(space + 1)..].Trim());
    }

    private static string Unquote(string text)
    {
        var result = new StringBuilder(text.Length);
        char quote = '\0';
        foreach (var c in text)
        {
            if (quote == '\0' && c is '"' or '\'') quote = c;
            else if (c == quote) quote = '\0';
            else result.Append(c);
        }
        return result.ToString();
    }

    private static IEnumerable<string> SplitSteps(string command)
    {
        var start = 0;
        char quote = '\0';
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            if (quote != '\0')
            {
                if (c == quote) quote = '\0';
                continue;
            }
            if (c is '"' or '\'') quote = c;
            else if (c == ';')
            {
                yield return command[start..i];
                start = i + 1;
            }
            else if (c == '&' && i + 1 < command.Length && command[i + 1] == '&')
            {
                yield return command[start..i];
                start = i + 2;
                i++;
            }
        }
        yield return command[start..];
    }
}
