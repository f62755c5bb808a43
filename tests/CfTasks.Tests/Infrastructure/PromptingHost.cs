using System.Collections.ObjectModel;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace CfTasks.Tests.Infrastructure;

/// <summary>
/// A host that can prompt, as a person's console can: <see cref="PSHostUserInterface.Prompt"/> records what it was asked
/// and answers with <see cref="Answer"/>. Everything written to the host is kept in <see cref="Written"/>.
/// </summary>
public sealed class PromptingHost(SecureString? answer) : PSHost
{
    private readonly Ui _ui = new(answer);

    /// <summary>A secret as a prompt answers it.</summary>
    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (var c in text) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    /// <summary>The messages of the prompts shown, in order.</summary>
    public IReadOnlyList<string> Prompts => _ui.Prompts;

    /// <summary>Text written to the host.</summary>
    public string Written => _ui.Text.ToString();

    public override string Name => "CfTasks.Tests prompting host";
    public override Version Version => new(1, 0);
    public override Guid InstanceId { get; } = Guid.NewGuid();
    public override CultureInfo CurrentCulture => CultureInfo.InvariantCulture;
    public override CultureInfo CurrentUICulture => CultureInfo.InvariantCulture;
    public override PSHostUserInterface UI => _ui;
    public override void SetShouldExit(int exitCode) { }
    public override void EnterNestedPrompt() => throw new NotSupportedException();
    public override void ExitNestedPrompt() => throw new NotSupportedException();
    public override void NotifyBeginApplication() { }
    public override void NotifyEndApplication() { }

    private sealed class Ui(SecureString? answer) : PSHostUserInterface
    {
        public readonly List<string> Prompts = [];
        public readonly System.Text.StringBuilder Text = new();

        public override PSHostRawUserInterface? RawUI => null;

        public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
        {
            Prompts.Add(message);
            return descriptions.ToDictionary(d => d.Name, d => new PSObject(answer ?? new SecureString()));
        }

        public override SecureString ReadLineAsSecureString() => answer ?? new SecureString();
        public override string ReadLine() => "";
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) => throw new NotSupportedException();
        public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName, PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options) => throw new NotSupportedException();
        public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice) => defaultChoice;
        public override void Write(string value) => Text.Append(value);
        public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => Text.Append(value);
        public override void WriteLine(string value) => Text.AppendLine(value);
        public override void WriteErrorLine(string value) => Text.AppendLine(value);
        public override void WriteDebugLine(string message) => Text.AppendLine(message);
        public override void WriteProgress(long sourceId, ProgressRecord record) { }
        public override void WriteVerboseLine(string message) => Text.AppendLine(message);
        public override void WriteWarningLine(string message) => Text.AppendLine(message);
    }
}
