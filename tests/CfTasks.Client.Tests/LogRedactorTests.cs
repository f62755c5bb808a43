using System.Net;
using System.Text.Json;
using CfTasks.Client.Http;
using CfTasks.Client.Models;
using CfTasks.Client.Services;
using FakeCloudFoundry;
using FakeCloudFoundry.Tasks;
using Xunit;

namespace CfTasks.Client.Tests;

/// <summary>-Redact: nothing secret left, nothing harmless masked (rules in docs/log-redaction.md).</summary>
public sealed class LogRedactorTests
{
    private const string Mask = LogRedactor.Mask;

    [Fact]
    public async Task The_printenv_dump_of_a_task_keeps_no_secret_and_masks_nothing_harmless()
    {
        await using var fake = await FakeHost.StartAsync();
        var request = new CfConnectRequest(fake.BaseUrl, new CfCredential.Password(new NetworkCredential("developer", "developer-password")))
        {
            Organization = "demo-org", Space = "demo-space",
        };
        using var session = await CfSession.ConnectAsync(request, CancellationToken.None);
        var app = await session.Apps.GetByNameAsync("billing-api", CancellationToken.None);
        var created = await session.CloudController.CreateTask(app.Guid, new TaskCreateRequest { Name = "printenv", Command = "printenv" }, CancellationToken.None);
        fake.State.AdvanceClock(TimeSpan.FromSeconds(10));
        var task = CfObjectMapper.ToTask(await session.CloudController.GetTask(created.Guid, CancellationToken.None), app.Name, session.Target);
        var original = new List<CfLogEntry>();
        await foreach (var entry in session.Logs.GetTaskLogAsync(task, null, CancellationToken.None)) original.Add(entry);
        var redacted = original.Select(LogRedactor.Redact).ToList();
        var text = string.Join("\n", redacted.Select(e => e.Message));

        // Nothing secret left.
        Assert.True(original.Count > 15, "the dump was read");
        foreach (var secret in new[] { EnvironmentDump.DatabasePassword, EnvironmentDump.ApiToken, EnvironmentDump.AwsSecretAccessKey, EnvironmentDump.ServicePassword })
        {
            Assert.Contains(original, e => e.Message.Contains(secret, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
        Assert.Contains($"DATABASE_PASSWORD={Mask}", text);
        Assert.Contains($"API_TOKEN={Mask}", text);
        Assert.Contains($"AWS_SECRET_ACCESS_KEY={Mask}", text);

        // VCAP_SERVICES keeps its structure; every credential value is masked, the rest is kept.
        var services = redacted.Single(e => e.Message.StartsWith("VCAP_SERVICES=", StringComparison.Ordinal)).Message["VCAP_SERVICES=".Length..];
        using var json = JsonDocument.Parse(services);
        var binding = json.RootElement.GetProperty("p.mysql")[0];
        Assert.Equal("billing-db", binding.GetProperty("name").GetString());
        Assert.Equal("db-small", binding.GetProperty("plan").GetString());
        Assert.Equal("mysql", binding.GetProperty("tags")[0].GetString());
        var credentials = binding.GetProperty("credentials");
        Assert.Equal(["hostname", "port", "name", "username", "password", "uri"], credentials.EnumerateObject().Select(p => p.Name));
        Assert.All(credentials.EnumerateObject(), p => Assert.Equal(Mask, p.Value.GetString()));

        // Nothing harmless masked: every line without a secret is unchanged.
        var harmless = new[] { "PATH=", "HOME=", "USER=", "LANG=", "PORT=", "TMPDIR=", "MEMORY_LIMIT=", "CF_INSTANCE_", "INSTANCE_INDEX=", "VCAP_APPLICATION=", "CF_API=", "Exit status" };
        foreach (var (before, after) in original.Zip(redacted))
        {
            if (harmless.Any(h => before.Message.StartsWith(h, StringComparison.Ordinal)))
                Assert.Equal(before.Message, after.Message);
        }
        Assert.Equal(original.Select(e => e.TimestampUnixNanoseconds), redacted.Select(e => e.TimestampUnixNanoseconds));
    }

    [Theory]
    [InlineData("DB_PASSWORD=hunter2", "DB_PASSWORD=" + Mask)]
    [InlineData("export GITHUB_TOKEN=ghp_abc", "export GITHUB_TOKEN=" + Mask)]
    [InlineData("SMTP_PASS=x", "SMTP_PASS=" + Mask)]
    [InlineData("STRIPE_API_KEY=sk_live_1", "STRIPE_API_KEY=" + Mask)]
    [InlineData("apiKey=abc", "apiKey=" + Mask)]
    [InlineData("CLIENT_SECRET=s", "CLIENT_SECRET=" + Mask)]
    [InlineData("GOOGLE_APPLICATION_CREDENTIALS_JSON={\"a\":1}", "GOOGLE_APPLICATION_CREDENTIALS_JSON=" + Mask)]
    [InlineData("SSH_PRIVATE_KEY=-----BEGIN", "SSH_PRIVATE_KEY=" + Mask)]
    [InlineData("BASIC_AUTH=user:pw", "BASIC_AUTH=" + Mask)]
    [InlineData("connecting with password=hunter2 to db", "connecting with password=" + Mask + " to db")]
    [InlineData("config: {\"user\": \"app\", \"password\": \"hunter2\"}", "config: {\"user\": \"app\", \"password\": \"" + Mask + "\"}")]
    [InlineData("DATABASE_URL=postgres://app:hunter2@db:5432/x", "DATABASE_URL=postgres://app:" + Mask + "@db:5432/x")]
    [InlineData("Authorization: bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc", "Authorization: " + Mask)]
    public void Secrets_are_masked(string line, string expected) => Assert.Equal(expected, LogRedactor.RedactLine(line));

    [Theory]
    [InlineData("PATH=/usr/local/bin:/usr/bin")]
    [InlineData("HOME=/home/vcap/app")]
    [InlineData("PWD=/home/vcap/app")]
    [InlineData("KEYBOARD=us")]
    [InlineData("MONKEY_COUNT=3")]
    [InlineData("PASSENGER_APP_ENV=production")]
    [InlineData("AUTHOR=jane")]
    [InlineData("CF_INSTANCE_KEY=/etc/cf-instance-credentials/instance.key")]
    [InlineData("CF_INSTANCE_CERT=/etc/cf-instance-credentials/instance.crt")]
    [InlineData("SSL_KEY_FILE=/etc/ssl/app.key")]
    [InlineData("MEMORY_LIMIT=512m")]
    [InlineData("Migrated 3 tables in 12:00:01")]
    [InlineData("Exit status 0")]
    [InlineData("GET https://example.com/path?q=1 200")]
    [InlineData("VCAP_APPLICATION={\"application_name\":\"x\",\"limits\":{\"mem\":256,\"disk\":1024},\"users\":null}")]
    [InlineData("")]
    public void Harmless_lines_are_kept(string line) => Assert.Equal(line, LogRedactor.RedactLine(line));

    [Fact]
    public void Vcap_services_that_is_not_readable_json_is_masked_whole()
    {
        Assert.Equal("VCAP_SERVICES=" + Mask, LogRedactor.RedactLine("VCAP_SERVICES={\"p.mysql\":[{\"credentials\":{\"password\":\"x\""));
    }

    [Fact]
    public void Pretty_printed_json_split_over_lines_still_hides_secret_keys()
    {
        Assert.Equal("      \"password\": \"" + Mask + "\",", LogRedactor.RedactLine("      \"password\": \"hunter2\","));
        Assert.Equal("      \"uri\": \"mysql://u:" + Mask + "@h:3306/db\",", LogRedactor.RedactLine("      \"uri\": \"mysql://u:p4ss@h:3306/db\","));
    }

    [Fact]
    public void A_multi_line_message_is_redacted_line_by_line()
    {
        var entry = new CfLogEntry { Message = "user=app\nDB_PASSWORD=hunter2\nok", SourceType = "APP/TASK/x", InstanceId = "0" };

        var redacted = LogRedactor.Redact(entry);

        Assert.Equal("user=app\nDB_PASSWORD=" + Mask + "\nok", redacted.Message);
        Assert.Equal("APP/TASK/x", redacted.SourceType);
    }
}
