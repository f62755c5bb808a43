using System.Collections.Concurrent;
using System.Reflection;
using System.Text.RegularExpressions;

namespace System.Text.RegularExpressions
{
    /// <summary>
    /// .NET Framework has no regex source generator. This stands in for .NET 7's attribute so the shared declarations
    /// compile unchanged; the pattern and options stay written once, on the declaration, and are read back below.
    /// </summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
    internal sealed class GeneratedRegexAttribute(string pattern, RegexOptions options = RegexOptions.None) : Attribute
    {
        public string Pattern { get; } = pattern;
        public RegexOptions Options { get; } = options;
    }
}

namespace CfTasks.Client
{
    /// <summary>Builds (once, compiled) the regex a <c>[GeneratedRegex]</c> partial method declares.</summary>
    internal static class NetFrameworkRegex
    {
        private static readonly ConcurrentDictionary<(Type, string), Regex> Built = new();

        public static Regex For(Type declaringType, string method) =>
            Built.GetOrAdd((declaringType, method), static key =>
            {
                var declaration = key.Item1.GetMethod(key.Item2, BindingFlags.NonPublic | BindingFlags.Static)
                                  ?? throw new MissingMethodException(key.Item1.FullName, key.Item2);
                var attribute = declaration.GetCustomAttribute<GeneratedRegexAttribute>()
                                ?? throw new InvalidOperationException($"{key.Item1.FullName}.{key.Item2} has no [GeneratedRegex].");
                return new Regex(attribute.Pattern, attribute.Options | RegexOptions.Compiled);
            });
    }
}

// Every [GeneratedRegex] partial method of the client, implemented for .NET Framework. A new one fails the net472 build
// until it is listed here (CS8795), so none can be forgotten.
namespace CfTasks.Client.Http
{
    public static partial class SecretRedactor
    {
        private static partial Regex SecretKeyPattern() => NetFrameworkRegex.For(typeof(SecretRedactor), nameof(SecretKeyPattern));
        private static partial Regex BearerPattern() => NetFrameworkRegex.For(typeof(SecretRedactor), nameof(BearerPattern));
    }
}

namespace CfTasks.Client.Services
{
    public static partial class LogRedactor
    {
        private static partial Regex Assignment() => NetFrameworkRegex.For(typeof(LogRedactor), nameof(Assignment));
        private static partial Regex KeyValue() => NetFrameworkRegex.For(typeof(LogRedactor), nameof(KeyValue));
        private static partial Regex UrlPassword() => NetFrameworkRegex.For(typeof(LogRedactor), nameof(UrlPassword));
    }

    public static partial class ByteQuantity
    {
        private static partial Regex Quantity() => NetFrameworkRegex.For(typeof(ByteQuantity), nameof(Quantity));
    }

    internal sealed partial class AppTaskLineSelector
    {
        private static partial Regex GuidPattern() => NetFrameworkRegex.For(typeof(AppTaskLineSelector), nameof(GuidPattern));
    }
}
