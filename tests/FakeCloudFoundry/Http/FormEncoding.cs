using System.Text;

namespace FakeCloudFoundry.Http;

/// <summary>Form encoding like Ruby's <c>CGI.escape</c> (what CC's <c>to_query</c> uses): space → '+', upper-case hex.</summary>
internal static class FormEncoding
{
    public static string Encode(string value)
    {
        var result = new StringBuilder(value.Length + 8);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '*' or '-' or '.' or '_') result.Append(c);
            else if (c == ' ') result.Append('+');
            else result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return result.ToString();
    }
}
