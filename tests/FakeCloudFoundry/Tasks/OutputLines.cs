using System.Text;

namespace FakeCloudFoundry.Tasks;

/// <summary>
/// Reads a process's output stream and hands over each line as soon as its newline arrives (UTF-8, a trailing
/// <c>\r</c> dropped, a last line without newline still delivered at end of stream). Very long lines are cut into
/// pieces of at most <see cref="MaxLineChars"/> characters, as a log pipeline would split them.
/// </summary>
internal static class OutputLines
{
    public const int MaxLineChars = 64 * 1024;

    public static async Task PumpAsync(Stream stream, Action<string> onLine)
    {
        var decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
        var bytes = new byte[8192];
        var chars = new char[Encoding.UTF8.GetMaxCharCount(bytes.Length)];
        var line = new StringBuilder();
        int read;
        while ((read = await stream.ReadAsync(bytes).ConfigureAwait(false)) > 0)
        {
            var count = decoder.GetChars(bytes, 0, read, chars, 0, flush: false);
            Split(chars.AsSpan(0, count), line, onLine);
        }
        var rest = decoder.GetChars(bytes, 0, 0, chars, 0, flush: true);
        Split(chars.AsSpan(0, rest), line, onLine);
        if (line.Length > 0) Emit(line, onLine);
    }

    private static void Split(ReadOnlySpan<char> chars, StringBuilder line, Action<string> onLine)
    {
        foreach (var c in chars)
        {
            if (c == '\n')
            {
                Emit(line, onLine);
                continue;
            }
            line.Append(c);
            if (line.Length >= MaxLineChars) Emit(line, onLine);
        }
    }

    private static void Emit(StringBuilder line, Action<string> onLine)
    {
        if (line.Length > 0 && line[^1] == '\r') line.Length--;
        onLine(line.ToString());
        line.Clear();
    }
}
