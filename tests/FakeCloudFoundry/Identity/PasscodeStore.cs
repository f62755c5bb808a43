using System.Security.Cryptography;

namespace FakeCloudFoundry.Identity;

/// <summary>
/// One-time passcodes as UAA's <c>/passcode</c> page hands them out (<c>cf login --sso-passcode</c>): 32 characters of
/// UAA's code alphabet, valid for 5 minutes of fake time, good for one token request; a new code for the same user
/// expires that user's previous one (UAA's <c>PasscodeEndpoint</c> expires codes by intent). Not thread-safe: the owning
/// state serialises access.
/// </summary>
internal sealed class PasscodeStore
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);
    private const string Alphabet = "1234567890ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
    private const int Length = 32;

    private readonly Dictionary<string, (UserAccount User, long ExpiresAtNs)> _byCode = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _codeByUserGuid = new(StringComparer.Ordinal);

    public string Issue(UserAccount user, long nowNs)
    {
        if (_codeByUserGuid.Remove(user.Guid, out var previous)) _byCode.Remove(previous);
        var code = RandomNumberGenerator.GetString(Alphabet, Length);
        _byCode[code] = (user, nowNs + Lifetime.Ticks * 100);
        _codeByUserGuid[user.Guid] = code;
        return code;
    }

    /// <summary>The user a valid code stands for; the code is used up. Null for an unknown, used or expired code.</summary>
    public UserAccount? Redeem(string code, long nowNs)
    {
        if (!_byCode.Remove(code, out var entry)) return null;
        _codeByUserGuid.Remove(entry.User.Guid);
        return entry.ExpiresAtNs > nowNs ? entry.User : null;
    }

    public void Clear()
    {
        _byCode.Clear();
        _codeByUserGuid.Clear();
    }
}
